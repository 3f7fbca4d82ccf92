//! `crous-till journal verify`: exit 0 for a sound archive, 1 naming what broke, 2 when the file
//! can't be read. Archives are written by core's journal into this test's temp dir.

use crous_till_core::journal::{Archive, Journal, Period, TillKey};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::ticket::{LigneTicket, Reglement, Ticket};
use crous_till_core::Decimal;
use std::path::PathBuf;
use std::process::{Command, Output};

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);

fn key() -> TillKey {
    TillKey::from_seed([3; 32])
}

fn ticket(n: u32, date: &str, cents: i64, code_reglement: u32) -> Ticket {
    let ttc = Decimal::new(cents, 2);
    Ticket {
        id_ticket_entete: Some(n.to_string()),
        numero_ticket: Some(format!("270102{n}")),
        date: Some(date.into()),
        code_evenement: Some("VT".into()),
        liste_lignes: Some(vec![LigneTicket {
            numero_ligne: Some(1),
            code_article: Some(100),
            quantite: Some(Decimal::ONE),
            code_tva: Some(1),
            prix_unitaire_ttc: Some(ttc),
            total_ttc: Some(ttc),
            prix_unitaire_ht: Some(Decimal::new(cents * 10 / 11, 2)),
            total_ht: Some(Decimal::new(cents * 10 / 11, 2)),
            ..LigneTicket::default()
        }]),
        liste_reglements: Some(vec![Reglement {
            code_reglement: Some(code_reglement),
            montant: Some(ttc),
            ..Reglement::default()
        }]),
        ..Ticket::default()
    }
}

fn archive() -> Archive {
    let mut j = Journal::new(POS);
    j.append(ticket(1, "2027-01-02T11:30:00.000+01:00", 330, 9)).unwrap();
    j.append(ticket(2, "2027-01-02T11:45:00.000+01:00", 110, 4)).unwrap();
    j.close("2027-01-02".parse::<Period>().unwrap()).unwrap();
    j.append(ticket(3, "2027-01-03T12:00:00.000+01:00", 55, 12)).unwrap();
    j.export(&key()).unwrap()
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("journal_verify_{name}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_crous-till")).args(args).output().unwrap();
    (status.code().unwrap(), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

#[test]
fn a_sound_archive_verifies_with_the_tills_key() {
    let path = write("sound", &archive().to_json_pretty());
    let (code, out, err) = run(&["journal", "verify", "--public-key", &key().public_key_hex(), path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("ok: journal of point of sale 5-1-9-8-14 verifies: 3 entries, 1 closures"), "{out}");
    assert!(err.is_empty(), "{err}");
    // Without --public-key: still verifies, with a note that the signer is not pinned.
    let (code, _, err) = run(&["journal", "verify", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(err.contains("--public-key"), "{err}");
}

#[test]
fn a_deleted_entry_is_named_and_exits_1() {
    let mut a = archive();
    a.entries.remove(1);
    let path = write("deleted", &a.to_json_pretty());
    let (code, out, _) = run(&["journal", "verify", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("BROKEN: entry 2 was deleted (sequence gap)\n"), "{out}");
}

#[test]
fn an_altered_entry_is_named_in_json_too() {
    let mut value: serde_json::Value = serde_json::from_str(&archive().to_json_pretty()).unwrap();
    value["entries"][0]["ticket"]["listeLignes"][0]["totalTtc"] = serde_json::json!("0.01");
    let path = write("altered", &value.to_string());
    let (code, out, _) = run(&["journal", "verify", "--json", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["findings"][0]["finding"], "altered");
    assert_eq!(report["findings"][0]["chain"], "entries");
    assert_eq!(report["findings"][0]["sequence"], 1);
}

#[test]
fn a_truncated_tail_and_a_wrong_key_exit_1() {
    let mut a = archive();
    a.entries.pop();
    let path = write("truncated", &a.to_json_pretty());
    let (code, out, _) = run(&["journal", "verify", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("truncated tail: the head marker proves at least 3 entries, only 2 remain"), "{out}");

    let path = write("other_key", &archive().to_json_pretty());
    let other = TillKey::from_seed([4; 32]).public_key_hex();
    let (code, out, _) = run(&["journal", "verify", "--public-key", &other, path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("not by the trusted key"), "{out}");
}

#[test]
fn unreadable_files_exit_2() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal_verify_missing.json");
    let (code, _, err) = run(&["journal", "verify", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read archive"), "{err}");

    let path = write("not_json", "{ not json");
    assert_eq!(run(&["journal", "verify", path.to_str().unwrap()]).0, 2);

    let path = write("wrong_shape", r#"{"format": "crous-till-journal-archive", "formatVersion": 1, "entries": 3}"#);
    let (code, _, err) = run(&["journal", "verify", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a journal archive"), "{err}");

    let mut value: serde_json::Value = serde_json::from_str(&archive().to_json_pretty()).unwrap();
    value["formatVersion"] = 3.into();
    let path = write("v3", &value.to_string());
    assert_eq!(run(&["journal", "verify", path.to_str().unwrap()]).0, 2);

    let path = write("bad_key", &archive().to_json_pretty());
    assert_eq!(run(&["journal", "verify", "--public-key", "xyz", path.to_str().unwrap()]).0, 2);
}

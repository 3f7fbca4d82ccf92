//! `crous-till ticket check` on the hand-written tickets of examples/tickets: one per rule,
//! exit codes 0 / 1 / 2, the exact `--json` shape, and the skipped-checks note.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/tickets").join(name)
}

fn check(args: &[&str], ticket: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crous-till"))
        .args(["ticket", "check"])
        .args(args)
        .arg(example(ticket))
        .output()
        .expect("crous-till runs")
}

fn check_json(ticket: &str) -> (i32, Value) {
    let reference = example("reference.json");
    let out = check(&["--json", "--reference", reference.to_str().unwrap()], ticket);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{ticket}: stdout is not JSON ({e}): {stdout}"));
    (out.status.code().unwrap(), json)
}

#[test]
fn every_rule_has_a_hand_written_ticket_that_trips_exactly_it() {
    for (file, code, path) in [
        ("missing-field.json", "missing_field", "numeroTicket"),
        ("invalid-value.json", "invalid_value", "codeEvenement"),
        ("no-lines.json", "no_lines", "listeLignes"),
        ("duplicate-line-number.json", "duplicate_line_number", "listeLignes[2].numeroLigne"),
        ("unknown-article.json", "unknown_article", "listeLignes[0].codeArticle"),
        ("unknown-vat-code.json", "unknown_vat_code", "listeLignes[0].codeTva"),
        ("line-total-mismatch.json", "line_total_mismatch", "listeLignes[1].totalHt"),
        ("vat-mismatch.json", "vat_mismatch", "listeLignes[2].prixUnitaireHt"),
        ("payment-count.json", "payment_count", "listeReglements"),
        ("payment-total-mismatch.json", "payment_total_mismatch", "listeReglements"),
        ("izly-payment-fields.json", "izly_payment_fields", "listeReglements[0].idTransactionIzly"),
        ("izly-customer-fields.json", "izly_customer_fields", "complementaire"),
        ("fidelity-mismatch.json", "fidelity_mismatch", "complementaire.cumulPointsFidelite"),
    ] {
        let (status, json) = check_json(file);
        assert_eq!(status, 1, "{file}");
        assert_eq!(json["valid"], Value::Bool(false), "{file}");
        let violations = json["violations"].as_array().unwrap();
        let found: Vec<(&str, &str)> =
            violations.iter().map(|v| (v["code"].as_str().unwrap(), v["path"].as_str().unwrap())).collect();
        assert_eq!(found, [(code, path)], "{file}");
        assert!(!violations[0]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_ticket_without_liste_lignes_reports_the_missing_field() {
    let (status, json) = check_json("missing-lines.json");
    assert_eq!(status, 1);
    let found: Vec<(&str, &str)> = json["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["code"].as_str().unwrap(), v["path"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("missing_field", "listeLignes"), ("no_lines", "listeLignes")]);
}

#[test]
fn valid_tickets_exit_0_with_the_exact_json_shape() {
    for file in ["valid-student-izly-qr.json", "valid-visitor-card.json"] {
        let (status, json) = check_json(file);
        assert_eq!(status, 0, "{file}");
        assert_eq!(json, serde_json::json!({"valid": true, "violations": []}));
    }
}

#[test]
fn without_reference_the_reference_checks_are_skipped_and_said_so() {
    let out = check(&[], "unknown-article.json");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(stderr.contains("skipped") && stderr.contains("unknown_article"), "{stderr}");
    // With --json the note stays on stderr and stdout is the bare report.
    let out = check(&["--json"], "unknown-article.json");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json, serde_json::json!({"valid": true, "violations": []}));
}

#[test]
fn readable_output_lists_code_path_and_message() {
    let reference = example("reference.json");
    let out = check(&["--reference", reference.to_str().unwrap()], "vat-mismatch.json");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 violation(s)"), "{stdout}");
    assert!(
        stdout.contains("vat_mismatch") && stdout.contains("listeLignes[2].prixUnitaireHt") && stdout.contains("0.19"),
        "{stdout}"
    );
}

#[test]
fn unreadable_input_exits_2_with_a_clear_message() {
    for (ticket, expected) in [
        ("not-json.json", "is not a JSON ticket"),
        ("not-a-ticket.json", "at listeLignes"),
        ("no-such-file.json", "cannot read ticket"),
    ] {
        let out = check(&["--json"], ticket);
        assert_eq!(out.status.code(), Some(2), "{ticket}");
        assert!(out.stdout.is_empty(), "{ticket}: nothing on stdout");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{ticket}: {stderr}");
    }
    let out = check(&["--reference", example("not-json.json").to_str().unwrap()], "valid-visitor-card.json");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reference file"));
}

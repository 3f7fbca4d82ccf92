//! One test per Crous rule: take the builder's valid ticket, break one thing, and see exactly
//! that rule reported at exactly that JSON path.

mod common;

use common::{reference, student_ticket, to_json};
use crous_till_core::checks::check_ticket;
use crous_till_core::ticket::Ticket;
use serde_json::{json, Value};

/// The (code, path) pairs the checks report for a ticket given as JSON.
fn found(ticket: &Value, with_reference: bool) -> Vec<(String, String)> {
    let ticket: Ticket = serde_json::from_value(ticket.clone()).expect("still a JSON ticket");
    let reference = reference();
    check_ticket(&ticket, with_reference.then_some(&reference))
        .violations
        .into_iter()
        .map(|v| (v.code.as_str().to_owned(), v.path))
        .collect()
}

fn valid() -> Value {
    to_json(&student_ticket().ticket)
}

/// Applies `edit` to the valid ticket and returns what the checks (with reference data) find.
fn after(edit: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut t = valid();
    edit(&mut t);
    found(&t, true)
}

fn one(code: &str, path: &str) -> Vec<(String, String)> {
    vec![(code.to_owned(), path.to_owned())]
}

fn remove(t: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    t.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key).expect("field present");
}

/// Sets (or adds) the field at `pointer`.
fn set(t: &mut Value, pointer: &str, v: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match t.pointer_mut(parent).unwrap_or_else(|| panic!("{parent} exists")) {
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = v,
        Value::Object(fields) => {
            fields.insert(key.to_owned(), v);
        }
        _ => panic!("{parent} is a container"),
    }
}

#[test]
fn the_builders_ticket_is_valid_with_and_without_reference() {
    assert_eq!(found(&valid(), true), vec![]);
    assert_eq!(found(&valid(), false), vec![]);
}

#[test]
fn missing_field_header() {
    for (pointer, path) in [
        ("/idTicketEntete", "idTicketEntete"),
        ("/numeroTicket", "numeroTicket"),
        ("/versionLogiciel", "versionLogiciel"),
        ("/date", "date"),
        ("/codeEvenement", "codeEvenement"),
        ("/complementaire", "complementaire"),
        ("/listeReglements", "listeReglements"),
    ] {
        assert_eq!(after(|t| remove(t, pointer)), one("missing_field", path), "{pointer}");
    }
    assert_eq!(after(|t| set(t, "/versionLogiciel", json!("  "))), one("missing_field", "versionLogiciel"));
}

#[test]
fn missing_field_line_payment_complementaire() {
    for field in [
        "numeroLigne",
        "codeArticle",
        "quantite",
        "codeTva",
        "prixUnitaireHt",
        "prixUnitaireTtc",
        "totalHt",
        "totalTtc",
    ] {
        let found = after(|t| remove(t, &format!("/listeLignes/1/{field}")));
        assert!(found.contains(&("missing_field".into(), format!("listeLignes[1].{field}"))), "{field}: {found:?}");
    }
    assert_eq!(
        after(|t| remove(t, "/listeReglements/0/codeReglement")),
        one("missing_field", "listeReglements[0].codeReglement")
    );
    for field in ["codeSocieteClient", "tarifClient", "idTypeDistribution", "idLogiciel"] {
        assert_eq!(
            after(|t| remove(t, &format!("/complementaire/{field}"))),
            one("missing_field", &format!("complementaire.{field}"))
        );
    }
}

#[test]
fn invalid_value() {
    assert_eq!(after(|t| set(t, "/codeEvenement", json!("AN"))), one("invalid_value", "codeEvenement"));
    assert_eq!(after(|t| set(t, "/numeroTicket", json!("2611231A"))), one("invalid_value", "numeroTicket"));
    assert_eq!(after(|t| set(t, "/date", json!("23/11/2026 11:45"))), one("invalid_value", "date"));
    assert_eq!(
        after(|t| set(t, "/complementaire/idTypeDistribution", json!(3))),
        one("invalid_value", "complementaire.idTypeDistribution")
    );
    assert_eq!(
        after(|t| set(t, "/listeLignes/0/numeroLigne", json!(0))),
        one("invalid_value", "listeLignes[0].numeroLigne")
    );
    assert_eq!(
        after(|t| set(t, "/complementaire/soldeClient", json!(15.255))),
        one("invalid_value", "complementaire.soldeClient")
    );
    assert_eq!(
        after(|t| set(t, "/complementaire/dateFinValiditeClient", json!("2018-07-06"))),
        one("invalid_value", "complementaire.dateFinValiditeClient")
    );
    // A codeReglement outside 4/9/12 is reported; the Izly-specific rules no longer apply to it.
    assert_eq!(
        after(|t| set(t, "/listeReglements/0/codeReglement", json!(5))),
        one("invalid_value", "listeReglements[0].codeReglement")
    );
    // A sub-cent or negative amount is refused, and no sum is compared with it.
    assert_eq!(
        after(|t| set(t, "/listeReglements/0/montant", json!(1.405))),
        one("invalid_value", "listeReglements[0].montant")
    );
    let negative = after(|t| set(t, "/listeLignes/0/quantite", json!(-1)));
    assert_eq!(negative, one("invalid_value", "listeLignes[0].quantite"));
}

#[test]
fn no_lines() {
    // Without lines there is nothing to compare the payment with: no payment_total_mismatch. An
    // absent listeLignes is also a missing mandatory field.
    let missing =
        vec![("missing_field".to_owned(), "listeLignes".to_owned()), ("no_lines".to_owned(), "listeLignes".to_owned())];
    assert_eq!(after(|t| remove(t, "/listeLignes")), missing);
    assert_eq!(after(|t| set(t, "/listeLignes", json!([]))), one("no_lines", "listeLignes"));
}

#[test]
fn duplicate_line_number() {
    assert_eq!(
        after(|t| set(t, "/listeLignes/1/numeroLigne", json!(1))),
        one("duplicate_line_number", "listeLignes[1].numeroLigne")
    );
}

#[test]
fn unknown_article_only_with_reference() {
    let mut t = valid();
    set(&mut t, "/listeLignes/0/codeArticle", json!(999));
    assert_eq!(found(&t, true), one("unknown_article", "listeLignes[0].codeArticle"));
    assert_eq!(found(&t, false), vec![]);
}

#[test]
fn unknown_vat_code_only_with_reference() {
    let mut t = valid();
    set(&mut t, "/listeLignes/0/codeTva", json!(77));
    assert_eq!(found(&t, true), one("unknown_vat_code", "listeLignes[0].codeTva"));
    assert_eq!(found(&t, false), vec![]);
}

#[test]
fn line_total_mismatch() {
    // Line 1 is 2 × 0.20 TTC (0.19 HT).
    assert_eq!(
        after(|t| set(t, "/listeLignes/1/totalHt", json!(0.39))),
        one("line_total_mismatch", "listeLignes[1].totalHt")
    );
    let found = after(|t| set(t, "/listeLignes/1/quantite", json!(3)));
    assert_eq!(
        found,
        vec![
            ("line_total_mismatch".into(), "listeLignes[1].totalHt".into()),
            ("line_total_mismatch".into(), "listeLignes[1].totalTtc".into()),
        ]
    );
}

#[test]
fn vat_mismatch_only_with_reference() {
    // 0.20 TTC at 5.5 % is 0.19 HT; 0.18 is a cent off.
    let mut t = valid();
    set(&mut t, "/listeLignes/1/prixUnitaireHt", json!(0.18));
    set(&mut t, "/listeLignes/1/totalHt", json!(0.36));
    assert_eq!(found(&t, true), one("vat_mismatch", "listeLignes[1].prixUnitaireHt"));
    assert_eq!(found(&t, false), vec![]);
    // The right HT under the wrong VAT code is a mismatch too.
    let mut t = valid();
    set(&mut t, "/listeLignes/1/codeTva", json!(3));
    assert_eq!(found(&t, true), one("vat_mismatch", "listeLignes[1].prixUnitaireHt"));
}

#[test]
fn payment_count() {
    let mut t = valid();
    let payment = t["listeReglements"][0].clone();
    set(&mut t, "/listeReglements", json!([payment.clone(), payment]));
    let two = found(&t, true);
    assert!(two.contains(&("payment_count".into(), "listeReglements".into())), "{two:?}");
    assert!(two.contains(&("payment_total_mismatch".into(), "listeReglements".into())), "{two:?}");
    let mut t = valid();
    set(&mut t, "/listeReglements", json!([]));
    assert_eq!(found(&t, true), one("payment_count", "listeReglements"));
}

#[test]
fn payment_total_mismatch() {
    assert_eq!(
        after(|t| set(t, "/listeReglements/0/montant", json!(1.39))),
        one("payment_total_mismatch", "listeReglements")
    );
}

#[test]
fn izly_payment_fields() {
    assert_eq!(
        after(|t| remove(t, "/listeReglements/0/idTransactionIzly")),
        one("izly_payment_fields", "listeReglements[0].idTransactionIzly")
    );
    // No card nor QR code: only an online payment, identified by the payer's codeClient, passes.
    let online = after(|t| remove(t, "/listeReglements/0/qrCode"));
    assert_eq!(online, Vec::<(String, String)>::new(), "an IzlyPay payment names its payer by codeClient");
    let anonymous = after(|t| {
        remove(t, "/listeReglements/0/qrCode");
        remove(t, "/complementaire/codeClient");
    });
    assert!(anonymous.contains(&("izly_payment_fields".into(), "listeReglements[0]".into())), "{anonymous:?}");
    let found = after(|t| {
        remove(t, "/listeReglements/0/qrCode");
        set(t, "/listeReglements/0/idSupport", json!("36882379"));
        set(t, "/complementaire/idSupport", json!("36882379"));
    });
    assert_eq!(found, one("izly_payment_fields", "listeReglements[0].numeroApplicatif"));
}

#[test]
fn izly_customer_fields() {
    let card_payment = |t: &mut Value| {
        remove(t, "/listeReglements/0/qrCode");
        set(t, "/listeReglements/0/idSupport", json!(36882379));
        t["listeReglements"][0]["numeroApplicatif"] = json!("0471928A083C80");
    };
    assert_eq!(after(card_payment), one("izly_customer_fields", "complementaire.idSupport"));
    assert_eq!(
        after(|t| {
            card_payment(t);
            t["complementaire"]["idSupport"] = json!("11111111");
        }),
        one("izly_customer_fields", "complementaire.idSupport")
    );
    assert_eq!(
        after(|t| {
            card_payment(t);
            t["complementaire"]["idSupport"] = json!("36882379");
            remove(t, "/complementaire/codeClient");
        }),
        vec![],
        "a card payment may leave codeClient out when idSupport is there"
    );
    assert_eq!(after(|t| remove(t, "/complementaire/codeClient")), one("izly_customer_fields", "complementaire"));
}

#[test]
fn fidelity_mismatch() {
    assert_eq!(
        after(|t| {
            t["listeLignes"][0]["gainFidelite"] = json!(2);
            t["listeLignes"][1]["gainFidelite"] = json!(1);
            t["complementaire"]["cumulPointsFidelite"] = json!(2);
        }),
        one("fidelity_mismatch", "complementaire.cumulPointsFidelite")
    );
    assert_eq!(
        after(|t| {
            t["listeLignes"][0]["gainFidelite"] = json!(2);
            t["listeLignes"][1]["gainFidelite"] = json!(1);
            t["complementaire"]["cumulPointsFidelite"] = json!(3);
        }),
        vec![]
    );
    assert_eq!(
        after(|t| t["listeLignes"][0]["gainFidelite"] = json!(2)),
        one("fidelity_mismatch", "complementaire.cumulPointsFidelite")
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    let found = after(|t| {
        set(t, "/codeEvenement", json!("XX"));
        set(t, "/listeLignes/1/numeroLigne", json!(1));
        set(t, "/listeLignes/0/codeArticle", json!(999));
        remove(t, "/listeReglements/0/idTransactionIzly");
        set(t, "/listeReglements/0/montant", json!(9.99));
        remove(t, "/complementaire/idLogiciel");
    });
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "invalid_value",
            "unknown_article",
            "duplicate_line_number",
            "izly_payment_fields",
            "payment_total_mismatch",
            "missing_field"
        ]
    );
}

#[test]
fn skipped_rules_are_listed_without_reference() {
    let ticket: Ticket = serde_json::from_value(valid()).unwrap();
    let report = check_ticket(&ticket, None);
    let skipped: Vec<&str> = report.skipped.iter().map(|c| c.as_str()).collect();
    assert_eq!(skipped, ["unknown_article", "unknown_vat_code", "vat_mismatch"]);
    assert!(check_ticket(&ticket, Some(&reference())).skipped.is_empty());
}

//! Golden files pin the wire format: the builder's JSON for fixed sales, byte for byte, and
//! public-facts.md's real ticket read back without loss. Regenerate a golden file on purpose
//! only: `UPDATE_GOLDEN=1 cargo test -p crous-till-core --test golden`, then review the diff.

mod common;

use common::{at, dec, izly_student, qr_payment, reference, sale};
use crous_till_core::builder::{build_ticket, Payment};
use crous_till_core::numbering::NumberingState;
use crous_till_core::pricing::{price_cart, CartItem};
use crous_till_core::reference::CustomerProfile;
use crous_till_core::ticket::Ticket;
use std::path::PathBuf;

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(actual, expected, "{name} changed; if on purpose, rerun with UPDATE_GOLDEN=1");
}

fn built(cart: &[CartItem], profile: CustomerProfile, payment: &Payment, izly: bool) -> Ticket {
    let r = reference();
    let when = "2026-11-23T11:45:02.123+01:00";
    let priced = price_cart(&r, cart, profile, at(when).date_naive()).unwrap();
    let customer = izly.then(izly_student);
    build_ticket(&r, &NumberingState::starting_at(140000011), &sale(when), &priced, customer.as_ref(), payment)
        .unwrap()
        .ticket
}

#[test]
fn student_izly_qr_ticket() {
    let t = built(
        &[CartItem::new(100, 1), CartItem::new(101, 3), CartItem::new(201, 1)],
        CustomerProfile::ETUDIANT,
        &qr_payment(),
        true,
    );
    golden("student_izly_qr.json", &serde_json::to_string_pretty(&t).unwrap());
}

#[test]
fn student_izly_card_ticket() {
    let card = Payment::IzlyCard {
        id_support: "36882379".into(),
        numero_applicatif: "0471928A083C80".into(),
        id_transaction_izly: "63536".into(),
    };
    let t = built(&[CartItem::new(102, 7)], CustomerProfile::ETUDIANT, &card, true);
    golden("student_izly_card.json", &serde_json::to_string_pretty(&t).unwrap());
}

#[test]
fn visitor_bank_card_ticket() {
    let t = built(
        &[CartItem::new(100, 1), CartItem::new(300, 1), CartItem::new(201, 2)],
        CustomerProfile::HOTE_DE_PASSAGE,
        &Payment::CarteBancaire,
        false,
    );
    golden("visitor_card.json", &serde_json::to_string_pretty(&t).unwrap());
}

#[test]
fn public_ticket_identifiers_read_as_numbers_or_strings_write_as_strings() {
    // The ticket seen in public code (public-facts.md), completed with one line and one payment;
    // here the identifiers arrive as numbers and amounts as strings.
    let text = r#"{"idTicketEntete": 140000011, "numeroTicket": 210402149, "codeEvenement": "VT",
        "date": "2021-04-02T10:55:39.998Z", "versionLogiciel": "1.0",
        "listeLignes": [{"numeroLigne": 1, "codeArticle": "100", "quantite": "1", "codeTva": 1,
            "prixUnitaireHt": "3.00", "prixUnitaireTtc": "3.30", "totalHt": "3.00", "totalTtc": "3.30"}],
        "listeReglements": [{"codeReglement": 4, "montant": "3.30"}],
        "complementaire": {"codeSocieteClient": 10, "tarifClient": 1, "idLogiciel": 39, "idTypeDistribution": 1}}"#;
    let t: Ticket = serde_json::from_str(text).unwrap();
    assert_eq!(t.id_ticket_entete.as_deref(), Some("140000011"));
    assert_eq!(t.liste_lignes.as_ref().unwrap()[0].total_ttc, Some(dec("3.30")));
    golden("public_ticket_normalized.json", &serde_json::to_string_pretty(&t).unwrap());
    let again: Ticket = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(again, t);
}

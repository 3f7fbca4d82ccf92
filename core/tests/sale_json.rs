//! The JSON forms of a sale's inputs (what the wasm and Node bindings receive from JavaScript):
//! names as the ticket spells them, exact amounts, and typed refusals of wrong shapes.

mod common;

use common::{dec, izly_student, sale};
use crous_till_core::builder::{BuiltTicket, IzlyCustomer, Payment, SaleContext};
use crous_till_core::ticket::TypeDistribution;
use serde_json::json;

#[test]
fn sale_context_reads_and_writes_the_ticket_names() {
    let s: SaleContext = serde_json::from_value(json!({
        "versionLogiciel": "crous-till-tests 0.1.0", "idLogiciel": 39, "idTypeDistribution": 1,
        "soldAt": "2026-11-23T12:00:00+01:00"
    }))
    .unwrap();
    assert_eq!(s, sale("2026-11-23T12:00:00+01:00"));
    let back = serde_json::to_value(&s).unwrap();
    assert_eq!(back["idTypeDistribution"], json!(1));
    let to_go: SaleContext = serde_json::from_value(json!({
        "versionLogiciel": "v", "idLogiciel": 1, "idTypeDistribution": 2, "soldAt": "2026-11-23T12:00:00Z"
    }))
    .unwrap();
    assert_eq!(to_go.type_distribution, TypeDistribution::AEmporter);
}

#[test]
fn delivered_sales_and_unknown_fields_are_refused() {
    let base =
        json!({"versionLogiciel": "v", "idLogiciel": 1, "idTypeDistribution": 3, "soldAt": "2026-11-23T12:00:00Z"});
    let e = serde_json::from_value::<SaleContext>(base).unwrap_err().to_string();
    assert!(e.contains("idTypeDistribution 3"), "{e}");
    let typo = json!({"versionLogiciel": "v", "idLogiciel": 1, "idTypeDistribution": 1, "soldAt": "2026-11-23T12:00:00Z", "idCaise": 1});
    assert!(serde_json::from_value::<SaleContext>(typo).is_err());
    let no_offset =
        json!({"versionLogiciel": "v", "idLogiciel": 1, "idTypeDistribution": 1, "soldAt": "2026-11-23T12:00:00"});
    assert!(serde_json::from_value::<SaleContext>(no_offset).is_err());
}

#[test]
fn payments_are_tagged_by_type() {
    let card: Payment = serde_json::from_value(json!({
        "type": "izlyCard", "idSupport": "04A1B2C3D4E5F6", "numeroApplicatif": "1000001", "idTransactionIzly": "63501"
    }))
    .unwrap();
    assert_eq!(
        card,
        Payment::IzlyCard {
            id_support: "04A1B2C3D4E5F6".into(),
            numero_applicatif: "1000001".into(),
            id_transaction_izly: "63501".into()
        }
    );
    assert_eq!(serde_json::from_value::<Payment>(json!({"type": "carteBancaire"})).unwrap(), Payment::CarteBancaire);
    assert_eq!(serde_json::to_value(Payment::Fidelite).unwrap(), json!({"type": "fidelite"}));
    for bad in [json!({"type": "cheque"}), json!({"type": "izlyQrCode", "qrCode": "x"}), json!({"qrCode": "x"})] {
        assert!(serde_json::from_value::<Payment>(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn customer_balance_is_exact_and_every_field_optional() {
    let c: IzlyCustomer =
        serde_json::from_str(r#"{"codeClient": "0000A11e3s", "soldeClient": 15.25, "nomClient": "Camille Martin"}"#)
            .unwrap();
    assert_eq!(c, izly_student());
    assert_eq!(serde_json::from_str::<IzlyCustomer>("{}").unwrap(), IzlyCustomer::default());
    let c: IzlyCustomer = serde_json::from_str(r#"{"soldeClient": "0.10"}"#).unwrap();
    assert_eq!(c.solde_client, Some(dec("0.10")));
}

#[test]
fn a_built_ticket_round_trips() {
    let built = common::student_ticket();
    let text = serde_json::to_string(&built).unwrap();
    assert!(text.contains("\"numbering\":{\"lastIdTicketEntete\""), "{text}");
    assert_eq!(serde_json::from_str::<BuiltTicket>(&text).unwrap(), built);
}

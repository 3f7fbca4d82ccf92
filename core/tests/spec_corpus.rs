//! The payloads the specs print (`tests/spec-corpus/`), read by core's parsers: core is held to
//! the documents, as the sandbox is by `sandbox/tests/spec_payloads.rs`, rather than to each other.

use crous_till_core::api::izly_pay::{parse_init, parse_payment_details, parse_refund, IzlyPayError};
use rust_decimal::Decimal;

macro_rules! corpus {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/", $file))
    };
}

fn xpollens_json() -> Vec<(String, String)> {
    vec![("Content-Type".into(), "application/vnd.Xpollens.v1+json".into())]
}

#[test]
fn the_initialisation_answer_of_specs_003() {
    let r = parse_init(200, &xpollens_json(), corpus!("izlypay_init_answer.json")).unwrap();
    assert!(r.payment_authorization_url.ends_with("/WebPayments/58689/Authorize?token=1-1FEJagy&software=39"));
    assert_eq!(r.operation.id, "58689");
    assert_eq!(r.operation.id_transaction_debit_izly.as_deref(), Some("59317"));
    assert_eq!(r.operation.amount, Decimal::new(100, 2), "\"1.00\": euros, as a string");
    assert_eq!(r.operation.date.map(|d| d.to_string()).as_deref(), Some("2021-05-03 15:37:30"));
}

#[test]
fn the_details_example_of_specs_002() {
    let d = parse_payment_details(200, &xpollens_json(), corpus!("izlypay_details.json")).unwrap();
    assert_eq!(d.operation_id, "52795");
    assert_eq!(d.id_transaction_debit_izly.as_deref(), Some("63535"));
    assert_eq!(d.amount, Decimal::new(100, 2));
    assert_eq!(d.beneficiary_client_id.as_deref(), Some("Paris-78-78-78-78"));
}

#[test]
fn the_refund_example_of_specs_002() {
    let r = parse_refund(200, &xpollens_json(), corpus!("izlypay_refund.json")).unwrap();
    assert_eq!((r.operation_id.as_str(), r.operation_status.as_str()), ("52795", "Refund"));
    assert_eq!(r.client_order_id.as_deref(), Some("100003685"));
    assert_eq!(r.amount, Decimal::new(100, 2));
    assert_eq!(r.refund_date.map(|d| d.to_string()).as_deref(), Some("2021-12-09 18:53:34"));
}

#[test]
fn the_error_356_of_specs_002_is_an_operation_not_found() {
    for parse in [
        |b: &[u8]| parse_payment_details(404, &xpollens_json(), b).map(|_| ()),
        |b: &[u8]| parse_refund(404, &xpollens_json(), b).map(|_| ()),
    ] {
        match parse(corpus!("xpollens_error_356.json")) {
            Err(IzlyPayError::OperationNotFound(x)) => {
                assert_eq!((x.code, x.error_message.as_str()), (356, "Opération introuvable"));
                assert_eq!(x.title.as_deref(), Some("L'opération ne peut pas aboutir"));
            }
            other => panic!("expected OperationNotFound, got {other:?}"),
        }
    }
}

#[test]
fn the_token_answer_of_specs_003() {
    use crous_till_core::api::izly_connect::parse_token;
    let json = vec![("Content-Type".into(), "application/json".into())];
    let t = parse_token(200, &json, corpus!("izlyconnect_token.json")).unwrap();
    assert_eq!((t.token_type.as_str(), t.expires_in), ("Bearer", 1797));
    assert!(t.access_token.expose().starts_with("MTsyOD"));
    assert!(t.refresh_token.is_some());
    assert_eq!(t.scope.as_deref(), Some("users_details payments izly pay"));
}

#[test]
fn the_users_answer_of_specs_003() {
    use crous_till_core::api::izly_connect::parse_users;
    let json = vec![("Content-Type".into(), "application/json".into())];
    let u = parse_users(200, &json, corpus!("izlyconnect_users.json")).unwrap();
    // Numbers where the example prints numbers, read as the identifiers they are.
    assert_eq!((u.right_holder_id.as_str(), u.id.as_deref()), ("1200", Some("1255")));
    assert_eq!((u.societe, u.tarif), (Some(1), Some(5)));
    assert_eq!(u.numero_affectation.as_deref(), Some("1"));
    assert_eq!((u.code_etu.as_deref(), u.ine.as_deref()), (Some("lolotrolll"), Some("123457")));
}

//! `POST /api/Izly/WebPayments/{OperationId}/Refund?clientOrderId={ClientOrderId}` (specs 002;
//! the spec's `clientOrderId=/{ClientOrderId}` has a stray slash, read as a typo). No body.
//! Answer: `OperationId`, `IdTransactionDebitIzly`, `RefundDate` (ISO), `Amount` (euros),
//! `OperationStatus` ("Refund"), `ClientOrderId`.
//!
//! Unsafe, reconciled by the payment's details ([`super::judge_refund_lookup`]).

use super::dates;
use super::error::{parse_ok, IzlyPayError};
use super::{judge_refund_lookup, IzlyPayApi, PATH_WEB_PAYMENTS};
use crate::api::encoding::{encode_component, query};
use crate::api::request::{ApiRequest, Method, Safety};
use crate::lenient;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::Deserialize;

/// The refund answer (serialized alike, date in ISO 8601).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefundResponse {
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub operation_id: String,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id_transaction_debit_izly: Option<String>,
    #[serde(default, deserialize_with = "dates::iso", serialize_with = "dates::iso_out")]
    pub refund_date: Option<NaiveDateTime>,
    /// Euros.
    #[serde(with = "crate::exact_decimal")]
    pub amount: Decimal,
    pub operation_status: String,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub client_order_id: Option<String>,
}

impl IzlyPayApi {
    pub fn refund(&self, operation_id: &str, client_order_id: &str) -> ApiRequest {
        let url = format!(
            "{}{}",
            self.base.join(&format!("{PATH_WEB_PAYMENTS}/{}/Refund", encode_component(operation_id))),
            query(&[("clientOrderId", client_order_id)])
        );
        let safety = Safety::reconcilable(client_order_id, self.payment_details(operation_id), judge_refund_lookup);
        let mut r = self.request("izly_pay.refund", Method::Post, url).with_safety(safety);
        r.body = Some(Vec::new());
        r
    }
}

pub fn parse_refund(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<RefundResponse, IzlyPayError> {
    parse_ok(status, headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::izly_connect::IzlyApiKey;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/izly_pay/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn builds() {
        let api = IzlyPayApi::new(&Environment::Preprod, "Paris-78-78-78-78", IzlyApiKey::new("k")).unwrap();
        let r = api.refund("52795", "100003685");
        assert_eq!(r.url(), "https://rest-pp.izly.fr/api/Izly/WebPayments/52795/Refund?clientOrderId=100003685");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.body.as_deref(), Some(&[][..]));
        let Safety::Unsafe(op) = &r.safety else { panic!() };
        assert_eq!(op.reference, "100003685");
        assert_eq!(op.reconcile.as_ref().unwrap().query.url(), "https://rest-pp.izly.fr/api/Izly/WebPayments/52795");
    }

    #[test]
    fn parses_the_spec_examples() {
        let r = parse_refund(200, &[], &fixture("refund.json")).unwrap();
        assert_eq!(r.operation_id, "52795");
        assert_eq!(r.refund_date.unwrap().to_string(), "2021-12-09 18:53:34");
        assert_eq!(r.amount.to_string(), "1.00");
        assert_eq!(r.operation_status, "Refund");
        assert!(
            matches!(parse_refund(404, &[], &fixture("error_356.json")), Err(IzlyPayError::OperationNotFound(x)) if x.code == 356)
        );
        assert!(matches!(
            parse_refund(409, &[], br#"{"Code":9,"ErrorMessage":"deja rembourse"}"#),
            Err(IzlyPayError::Refused { .. })
        ));
        assert!(matches!(parse_refund(200, &[], b"null"), Err(IzlyPayError::Malformed { .. })));
    }
}

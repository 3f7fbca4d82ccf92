//! `GET /api/Izly/WebPayments/{OperationId}`: a payment's details (specs 002/003). `Amount` is a
//! number in euros, `PaymentDate` ISO 8601, `Error` an empty string in the example (an object or
//! null is read too). An unknown operation answers the Xpollens error 356.

use super::dates;
use super::error::{parse_ok, IzlyPayError};
use super::{IzlyPayApi, PATH_WEB_PAYMENTS};
use crate::api::encoding::encode_component;
use crate::api::request::{ApiRequest, Method, Verdict};
use crate::api::response::ApiResponse;
use crate::lenient;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::Deserialize;

/// `OperationStatus` values: `Waiting` (init example), `Completed` (details example), `Refund`
/// (refund example); anything else is kept as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStatus {
    Waiting,
    Completed,
    Refunded,
    Other(String),
}

impl PaymentStatus {
    pub fn from_wire(s: &str) -> Self {
        match s {
            "Waiting" => PaymentStatus::Waiting,
            "Completed" => PaymentStatus::Completed,
            "Refund" | "Refunded" => PaymentStatus::Refunded,
            other => PaymentStatus::Other(other.to_owned()),
        }
    }
}

/// The details answer, names as specs 002 lists them (serialized alike, date in ISO 8601).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebPaymentDetails {
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub operation_id: String,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id_transaction_debit_izly: Option<String>,
    /// Euros.
    #[serde(with = "crate::exact_decimal")]
    pub amount: Decimal,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub beneficiary_smoney_id: Option<String>,
    #[serde(default)]
    pub beneficiary_client_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub customer_smoney_id: Option<String>,
    #[serde(default)]
    pub customer_email: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub customer_client_code: Option<String>,
    pub operation_status: String,
    /// `""` in the example; `null` or an object `{Code, Message}` are read too.
    #[serde(default, serialize_with = "crate::plain_json::option")]
    pub error: Option<serde_json::Value>,
    #[serde(default, serialize_with = "crate::plain_json::option")]
    pub client_parameters: Option<serde_json::Value>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "dates::iso", serialize_with = "dates::iso_out")]
    pub payment_date: Option<NaiveDateTime>,
    /// The partner's ClientOrderId.
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub order_id: Option<String>,
}

impl WebPaymentDetails {
    pub fn status(&self) -> PaymentStatus {
        PaymentStatus::from_wire(&self.operation_status)
    }

    /// The error the operation carries, if any: `None` for absent, null, `""`, or code 0.
    pub fn error_text(&self) -> Option<String> {
        match self.error.as_ref()? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) if s.trim().is_empty() || s.trim() == "0" => None,
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(o) => {
                let code = o.get("Code").map(|c| c.to_string().trim_matches('"').to_owned());
                match code.as_deref() {
                    None | Some("0") | Some("") | Some("null") => None,
                    Some(c) => {
                        let msg =
                            o.get("Message").or_else(|| o.get("ErrorMessage")).and_then(|m| m.as_str()).unwrap_or("");
                        Some(format!("{c} {msg}").trim().to_owned())
                    }
                }
            }
            other => Some(other.to_string()),
        }
    }
}

impl IzlyPayApi {
    /// `GET /api/Izly/WebPayments/{OperationId}`. Safe to resend.
    pub fn payment_details(&self, operation_id: &str) -> ApiRequest {
        let url = self.base.join(&format!("{PATH_WEB_PAYMENTS}/{}", encode_component(operation_id)));
        self.request("izly_pay.details", Method::Get, url)
    }
}

pub fn parse_payment_details(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<WebPaymentDetails, IzlyPayError> {
    parse_ok(status, headers, body)
}

/// Reconciliation of a refund by the payment's details: `Refund` → it happened (the answer is
/// rebuilt in the refund's own shape, RefundDate unknown); `Completed` → it did not; anything
/// else settles nothing.
pub fn judge_refund_lookup(status: u16, headers: &[(String, String)], body: &[u8]) -> Verdict {
    let d = match parse_payment_details(status, headers, body) {
        Ok(d) => d,
        Err(e) => return Verdict::Unknown(e.to_string()),
    };
    match d.status() {
        PaymentStatus::Refunded => {
            let amount: serde_json::Number = d.amount.to_string().parse().expect("a decimal is a JSON number");
            let refund = serde_json::json!({
                "OperationId": d.operation_id,
                "IdTransactionDebitIzly": d.id_transaction_debit_izly,
                "RefundDate": null,
                "Amount": amount,
                "OperationStatus": d.operation_status,
                "ClientOrderId": d.order_id,
            });
            Verdict::Applied(ApiResponse::json(200, refund.to_string().into_bytes()))
        }
        PaymentStatus::Completed => Verdict::NotApplied,
        other => Verdict::Unknown(format!("operation {} is {other:?}", d.operation_id)),
    }
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
        let r = api.payment_details("52795");
        assert_eq!(r.url(), "https://rest-pp.izly.fr/api/Izly/WebPayments/52795");
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.header_value("Content-type"), Some("application/vnd.Xpollens.v1+json"));
        assert_eq!(r.header_value("AppIdentifier"), Some("Paris-78-78-78-78"));
        assert!(r.is_safe_to_retry());
    }

    #[test]
    fn parses_the_spec_example() {
        let d = parse_payment_details(200, &[], &fixture("payment_details.json")).unwrap();
        assert_eq!(d.operation_id, "52795");
        assert_eq!(d.id_transaction_debit_izly.as_deref(), Some("63535"));
        assert_eq!(d.amount.to_string(), "1.00");
        assert_eq!(d.status(), PaymentStatus::Completed);
        assert_eq!(d.error_text(), None);
        assert_eq!(d.payment_date.unwrap().to_string(), "2021-12-09 18:53:34");
        assert_eq!(d.order_id.as_deref(), Some("100003685"));
        assert_eq!(d.customer_client_code.as_deref(), Some("patricka23"));
        assert_eq!(d.beneficiary_client_id.as_deref(), Some("Paris-78-78-78-78"));
    }

    #[test]
    fn error_field_shapes() {
        let with = |e: &str| {
            let text = String::from_utf8(fixture("payment_details.json"))
                .unwrap()
                .replace(r#""Error": """#, &format!(r#""Error": {e}"#));
            parse_payment_details(200, &[], text.as_bytes()).unwrap().error_text()
        };
        assert_eq!(with("null"), None);
        assert_eq!(with(r#"{"Code": 0, "Message": ""}"#), None);
        assert_eq!(with(r#"{"Code": 12, "Message": "Solde insuffisant"}"#).as_deref(), Some("12 Solde insuffisant"));
        assert_eq!(with(r#""Refusé""#).as_deref(), Some("Refusé"));
    }

    #[test]
    fn errors_are_typed() {
        assert!(matches!(
            parse_payment_details(404, &[], &fixture("error_356.json")),
            Err(IzlyPayError::OperationNotFound(_))
        ));
        assert!(matches!(
            parse_payment_details(200, &[], &fixture("error_356.json")),
            Err(IzlyPayError::OperationNotFound(_))
        ));
        let iso = String::from_utf8(fixture("payment_details.json"))
            .unwrap()
            .replace("2021-12-09T18:53:34", "09/12/2021 18:53:34");
        assert!(matches!(parse_payment_details(200, &[], iso.as_bytes()), Err(IzlyPayError::Malformed { .. })));
        assert!(matches!(parse_payment_details(200, &[], b"{\"Amount\": 1.0.0}"), Err(IzlyPayError::Malformed { .. })));
    }

    #[test]
    fn judges_a_refund_by_the_details() {
        let completed = fixture("payment_details.json");
        assert_eq!(judge_refund_lookup(200, &[], &completed), Verdict::NotApplied);
        let refunded = String::from_utf8(completed.clone()).unwrap().replace("\"Completed\"", "\"Refund\"");
        let Verdict::Applied(resp) = judge_refund_lookup(200, &[], refunded.as_bytes()) else { panic!() };
        let r = super::super::parse_refund(resp.status, &resp.headers, &resp.body).unwrap();
        assert_eq!(r.amount.to_string(), "1.00");
        assert_eq!(r.client_order_id.as_deref(), Some("100003685"));
        assert_eq!(r.refund_date, None);
        let waiting = String::from_utf8(completed).unwrap().replace("\"Completed\"", "\"Waiting\"");
        assert!(matches!(judge_refund_lookup(200, &[], waiting.as_bytes()), Verdict::Unknown(_)));
        assert!(matches!(judge_refund_lookup(404, &[], &fixture("error_356.json")), Verdict::Unknown(_)));
    }
}

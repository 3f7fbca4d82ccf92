//! The server-to-server callback (specs 002 §d): Izly POSTs `application/json` with
//! `OperationSMoney` {Id, IdTransactionDebitIzly, Amount, Date, Message, ClientOrderId, Status,
//! CallbackParameters}, `Beneficiary` {Id, ClientId}, `User` {Id, Email, ClientCode,
//! NumeroAffectation}, `Error` {Code (0 on success), Message}; the partner answers HTTP 200, and
//! otherwise the `Error` object {Code, ErrorMessage}.
//!
//! The callback is not signed: [`CallbackNotification::verify`] checks it against the payment's
//! details fetched from the service (GET) and against the order the partner itself started.

use super::details::PaymentStatus;
use super::init::Beneficiary;
use super::operation::OperationSMoney;
use super::WebPaymentDetails;
use crate::api::response::{header, ApiResponse};
use crate::api::xpollens::int;
use crate::lenient;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackUser {
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub client_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub numero_affectation: Option<String>,
}

/// `Error` of the callback: Code 0 on success.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackError {
    #[serde(deserialize_with = "int::deserialize")]
    pub code: i64,
    #[serde(default, alias = "ErrorMessage")]
    pub message: Option<String>,
}

/// The callback body. Serialized (for the bindings) with the spec's names.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackNotification {
    #[serde(rename = "OperationSMoney")]
    pub operation: OperationSMoney,
    #[serde(default)]
    pub beneficiary: Option<Beneficiary>,
    #[serde(default)]
    pub user: Option<CallbackUser>,
    #[serde(default)]
    pub error: Option<CallbackError>,
}

/// Why a callback body was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackParseError {
    #[error("IzlyPay callback: content type {0:?}, expected application/json")]
    ContentType(String),
    #[error("IzlyPay callback: malformed body: {0}")]
    Malformed(String),
}

/// Why a callback does not confirm the payment the partner expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackVerification {
    #[error("the callback reports error {0}")]
    ReportedError(String),
    #[error("the callback's operation {callback} is not the one fetched ({fetched})")]
    OperationMismatch { callback: String, fetched: String },
    #[error("the operation's ClientOrderId {found:?} is not the order {expected:?}")]
    OrderMismatch { expected: String, found: Option<String> },
    #[error("the operation's amount {found} is not the order's {expected}")]
    AmountMismatch { expected: Decimal, found: Decimal },
    #[error("the operation is {0}, not Completed")]
    NotCompleted(String),
    #[error("the operation carries an error: {0}")]
    OperationError(String),
}

impl CallbackNotification {
    /// Code absent or 0.
    pub fn reports_success(&self) -> bool {
        self.error.as_ref().is_none_or(|e| e.code == 0)
    }

    /// Accepts the payment only if the callback reports success, the details fetched from the
    /// service (GET WebPayments/{Id}) are this operation, Completed, error-free, for the
    /// partner's own order and amount.
    pub fn verify(
        &self,
        fetched: &WebPaymentDetails,
        expected_order_id: &str,
        expected_amount: Decimal,
    ) -> Result<(), CallbackVerification> {
        if let Some(e) = self.error.as_ref().filter(|e| e.code != 0) {
            return Err(CallbackVerification::ReportedError(
                format!("{} {}", e.code, e.message.as_deref().unwrap_or("")).trim().to_owned(),
            ));
        }
        if fetched.operation_id != self.operation.id {
            return Err(CallbackVerification::OperationMismatch {
                callback: self.operation.id.clone(),
                fetched: fetched.operation_id.clone(),
            });
        }
        if fetched.order_id.as_deref() != Some(expected_order_id)
            || self.operation.client_order_id.as_deref() != Some(expected_order_id)
        {
            return Err(CallbackVerification::OrderMismatch {
                expected: expected_order_id.to_owned(),
                found: fetched.order_id.clone(),
            });
        }
        if fetched.amount != expected_amount {
            return Err(CallbackVerification::AmountMismatch { expected: expected_amount, found: fetched.amount });
        }
        if let Some(e) = fetched.error_text() {
            return Err(CallbackVerification::OperationError(e));
        }
        if fetched.status() != PaymentStatus::Completed {
            return Err(CallbackVerification::NotCompleted(fetched.operation_status.clone()));
        }
        Ok(())
    }
}

/// Reads the callback request's body. A `Content-Type` other than JSON is refused; a missing
/// one is tolerated.
pub fn parse_callback(headers: &[(String, String)], body: &[u8]) -> Result<CallbackNotification, CallbackParseError> {
    if let Some(ct) = header(headers, "content-type") {
        let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(CallbackParseError::ContentType(ct.to_owned()));
        }
    }
    serde_json::from_slice(body).map_err(|e| CallbackParseError::Malformed(e.to_string()))
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Answer<'a> {
    code: i64,
    error_message: &'a str,
}

/// The answer to a callback that was taken into account: 200, `{"Code":0,"ErrorMessage":""}`.
pub fn callback_ok_answer() -> ApiResponse {
    ApiResponse::json(200, serde_json::to_vec(&Answer { code: 0, error_message: "" }).expect("serializes"))
}

/// The answer to a callback that could not be taken into account: `status` (not 200; our choice,
/// e.g. 400 for a callback that does not match, 500 when it could not be stored) and
/// `{"Code": code, "ErrorMessage": message}`.
pub fn callback_error_answer(status: u16, code: i64, message: &str) -> ApiResponse {
    let status = if status == 200 { 500 } else { status };
    let code = if code == 0 { -1 } else { code };
    ApiResponse::json(status, serde_json::to_vec(&Answer { code, error_message: message }).expect("serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::izly_pay::parse_payment_details;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/izly_pay/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn json() -> Vec<(String, String)> {
        vec![("Content-Type".into(), "application/json; charset=utf-8".into())]
    }

    #[test]
    fn parses_the_callback() {
        let c = parse_callback(&json(), &fixture("callback.json")).unwrap();
        assert_eq!(c.operation.id, "52795");
        assert_eq!(c.operation.amount.to_string(), "1.00");
        assert_eq!(c.operation.date.unwrap().to_string(), "2021-12-09 18:53:34");
        assert_eq!(c.operation.client_order_id.as_deref(), Some("100003685"));
        assert_eq!(c.operation.callback_parameters.as_deref(), Some("order=100003685"));
        assert_eq!(c.beneficiary.as_ref().unwrap().client_id.as_deref(), Some("Paris-78-78-78-78"));
        assert_eq!(c.user.as_ref().unwrap().client_code.as_deref(), Some("patricka23"));
        assert!(c.reports_success());
    }

    #[test]
    fn refuses_bad_callbacks() {
        assert!(matches!(
            parse_callback(&[("content-type".into(), "text/html".into())], b"{}"),
            Err(CallbackParseError::ContentType(_))
        ));
        assert!(matches!(parse_callback(&json(), b"{}"), Err(CallbackParseError::Malformed(_))));
        assert!(matches!(parse_callback(&[], b"\xff"), Err(CallbackParseError::Malformed(_))));
        let failed = String::from_utf8(fixture("callback.json"))
            .unwrap()
            .replace(r#""Code": 0, "Message": """#, r#""Code": 12, "Message": "Solde insuffisant""#);
        let c = parse_callback(&json(), failed.as_bytes()).unwrap();
        assert!(!c.reports_success());
    }

    #[test]
    fn verifies_against_the_details() {
        let c = parse_callback(&json(), &fixture("callback.json")).unwrap();
        let d = parse_payment_details(200, &[], &fixture("payment_details.json")).unwrap();
        assert_eq!(c.verify(&d, "100003685", Decimal::new(100, 2)), Ok(()));
        assert!(matches!(c.verify(&d, "other", Decimal::ONE), Err(CallbackVerification::OrderMismatch { .. })));
        assert!(matches!(
            c.verify(&d, "100003685", Decimal::new(200, 2)),
            Err(CallbackVerification::AmountMismatch { .. })
        ));
        let mut waiting = d.clone();
        waiting.operation_status = "Waiting".into();
        assert!(matches!(c.verify(&waiting, "100003685", Decimal::ONE), Err(CallbackVerification::NotCompleted(_))));
        let mut other = d.clone();
        other.operation_id = "1".into();
        assert!(matches!(
            c.verify(&other, "100003685", Decimal::ONE),
            Err(CallbackVerification::OperationMismatch { .. })
        ));
    }

    #[test]
    fn answers() {
        let ok = callback_ok_answer();
        assert_eq!(ok.status, 200);
        assert_eq!(ok.body, br#"{"Code":0,"ErrorMessage":""}"#);
        let err = callback_error_answer(400, 17, "Commande inconnue");
        assert_eq!(err.status, 400);
        assert_eq!(String::from_utf8(err.body).unwrap(), r#"{"Code":17,"ErrorMessage":"Commande inconnue"}"#);
        let err = callback_error_answer(200, 0, "x");
        assert_eq!((err.status, String::from_utf8(err.body).unwrap().contains("-1")), (500, true));
    }
}

//! IzlyPay errors: the Xpollens error object, typed by its code and the HTTP status. Code 356
//! ("Opération introuvable") is [`IzlyPayError::OperationNotFound`] whatever the status.

use crate::api::response::{retry_after, snippet};
use crate::api::xpollens::XpollensError;
use std::time::Duration;

fn detail(e: &Option<XpollensError>) -> String {
    e.as_ref().map_or_else(|| "no detail".to_owned(), ToString::to_string)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IzlyPayError {
    /// Xpollens code 356.
    #[error("IzlyPay: operation not found: {0}")]
    OperationNotFound(XpollensError),
    #[error("IzlyPay: bad request (400): {}", detail(.0))]
    BadRequest(Option<XpollensError>),
    /// Wrong API key or AppIdentifier.
    #[error("IzlyPay: not authenticated (401): {}", detail(.0))]
    Unauthorized(Option<XpollensError>),
    #[error("IzlyPay: forbidden (403): {}", detail(.0))]
    Forbidden(Option<XpollensError>),
    #[error("IzlyPay: not found (404): {}", detail(.0))]
    NotFound(Option<XpollensError>),
    /// The service refused the operation (409, 422, or an error object in a 2xx answer): a refund
    /// of a payment not completed, or already refunded, for instance.
    #[error("IzlyPay: refused ({status}): {}", detail(.error))]
    Refused { status: u16, error: Option<XpollensError> },
    #[error("IzlyPay: too many requests (429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("IzlyPay: server error ({status}): {}", detail(.error))]
    Server { status: u16, error: Option<XpollensError> },
    #[error("IzlyPay: unexpected status {status}: {body}")]
    UnexpectedStatus { status: u16, body: String },
    #[error("IzlyPay: malformed response (status {status}): {detail}")]
    Malformed { status: u16, detail: String },
}

impl IzlyPayError {
    pub fn xpollens(&self) -> Option<&XpollensError> {
        match self {
            IzlyPayError::OperationNotFound(e) => Some(e),
            IzlyPayError::BadRequest(e)
            | IzlyPayError::Unauthorized(e)
            | IzlyPayError::Forbidden(e)
            | IzlyPayError::NotFound(e) => e.as_ref(),
            IzlyPayError::Refused { error, .. } | IzlyPayError::Server { error, .. } => error.as_ref(),
            _ => None,
        }
    }
}

/// Maps a non-2xx answer to its typed error.
pub fn error_from_response(status: u16, headers: &[(String, String)], body: &[u8]) -> IzlyPayError {
    let x = XpollensError::from_body(body);
    if let Some(e) = x.as_ref().filter(|e| e.is_operation_not_found()) {
        return IzlyPayError::OperationNotFound(e.clone());
    }
    match status {
        400 => IzlyPayError::BadRequest(x),
        401 => IzlyPayError::Unauthorized(x),
        403 => IzlyPayError::Forbidden(x),
        404 => IzlyPayError::NotFound(x),
        409 | 422 => IzlyPayError::Refused { status, error: x },
        429 => IzlyPayError::RateLimited { retry_after: retry_after(headers) },
        500..=599 => IzlyPayError::Server { status, error: x },
        _ => IzlyPayError::UnexpectedStatus { status, body: snippet(body) },
    }
}

/// Reads a 2xx body as `T`; a 2xx carrying an Xpollens error object (non-zero Code) is that error.
pub(crate) fn parse_ok<T: serde::de::DeserializeOwned>(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<T, IzlyPayError> {
    if !crate::api::response::is_success(status) {
        return Err(error_from_response(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| match XpollensError::from_body(body) {
        Some(x) if x.is_operation_not_found() => IzlyPayError::OperationNotFound(x),
        Some(x) if x.code != 0 => IzlyPayError::Refused { status, error: Some(x) },
        _ => IzlyPayError::Malformed { status, detail: e.to_string() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const E356: &[u8] = include_bytes!("../../../tests/fixtures/api/izly_pay/error_356.json");

    #[test]
    fn code_356_whatever_the_status() {
        for status in [400, 404, 422, 500] {
            let e = error_from_response(status, &[], E356);
            assert!(matches!(&e, IzlyPayError::OperationNotFound(x) if x.priority == Some(2)), "{status}");
            assert!(e.to_string().contains("Opération introuvable"));
        }
    }

    #[test]
    fn every_status_is_typed() {
        let other = br#"{"Code":12,"ErrorMessage":"Paiement non remboursable","Title":"t","Priority":1}"#;
        assert!(matches!(error_from_response(400, &[], other), IzlyPayError::BadRequest(Some(_))));
        assert!(matches!(error_from_response(401, &[], b""), IzlyPayError::Unauthorized(None)));
        assert!(matches!(error_from_response(403, &[], other), IzlyPayError::Forbidden(Some(_))));
        assert!(matches!(error_from_response(404, &[], b"<html>"), IzlyPayError::NotFound(None)));
        assert!(matches!(error_from_response(409, &[], other), IzlyPayError::Refused { status: 409, error: Some(_) }));
        assert!(matches!(error_from_response(422, &[], other), IzlyPayError::Refused { status: 422, .. }));
        assert!(matches!(error_from_response(429, &[], b""), IzlyPayError::RateLimited { .. }));
        assert!(matches!(error_from_response(502, &[], b""), IzlyPayError::Server { status: 502, error: None }));
        assert!(matches!(error_from_response(301, &[], b""), IzlyPayError::UnexpectedStatus { .. }));
        assert_eq!(error_from_response(409, &[], other).xpollens().unwrap().code, 12);
    }

    #[test]
    fn error_object_in_a_2xx() {
        #[derive(Debug, serde::Deserialize)]
        struct T {
            #[allow(dead_code)]
            #[serde(rename = "OperationId")]
            id: u64,
        }
        assert!(matches!(parse_ok::<T>(200, &[], E356), Err(IzlyPayError::OperationNotFound(_))));
        assert!(matches!(
            parse_ok::<T>(200, &[], br#"{"Code":7,"ErrorMessage":"x"}"#),
            Err(IzlyPayError::Refused { status: 200, .. })
        ));
        assert!(matches!(parse_ok::<T>(200, &[], b"{"), Err(IzlyPayError::Malformed { .. })));
    }
}

//! Typed errors of the Crous API, one per status the API is known (or chosen) to answer.
//!
//! Seen in public code (public-facts.md): 422 with `{"errors": [{"code": "-9", "message": "…",
//! "field": "…"}]}`, 404 unknown, 423 account locked or closed, 401 "log in again and retry once".
//! Our choice: 409 for a ticket whose idTicketEntete was already received for that point of sale;
//! 403 for an installation key that belongs to another point of sale.

use crate::api::response::{retry_after, snippet};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One entry of the Crous error list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CrousFieldError {
    /// A string code such as "-9" (sent as string or number).
    #[serde(default, deserialize_with = "code_text")]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A code sent as a string or as any JSON number (negative ones included), kept as its text.
fn code_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        other => Err(serde::de::Error::custom(format!("error code must be a string or a number, not {other}"))),
    }
}

/// The error body: `{"errors": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CrousErrorBody {
    #[serde(default)]
    pub errors: Vec<CrousFieldError>,
}

fn list(errors: &[CrousFieldError]) -> String {
    if errors.is_empty() {
        return "no detail".into();
    }
    errors
        .iter()
        .map(|e| match &e.field {
            Some(f) => format!("{} {} ({f})", e.code, e.message),
            None => format!("{} {}", e.code, e.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrousError {
    #[error("Crous API: bad request (400): {}", list(.0))]
    BadRequest(Vec<CrousFieldError>),
    /// The token is missing or expired: authenticate again, then retry once.
    #[error("Crous API: not authenticated (401): authenticate again")]
    Unauthorized,
    /// The installation key does not match this crous-ug-ru-ud-caisse.
    #[error("Crous API: forbidden (403): {}", list(.0))]
    Forbidden(Vec<CrousFieldError>),
    #[error("Crous API: not found (404): {}", list(.0))]
    NotFound(Vec<CrousFieldError>),
    /// A ticket with this idTicketEntete was already received for this point of sale. After a
    /// retry this means the first send arrived: treat the ticket as delivered.
    #[error("Crous API: ticket already received (409): {}", list(.0))]
    DuplicateTicket(Vec<CrousFieldError>),
    #[error("Crous API: refused (422): {}", list(.0))]
    Unprocessable(Vec<CrousFieldError>),
    #[error("Crous API: account locked or closed (423): {}", list(.0))]
    Locked(Vec<CrousFieldError>),
    #[error("Crous API: too many requests (429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("Crous API: server error ({status})")]
    Server { status: u16, body: String },
    #[error("Crous API: unexpected status {status}: {body}")]
    UnexpectedStatus { status: u16, body: String },
    #[error("Crous API: malformed response (status {status}): {detail}")]
    Malformed { status: u16, detail: String },
    /// authenticate answered 2xx without a token in its `Authorization` header.
    #[error("Crous API: authenticate answered without an Authorization header")]
    MissingToken,
}

impl CrousError {
    /// The field errors, whatever the status.
    pub fn field_errors(&self) -> &[CrousFieldError] {
        match self {
            CrousError::BadRequest(e)
            | CrousError::Forbidden(e)
            | CrousError::NotFound(e)
            | CrousError::DuplicateTicket(e)
            | CrousError::Unprocessable(e)
            | CrousError::Locked(e) => e,
            _ => &[],
        }
    }
}

/// Maps a non-2xx answer to its typed error.
pub fn error_from_status(status: u16, headers: &[(String, String)], body: &[u8]) -> CrousError {
    let errors = || serde_json::from_slice::<CrousErrorBody>(body).map(|b| b.errors).unwrap_or_default();
    match status {
        400 => CrousError::BadRequest(errors()),
        401 => CrousError::Unauthorized,
        403 => CrousError::Forbidden(errors()),
        404 => CrousError::NotFound(errors()),
        409 => CrousError::DuplicateTicket(errors()),
        422 => CrousError::Unprocessable(errors()),
        423 => CrousError::Locked(errors()),
        429 => CrousError::RateLimited { retry_after: retry_after(headers) },
        500..=599 => CrousError::Server { status, body: snippet(body) },
        _ => CrousError::UnexpectedStatus { status, body: snippet(body) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_typed() {
        let body = include_bytes!("../../../tests/fixtures/api/crous/error_422.json");
        let e = error_from_status(422, &[], body);
        assert_eq!(e.field_errors().len(), 1);
        assert_eq!(e.field_errors()[0].code, "-9");
        assert!(matches!(e, CrousError::Unprocessable(_)));
        assert!(e.to_string().contains("-9"));
        assert!(matches!(error_from_status(400, &[], body), CrousError::BadRequest(v) if v.len() == 1));
        assert_eq!(error_from_status(401, &[], b""), CrousError::Unauthorized);
        assert!(matches!(error_from_status(403, &[], b""), CrousError::Forbidden(v) if v.is_empty()));
        assert!(matches!(error_from_status(404, &[], b"<html>"), CrousError::NotFound(_)));
        assert!(matches!(error_from_status(409, &[], body), CrousError::DuplicateTicket(_)));
        assert!(matches!(error_from_status(423, &[], body), CrousError::Locked(_)));
        let h = vec![("Retry-After".to_string(), "2".to_string())];
        assert_eq!(
            error_from_status(429, &h, b""),
            CrousError::RateLimited { retry_after: Some(Duration::from_secs(2)) }
        );
        assert!(matches!(error_from_status(503, &[], b"down"), CrousError::Server { status: 503, .. }));
        assert!(matches!(error_from_status(418, &[], b""), CrousError::UnexpectedStatus { status: 418, .. }));
    }

    #[test]
    fn numeric_codes_are_read_as_text() {
        let e = error_from_status(422, &[], br#"{"errors":[{"code":-41,"message":"bloque"}]}"#);
        assert_eq!(e.field_errors()[0].code, "-41");
        // An unreadable body leaves the list empty rather than failing.
        assert!(error_from_status(422, &[], br#"{"errors":[{"code":[1]}]}"#).field_errors().is_empty());
        let e = error_from_status(422, &[], br#"{"errors":[{"code":41,"message":"x","field":"f"}]}"#);
        assert_eq!(e.field_errors()[0].code, "41");
    }
}

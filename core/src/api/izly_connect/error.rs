//! IzlyConnect errors. The specs show no error answer: a 400 is read as an OAuth2 error
//! (RFC 6749 §5.2, `{"error", "error_description"}`) or the Xpollens error object, whichever the
//! body is.

use crate::api::response::{retry_after, snippet};
use crate::api::xpollens::XpollensError;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// RFC 6749 §5.2 error body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// Whatever explanation the body carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorDetail {
    OAuth(OAuthError),
    Xpollens(XpollensError),
    None,
}

impl ErrorDetail {
    pub fn from_body(body: &[u8]) -> Self {
        if let Ok(o) = serde_json::from_slice::<OAuthError>(body) {
            return ErrorDetail::OAuth(o);
        }
        XpollensError::from_body(body).map_or(ErrorDetail::None, ErrorDetail::Xpollens)
    }
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorDetail::OAuth(o) => match &o.error_description {
                Some(d) => write!(f, "{}: {d}", o.error),
                None => f.write_str(&o.error),
            },
            ErrorDetail::Xpollens(x) => x.fmt(f),
            ErrorDetail::None => f.write_str("no detail"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IzlyConnectError {
    /// A bad, used or expired code or refresh token (OAuth `invalid_grant`), or a bad parameter.
    #[error("IzlyConnect: request refused (400): {0}")]
    BadRequest(ErrorDetail),
    /// Wrong API key (token endpoint) or expired access token (users): refresh, then retry.
    #[error("IzlyConnect: not authenticated (401): {0}")]
    Unauthorized(ErrorDetail),
    #[error("IzlyConnect: forbidden (403): {0}")]
    Forbidden(ErrorDetail),
    #[error("IzlyConnect: not found (404): {0}")]
    NotFound(ErrorDetail),
    #[error("IzlyConnect: too many requests (429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("IzlyConnect: server error ({status})")]
    Server { status: u16, detail: ErrorDetail },
    #[error("IzlyConnect: unexpected status {status}: {body}")]
    UnexpectedStatus { status: u16, body: String },
    #[error("IzlyConnect: malformed response (status {status}): {detail}")]
    Malformed { status: u16, detail: String },
}

pub fn error_from_status(status: u16, headers: &[(String, String)], body: &[u8]) -> IzlyConnectError {
    let d = || ErrorDetail::from_body(body);
    match status {
        400 => IzlyConnectError::BadRequest(d()),
        401 => IzlyConnectError::Unauthorized(d()),
        403 => IzlyConnectError::Forbidden(d()),
        404 => IzlyConnectError::NotFound(d()),
        429 => IzlyConnectError::RateLimited { retry_after: retry_after(headers) },
        500..=599 => IzlyConnectError::Server { status, detail: d() },
        _ => IzlyConnectError::UnexpectedStatus { status, body: snippet(body) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_typed() {
        let oauth = br#"{"error":"invalid_grant","error_description":"code already used"}"#;
        let e = error_from_status(400, &[], oauth);
        assert!(matches!(&e, IzlyConnectError::BadRequest(ErrorDetail::OAuth(o)) if o.error == "invalid_grant"));
        assert!(e.to_string().contains("code already used"));
        let x = include_bytes!("../../../tests/fixtures/api/izly_pay/error_356.json");
        assert!(matches!(error_from_status(404, &[], x), IzlyConnectError::NotFound(ErrorDetail::Xpollens(_))));
        assert!(matches!(error_from_status(401, &[], b""), IzlyConnectError::Unauthorized(ErrorDetail::None)));
        assert!(matches!(error_from_status(403, &[], b"x"), IzlyConnectError::Forbidden(ErrorDetail::None)));
        assert!(matches!(error_from_status(429, &[], b""), IzlyConnectError::RateLimited { retry_after: None }));
        assert!(matches!(error_from_status(503, &[], b""), IzlyConnectError::Server { status: 503, .. }));
        assert!(matches!(error_from_status(302, &[], b""), IzlyConnectError::UnexpectedStatus { status: 302, .. }));
    }
}

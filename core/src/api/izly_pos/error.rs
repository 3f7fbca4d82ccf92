//! Izly POS errors. Specs 001 gives none: our table maps each status to one kind, and keeps the
//! Xpollens error object (`Code`, `ErrorMessage`, `Title`, `Priority`) when the body is one. The
//! statuses come from public code (423 locked, 404 unknown) and HTTP's own meanings (402, 410);
//! a 422 carrying the Crous right-holder API's codes -8 (due date past) or -41 (blocked) is read
//! as that refusal.

use crate::api::response::{retry_after, snippet};
use crate::api::xpollens::XpollensError;
use std::time::Duration;

/// The Crous right-holder API's "due date in the past" (public-facts.md), with 422.
pub const CODE_RIGHT_EXPIRED: i64 = -8;
/// The Crous right-holder API's "customer blocked" (en opposition, public-facts.md), with 422.
pub const CODE_CUSTOMER_BLOCKED: i64 = -41;

fn detail(e: &Option<XpollensError>) -> String {
    e.as_ref().map_or_else(|| "no detail".to_owned(), ToString::to_string)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IzlyPosError {
    #[error("Izly: bad request (400): {}", detail(.0))]
    BadRequest(Option<XpollensError>),
    /// The caisse key is wrong or revoked.
    #[error("Izly: not authenticated (401): {}", detail(.0))]
    Unauthorized(Option<XpollensError>),
    #[error("Izly: forbidden (403): {}", detail(.0))]
    Forbidden(Option<XpollensError>),
    #[error("Izly: insufficient balance (402): {}", detail(.0))]
    InsufficientBalance(Option<XpollensError>),
    /// Unknown QR code, idSupport, right holder or reference.
    #[error("Izly: not found (404): {}", detail(.0))]
    NotFound(Option<XpollensError>),
    /// The card look-up found no right holder for this idSupport and numeroApplicatif.
    #[error("Izly: unknown card (404): {}", detail(.0))]
    UnknownCard(Option<XpollensError>),
    /// The right holder's rights ended (dueDate past): their profile no longer applies.
    #[error("Izly: the right holder's rights have expired (422): {}", detail(.0))]
    RightExpired(Option<XpollensError>),
    /// The reference was already used for a different debit.
    #[error("Izly: reference already used for another debit (409): {}", detail(.0))]
    ReferenceConflict(Option<XpollensError>),
    /// The QR code is stale, already used, or badly signed.
    #[error("Izly: QR code refused (410): {}", detail(.0))]
    QrCodeRejected(Option<XpollensError>),
    #[error("Izly: debit refused (422): {}", detail(.0))]
    Refused(Option<XpollensError>),
    #[error("Izly: account blocked or closed (423): {}", detail(.0))]
    AccountBlocked(Option<XpollensError>),
    #[error("Izly: too many requests (429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("Izly: server error ({status})")]
    Server { status: u16, error: Option<XpollensError> },
    #[error("Izly: unexpected status {status}: {body}")]
    UnexpectedStatus { status: u16, body: String },
    #[error("Izly: malformed response (status {status}): {detail}")]
    Malformed { status: u16, detail: String },
}

impl IzlyPosError {
    /// The Xpollens error object, when the service sent one.
    pub fn xpollens(&self) -> Option<&XpollensError> {
        match self {
            IzlyPosError::BadRequest(e)
            | IzlyPosError::Unauthorized(e)
            | IzlyPosError::Forbidden(e)
            | IzlyPosError::InsufficientBalance(e)
            | IzlyPosError::NotFound(e)
            | IzlyPosError::UnknownCard(e)
            | IzlyPosError::RightExpired(e)
            | IzlyPosError::ReferenceConflict(e)
            | IzlyPosError::QrCodeRejected(e)
            | IzlyPosError::Refused(e)
            | IzlyPosError::AccountBlocked(e)
            | IzlyPosError::Server { error: e, .. } => e.as_ref(),
            _ => None,
        }
    }
}

/// Maps a non-2xx answer to its typed error.
pub fn error_from_status(status: u16, headers: &[(String, String)], body: &[u8]) -> IzlyPosError {
    let x = XpollensError::from_body(body);
    match status {
        400 => IzlyPosError::BadRequest(x),
        401 => IzlyPosError::Unauthorized(x),
        402 => IzlyPosError::InsufficientBalance(x),
        403 => IzlyPosError::Forbidden(x),
        404 => IzlyPosError::NotFound(x),
        409 => IzlyPosError::ReferenceConflict(x),
        410 => IzlyPosError::QrCodeRejected(x),
        422 => match x.as_ref().map(|x| x.code) {
            Some(CODE_RIGHT_EXPIRED) => IzlyPosError::RightExpired(x),
            Some(CODE_CUSTOMER_BLOCKED) => IzlyPosError::AccountBlocked(x),
            _ => IzlyPosError::Refused(x),
        },
        423 => IzlyPosError::AccountBlocked(x),
        429 => IzlyPosError::RateLimited { retry_after: retry_after(headers) },
        500..=599 => IzlyPosError::Server { status, error: x },
        _ => IzlyPosError::UnexpectedStatus { status, body: snippet(body) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_typed() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_pos/error_insufficient_balance.json");
        let e = error_from_status(402, &[], body);
        assert!(matches!(e, IzlyPosError::InsufficientBalance(Some(ref x)) if x.error_message == "Solde insuffisant"));
        assert!(e.to_string().contains("Solde insuffisant"));
        type Check = fn(&IzlyPosError) -> bool;
        let kinds: Vec<(u16, Check)> = vec![
            (400, |e| matches!(e, IzlyPosError::BadRequest(Some(_)))),
            (401, |e| matches!(e, IzlyPosError::Unauthorized(Some(_)))),
            (403, |e| matches!(e, IzlyPosError::Forbidden(Some(_)))),
            (404, |e| matches!(e, IzlyPosError::NotFound(Some(_)))),
            (409, |e| matches!(e, IzlyPosError::ReferenceConflict(Some(_)))),
            (410, |e| matches!(e, IzlyPosError::QrCodeRejected(Some(_)))),
            (422, |e| matches!(e, IzlyPosError::Refused(Some(_)))),
            (423, |e| matches!(e, IzlyPosError::AccountBlocked(Some(_)))),
            (500, |e| matches!(e, IzlyPosError::Server { status: 500, error: Some(_) })),
            (418, |e| matches!(e, IzlyPosError::UnexpectedStatus { status: 418, .. })),
        ];
        for (status, check) in kinds {
            let e = error_from_status(status, &[], body);
            assert!(check(&e), "{status}: {e:?}");
        }
        assert!(error_from_status(404, &[], b"<html>").xpollens().is_none());
        let h = vec![("Retry-After".to_string(), "1".to_string())];
        assert_eq!(
            error_from_status(429, &h, b""),
            IzlyPosError::RateLimited { retry_after: Some(Duration::from_secs(1)) }
        );
    }
}

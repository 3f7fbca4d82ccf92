//! What one send of a ticket came to, as the outbox needs to know it.
//!
//! The Crous API's answers (core/src/api/crous/tickets.rs, error.rs; docs/api-choices.md):
//!
//! | answer | meaning | outbox |
//! |---|---|---|
//! | 2xx | accepted | delivered |
//! | 409 | "ticket already received" for this idTicketEntete: an earlier send arrived | delivered, never sent again |
//! | 422, 400 | the content is refused; resending the same bytes cannot help | refused: parked, shown, requeued by hand |
//! | core's checks fail before sending ([`TicketRefused`]) | same | refused |
//! | 401 | the token expired: "log in again and retry once" | authenticate, then resend; not an attempt |
//! | 429 | refused unprocessed | retry after `Retry-After` (or the backoff) |
//! | 5xx, timeout, connection lost, 403/404/423, anything else | transient, or a till set-up problem that a person fixes | retry with backoff, the queue waits |
//!
//! A 2xx whose body is not JSON is still an acceptance (the status says so).
//! 403/404/423 are about the till (key, path, account), not the ticket: parking every ticket
//! would bury them, so the queue waits and the page shows the error instead.

use crate::api::crous::{parse_ticket, CrousError, TicketAccepted, TicketRefused};
use crate::api::execution::{CallError, Called, ExecutorError};
use crate::error_code::ErrorCode;
use std::time::Duration;

/// Why a send did not deliver: a stable code, a message, the HTTP status when there was one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: &'static str,
    pub message: String,
    pub status: Option<u16>,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>, status: Option<u16>) -> Self {
        Failure { code, message: message.into(), status }
    }
}

/// The outcome of one send, to [`super::Outbox::record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// 2xx.
    Accepted,
    /// 409: the Crous already holds this idTicketEntete.
    AlreadyReceived,
    /// The content is refused (422, 400, core's checks): parked.
    Refused(Failure),
    /// 401: authenticate again, then resend (not counted as an attempt).
    Unauthorized,
    /// Try again later, not before `retry_after` when the service said so (429).
    RetryLater { failure: Failure, retry_after: Option<Duration> },
}

impl SendOutcome {
    /// From the status, headers and body of the Crous's answer (a binding that does its own fetch).
    pub fn from_response(status: u16, headers: &[(String, String)], body: &[u8]) -> Self {
        Self::from_parsed(&parse_ticket(status, headers, body))
    }

    /// From [`parse_ticket`]'s result.
    pub fn from_parsed(result: &Result<TicketAccepted, CrousError>) -> Self {
        match result {
            Ok(_) => SendOutcome::Accepted,
            Err(e) => Self::from_crous_error(e),
        }
    }

    /// From an executor's call (`Executor::call(&request, parse_ticket)`).
    pub fn from_call(result: &Result<Called<TicketAccepted>, CallError<CrousError>>) -> Self {
        match result {
            Ok(_) => SendOutcome::Accepted,
            Err(CallError::Api { error, .. }) => Self::from_crous_error(error),
            Err(CallError::Executor(e)) => Self::from_executor_error(e),
        }
    }

    /// No answer: timeout, connection refused or lost, outcome unknown. Always retried: a ticket
    /// is idempotent by idTicketEntete, so a resend of one that did arrive gets 409.
    pub fn from_executor_error(error: &ExecutorError) -> Self {
        SendOutcome::RetryLater { failure: Failure::new(error.code(), error.to_string(), None), retry_after: None }
    }

    /// Core refused to build the request: the ticket fails the Crous checks.
    pub fn from_refused(error: &TicketRefused) -> Self {
        SendOutcome::Refused(Failure::new(error.code(), error.to_string(), None))
    }

    pub fn from_crous_error(error: &CrousError) -> Self {
        let failure = |status: Option<u16>| Failure::new(error.code(), error.to_string(), status);
        match error {
            CrousError::DuplicateTicket(_) => SendOutcome::AlreadyReceived,
            CrousError::Malformed { status, .. } if (200..300).contains(status) => SendOutcome::Accepted,
            CrousError::Unauthorized => SendOutcome::Unauthorized,
            CrousError::Unprocessable(_) => SendOutcome::Refused(failure(Some(422))),
            CrousError::BadRequest(_) => SendOutcome::Refused(failure(Some(400))),
            CrousError::RateLimited { retry_after } => {
                SendOutcome::RetryLater { failure: failure(Some(429)), retry_after: *retry_after }
            }
            CrousError::Forbidden(_) => SendOutcome::RetryLater { failure: failure(Some(403)), retry_after: None },
            CrousError::NotFound(_) => SendOutcome::RetryLater { failure: failure(Some(404)), retry_after: None },
            CrousError::Locked(_) => SendOutcome::RetryLater { failure: failure(Some(423)), retry_after: None },
            CrousError::Server { status, .. }
            | CrousError::UnexpectedStatus { status, .. }
            | CrousError::Malformed { status, .. } => {
                SendOutcome::RetryLater { failure: failure(Some(*status)), retry_after: None }
            }
            CrousError::MissingToken => SendOutcome::RetryLater { failure: failure(None), retry_after: None },
        }
    }

    /// True when the Crous holds the ticket after this outcome.
    pub fn is_delivered(&self) -> bool {
        matches!(self, SendOutcome::Accepted | SendOutcome::AlreadyReceived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERR_422: &[u8] = br#"{"errors":[{"code":"-9","message":"support inconnu","field":"idSupport"}]}"#;

    #[test]
    fn every_answer_of_the_tickets_route_is_classified() {
        assert_eq!(SendOutcome::from_response(201, &[], b""), SendOutcome::Accepted);
        assert_eq!(SendOutcome::from_response(200, &[], b"not json"), SendOutcome::Accepted);
        assert_eq!(SendOutcome::from_response(409, &[], ERR_422), SendOutcome::AlreadyReceived);
        assert_eq!(SendOutcome::from_response(401, &[], b""), SendOutcome::Unauthorized);
        match SendOutcome::from_response(422, &[], ERR_422) {
            SendOutcome::Refused(f) => {
                assert_eq!((f.code, f.status), ("crous.unprocessable", Some(422)));
                assert!(f.message.contains("idSupport"), "{}", f.message);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(SendOutcome::from_response(400, &[], b""), SendOutcome::Refused(_)));
        for status in [500, 502, 503, 403, 404, 423, 418] {
            assert!(
                matches!(SendOutcome::from_response(status, &[], b""), SendOutcome::RetryLater { ref failure, retry_after: None } if failure.status == Some(status)),
                "{status}"
            );
        }
        let h = vec![("Retry-After".to_string(), "30".to_string())];
        assert_eq!(
            SendOutcome::from_response(429, &h, b""),
            SendOutcome::RetryLater {
                failure: Failure::new("crous.rate_limited", "Crous API: too many requests (429)", Some(429)),
                retry_after: Some(Duration::from_secs(30))
            }
        );
    }

    #[test]
    fn no_answer_is_retried_and_a_local_refusal_is_parked() {
        let timeout = ExecutorError::Timeout { endpoint: "crous.tickets", attempts: 3 };
        match SendOutcome::from_call(&Err(CallError::Executor(timeout))) {
            SendOutcome::RetryLater { failure, .. } => {
                assert_eq!((failure.code, failure.status), ("network.timeout", None))
            }
            other => panic!("{other:?}"),
        }
        let api = CallError::Api { error: CrousError::DuplicateTicket(vec![]), attempts: 2 };
        assert_eq!(SendOutcome::from_call(&Err(api)), SendOutcome::AlreadyReceived);
        let refused = TicketRefused::Checks(vec![]);
        assert!(
            matches!(SendOutcome::from_refused(&refused), SendOutcome::Refused(f) if f.code == "ticket.check_failed")
        );
        assert!(SendOutcome::Accepted.is_delivered() && !SendOutcome::Unauthorized.is_delivered());
    }
}

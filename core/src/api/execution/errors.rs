//! What an executor hands back: the response for the parser, or why there is none.

use crate::api::response::ApiResponse;

/// A response handed to the parser, and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub response: ApiResponse,
    /// How many times the request itself was sent (reconciliation queries not counted).
    pub attempts: u32,
    /// True when the response was rebuilt from a reconciliation query after an unknown outcome
    /// (the operation had happened; the original answer was lost).
    pub reconciled: bool,
}

/// A parsed result, with the attempt count.
#[derive(Debug, Clone, PartialEq)]
pub struct Called<T> {
    pub value: T,
    pub attempts: u32,
    pub reconciled: bool,
}

/// Why no response could be delivered. Messages never contain a URL (a card number may be in
/// one) nor a header value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecutorError {
    /// Every attempt of a safe request timed out (the last one did, at least).
    #[error("{endpoint}: timed out after {attempts} attempt(s)")]
    Timeout { endpoint: &'static str, attempts: u32 },
    /// Every attempt of a request failed to connect or lost its connection.
    #[error("{endpoint}: connection failed after {attempts} attempt(s): {message}")]
    Connection { endpoint: &'static str, attempts: u32, message: String },
    /// A payment-like request may or may not have been processed and nothing could tell: it was
    /// not sent again. Look `reference` up in your own records (or ask the service later).
    #[error("{endpoint}: outcome unknown after {attempts} attempt(s) (reference {reference}): {reason}")]
    OutcomeUnknown { endpoint: &'static str, attempts: u32, reference: String, reason: String },
    /// The service confirmed the operation did not happen, and the attempts are used up.
    #[error("{endpoint}: not processed after {attempts} attempt(s) (reference {reference})")]
    NotProcessed { endpoint: &'static str, attempts: u32, reference: String },
    /// The request value could not be turned into an HTTP request.
    #[error("{endpoint}: invalid request: {message}")]
    InvalidRequest { endpoint: &'static str, message: String },
}

impl ExecutorError {
    pub fn attempts(&self) -> u32 {
        match self {
            ExecutorError::Timeout { attempts, .. }
            | ExecutorError::Connection { attempts, .. }
            | ExecutorError::OutcomeUnknown { attempts, .. }
            | ExecutorError::NotProcessed { attempts, .. } => *attempts,
            ExecutorError::InvalidRequest { .. } => 0,
        }
    }
}

/// The final error of a typed call: the service's typed error, or the executor's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError<E> {
    #[error("{error} (after {attempts} attempt(s))")]
    Api { error: E, attempts: u32 },
    #[error(transparent)]
    Executor(#[from] ExecutorError),
}

impl<E> CallError<E> {
    pub fn attempts(&self) -> u32 {
        match self {
            CallError::Api { attempts, .. } => *attempts,
            CallError::Executor(e) => e.attempts(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_report_attempts() {
        let e = ExecutorError::OutcomeUnknown {
            endpoint: "izly_pos.debit",
            attempts: 1,
            reference: "r".into(),
            reason: "timed out".into(),
        };
        assert_eq!(e.attempts(), 1);
        assert_eq!(e.to_string(), "izly_pos.debit: outcome unknown after 1 attempt(s) (reference r): timed out");
        let c: CallError<String> = CallError::Api { error: "boom".into(), attempts: 3 };
        assert_eq!(c.attempts(), 3);
        assert_eq!(c.to_string(), "boom (after 3 attempt(s))");
    }
}

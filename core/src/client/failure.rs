//! One error shape for both packages: `CrousTillError` with `code`, `message` and `details`.

use crate::api::crous::CrousError;
use crate::api::esipay::EsipayError;
use crate::api::execution::CallError;
use crate::api::izly_connect::IzlyConnectError;
use crate::api::izly_pay::IzlyPayError;
use crate::api::izly_pos::IzlyPosError;
use crate::api::XpollensError;
use crate::error_code::ErrorCode;
use serde_json::{json, Map, Value};

/// An error on its way to JavaScript: `code` (stable, `area.reason`), a message, and optional
/// `details` (check violations, the attempts made, the service's own error body). Both bindings
/// turn it into the same `CrousTillError`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub details: Option<Value>,
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Failure { code: code.to_owned(), message: message.into(), details: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// A core error, with its stable code.
    pub fn of<E: ErrorCode>(e: &E) -> Self {
        Failure::new(e.code(), e.to_string())
    }

    /// A failed call: the error's code, `details.attempts`, and for a service's answer its own
    /// error body (`details.xpollens`, `details.errors`).
    pub fn of_call<E: Detailed + 'static>(e: &CallError<E>) -> Self {
        let (mut details, message) = match e {
            CallError::Api { error, .. } => (error.details(), error.to_string()),
            CallError::Executor(x) => (Map::new(), x.to_string()),
        };
        details.insert("attempts".into(), json!(e.attempts()));
        Failure::new(e.code(), message).with_details(Value::Object(details))
    }

    /// Applies `f` to the message (masking card numbers in a gateway's text).
    pub fn map_message(mut self, f: impl FnOnce(&str) -> String) -> Self {
        self.message = f(&self.message);
        self
    }
}

/// What a service error adds to `details` besides the attempts: the service's own error body.
pub trait Detailed: ErrorCode {
    fn details(&self) -> Map<String, Value> {
        Map::new()
    }
}

fn xpollens(x: Option<&XpollensError>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(x) = x {
        m.insert("xpollens".into(), value_of(x));
    }
    m
}

impl Detailed for IzlyPayError {
    fn details(&self) -> Map<String, Value> {
        xpollens(self.xpollens())
    }
}

impl Detailed for IzlyPosError {
    fn details(&self) -> Map<String, Value> {
        xpollens(self.xpollens())
    }
}

impl Detailed for IzlyConnectError {}

impl Detailed for EsipayError {}

impl Detailed for CrousError {
    fn details(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if !self.field_errors().is_empty() {
            m.insert("errors".into(), value_of(self.field_errors()));
        }
        m
    }
}

/// A detail as a JSON value, money as exact decimal strings (what every result gives).
pub(crate) fn value_of<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    crate::exact_decimal::as_strings(|| serde_json::to_value(v)).unwrap_or(Value::Null)
}

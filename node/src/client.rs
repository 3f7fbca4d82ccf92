//! What every service client shares: where the service is, the retry policy, and one native
//! executor (core's retry state machine driven by reqwest) per client.

use crate::js::{Failure, Outcome};
use crous_till_core::api::crous::CrousError;
use crous_till_core::api::esipay::EsipayError;
use crous_till_core::api::executor::{CallError, NativeExecutor};
use crous_till_core::api::izly_connect::IzlyConnectError;
use crous_till_core::api::izly_pay::IzlyPayError;
use crous_till_core::api::izly_pos::IzlyPosError;
use crous_till_core::api::{ApiRequest, Environment, RetryPolicy};
use crous_till_core::error_code::ErrorCode;
use napi_derive::napi;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// How a client retries (core's `RetryPolicy`; every field optional, core's defaults otherwise).
#[napi(object)]
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptions {
    /// Attempts in all, the first included.
    pub max_attempts: Option<u32>,
    /// Timeout of one attempt, in milliseconds.
    pub timeout_ms: Option<u32>,
    pub initial_backoff_ms: Option<u32>,
    pub max_backoff_ms: Option<u32>,
    /// The longest `Retry-After` honoured, in milliseconds.
    pub max_retry_after_ms: Option<u32>,
}

/// `"preprod"`, `"prod"`, or a base URL (`http://127.0.0.1:8080`, the sandbox).
pub fn environment(text: &str) -> Environment {
    match text {
        "preprod" => Environment::Preprod,
        "prod" => Environment::Prod,
        other => Environment::Custom(other.to_owned()),
    }
}

pub fn executor(retry: Option<&RetryOptions>) -> Outcome<NativeExecutor> {
    let mut p = RetryPolicy::default();
    if let Some(r) = retry {
        let ms = |v: Option<u32>, d: Duration| v.map_or(d, |v| Duration::from_millis(v.into()));
        p.max_attempts = r.max_attempts.unwrap_or(p.max_attempts).max(1);
        p.timeout = ms(r.timeout_ms, p.timeout);
        p.initial_backoff = ms(r.initial_backoff_ms, p.initial_backoff);
        p.max_backoff = ms(r.max_backoff_ms, p.max_backoff);
        p.max_retry_after = ms(r.max_retry_after_ms, p.max_retry_after);
    }
    NativeExecutor::new(p).map_err(|e| Failure::of(&e))
}

/// What a service error adds to `details` besides the attempts: the service's own error body.
pub trait Detailed: ErrorCode {
    fn details(&self) -> Map<String, Value> {
        Map::new()
    }
}

fn xpollens(x: Option<&crous_till_core::api::XpollensError>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(x) = x {
        m.insert("xpollens".into(), serde_json::to_value(x).unwrap_or(Value::Null));
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

impl Detailed for CrousError {
    fn details(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if !self.field_errors().is_empty() {
            m.insert("errors".into(), serde_json::to_value(self.field_errors()).unwrap_or(Value::Null));
        }
        m
    }
}

impl Detailed for EsipayError {}

/// A failed call as a [`Failure`]: the error's code, and `details.attempts` (plus the service's
/// error body for API errors).
pub fn call_failure<E: Detailed + 'static>(e: &CallError<E>) -> Failure {
    let mut details = match e {
        CallError::Api { error, .. } => error.details(),
        CallError::Executor(_) => Map::new(),
    };
    details.insert("attempts".into(), json!(e.attempts()));
    let message = match e {
        CallError::Api { error, .. } => error.to_string(),
        CallError::Executor(x) => x.to_string(),
    };
    Failure::new(e.code(), message).with_details(Value::Object(details))
}

/// Sends `request` with `executor` and parses the answer with core's `parser`.
pub async fn call<T, E: Detailed + 'static>(
    executor: &NativeExecutor,
    request: &ApiRequest,
    parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E>,
) -> Outcome<T> {
    executor.call(request, parser).await.map(|c| c.value).map_err(|e| call_failure(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_and_retry_options() {
        assert_eq!(environment("preprod"), Environment::Preprod);
        assert_eq!(environment("prod"), Environment::Prod);
        assert_eq!(environment("http://127.0.0.1:8080"), Environment::Custom("http://127.0.0.1:8080".into()));
        let default = RetryPolicy::default();
        let ex = executor(None).unwrap();
        assert_eq!(ex.policy(), &default);
        let ex = executor(Some(&RetryOptions { max_attempts: Some(0), timeout_ms: Some(1500), ..Default::default() }))
            .unwrap();
        assert_eq!(ex.policy().max_attempts, 1, "at least one attempt");
        assert_eq!(ex.policy().timeout, Duration::from_millis(1500));
        assert_eq!(ex.policy().initial_backoff, default.initial_backoff);
    }
}

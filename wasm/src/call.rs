//! One API call from JavaScript: core's request value, the fetch executor, core's parser, and a
//! `CrousTillError` on failure (`details.attempts`, and `details.status` for a service's answer).

use crate::fetch::execute;
use crate::js::{core_error, error, from_js};
use crous_till_core::api::execution::CallError;
use crous_till_core::api::{ApiRequest, RetryPolicy};
use crous_till_core::error_code::ErrorCode;
use crous_till_core::Decimal;
use serde::Deserialize;
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// Timeouts and retries a client was given (`RetryOptions` in TypeScript).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryOptions {
    pub max_attempts: Option<u32>,
    pub timeout_ms: Option<u64>,
}

impl RetryOptions {
    pub fn policy(&self) -> RetryPolicy {
        let mut p = RetryPolicy::default();
        if let Some(n) = self.max_attempts {
            p.max_attempts = n.max(1);
        }
        if let Some(ms) = self.timeout_ms {
            p.timeout = Duration::from_millis(ms.max(1));
        }
        p
    }
}

/// A parsed answer and how many sends it took.
pub struct Answer<T> {
    pub value: T,
    pub attempts: u32,
    pub reconciled: bool,
}

/// Sends `request` and parses the answer with `parser`.
pub async fn call<T, E: ErrorCode>(
    request: &ApiRequest,
    policy: RetryPolicy,
    parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E>,
) -> Result<Answer<T>, CallError<E>> {
    let d = execute(request, policy).await?;
    match parser(d.response.status, &d.response.headers, &d.response.body) {
        Ok(value) => Ok(Answer { value, attempts: d.attempts, reconciled: d.reconciled }),
        Err(error) => Err(CallError::Api { error, attempts: d.attempts }),
    }
}

/// A failed call as a JS error.
pub fn call_error<E: ErrorCode + 'static>(e: &CallError<E>) -> JsValue {
    let details = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&details, &"attempts".into(), &JsValue::from(e.attempts()));
    error(e.code(), &e.to_string(), Some(details.into()))
}

/// A builder's refusal as a JS error.
pub fn build_error<E: ErrorCode>(e: E) -> JsValue {
    core_error(&e)
}

/// An amount argument: a JS number or a numeric string, read exactly.
pub fn amount(value: &JsValue, what: &str) -> Result<Decimal, JsValue> {
    #[derive(Deserialize)]
    struct Amount(#[serde(with = "crous_till_core::exact_decimal")] Decimal);
    from_js::<Amount>(value, what).map(|a| a.0)
}

/// An async API function's result: a bad argument rejects the promise like any other failure,
/// so callers handle one path (`await` + `catch`).
pub fn promise(r: Result<js_sys::Promise, JsValue>) -> js_sys::Promise {
    r.unwrap_or_else(|e| js_sys::Promise::reject(&e))
}

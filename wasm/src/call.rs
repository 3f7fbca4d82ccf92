//! Small helpers of the async API functions: amount arguments, builder refusals, and rejected
//! promises for bad input.

use crate::js::{core_error, from_js};
use crous_till_core::error_code::ErrorCode;
use crous_till_core::Decimal;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

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

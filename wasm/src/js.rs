//! Values between JavaScript and core, and errors as JavaScript `Error`s with a stable `code`.
//!
//! Values cross as JSON text (`JSON.stringify` / `JSON.parse`), so core's serde types, with their
//! exact decimal reading (money never passes through a binary float inside core), are the one
//! definition of every shape. A JS number is printed by `JSON.stringify` in its shortest form
//! (`1.1`, not `1.100000000000000088…`), which is the decimal the caller wrote.

use crous_till_core::error_code::ErrorCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` with `code` (stable, `area.reason`) and, when given, `details` (any JSON value:
/// the check violations, an HTTP status...).
pub fn error(code: &str, message: &str, details: Option<JsValue>) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("CrousTillError");
    set(&e, "code", &JsValue::from_str(code));
    if let Some(d) = details {
        set(&e, "details", &d);
    }
    e.into()
}

/// A core error as a JS `Error`.
pub fn core_error<E: ErrorCode>(e: &E) -> JsValue {
    error(e.code(), &e.to_string(), None)
}

fn set(target: &js_sys::Error, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads argument `what` into a core type; a value of the wrong shape is an `input.invalid`
/// error naming the argument and serde's reason.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(error("input.missing", &format!("{what} is missing"), None));
    }
    let text = js_sys::JSON::stringify(value).map_err(|_| {
        error("input.invalid", &format!("{what} cannot be written as JSON (a cycle or a BigInt?)"), None)
    })?;
    let text: String = text.into();
    serde_json::from_str(&text).map_err(|e| error("input.invalid", &format!("{what}: {e}"), None))
}

/// Reads an optional argument (`undefined` or `null` is `None`).
pub fn from_js_opt<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<Option<T>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    from_js(value, what).map(Some)
}

/// Writes a core value as a plain JS object.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| error("internal.serialize", &e.to_string(), None))?;
    js_sys::JSON::parse(&text).map_err(|_| error("internal.serialize", "JSON.parse refused core's output", None))
}

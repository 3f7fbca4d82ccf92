//! Values between JavaScript and core, and errors as JavaScript `Error`s with a stable `code`.
//!
//! Results cross as JS values (serde-wasm-bindgen), arguments as JSON text for now (see
//! [`from_js`]); core's serde types are the one definition of every shape. Money is exact both ways: an amount is read from a JS number
//! through its shortest round-trip text (`1.1`, not `1.100000000000000088…`: the decimal the caller
//! wrote) or from a decimal string (`"3.30"`), and written as a decimal string with its scale
//! (`"3.30"`), which every amount fits, unlike a JS number.

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

/// Reads argument `what` into a core type; a value of the wrong shape is an `input.invalid` error
/// naming the argument and serde's reason.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(error("input.missing", &format!("{what} is missing"), None));
    }
    // JSON text on the way in, for now: serde-wasm-bindgen reads a struct by its declared fields
    // only, so a misspelt optional field (`customr`) would pass unseen where core's types refuse
    // unknown fields; V8's JSON.stringify is also faster here than its per-field calls.
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

/// Writes a core value as plain JS objects and arrays (`None` as `null`, maps as objects).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(|e| error("internal.serialize", &e.to_string(), None))
}

/// Writes a free-form JSON value (a service's body) with plain JS numbers.
pub fn json_to_js(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    to_js(&crous_till_core::plain_json::PlainJson(value))
}

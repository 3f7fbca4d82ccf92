//! Values between JavaScript and core, and errors as JavaScript `Error`s with a stable `code`.
//!
//! Values cross as JS values, never as JSON text: results through serde-wasm-bindgen, arguments
//! through core's `js_reader`; core's serde types are the one definition of every shape. Money is exact both ways: an amount is read from a JS number
//! through its shortest round-trip text (`1.1`, not `1.100000000000000088…`: the decimal the caller
//! wrote) or from a decimal string (`"3.30"`), and written as a decimal string with its scale
//! (`"3.30"`), which every amount fits, unlike a JS number.

use crous_till_core::error_code::ErrorCode;
use crous_till_core::js_reader::{self, JsKind, JsSource};
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

/// Core's one error shape for both packages as a JS `Error` (`CrousTillError`).
pub fn failure(f: crous_till_core::client::Failure) -> JsValue {
    let details = f.details.as_ref().and_then(|d| json_to_js(d).ok());
    error(&f.code, &f.message, details)
}

/// A core error as a JS `Error`.
pub fn core_error<E: ErrorCode>(e: &E) -> JsValue {
    error(e.code(), &e.to_string(), None)
}

fn set(target: &js_sys::Error, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads argument `what` into a core type through core's `js_reader` (no JSON text: every own key
/// read, `undefined` properties absent, `toJSON` honoured); a value of the wrong shape is an
/// `input.invalid` error naming the argument and serde's reason.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(error("input.missing", &format!("{what} is missing"), None));
    }
    js_reader::read(Value::new(value.clone())).map_err(|e| error("input.invalid", &format!("{what}: {e}"), None))
}

/// A JS value as core's reader sees it, its kind asked of JavaScript once.
struct Value(JsValue, std::cell::Cell<Option<JsKind>>);

impl Value {
    fn new(value: JsValue) -> Self {
        Value(value, std::cell::Cell::new(None))
    }
}

/// The commonest kinds first: each test is a call into JavaScript.
fn kind_of(v: &JsValue) -> JsKind {
    if let Some(n) = v.as_f64() {
        JsKind::Number(n)
    } else if v.is_string() {
        JsKind::String
    } else if v.is_undefined() {
        JsKind::Undefined
    } else if js_sys::Array::is_array(v) {
        JsKind::Array
    } else if v.is_function() {
        JsKind::Other("function")
    } else if v.is_object() {
        JsKind::Object
    } else if v.is_null() {
        JsKind::Null
    } else if let Some(b) = v.as_bool() {
        JsKind::Bool(b)
    } else if v.is_bigint() {
        JsKind::Other("bigint")
    } else {
        JsKind::Other("symbol")
    }
}

thread_local! {
    /// The `toJSON` key and core's field names as JS strings, made once rather than for every
    /// object read.
    static TO_JSON: JsValue = JsValue::from_str("toJSON");
    static FIELD_KEYS: std::cell::RefCell<std::collections::HashMap<&'static str, JsValue>> = Default::default();
}

impl JsSource for Value {
    fn kind(&self) -> JsKind {
        if let Some(kind) = self.1.get() {
            return kind;
        }
        let kind = kind_of(&self.0);
        self.1.set(Some(kind));
        kind
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn length(&self) -> u32 {
        self.0.unchecked_ref::<js_sys::Array>().length()
    }

    fn index(&self, i: u32) -> Self {
        Value::new(self.0.unchecked_ref::<js_sys::Array>().get(i))
    }

    fn keys(&self) -> Vec<Self> {
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>()).iter().map(Value::new).collect()
    }

    fn get(&self, key: &Self) -> Self {
        Value::new(js_sys::Reflect::get(&self.0, &key.0).unwrap_or(JsValue::UNDEFINED))
    }

    fn field(&self, name: &'static str) -> Self {
        FIELD_KEYS.with(|keys| {
            let mut keys = keys.borrow_mut();
            let key = keys.entry(name).or_insert_with(|| JsValue::from_str(name));
            Value::new(js_sys::Reflect::get(&self.0, key).unwrap_or(JsValue::UNDEFINED))
        })
    }

    fn key_count(&self) -> u32 {
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>()).length()
    }

    fn to_json(&self) -> Option<Self> {
        let method = TO_JSON.with(|key| js_sys::Reflect::get(&self.0, key)).ok()?;
        let method = method.dyn_ref::<js_sys::Function>()?;
        method.call0(&self.0).ok().map(Value::new)
    }
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

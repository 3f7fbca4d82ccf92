//! Async API functions' bad input: a rejected promise, never a throw.

use wasm_bindgen::prelude::*;

/// An async API function's result: a bad argument rejects the promise like any other failure,
/// so callers handle one path (`await` + `catch`).
pub fn promise(r: Result<js_sys::Promise, JsValue>) -> js_sys::Promise {
    r.unwrap_or_else(|e| js_sys::Promise::reject(&e))
}

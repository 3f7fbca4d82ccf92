//! IzlyPay's server-to-server callback read by core (specs 002/003): for Node servers and
//! workers that run the browser package, and for comparing the two packages. The spec's callback
//! carries no signature: confirm it with `GET WebPayments/{OperationId}` before trusting it.

use crate::js::{core_error, from_js, to_js};
use crous_till_core::api::izly_pay::parse_callback;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Reads a callback body (`headers`: the request's headers by name; `body`: its text). Throws
/// `izly_pay.callback_content_type` or `izly_pay.callback_malformed`.
#[wasm_bindgen(js_name = parseIzlyPayCallback, unchecked_return_type = "IzlyPayCallback")]
pub fn parse_izly_pay_callback(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] headers: JsValue,
    body: &str,
) -> Result<JsValue, JsValue> {
    let headers: BTreeMap<String, String> = from_js(&headers, "headers")?;
    let headers: Vec<(String, String)> = headers.into_iter().collect();
    let notification = parse_callback(&headers, body.as_bytes()).map_err(|e| core_error(&e))?;
    to_js(&notification)
}

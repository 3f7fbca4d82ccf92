//! IzlyConnect from the browser: only the Authorize URL, the one step that belongs there (specs
//! 002/003: the user's browser goes to the Authorize page). The code → token exchange needs the
//! partner's API key (`Authorization: Basic`), which must never reach a browser: a shop's server
//! does it (the Node addon, or the demo's back end).

use crate::js::core_error;
use crous_till_core::api::izly_connect::{IzlyApiKey, IzlyConnectApi};
use crous_till_core::api::Environment;
use wasm_bindgen::prelude::*;

/// `{baseUrl}/oauth/Home/Authorize?response_type=code&client_id=…&scope=…[&state=…]`.
#[wasm_bindgen(js_name = izlyConnectAuthorizeUrl)]
pub fn izly_connect_authorize_url(
    base_url: String,
    client_id: String,
    scope: &str,
    state: Option<String>,
) -> Result<String, JsValue> {
    // The key is not part of the URL; an empty one is never sent anywhere.
    let api = IzlyConnectApi::new(&Environment::Custom(base_url), client_id, IzlyApiKey::new(""))
        .map_err(|e| core_error(&e))?;
    Ok(api.authorize_url(scope, state.as_deref()))
}

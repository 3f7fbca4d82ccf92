//! # crous-till-node
//!
//! crous-till for Node servers: napi bindings over `crous-till-core` and its native executor
//! (reqwest on the addon's tokio runtime). Web shops and till back ends hold the API keys that
//! must never reach a browser and receive the server-to-server callbacks; this addon gives them
//! IzlyConnect, IzlyPay (with a callback handler), Izly POS debits, the Crous API and esipay (with
//! a return-URL handler) as typed Promises, and the till's ticket operations (`Reference`).
//!
//! The logic lives in core: this crate only converts values (JSON in, JSON out, see [`js`]) and
//! turns core's errors into JavaScript `Error`s with a stable `code` (core's `ErrorCode`) and
//! `details`, exactly as the browser package (`wasm/`) does.
//!
//! Built by `scripts/build-node-addon.sh` (`napi build --platform`: `crous_till.<platform>.node`,
//! napi's loader `index.js` and `index.d.ts`, whose
//! shapes come from `core/ts/types.gen.d.ts` (generated from core's Rust types, shared with `wasm/`) and `types.d.ts`; no `any`).

#![deny(clippy::all)]

pub mod client;
pub mod crous;
pub mod esipay;
pub mod izly_connect;
pub mod izly_pay;
pub mod izly_pos;
pub mod journal;
pub mod js;
pub mod js_value;
pub mod outbox;
pub mod reference;
pub mod till;
pub mod till_orders;
pub mod tray;

use napi_derive::napi;

/// The version of this addon (and of the core it carries).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

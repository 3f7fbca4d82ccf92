//! # crous-till-wasm
//!
//! crous-till for browser tills: wasm-bindgen bindings over `crous-till-core`. The logic lives in
//! core; this crate only converts values (JSON in, JSON out, see [`js`]) and turns core's errors
//! into JavaScript `Error`s with a stable `code`.
//!
//! Built by `scripts/build-wasm-package.sh` (wasm-pack, `--target web`: an ES module and its
//! `.wasm`, importable by Vite or by Node through `initSync`). The TypeScript shapes are in
//! `src/types.d.ts`, appended to the generated `.d.ts`; no `any` anywhere.

pub mod archive;
pub mod call;
pub mod client_crous;
pub mod client_esipay;
pub mod client_izly_pos;
pub mod fetch;
pub mod izly_connect;
pub mod izly_pay;
pub mod journal_events;
pub mod js;
pub mod outbox;
pub mod sale;
pub mod till;
pub mod tray;

use wasm_bindgen::prelude::*;

/// Core's shapes, generated from its Rust types and shared with the Node addon (core/ts/types.gen.d.ts).
#[wasm_bindgen(typescript_custom_section)]
const CORE_TYPES: &str = include_str!("../../core/ts/types.gen.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &str = include_str!("client_types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const OUTBOX_TYPES: &str = include_str!("outbox_types.d.ts");

/// The version of this package (and of the core it carries).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

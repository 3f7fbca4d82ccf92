//! `openTillKey(keyFile)`: the till's Ed25519 key for a Node server, as the browser package's
//! `openTillKey()` gives its WebCrypto key. It signs the till's closures (`close(period, key)`)
//! and archives (`exportArchive(key)`); the secret stays in the addon and in its key file
//! (made on first use from the OS random source, created 0600; a file others can read is
//! refused with `journal.key_file`).

use crate::js::sync;
use crous_till_core::journal;
use crous_till_store::export::till_key;
use napi::bindgen_prelude::Uint8Array;
use napi::Env;
use napi_derive::napi;
use std::path::Path;

/// The till's signing key. Its secret never reaches JavaScript.
#[napi]
pub struct TillKey {
    pub(crate) key: journal::TillKey,
}

#[napi]
impl TillKey {
    /// The raw Ed25519 public key, 32 bytes (what the browser package's key shows too).
    #[napi(getter)]
    pub fn public_key(&self) -> Uint8Array {
        Uint8Array::new(self.key.public_key().to_vec())
    }

    /// The public key as 64 hex digits, for `crous-till journal verify --public-key`.
    #[napi(getter)]
    pub fn public_key_hex(&self) -> String {
        self.key.public_key_hex()
    }
}

/// The till's key kept in `keyFile` (made on first use, 0600). Throws `journal.key_file`.
#[napi]
pub fn open_till_key(env: Env, key_file: String) -> napi::Result<TillKey> {
    sync(&env, till_key(Path::new(&key_file)).map(|key| TillKey { key }))
}

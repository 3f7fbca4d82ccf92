//! The till's journal, as both `Till` and `TicketOutbox` expose it: `openTillKey(keyFile)`, the
//! till's Ed25519 key for a Node server, as the browser package's `openTillKey()` gives its
//! WebCrypto key (the secret stays in the addon and in its key file, made on first use from the
//! OS random source, created 0600; a file others can read is refused with `journal.key_file`),
//! and what both classes do with it: close a period, export the archive, record the stop. Core's
//! `TillJournal` does each; this only converts.

use crate::js::{sync, to_js, Failure, Outcome};
use crate::outbox::now;
use crous_till_core::journal::{self, ExportedArchiveFile, Period};
use crous_till_core::outbox::TillJournal;
use crous_till_store::export::till_key;
use napi::bindgen_prelude::Uint8Array;
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
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

/// Closes `period` ([`TillJournal::close`]), signed with `key` when given; the queue after it.
pub(crate) fn close(journal: &mut impl TillJournal, period: &str, key: Option<&TillKey>) -> Outcome<Value> {
    let period = period.parse::<Period>().map_err(|e| Failure::new("input.invalid_period", e.to_string()))?;
    journal.close(period, key.map(|k| &k.key), now()).map_err(|e| Failure::of(&e))?;
    to_js(&journal.outbox().view(now()))
}

/// The signed archive ([`TillJournal::export_archive`]) as both packages give it.
pub(crate) fn export(journal: &mut impl TillJournal, key: &TillKey) -> Outcome<Value> {
    let archive = journal.export_archive(&key.key, now()).map_err(|e| Failure::of(&e))?;
    to_js(&ExportedArchiveFile::of(&archive))
}

/// Records the run's stop ([`TillJournal::stop`]).
pub(crate) fn stop(journal: &mut impl TillJournal) -> Outcome<()> {
    journal.stop(now()).map_err(|e| Failure::of(&e))
}

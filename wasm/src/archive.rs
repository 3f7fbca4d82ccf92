//! The browser till's journal archive: what `crous-till journal verify` checks, signed by the
//! till's own key, which lives in WebCrypto and never in this module (`openTillKey`: a
//! non-extractable Ed25519 key kept in IndexedDB). Core packs the stored journal once it
//! verifies and gives the bytes to sign; the signer signs them; core checks the signature before
//! the archive is made. The page offers the result as a file to download.

use crate::js::{core_error, error, to_js};
use crate::outbox::{load_snapshot, Queue};
use crous_till_core::outbox::{archive_error, unsigned_archive, z_reports, HoldsOutbox};
use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// What signs an archive (`TillSigner` in TypeScript): `openTillKey()`'s result, or any
    /// object with the same two members.
    #[wasm_bindgen(typescript_type = "TillSigner")]
    pub type JsTillSigner;
    #[wasm_bindgen(method, getter, js_name = publicKey)]
    fn public_key(this: &JsTillSigner) -> JsValue;
    #[wasm_bindgen(method, catch)]
    fn sign(this: &JsTillSigner, message: Uint8Array) -> Result<js_sys::Promise, JsValue>;
}

#[wasm_bindgen(module = "/src/js/till_key.js")]
extern "C" {
    #[wasm_bindgen(js_name = openTillKey)]
    fn open_till_key_js(name: Option<String>) -> js_sys::Promise;
}

/// The till's signing key: an Ed25519 key pair made with WebCrypto on first use, its private
/// key non-extractable, kept in IndexedDB (database `crous-till-key` unless `name` is given).
/// Rejects with `journal.no_signing_key` where the browser lacks Ed25519. Browser only.
#[wasm_bindgen(js_name = openTillKey, unchecked_return_type = "Promise<TillSigner>")]
pub fn open_till_key(name: Option<String>) -> js_sys::Promise {
    open_till_key_js(name)
}

/// What an export made: the archive file's text, and what to show of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportedArchiveFile {
    /// The archive, as the file to save (`crous-till journal verify` reads it).
    file: String,
    point_of_sale: String,
    /// The till's Ed25519 public key, 64 hex digits.
    public_key: String,
    entries: usize,
    closures: usize,
}

fn bytes<const N: usize>(value: &JsValue, what: &str) -> Result<[u8; N], JsValue> {
    let wrong = || error("journal.bad_signature", &format!("the signer's {what} is not {N} bytes"), None);
    if !value.is_instance_of::<Uint8Array>() {
        return Err(wrong());
    }
    Uint8Array::new(value).to_vec().try_into().map_err(|_| wrong())
}

impl<Q: HoldsOutbox> Queue<Q> {
    /// Packs the stored journal (verified first: `journal.broken` is never signed), has `signer`
    /// sign it, and makes the archive once the signature checks.
    pub(crate) async fn export_archive(&self, signer: &JsTillSigner) -> Result<JsValue, JsValue> {
        let _held = self.lock.hold().await; // no commit lands between the load and the file
        let pos = self.state.borrow().outbox().point_of_sale();
        let unsigned = unsigned_archive(pos, load_snapshot(&self.store, pos).await?).map_err(|e| core_error(&e))?;
        let message = unsigned.message().map_err(|e| core_error(&archive_error(e)))?;
        let signed = JsFuture::from(signer.sign(Uint8Array::from(&message[..]))?).await?;
        let signature = bytes::<64>(&signed, "signature")?;
        let public_key = bytes::<32>(&signer.public_key(), "public key")?;
        let archive = unsigned.signed(&public_key, &signature).map_err(|e| core_error(&archive_error(e)))?;
        to_js(&ExportedArchiveFile {
            file: archive.to_json_pretty(),
            point_of_sale: pos.app_id(),
            public_key: archive.signature.public_key.clone(),
            entries: archive.entries.len(),
            closures: archive.closures.len(),
        })
    }

    /// The Z report of every closure of the stored journal (verified first), oldest first.
    pub(crate) async fn z_reports(&self) -> Result<JsValue, JsValue> {
        let pos = self.state.borrow().outbox().point_of_sale();
        let snapshot = load_snapshot(&self.store, pos).await?;
        to_js(&z_reports(pos, snapshot).map_err(|e| core_error(&e))?)
    }
}

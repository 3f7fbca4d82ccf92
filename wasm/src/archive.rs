//! The browser till's journal archive: what `crous-till journal verify` checks, signed by the
//! till's own key, which lives in WebCrypto and never in this module (`openTillKey`: a
//! non-extractable Ed25519 key kept in IndexedDB). Core packs the stored journal once it
//! verifies and gives the bytes to sign; the signer signs them; core checks the signature before
//! the archive is made. The page offers the result as a file to download.

use crate::js::{core_error, error, to_js};
use crate::outbox::{load_snapshot, now, Queue};
use crous_till_core::journal::ExportedArchiveFile;
use crous_till_core::outbox::{archive_error, z_reports, HoldsOutbox};
use js_sys::Uint8Array;
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

fn bytes<const N: usize>(value: &JsValue, what: &str) -> Result<[u8; N], JsValue> {
    let wrong = || error("journal.bad_signature", &format!("the signer's {what} is not {N} bytes"), None);
    if !value.is_instance_of::<Uint8Array>() {
        return Err(wrong());
    }
    Uint8Array::new(value).to_vec().try_into().map_err(|_| wrong())
}

/// Has `signer` sign `message`; its public key and the signature, each of the right length
/// (`journal.bad_signature` otherwise). Core checks the signature itself before using it.
pub(crate) async fn sign(signer: &JsTillSigner, message: &[u8]) -> Result<([u8; 32], [u8; 64]), JsValue> {
    let signed = JsFuture::from(signer.sign(Uint8Array::from(message))?).await?;
    Ok((bytes::<32>(&signer.public_key(), "public key")?, bytes::<64>(&signed, "signature")?))
}

impl<Q: HoldsOutbox> Queue<Q> {
    /// Plans the export event (110, naming the signer's key), packs the stored journal with it
    /// (verified first: `journal.broken` is never signed), has `signer` sign it, and once the
    /// signature checks stores the event and gives the archive: a refused signer stores nothing.
    pub(crate) async fn export_archive(&self, signer: &JsTillSigner) -> Result<JsValue, JsValue> {
        let _held = self.lock.hold().await; // no commit lands between the load and the file
        let pos = self.state.borrow().outbox().point_of_sale();
        let key = bytes::<32>(&signer.public_key(), "public key")?;
        let snapshot = load_snapshot(&self.store, pos).await?;
        let planned = self
            .state
            .borrow()
            .outbox()
            .plan_export(snapshot, &crous_till_core::journal::hash::to_hex(&key), now())
            .map_err(|e| core_error(&e))?;
        let message = planned.unsigned.message().map_err(|e| core_error(&archive_error(e)))?;
        let (public_key, signature) = sign(signer, &message).await?;
        let archive = planned.unsigned.signed(&public_key, &signature).map_err(|e| core_error(&archive_error(e)))?;
        self.persist(planned.commit).await?;
        to_js(&ExportedArchiveFile::of(&archive))
    }

    /// The Z report of every closure of the stored journal (verified first), oldest first.
    pub(crate) async fn z_reports(&self) -> Result<JsValue, JsValue> {
        let pos = self.state.borrow().outbox().point_of_sale();
        let snapshot = load_snapshot(&self.store, pos).await?;
        to_js(&z_reports(pos, snapshot).map_err(|e| core_error(&e))?)
    }
}

//! The signed archive: one JSON file with a till's entries, closures and head, signed with the
//! till's Ed25519 key.
//!
//! Art. 286 I-3° bis CGI asks for "conservation et archivage": the records must leave the till
//! in a form that can still be checked years later, offline, by someone who does not trust the
//! till. Choices:
//!
//! * **Ed25519** (RFC 8032), not an HMAC: checking needs only the public key, so the Crous or an
//!   auditor can verify an archive without holding anything that could forge one. The signing key
//!   is made from 32 seed bytes the caller provides (core draws no randomness: the platform's
//!   secure random source or key store supplies them), and its public key is registered with the
//!   back office when the till is installed.
//! * **What is signed is the head**, the message being the ASCII bytes
//!   `crous-till-journal-archive/<formatVersion>\n` followed by the canonical JSON
//!   ([`super::canonical`]) of the `head` object. The head holds every chain's last hash, and
//!   every record is chained to them, so the signature covers every entry, closure and event; a
//!   broken record is still named precisely by the chain walk rather than by a bare "bad
//!   signature".
//!
//! File layout (`formatVersion` 2; version 1, written before the event journal, has no `events`
//! and its head no event count, and is still read):
//!
//! ```json
//! {"format": "crous-till-journal-archive", "formatVersion": 2,
//!  "head": {"formatVersion", "pointOfSale", "entryCount", "lastEntryHash", "closureCount", "lastClosureHash",
//!           "eventCount", "lastEventHash"},
//!  "entries": [JournalEntry…], "closures": [Closure…], "events": [Event…],
//!  "signature": {"algorithm": "Ed25519", "publicKey": "<64 hex>", "value": "<128 hex>"}}
//! ```
//!
//! To verify in another language: check the signature over the message above with `publicKey`
//! (and check that key is the till's), walk the three chains as
//! [`super::verify`](mod@super::verify) describes and compare their lengths and last hashes with
//! the head, and check each closure's `signature` ([`super::closure`]) with the same key.

use super::canonical::to_canonical_json;
use super::closure::Closure;
use super::entry::JournalEntry;
use super::event::Event;
use super::hash::{from_hex, to_hex};
use super::head::Head;
use super::verify::{verify_with_events, Finding, Report};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `format` of an archive file.
pub const ARCHIVE_FORMAT: &str = "crous-till-journal-archive";
/// The archive format this code writes.
pub const ARCHIVE_FORMAT_VERSION: u32 = 2;
/// The archive formats this code reads: 1 (no event journal) and 2.
pub const READABLE_FORMAT_VERSIONS: [u32; 2] = [1, 2];
/// The only signature algorithm.
pub const SIGNATURE_ALGORITHM: &str = "Ed25519";

/// A till's signing key. Its `Debug` does not show the secret.
#[derive(Clone)]
pub struct TillKey(SigningKey);

impl TillKey {
    /// The key whose RFC 8032 secret is `seed`.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        TillKey(SigningKey::from_bytes(&seed))
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// The public key, 64 lowercase hex digits: what the back office registers.
    pub fn public_key_hex(&self) -> String {
        to_hex(&self.public_key())
    }

    /// Signs `head` as the head of an archive of the format this code writes.
    pub fn sign_head(&self, head: &Head) -> Result<ArchiveSignature, super::canonical::CanonicalError> {
        self.sign_head_as(head, ARCHIVE_FORMAT_VERSION)
    }

    /// Signs `head` as the head of an archive of `format_version` (tests of older archives).
    pub fn sign_head_as(
        &self,
        head: &Head,
        format_version: u32,
    ) -> Result<ArchiveSignature, super::canonical::CanonicalError> {
        let signature = self.0.sign(&signed_message(head, format_version)?);
        Ok(ArchiveSignature {
            algorithm: SIGNATURE_ALGORITHM.to_owned(),
            public_key: self.public_key_hex(),
            value: to_hex(&signature.to_bytes()),
        })
    }
}

impl TillKey {
    /// The closure's signature ([`Closure::signed_message`]), hex.
    pub fn sign_closure(&self, closure: &Closure) -> String {
        to_hex(&self.0.sign(&closure.signed_message()).to_bytes())
    }
}

impl Closure {
    /// Takes a signature of this closure made outside core (the browser's WebCrypto key), once it
    /// is `public_key`'s over [`Closure::signed_message`]; a refused one leaves the closure
    /// unsigned.
    pub fn accept_signature(&mut self, public_key: &[u8; 32], signature: &[u8; 64]) -> Result<(), &'static str> {
        self.signature = Some(to_hex(signature));
        let checked = check_closure_signature(public_key, self);
        if checked.is_err() {
            self.signature = None;
        }
        checked
    }
}

/// Checks an Ed25519 `signature` of `message` by `public_key`; `refused` says why it is not.
fn check_ed25519(
    public_key: &[u8; 32],
    message: &[u8],
    signature: &[u8; 64],
    refused: &'static str,
) -> Result<(), &'static str> {
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| "not an Ed25519 public key")?;
    key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature)).map_err(|_| refused)
}

/// Checks a closure's `signature` with the till's public key.
pub fn check_closure_signature(public_key: &[u8; 32], closure: &Closure) -> Result<(), &'static str> {
    let signature = closure.signature.as_deref().ok_or("the closure is not signed")?;
    let value = from_hex::<64>(signature).ok_or("its signature is not 64 bytes of hex")?;
    check_ed25519(public_key, &closure.signed_message(), &value, "its signature is not the till key's over its hash")
}

impl fmt::Debug for TillKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TillKey(public {})", self.public_key_hex())
    }
}

/// The bytes the signature of an archive of `format_version` covers.
pub fn signed_message(head: &Head, format_version: u32) -> Result<Vec<u8>, super::canonical::CanonicalError> {
    let mut message = format!("{ARCHIVE_FORMAT}/{format_version}\n").into_bytes();
    message.extend_from_slice(to_canonical_json(head)?.as_bytes());
    Ok(message)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveSignature {
    /// `Ed25519`.
    pub algorithm: String,
    /// The signer's public key, hex.
    pub public_key: String,
    /// The 64-byte signature, hex.
    pub value: String,
}

/// A till's whole journal, signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Archive {
    pub format: String,
    pub format_version: u32,
    pub head: Head,
    pub entries: Vec<JournalEntry>,
    pub closures: Vec<Closure>,
    /// The technical event journal (format 2; none in format 1).
    #[serde(default)]
    pub events: Vec<Event>,
    pub signature: ArchiveSignature,
}

/// Why a file is not an archive this version can check.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not JSON of a journal archive: {0}")]
    Json(#[from] serde_json::Error),
    #[error("format {format:?} version {version} is not {ARCHIVE_FORMAT:?} version 1 or 2")]
    Format { format: String, version: u32 },
    #[error("a version 1 archive has no event journal, and this one holds {0} events")]
    EventsInVersion1(usize),
    #[error(transparent)]
    Canonical(#[from] super::canonical::CanonicalError),
    /// A signature made outside core ([`UnsignedArchive::signed`]) does not verify.
    #[error("the archive's signature is refused: {0}")]
    BadSignature(&'static str),
}

/// A journal packed for an archive, waiting for its signature: what a till whose key lives
/// outside core signs (a browser's non-extractable WebCrypto key signs [`Self::message`], and
/// [`Self::signed`] checks what came back before it makes the archive).
#[derive(Debug, Clone, PartialEq)]
pub struct UnsignedArchive {
    pub head: Head,
    pub entries: Vec<JournalEntry>,
    pub closures: Vec<Closure>,
    pub events: Vec<Event>,
}

impl UnsignedArchive {
    /// The bytes to sign with Ed25519 ([`signed_message`] of the head).
    pub fn message(&self) -> Result<Vec<u8>, ArchiveError> {
        Ok(signed_message(&self.head, ARCHIVE_FORMAT_VERSION)?)
    }

    /// Signs with a key core holds.
    pub fn sign(self, key: &TillKey) -> Result<Archive, ArchiveError> {
        let signature = key.sign_head(&self.head)?;
        Ok(self.into_archive(signature))
    }

    /// The archive, with a signature made elsewhere by `public_key`; refused unless it is a
    /// valid Ed25519 signature of [`Self::message`] by that key (a wrong key or a corrupted
    /// signature never reaches a file).
    pub fn signed(self, public_key: &[u8; 32], signature: &[u8; 64]) -> Result<Archive, ArchiveError> {
        check_ed25519(
            public_key,
            &self.message()?,
            signature,
            "the signature is not the key's over this journal's head",
        )
        .map_err(ArchiveError::BadSignature)?;
        Ok(self.into_archive(ArchiveSignature {
            algorithm: SIGNATURE_ALGORITHM.to_owned(),
            public_key: to_hex(public_key),
            value: to_hex(signature),
        }))
    }

    fn into_archive(self, signature: ArchiveSignature) -> Archive {
        Archive {
            format: ARCHIVE_FORMAT.to_owned(),
            format_version: ARCHIVE_FORMAT_VERSION,
            head: self.head,
            entries: self.entries,
            closures: self.closures,
            events: self.events,
            signature,
        }
    }
}

impl Archive {
    /// Reads an archive file's text.
    pub fn from_json(text: &str) -> Result<Archive, ArchiveError> {
        let archive: Archive = serde_json::from_str(text)?;
        archive.check_format()?;
        Ok(archive)
    }

    /// An archive of another format or version is not checked: its rules may differ.
    pub fn check_format(&self) -> Result<(), ArchiveError> {
        if self.format != ARCHIVE_FORMAT || !READABLE_FORMAT_VERSIONS.contains(&self.format_version) {
            return Err(ArchiveError::Format { format: self.format.clone(), version: self.format_version });
        }
        if self.format_version == 1 && !self.events.is_empty() {
            return Err(ArchiveError::EventsInVersion1(self.events.len()));
        }
        Ok(())
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("an archive always serializes")
    }

    /// Verifies the chains against the head, each closure's signature, then the signature over
    /// the head. With `trusted_key`, the archive must also be signed by that key; without it,
    /// the key inside the archive is used, which proves integrity but not who signed.
    pub fn verify(&self, trusted_key: Option<&[u8; 32]>) -> Report {
        let pos = &self.head.point_of_sale;
        let mut report = verify_with_events(pos, &self.entries, &self.closures, &self.events, Some(&self.head));
        if let Some(key) = from_hex::<32>(&self.signature.public_key) {
            self.check_closure_signatures(&mut report, &key);
        }
        if let Err(reason) = self.check_signature() {
            report.findings.push(Finding::SignatureInvalid { reason });
        }
        if let Some(trusted) = trusted_key {
            let expected = to_hex(trusted);
            if !self.signature.public_key.eq_ignore_ascii_case(&expected) {
                report.findings.push(Finding::UntrustedKey { expected, found: self.signature.public_key.clone() });
            }
        }
        report
    }

    /// A signed closure must be signed by the archive's key; unsigned ones (made before closures
    /// were signed) are counted.
    fn check_closure_signatures(&self, report: &mut Report, key: &[u8; 32]) {
        for closure in &self.closures {
            match &closure.signature {
                None => report.closures_unsigned += 1,
                Some(_) => {
                    if let Err(reason) = check_closure_signature(key, closure) {
                        let sequence = closure.sequence;
                        report.findings.push(Finding::ClosureSignatureInvalid { sequence, reason: reason.to_owned() });
                    }
                }
            }
        }
    }

    fn check_signature(&self) -> Result<(), String> {
        let s = &self.signature;
        if s.algorithm != SIGNATURE_ALGORITHM {
            return Err(format!("algorithm {:?} is not {SIGNATURE_ALGORITHM}", s.algorithm));
        }
        let key = from_hex::<32>(&s.public_key).ok_or("publicKey is not 32 bytes of hex")?;
        let value = from_hex::<64>(&s.value).ok_or("value is not 64 bytes of hex")?;
        let message = signed_message(&self.head, self.format_version).map_err(|e| e.to_string())?;
        Ok(check_ed25519(&key, &message, &value, "the head is not what the key signed")?)
    }
}

/// What a till's `exportArchive` gives, in both JavaScript packages: the archive file's text
/// (save it; `crous-till journal verify --public-key <publicKey>` checks it) and what to show of
/// it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedArchiveFile {
    pub file: String,
    pub point_of_sale: String,
    /// The till's Ed25519 public key, 64 hex digits.
    pub public_key: String,
    pub entries: u32,
    pub closures: u32,
    /// Technical events, the export itself included.
    pub events: u32,
}

impl ExportedArchiveFile {
    pub fn of(archive: &Archive) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        ExportedArchiveFile {
            file: archive.to_json_pretty(),
            point_of_sale: archive.head.point_of_sale.app_id(),
            public_key: archive.signature.public_key.clone(),
            entries: count(archive.entries.len()),
            closures: count(archive.closures.len()),
            events: count(archive.events.len()),
        }
    }
}

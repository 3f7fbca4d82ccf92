//! A till's journal written out as the signed archive `crous-till journal verify` reads (what
//! `crous-till journal export` does), and the till's key file both it and the Node addon's
//! `openTillKey` read. The archive is written to a temporary file next to `out` and renamed over
//! it, so a reader never sees half a file.

use crate::key_file::{self, KeyFileError};
use crous_till_core::client::Failure;
use crous_till_core::journal::{Archive, ExportedArchiveFile, TillKey};
use crous_till_core::outbox::OutboxError;
use std::path::Path;

/// The till's key in `key_file` (made on first use), or `journal.key_file`.
pub fn till_key(key_file: &Path) -> Result<TillKey, Failure> {
    key_file::load_or_create(key_file).map_err(|e: KeyFileError| Failure::new("journal.key_file", e.to_string()))
}

/// Exports a journal to `out`, signed with the key in `key_file` (made on first use): `export`
/// makes the archive with that key ([`crous_till_core::outbox::TillJournal::export_archive`]).
/// Errors carry core's codes: `journal.broken` for a journal that does not verify (nothing is
/// signed), `journal.key_file` for the key, `journal.export_failed` for the file.
pub fn export_to_file(
    key_file: &Path,
    out: &Path,
    export: impl FnOnce(&TillKey) -> Result<Archive, OutboxError>,
) -> Result<ExportedArchiveFile, Failure> {
    let key = till_key(key_file)?;
    let exported = ExportedArchiveFile::of(&export(&key).map_err(|e| Failure::of(&e))?);
    let written = |e: std::io::Error| Failure::new("journal.export_failed", format!("{}: {e}", out.display()));
    let partial = out.with_extension("partial");
    std::fs::write(&partial, &exported.file).map_err(written)?;
    std::fs::rename(&partial, out).map_err(written)?;
    Ok(exported)
}

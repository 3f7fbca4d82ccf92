//! `crous-till journal export --store LOCATION --pos POS --key KEYFILE ARCHIVE.json`.
//!
//! Writes the journal a Node server keeps (its SQLite file, or its PostgreSQL database) as the
//! signed archive `crous-till journal verify` checks, with the till's key file (made on first
//! use, 0600: the same file the server's `exportArchive` uses). The export is recorded in the
//! till's technical event journal (110) before the archive is packed, as every export is. A
//! journal that does not verify is not signed. Exit codes: 0 written; 2 nothing written (the store, the key or the file failed:
//! the error's code and message on stderr).

use crous_till_core::outbox::{DurableOutbox, OutboxPolicy, TillJournal};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_store::export::export_to_file;
use crous_till_store::TillStore;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Where the server keeps the till: a SQLite file (or `sqlite:PATH`) or a `postgres://` URL.
    #[arg(long, value_name = "LOCATION")]
    store: String,
    /// The till's point of sale, as `5-1-9-8-14` (idCrous-idUg-idRu-idUd-idCaisse).
    #[arg(long = "pos", value_name = "POS")]
    point_of_sale: String,
    /// The till's Ed25519 key file (created 0600 when missing).
    #[arg(long, value_name = "KEYFILE")]
    key: PathBuf,
    /// Where to write the archive.
    #[arg(value_name = "ARCHIVE.json")]
    out: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    let written = args
        .point_of_sale
        .parse::<PointOfSale>()
        .map_err(|e| format!("input.invalid_point_of_sale: --pos {:?}: {e}", args.point_of_sale))
        .and_then(|pos| {
            let store = TillStore::open(&args.store).map_err(|e| format!("outbox.store_failed: {e}"))?;
            let export = |key: &_| DurableOutbox::open(store, pos, OutboxPolicy::default())?.export_archive(key, now());
            export_to_file(&args.key, &args.out, export).map_err(|f| format!("{}: {}", f.code, f.message))
        });
    match written {
        Ok(w) => {
            println!(
                "wrote {}: the journal of point of sale {}, {} entries, {} closures, {} events, signed by Ed25519 key {}",
                args.out.display(),
                w.point_of_sale,
                w.entries,
                w.closures,
                w.events,
                w.public_key
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The clock, in milliseconds since the epoch, for the export event.
fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

//! `crous-till journal verify [--public-key HEX] [--json] ARCHIVE.json`.
//!
//! Checks a signed journal archive offline (art. 286 I-3° bis CGI: the records must stay
//! checkable after they leave the till): both hash chains, the head they must end on, every
//! closure against its tickets, and the Ed25519 signature over the head.
//!
//! Exit codes: 0 the archive verifies; 1 it does not (the first broken record is named first,
//! then anything else found); 2 the file can't be read, isn't an archive, or `--public-key` isn't
//! 64 hex digits. Without `--public-key` the signature is checked against the key inside the
//! archive, which proves the archive is whole but not who made it: a note on stderr says so.

use crous_till_core::journal::hash::from_hex;
use crous_till_core::journal::{Archive, Finding, Report};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum JournalCommand {
    /// Verify a signed journal archive (exit 0 verifies, 1 broken, 2 unreadable).
    Verify(Args),
    /// Export a Node server's till journal (SQLite file or PostgreSQL) as a signed archive.
    Export(crate::journal_export::Args),
    /// Write the Z report of every closure of a verified archive as a printable HTML page.
    Report(crate::journal_report::Args),
}

#[derive(clap::Args)]
pub struct Args {
    /// The till's Ed25519 public key (64 hex digits) the archive must be signed with.
    #[arg(long, value_name = "HEX")]
    public_key: Option<String>,
    /// Print {"valid", "findings", "entriesVerified", "closuresVerified", "publicKey"} on stdout.
    #[arg(long)]
    json: bool,
    /// The archive, as exported by the till.
    #[arg(value_name = "ARCHIVE.json")]
    archive: PathBuf,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    valid: bool,
    findings: &'a [Finding],
    entries_verified: usize,
    closures_verified: usize,
    events_verified: usize,
    closures_unsigned: usize,
    public_key: &'a str,
}

pub fn run(command: &JournalCommand) -> ExitCode {
    match command {
        JournalCommand::Verify(args) => verify(args),
        JournalCommand::Export(args) => crate::journal_export::run(args),
        JournalCommand::Report(args) => crate::journal_report::run(args),
    }
}

/// Reads an archive file, and the trusted key when one is given (64 hex digits).
pub(crate) fn read_archive(file: &Path, public_key: Option<&str>) -> Result<(Archive, Option<[u8; 32]>), String> {
    let trusted = match public_key {
        None => None,
        Some(hex) => Some(from_hex::<32>(hex).ok_or_else(|| format!("--public-key is not 64 hex digits: {hex:?}"))?),
    };
    let path = file.display();
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read archive {path}: {e}"))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let archive: Archive = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        format!("{path} is not a journal archive (at {at}): {}", e.into_inner())
    })?;
    archive.check_format().map_err(|e| format!("{path}: {e}"))?;
    Ok((archive, trusted))
}

fn verify(args: &Args) -> ExitCode {
    let (archive, trusted) = match read_archive(&args.archive, args.public_key.as_deref()) {
        Ok(read) => read,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let report: Report = archive.verify(trusted.as_ref());
    if args.json {
        let json = JsonReport {
            valid: report.is_ok(),
            findings: &report.findings,
            entries_verified: report.entries_verified,
            closures_verified: report.closures_verified,
            events_verified: report.events_verified,
            closures_unsigned: report.closures_unsigned,
            public_key: &archive.signature.public_key,
        };
        println!("{}", serde_json::to_string_pretty(&json).expect("a report serializes"));
    } else if report.is_ok() {
        let head = &archive.head;
        println!(
            "ok: journal of point of sale {} verifies: {} entries, {} closures, {} technical events, signed by Ed25519 key {}",
            head.point_of_sale, head.entry_count, head.closure_count, head.event_count, archive.signature.public_key
        );
        if report.closures_unsigned > 0 {
            println!(
                "note: {} closures carry no signature of their own (made before closures were signed)",
                report.closures_unsigned
            );
        }
    } else {
        let mut findings = report.findings.iter();
        if let Some(first) = findings.next() {
            println!("BROKEN: {first}");
        }
        for more in findings {
            println!("also: {more}");
        }
        println!(
            "{} of {} entries, {} of {} closures and {} of {} events verified before the first break",
            report.entries_verified,
            archive.entries.len(),
            report.closures_verified,
            archive.closures.len(),
            report.events_verified,
            archive.events.len()
        );
    }
    if trusted.is_none() {
        eprintln!("note: the signature was checked with the key inside the archive; pass --public-key with the till's registered key to check who signed it");
    }
    if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

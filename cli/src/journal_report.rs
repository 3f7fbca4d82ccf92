//! `crous-till journal report [--public-key HEX] [--out FILE.html] ARCHIVE.json`.
//!
//! Writes the Z report of every closure in a signed archive as one printable HTML page (core's
//! [`ZReport`], rendered by [`crate::z_report_html`]). The archive is verified first, as
//! `journal verify` does: a report is only made from a journal that verifies. Exit codes: 0
//! written; 1 the archive does not verify (nothing written); 2 it can't be read, or the page
//! can't be written.

use crate::journal_verify::read_archive;
use crate::{jet_html, z_report_html};
use crous_till_core::journal::z_reports;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The till's Ed25519 public key (64 hex digits) the archive must be signed with.
    #[arg(long, value_name = "HEX")]
    public_key: Option<String>,
    /// Where to write the page (default: the archive's name with `.html`).
    #[arg(long, value_name = "FILE.html")]
    out: Option<PathBuf>,
    /// The archive, as exported by the till.
    #[arg(value_name = "ARCHIVE.json")]
    archive: PathBuf,
}

pub fn run(args: &Args) -> ExitCode {
    let (archive, trusted) = match read_archive(&args.archive, args.public_key.as_deref()) {
        Ok(read) => read,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let verdict = archive.verify(trusted.as_ref());
    if let Some(first) = verdict.findings.first() {
        eprintln!("error: the archive does not verify, no report is made from it: {first}");
        return ExitCode::from(1);
    }
    let sections: Result<Vec<String>, _> = z_reports(&archive.closures, &archive.entries)
        .map(|reports| reports.iter().map(z_report_html::section).collect());
    let mut sections = match sections {
        Ok(sections) => sections,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let closures = sections.len();
    sections.push(jet_html::section(&archive.events));
    let title = format!("Rapports Z — point de vente {}", archive.head.point_of_sale);
    let out = args.out.clone().unwrap_or_else(|| args.archive.with_extension("html"));
    if let Err(e) = std::fs::write(&out, z_report_html::page(&title, &sections)) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::from(2);
    }
    println!(
        "wrote {}: {closures} closures and {} technical events of point of sale {}",
        out.display(),
        archive.events.len(),
        archive.head.point_of_sale
    );
    ExitCode::SUCCESS
}

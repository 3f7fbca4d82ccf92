//! `crous-till ticket check [--reference FILE] [--json] TICKET.json`.
//!
//! Exit codes: 0 valid, 1 violations, 2 the ticket or reference file can't be read or isn't JSON
//! of the right shape. With `--json`, stdout is exactly
//! `{"valid": bool, "violations": [{"code", "path", "message"}]}`; notes go to stderr.

use crous_till_core::checks::{check_ticket, Violation};
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Reference data: {"tva": [{"codeTva", "taux"}], "articles": [{"codeArticle", "libelle"}]},
    /// taux in percent. Without it, the checks needing articles or VAT rates are skipped.
    #[arg(long, value_name = "FILE")]
    reference: Option<PathBuf>,
    /// Print {"valid": bool, "violations": [...]} on stdout.
    #[arg(long)]
    json: bool,
    /// The ticket, as sent to the Crous `tickets` resource.
    #[arg(value_name = "TICKET.json")]
    ticket: PathBuf,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    valid: bool,
    violations: &'a [Violation],
}

/// Reads and parses a JSON file, saying which file and where in it things went wrong.
fn read_json<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." { String::new() } else { format!(" at {at}") };
        format!("{} is not a JSON {what}{at}: {}", path.display(), e.inner())
    })?;
    de.end().map_err(|e| format!("{} is not a JSON {what}: {e}", path.display()))?;
    Ok(value)
}

pub fn run(args: &Args) -> ExitCode {
    let loaded = read_json::<Ticket>(&args.ticket, "ticket").and_then(|t| {
        let reference =
            args.reference.as_deref().map(|p| read_json::<ReferenceData>(p, "reference file")).transpose()?;
        Ok((t, reference))
    });
    let (ticket, reference) = match loaded {
        Ok(v) => v,
        Err(message) => {
            eprintln!("crous-till: {message}");
            return ExitCode::from(2);
        }
    };
    let report = check_ticket(&ticket, reference.as_ref());
    if !report.skipped.is_empty() {
        let skipped: Vec<_> = report.skipped.iter().map(|c| c.as_str()).collect();
        eprintln!("note: no --reference given, skipped the checks {}", skipped.join(", "));
    }
    if args.json {
        let out = JsonReport { valid: report.is_valid(), violations: &report.violations };
        println!("{}", serde_json::to_string(&out).expect("a report always serializes"));
    } else if report.is_valid() {
        println!("{}: valid", args.ticket.display());
    } else {
        println!("{}: {} violation(s)", args.ticket.display(), report.violations.len());
        for v in &report.violations {
            println!("  {:<24} {:<40} {}", v.code.as_str(), v.path, v.message);
        }
    }
    ExitCode::from(if report.is_valid() { 0 } else { 1 })
}

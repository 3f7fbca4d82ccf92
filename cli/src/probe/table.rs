//! The probe's table as text: one line per row of `docs/api-choices.md`, its status, its place in
//! the document, and what was seen.

use super::choices::{Reported, Status, Verdict};
use std::fmt::Write;

fn short(text: &str, width: usize) -> String {
    let one_line = text.replace('`', "");
    match one_line.char_indices().nth(width) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

pub fn render(report: &[Reported]) -> String {
    let mut out = String::new();
    let count = |s: Status| report.iter().filter(|r| r.status == s).count();
    for r in report {
        let status = match r.status {
            Status::Confirmed => "confirmed",
            Status::Contradicted => "CONTRADICTED",
            Status::NotExercised => "not exercised",
        };
        let _ = writeln!(out, "{status:<14} docs/api-choices.md:{:<4} {}", r.row.line, short(&r.row.what, 90));
        if let Some(why) = &r.why {
            let _ = writeln!(out, "{:20}{why}", "");
        }
        for v in &r.verdicts {
            match v {
                Verdict::Contradicted { field, expected, seen } => {
                    let _ = writeln!(out, "{:20}field {field}: expected {expected}, seen {seen}", "");
                }
                Verdict::Confirmed { detail } => {
                    let _ = writeln!(out, "{:20}{detail}", "");
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{} confirmed, {} contradicted, {} not exercised",
        count(Status::Confirmed),
        count(Status::Contradicted),
        count(Status::NotExercised)
    );
    out
}

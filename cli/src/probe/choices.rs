//! The rows of `docs/api-choices.md` the probe reports on, and what it observed of each.
//!
//! The document is built in (the binary reports on the choices it was built with). Each check
//! names its row by a piece of the row's "what" cell that no other row holds
//! ([`Observations::confirm`], [`Observations::contradict`]); a test holds every such piece to
//! exactly one row, so the document and the probe cannot drift apart. The table lists every row
//! whose source says "choice", and the spec or public rows a check exercised.

use serde::Serialize;

const DOC: &str = include_str!("../../../docs/api-choices.md");

/// One table row of the document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub line: usize,
    pub section: String,
    pub what: String,
    pub source: String,
}

impl Row {
    pub fn is_choice(&self) -> bool {
        self.source.contains("choice")
    }
}

/// Splits a Markdown table line on `|` not escaped as `\|`.
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.trim().trim_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => out.last_mut().expect("one cell").push(chars.next().expect("|")),
            '|' => out.push(String::new()),
            c => out.last_mut().expect("one cell").push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// Every "what | source | where" row of the document, with its section.
pub fn rows() -> Vec<Row> {
    let mut section = String::new();
    let mut out = Vec::new();
    for (i, line) in DOC.lines().enumerate() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.trim().to_owned();
            continue;
        }
        if !line.starts_with("| ") || line.starts_with("| what") || line.starts_with("|---") {
            continue;
        }
        let c = cells(line);
        if c.len() == 3 {
            out.push(Row { line: i + 1, section: section.clone(), what: c[0].clone(), source: c[1].clone() });
        }
    }
    out
}

/// What a check saw of a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Verdict {
    Confirmed { detail: String },
    Contradicted { field: String, expected: String, seen: String },
}

#[derive(Debug, Default)]
pub struct Observations {
    seen: Vec<(&'static str, Verdict)>,
}

impl Observations {
    pub fn confirm(&mut self, row: &'static str, detail: impl Into<String>) {
        self.seen.push((row, Verdict::Confirmed { detail: detail.into() }));
    }

    pub fn contradict(
        &mut self,
        row: &'static str,
        field: impl Into<String>,
        expected: impl Into<String>,
        seen: impl Into<String>,
    ) {
        self.seen
            .push((row, Verdict::Contradicted { field: field.into(), expected: expected.into(), seen: seen.into() }));
    }

    /// The table: each choice row, and each other row a check exercised, with its verdicts.
    pub fn report(&self) -> Vec<Reported> {
        rows()
            .into_iter()
            .filter_map(|row| {
                let verdicts: Vec<Verdict> =
                    self.seen.iter().filter(|(k, _)| row.what.contains(k)).map(|(_, v)| v.clone()).collect();
                let status = if verdicts.iter().any(|v| matches!(v, Verdict::Contradicted { .. })) {
                    Status::Contradicted
                } else if !verdicts.is_empty() {
                    Status::Confirmed
                } else if row.is_choice() {
                    Status::NotExercised
                } else {
                    return None;
                };
                let mut shown: Vec<Verdict> = Vec::new();
                for v in verdicts {
                    let kept = status != Status::Contradicted || matches!(v, Verdict::Contradicted { .. });
                    if kept && !shown.contains(&v) {
                        shown.push(v);
                    }
                }
                let why = (status == Status::NotExercised).then(|| not_exercised(&row.section).to_owned());
                Some(Reported { status, row: row.clone(), verdicts: shown, why })
            })
            .collect()
    }
}

/// Why a choice row is not exercised, by the document's section: the probe only reads, and
/// moves no money but a 0,01 € IzlyPay init nobody authorises.
fn not_exercised(section: &str) -> &'static str {
    const WHY: [(&str, &str); 7] = [
        ("Common", "core's own behaviour: nothing in an answer confirms or contradicts it"),
        ("Crous", "needs a ticket posted, or an error the probe cannot cause without changing something"),
        ("Izly POS", "needs an Izly debit: the probe makes none"),
        ("The sale engine", "the sale engine's rules, in core: nothing on the wire"),
        ("IzlyConnect", "needs a user's login in a browser: the probe logs nobody in"),
        ("IzlyPay", "needs an authorised payment, a refund or a callback: the probe makes none"),
        ("esipay", "needs a card payment: run with --allow-payments and an esipay section"),
    ];
    WHY.iter().find(|(start, _)| section.starts_with(start)).map_or("not a remote API", |(_, why)| why)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Confirmed,
    Contradicted,
    NotExercised,
}

#[derive(Debug, Serialize)]
pub struct Reported {
    pub status: Status,
    pub row: Row,
    pub verdicts: Vec<Verdict>,
    /// Why a choice was not exercised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_a_check_names_is_exactly_one_row_of_the_document() {
        let rows = rows();
        let named = super::super::crous::ROWS
            .iter()
            .chain(&super::super::izly_pos::ROWS)
            .chain(&super::super::izly_pay::ROWS)
            .chain(&super::super::esipay::ROWS)
            .chain(&[super::super::REDIRECTS_ROW]);
        for key in named {
            let matching: Vec<usize> = rows.iter().filter(|r| r.what.contains(key)).map(|r| r.line).collect();
            assert_eq!(matching.len(), 1, "{key:?} names the rows at lines {matching:?} of docs/api-choices.md");
        }
    }

    #[test]
    fn the_document_s_rows_are_read_with_their_sections() {
        let rows = rows();
        assert!(rows.iter().filter(|r| r.is_choice()).count() > 40);
        let qr = rows.iter().find(|r| r.what.starts_with("Query parameter `qrCode`")).expect("the qrCode row");
        assert!(qr.section.starts_with("Izly POS") && qr.is_choice());
        let escaped = rows.iter().find(|r| r.what.contains("sendTicket")).expect("a row with an escaped bar");
        assert!(escaped.what.contains("\"accepted\" | \"duplicate\""), "{}", escaped.what);
    }
}

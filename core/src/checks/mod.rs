//! The Crous coherence checks of a ticket.
//!
//! Specs 001 lists the mandatory fields of the `tickets` resource and the "cohérences à
//! effectuer": every article exists, "total = PU * quantité" and the VAT computation per line,
//! "total listeLignes = total listeReglements" and "total des gainFidelite = cumulPointsFidelite"
//! per ticket. Each rule has a stable [`ViolationCode`]; all violations are reported at once, each
//! with the JSON path it concerns (`listeLignes[1].totalTtc`).
//!
//! Rules that need the Crous reference data (articles, VAT table) run only when it is given; the
//! report lists the ones that were skipped.

mod customer;
mod fidelity;
mod header;
mod lines;
mod payment;
mod violation;

pub use violation::{Violation, ViolationCode};

use crate::reference::ReferenceData;
use crate::ticket::Ticket;
use serde::Serialize;

/// What the checks found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    pub violations: Vec<Violation>,
    /// Rules not run because no reference data was given.
    #[serde(skip)]
    pub skipped: Vec<ViolationCode>,
}

impl CheckReport {
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Runs every check on `ticket`. Without `reference`, the rules that need it are skipped.
pub fn check_ticket(ticket: &Ticket, reference: Option<&ReferenceData>) -> CheckReport {
    let mut out = Vec::new();
    header::check(ticket, &mut out);
    lines::check(ticket, reference, &mut out);
    payment::check(ticket, &mut out);
    customer::check(ticket, &mut out);
    fidelity::check(ticket, &mut out);
    let skipped = if reference.is_some() { Vec::new() } else { ViolationCode::NEEDING_REFERENCE.to_vec() };
    CheckReport { violations: out, skipped }
}

/// Small helpers shared by the rule files.
/// Paths are `Display` values, formatted only when a violation is reported: a valid ticket is
/// checked without building a single path string.
mod support {
    use super::{Violation, ViolationCode};
    use crate::money::{in_range, is_whole_cents};
    use rust_decimal::Decimal;
    use std::fmt::{self, Display};

    /// `list[index].field`, e.g. `listeLignes[2].totalTtc`.
    #[derive(Clone, Copy)]
    pub struct ItemField<'a> {
        pub list: &'static str,
        pub index: usize,
        pub field: &'a str,
    }

    impl Display for ItemField<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}[{}].{}", self.list, self.index, self.field)
        }
    }

    pub fn push(out: &mut Vec<Violation>, code: ViolationCode, path: impl Display, message: impl Into<String>) {
        out.push(Violation { code, path: path.to_string(), message: message.into() });
    }

    /// Reports a missing field and returns `None`, or returns the value.
    pub fn required<'a, T>(out: &mut Vec<Violation>, value: &'a Option<T>, path: impl Display + Copy) -> Option<&'a T> {
        if value.is_none() {
            push(out, ViolationCode::MissingField, path, format!("{path} is mandatory"));
        }
        value.as_ref()
    }

    /// A required text that must not be blank.
    pub fn required_text<'a>(
        out: &mut Vec<Violation>,
        value: &'a Option<String>,
        path: impl Display + Copy,
    ) -> Option<&'a str> {
        match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                push(out, ViolationCode::MissingField, path, format!("{path} is mandatory and must not be blank"));
                None
            }
        }
    }

    /// An amount in euros: not negative, whole cents. Returns it when valid.
    pub fn amount(out: &mut Vec<Violation>, value: Option<&Decimal>, path: impl Display + Copy) -> Option<Decimal> {
        let v = *value?;
        if v.is_sign_negative() && !v.is_zero() {
            push(out, ViolationCode::InvalidValue, path, format!("{path} = {v} is negative"));
            None
        } else if !in_range(v) {
            push(out, ViolationCode::InvalidValue, path, format!("{path} = {v} is beyond the largest amount handled"));
            None
        } else if !is_whole_cents(v) {
            push(out, ViolationCode::InvalidValue, path, format!("{path} = {v} is not a whole number of cents"));
            None
        } else {
            Some(v)
        }
    }

    /// A mandatory amount: reported when missing, then checked like [`amount`].
    pub fn required_amount(
        out: &mut Vec<Violation>,
        value: &Option<Decimal>,
        path: impl Display + Copy,
    ) -> Option<Decimal> {
        let present = *required(out, value, path)?;
        amount(out, Some(&present), path)
    }

    pub fn is_rfc3339(text: &str) -> bool {
        chrono::DateTime::parse_from_rfc3339(text).is_ok()
    }
}

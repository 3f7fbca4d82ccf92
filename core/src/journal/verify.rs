//! The verifier: walks both chains and names the first record that broke, and how.
//!
//! Practice (Odoo `l10n_fr_pos_cert`): verification walks the chain and reports the first
//! corrupted record. Here each chain (entries, closures) is walked from its first record; at the
//! first break the walk of that chain stops, because everything after it is suspect anyway, and
//! the finding says what broke:
//!
//! * [`Finding::Altered`]: a record's content no longer gives its stored hash;
//! * [`Finding::Deleted`]: a sequence gap, and the missing sequences appear nowhere later;
//! * [`Finding::Reordered`]: a sequence out of place that appears elsewhere in the chain;
//! * [`Finding::Relinked`]: a record does not point to its predecessor's hash although both hash
//!   correctly: one of them was replaced by a re-hashed forgery;
//! * [`Finding::TruncatedTail`]: the chain is shorter than a witness says (the head marker for
//!   either chain, a closure's `throughSequence` for the entries);
//! * [`Finding::Rewritten`]: the chain is intact but its record at some sequence is not the one a
//!   witness sealed: it was recomputed from there back;
//! * closure replay: each closure is recomputed from the entries it covers, so forged totals are
//!   [`Finding::ClosureMismatch`] even when the closure chain was re-hashed.
//!
//! An empty report means: both chains are complete, unbroken, agree with the head (when given),
//! and every closure equals its tickets.

use super::canonical::CanonicalError;
use super::closure::{close_period, Closure, ClosureState};
use super::entry::JournalEntry;
use super::event::Event;
use super::hash::GENESIS_HASH;
use super::head::Head;
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;

/// Which chain a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Chain {
    Entries,
    Closures,
    /// The technical event journal ([`super::event`]).
    Events,
}

impl Chain {
    fn record(self) -> &'static str {
        match self {
            Chain::Entries => "entry",
            Chain::Closures => "closure",
            Chain::Events => "event",
        }
    }

    fn records(self) -> &'static str {
        match self {
            Chain::Entries => "entries",
            Chain::Closures => "closures",
            Chain::Events => "events",
        }
    }
}

/// What proves a chain should be longer or end differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Witness {
    /// The head marker (kept apart, or signed in the archive).
    Head,
    /// The closure with this sequence, through its `throughSequence` and `throughHash`.
    Closure { sequence: u64 },
}

impl fmt::Display for Witness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Witness::Head => f.write_str("the head marker"),
            Witness::Closure { sequence } => write!(f, "closure {sequence}"),
        }
    }
}

/// One thing the verifier found wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "finding", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Finding {
    /// The record's content does not hash to its stored hash: it was changed after it was written.
    Altered { chain: Chain, sequence: u64, stored_hash: String, computed_hash: String },
    /// Sequences `missing_from..=missing_to` are absent: records were deleted.
    Deleted { chain: Chain, position: usize, missing_from: u64, missing_to: u64 },
    /// The record at `position` (0-based) has sequence `found` where `expected` belongs, and the
    /// chain holds `expected` elsewhere (or holds `found` twice): records were moved.
    Reordered { chain: Chain, position: usize, expected: u64, found: u64 },
    /// `previousHash` of `sequence` is not the hash of `sequence − 1` although both records hash
    /// correctly: one of them was replaced by a re-hashed record.
    Relinked { chain: Chain, sequence: u64 },
    /// The chain has `found_count` records where the witness proves at least `expected_count`.
    TruncatedTail { chain: Chain, expected_count: u64, found_count: u64, witness: Witness },
    /// The chain is unbroken, but its record `sequence` is not the one the witness sealed: the
    /// records up to there were altered and the chain re-hashed.
    Rewritten { chain: Chain, sequence: u64, witness: Witness },
    /// More records than the head marker counts: the head was not updated, or records were added.
    BeyondHead { chain: Chain, head_count: u64, found_count: u64 },
    /// A format this verifier does not know.
    UnsupportedFormat { chain: Chain, sequence: u64, format_version: u32 },
    /// A record of another till.
    ForeignPointOfSale { chain: Chain, sequence: u64, found: PointOfSale },
    /// An entry dated before the entry preceding it (appending refuses that).
    DateBackwards { sequence: u64, previous_day: NaiveDate, day: NaiveDate },
    /// A record that cannot be read as its format says (no canonical form, no date…).
    Unreadable { chain: Chain, sequence: u64, reason: String },
    /// The closure could not have been made from the journal (e.g. it skips an open period).
    ClosureInvalid { sequence: u64, reason: String },
    /// Recomputed from the journal, the closure's `field` should read `expected`.
    ClosureMismatch { sequence: u64, field: String, expected: String, found: String },
    /// The archive's signature does not verify.
    SignatureInvalid { reason: String },
    /// A closure's own signature is not the archive key's over its hash ([`super::closure`]).
    ClosureSignatureInvalid { sequence: u64, reason: String },
    /// The archive is signed, but not by the key the caller trusts.
    UntrustedKey { expected: String, found: String },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Altered { chain, sequence, .. } => {
                write!(f, "{} {sequence} was altered: its content no longer matches its hash", chain.record())
            }
            Finding::Deleted { chain, missing_from, missing_to, .. } if missing_from == missing_to => {
                write!(f, "{} {missing_from} was deleted (sequence gap)", chain.record())
            }
            Finding::Deleted { chain, missing_from, missing_to, .. } => {
                write!(f, "{} {missing_from} to {missing_to} were deleted (sequence gap)", chain.records())
            }
            Finding::Reordered { chain, position, expected, found } => write!(
                f,
                "{} were reordered: {} {found} stands at position {} where {expected} belongs",
                chain.records(),
                chain.record(),
                position + 1
            ),
            Finding::Relinked { chain, sequence } => write!(
                f,
                "{} {sequence} does not link to {} {}: one of them was replaced and re-hashed",
                chain.record(),
                chain.record(),
                sequence.saturating_sub(1)
            ),
            Finding::TruncatedTail { chain, expected_count, found_count, witness } => write!(
                f,
                "truncated tail: {witness} proves at least {expected_count} {}, only {found_count} remain",
                chain.records()
            ),
            Finding::Rewritten { chain, sequence, witness } => write!(
                f,
                "{} {sequence} is not the one {witness} sealed: the {} up to it were altered and re-hashed",
                chain.record(),
                chain.records()
            ),
            Finding::BeyondHead { chain, head_count, found_count } => {
                write!(f, "{found_count} {} where the head marker counts {head_count}", chain.records())
            }
            Finding::UnsupportedFormat { chain, sequence, format_version } => {
                write!(f, "{} {sequence} has format version {format_version}, not {FORMAT_VERSION}", chain.record())
            }
            Finding::ForeignPointOfSale { chain, sequence, found } => {
                write!(f, "{} {sequence} belongs to point of sale {found}", chain.record())
            }
            Finding::DateBackwards { sequence, previous_day, day } => {
                write!(f, "entry {sequence} is dated {day}, before the entry preceding it ({previous_day})")
            }
            Finding::Unreadable { chain, sequence, reason } => {
                write!(f, "{} {sequence} is unreadable: {reason}", chain.record())
            }
            Finding::ClosureInvalid { sequence, reason } => write!(f, "closure {sequence} is invalid: {reason}"),
            Finding::ClosureMismatch { sequence, field, expected, found } => {
                write!(f, "closure {sequence} does not add up: its {field} is {found}, the journal gives {expected}")
            }
            Finding::SignatureInvalid { reason } => write!(f, "the signature does not verify: {reason}"),
            Finding::ClosureSignatureInvalid { sequence, reason } => {
                write!(f, "closure {sequence}'s signature is refused: {reason}")
            }
            Finding::UntrustedKey { expected, found } => {
                write!(f, "the archive is signed by key {found}, not by the trusted key {expected}")
            }
        }
    }
}

/// What the verifier found: nothing when all is well.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub findings: Vec<Finding>,
    /// How many entries, from the first, are unbroken.
    pub entries_verified: usize,
    /// How many closures, from the first, are unbroken and add up.
    pub closures_verified: usize,
    /// How many technical events, from the first, are unbroken ([`verify_with_events`]).
    pub events_verified: usize,
    /// How many closures carry no signature of their own (made before closures were signed).
    pub closures_unsigned: usize,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// The first thing that broke.
    pub fn first(&self) -> Option<&Finding> {
        self.findings.first()
    }
}

/// The fields every chained record has.
trait Record {
    fn sequence(&self) -> u64;
    fn format_version(&self) -> u32;
    fn point_of_sale(&self) -> &PointOfSale;
    fn previous_hash(&self) -> &str;
    fn hash(&self) -> &str;
    fn compute_hash(&self) -> Result<String, CanonicalError>;
}

macro_rules! record {
    ($t:ty) => {
        impl Record for $t {
            fn sequence(&self) -> u64 {
                self.sequence
            }
            fn format_version(&self) -> u32 {
                self.format_version
            }
            fn point_of_sale(&self) -> &PointOfSale {
                &self.point_of_sale
            }
            fn previous_hash(&self) -> &str {
                &self.previous_hash
            }
            fn hash(&self) -> &str {
                &self.hash
            }
            fn compute_hash(&self) -> Result<String, CanonicalError> {
                <$t>::compute_hash(self)
            }
        }
    };
}
record!(JournalEntry);
record!(Closure);
record!(Event);

/// Walks one chain; returns how many records from the first are unbroken, and the first break.
fn walk<R: Record>(chain: Chain, point_of_sale: &PointOfSale, records: &[R]) -> (usize, Option<Finding>) {
    let mut previous_hash = GENESIS_HASH;
    for (position, record) in records.iter().enumerate() {
        let expected = position as u64 + 1;
        let sequence = record.sequence();
        if sequence != expected {
            let moved = sequence < expected || records[position + 1..].iter().any(|r| r.sequence() == expected);
            let finding = if moved {
                Finding::Reordered { chain, position, expected, found: sequence }
            } else {
                Finding::Deleted { chain, position, missing_from: expected, missing_to: sequence - 1 }
            };
            return (position, Some(finding));
        }
        if record.format_version() != FORMAT_VERSION {
            return (
                position,
                Some(Finding::UnsupportedFormat { chain, sequence, format_version: record.format_version() }),
            );
        }
        let computed = match record.compute_hash() {
            Ok(h) => h,
            Err(e) => return (position, Some(Finding::Unreadable { chain, sequence, reason: e.to_string() })),
        };
        if computed != record.hash() {
            let stored_hash = record.hash().to_owned();
            return (position, Some(Finding::Altered { chain, sequence, stored_hash, computed_hash: computed }));
        }
        if record.previous_hash() != previous_hash {
            return (position, Some(Finding::Relinked { chain, sequence }));
        }
        if record.point_of_sale() != point_of_sale {
            return (position, Some(Finding::ForeignPointOfSale { chain, sequence, found: *record.point_of_sale() }));
        }
        previous_hash = record.hash();
    }
    (records.len(), None)
}

/// Entries in business-day order, each with a readable day.
fn check_days(entries: &[JournalEntry]) -> (usize, Option<Finding>) {
    let mut previous: Option<NaiveDate> = None;
    for (position, entry) in entries.iter().enumerate() {
        let sequence = entry.sequence;
        let Some(day) = entry.business_day() else {
            let reason = "its ticket has no RFC 3339 date".to_owned();
            return (position, Some(Finding::Unreadable { chain: Chain::Entries, sequence, reason }));
        };
        if let Some(previous_day) = previous.filter(|&p| day < p) {
            return (position, Some(Finding::DateBackwards { sequence, previous_day, day }));
        }
        previous = Some(day);
    }
    (entries.len(), None)
}

fn show<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Verifies a till's journal: its entries, its closures and, when given, the head marker kept
/// apart from them.
pub fn verify(
    point_of_sale: &PointOfSale,
    entries: &[JournalEntry],
    closures: &[Closure],
    head: Option<&Head>,
) -> Report {
    let mut report = Report::default();
    let (walked, entry_break) = walk(Chain::Entries, point_of_sale, entries);
    let (entries_ok, entry_break) = match entry_break {
        Some(f) => (walked, Some(f)),
        None => check_days(entries),
    };
    let entries_clean = entry_break.is_none();
    report.findings.extend(entry_break);
    report.entries_verified = entries_ok;
    let entries = &entries[..entries_ok];

    let (closures_walked, closure_break) = walk(Chain::Closures, point_of_sale, closures);
    let closures_clean = closure_break.is_none();
    let intact_closures = &closures[..closures_walked];

    // A closure seals the journal through its throughSequence: a shorter journal lost its tail.
    let mut truncated_by_closure = false;
    if entries_clean {
        if let Some(c) = intact_closures
            .iter()
            .filter(|c| c.through_sequence > entries.len() as u64)
            .max_by_key(|c| c.through_sequence)
        {
            report.findings.push(Finding::TruncatedTail {
                chain: Chain::Entries,
                expected_count: c.through_sequence,
                found_count: entries.len() as u64,
                witness: Witness::Closure { sequence: c.sequence },
            });
            truncated_by_closure = true;
        }
    }
    report.findings.extend(closure_break);

    // Replay: each closure must be what closing its period gives, from the entries.
    let mut state = ClosureState::genesis(*point_of_sale);
    let mut replayed = 0;
    for closure in intact_closures {
        let through = closure.through_sequence;
        if through > entries.len() as u64 {
            break; // already reported, or the entries broke before: nothing sound to compare with
        }
        let sealed = if through == 0 { GENESIS_HASH } else { &entries[through as usize - 1].hash };
        if closure.through_hash != sealed {
            let witness = Witness::Closure { sequence: closure.sequence };
            report.findings.push(Finding::Rewritten { chain: Chain::Entries, sequence: through, witness });
            break;
        }
        let covered = (state.through_sequence(closure.period.kind()) as usize).min(entries.len());
        let expected = match close_period(&state, &entries[covered..], closure.period) {
            Ok(c) => c,
            Err(e) => {
                report.findings.push(Finding::ClosureInvalid { sequence: closure.sequence, reason: e.to_string() });
                break;
            }
        };
        let checks = [
            ("kind", expected.kind == closure.kind, show(&expected.kind), show(&closure.kind)),
            (
                "firstSequence",
                expected.first_sequence == closure.first_sequence,
                show(&expected.first_sequence),
                show(&closure.first_sequence),
            ),
            (
                "throughSequence",
                expected.through_sequence == closure.through_sequence,
                show(&expected.through_sequence),
                show(&closure.through_sequence),
            ),
            ("totals", expected.totals == closure.totals, show(&expected.totals), show(&closure.totals)),
            (
                "grandTotal",
                expected.grand_total == closure.grand_total,
                show(&expected.grand_total),
                show(&closure.grand_total),
            ),
        ];
        let mismatch =
            checks.into_iter().find(|check| !check.1).map(|(field, _, expected, found)| (field, expected, found));
        if let Some((field, expected, found)) = mismatch {
            report.findings.push(Finding::ClosureMismatch {
                sequence: closure.sequence,
                field: field.to_owned(),
                expected,
                found,
            });
            break;
        }
        state = state.after(closure);
        replayed += 1;
    }
    report.closures_verified = replayed;

    if let Some(head) = head {
        if entries_clean && !truncated_by_closure {
            check_head(
                &mut report,
                Chain::Entries,
                head.entry_count,
                &head.last_entry_hash,
                entries.len(),
                entries.last().map(|e| e.hash.as_str()),
            );
        }
        if closures_clean {
            check_head(
                &mut report,
                Chain::Closures,
                head.closure_count,
                &head.last_closure_hash,
                closures.len(),
                closures.last().map(|c| c.hash.as_str()),
            );
        }
    }
    report
}

/// [`verify`], and the technical event journal ([`super::event`]) walked the same way and held
/// to the head marker too: what a till's whole stored journal or an archive is checked with.
pub fn verify_with_events(
    point_of_sale: &PointOfSale,
    entries: &[JournalEntry],
    closures: &[Closure],
    events: &[Event],
    head: Option<&Head>,
) -> Report {
    let mut report = verify(point_of_sale, entries, closures, head);
    verify_events(&mut report, point_of_sale, events, head);
    report
}

/// The event chain's walk, adding what it finds to `report`.
fn verify_events(report: &mut Report, point_of_sale: &PointOfSale, events: &[Event], head: Option<&Head>) {
    let (walked, broke) = walk(Chain::Events, point_of_sale, events);
    report.events_verified = walked;
    let clean = broke.is_none();
    report.findings.extend(broke);
    if let Some(head) = head.filter(|_| clean) {
        let last = events.last().map(|e| e.hash.as_str());
        check_head(report, Chain::Events, head.event_count, &head.last_event_hash, events.len(), last);
    }
}

fn check_head(
    report: &mut Report,
    chain: Chain,
    head_count: u64,
    head_hash: &str,
    found: usize,
    last_hash: Option<&str>,
) {
    let found_count = found as u64;
    if found_count < head_count {
        report.findings.push(Finding::TruncatedTail {
            chain,
            expected_count: head_count,
            found_count,
            witness: Witness::Head,
        });
    } else if found_count > head_count {
        report.findings.push(Finding::BeyondHead { chain, head_count, found_count });
    } else if last_hash.unwrap_or(GENESIS_HASH) != head_hash {
        report.findings.push(Finding::Rewritten { chain, sequence: head_count, witness: Witness::Head });
    }
}

//! Daily, monthly and yearly closures ("clôtures"), chained like the entries.
//!
//! Practice (Odoo `l10n_fr_pos_cert`, NF525): each period is closed with its totals and a
//! perpetual grand total ("grand total perpétuel"), and closures are themselves chained so that a
//! closure cannot be removed or changed unnoticed. Once closed, a period takes no more sales.
//!
//! What a closure covers, precisely:
//!
//! * the tickets whose business day ([`super::period`]) falls in the period; because entries are
//!   appended in business-day order and a closed period refuses new tickets, they are one run of
//!   entries, `firstSequence..=throughSequence`;
//! * closures of one kind cover the journal from entry 1 without overlap or hole:
//!   `firstSequence` is the previous same-kind closure's `throughSequence + 1`; a period without
//!   sales has `throughSequence = firstSequence − 1` and zero totals;
//! * `throughSequence` is the last entry covered by closures of this kind so far and
//!   `throughHash` that entry's `hash` (64 zeros before entry 1): the closure seals the journal up
//!   to there, so a closure is also a witness against a truncated or rewritten journal;
//! * periods of a kind close in order; a month closes only when each of its tickets is in a day
//!   closure, a year only when each of its tickets is in a month closure, so a month's totals are
//!   the sum of its days' and a year's the sum of its months';
//! * `grandTotal` is the perpetual total of every ticket from entry 1 through `throughSequence`:
//!   the previous same-kind closure's grand total plus this period's totals.
//!
//! Chain: one chain for all closures in the order they were made, `sequence` 1, 2, 3…, and
//! `hash = SHA-256(previousHash || canonical JSON of the closure object without its "hash",
//! "previousHash" and "signature" members)`, as for entries.
//!
//! Signature: a closure is signed when it is made, with the till's Ed25519 key (the one that
//! signs its archives, [`super::archive`]): `signature` is the hex Ed25519 signature of the ASCII
//! bytes `crous-till-closure/1\n` followed by the closure's `hash` ([`Closure::signed_message`]).
//! The hash covers the closure's content and, through `previousHash`, every closure before it, so
//! the signature seals the closure chain as it stood at that closing: whoever can write the store
//! but does not hold the key cannot recompute a closure and its chain unnoticed. Closures made
//! before closures were signed have no `signature`; the verifier counts them
//! ([`super::Report::closures_unsigned`]).

use super::canonical::{canonical_record_body, CanonicalError};
use super::entry::JournalEntry;
use super::hash::{chain_hash, GENESIS_HASH};
use super::period::{ClosureKind, Period};
use super::totals::{Totals, TotalsError};
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One closure, as stored and as archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Closure {
    pub format_version: u32,
    pub point_of_sale: PointOfSale,
    /// Position in the closure chain: 1, 2, 3… without gaps.
    pub sequence: u64,
    pub kind: ClosureKind,
    pub period: Period,
    /// First journal entry of the period (`throughSequence + 1` of the previous closure of this
    /// kind).
    pub first_sequence: u64,
    /// Last journal entry covered by closures of this kind, this one included.
    pub through_sequence: u64,
    /// `hash` of entry `throughSequence`, or 64 zeros when it is 0.
    pub through_hash: String,
    /// The period's tickets.
    pub totals: Totals,
    /// Every ticket from entry 1 through `throughSequence`.
    pub grand_total: Totals,
    pub previous_hash: String,
    pub hash: String,
    /// The till key's Ed25519 signature of [`Closure::signed_message`], hex (see the module doc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// What a closure signature's message starts with.
pub const CLOSURE_SIGNATURE_PREFIX: &str = "crous-till-closure/1\n";

impl Closure {
    /// The canonical JSON of the closure without `hash`, `previousHash` and `signature`.
    pub fn canonical_body(&self) -> Result<String, CanonicalError> {
        canonical_record_body(self, &["signature"])
    }

    /// The bytes the till's key signs: `crous-till-closure/1\n` and the closure's hash.
    pub fn signed_message(&self) -> Vec<u8> {
        format!("{CLOSURE_SIGNATURE_PREFIX}{}", self.hash).into_bytes()
    }

    pub fn compute_hash(&self) -> Result<String, CanonicalError> {
        Ok(chain_hash(&self.previous_hash, &self.canonical_body()?))
    }
}

/// The latest closure of one kind, as the next one of that kind needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindTip {
    pub period: Period,
    pub through_sequence: u64,
    pub through_hash: String,
    pub grand_total: Totals,
}

/// What closing needs to know of the closures made so far. A plain value: fold the stored
/// closures with [`ClosureState::after`], or persist it next to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClosureState {
    pub point_of_sale: PointOfSale,
    /// How many closures, all kinds together.
    pub count: u64,
    /// Hash of the last closure, [`GENESIS_HASH`] before the first.
    pub last_hash: String,
    pub day: Option<KindTip>,
    pub month: Option<KindTip>,
    pub year: Option<KindTip>,
}

impl ClosureState {
    /// No closure yet.
    pub fn genesis(point_of_sale: PointOfSale) -> Self {
        ClosureState { point_of_sale, count: 0, last_hash: GENESIS_HASH.to_owned(), day: None, month: None, year: None }
    }

    /// The state after `closures`, in chain order.
    pub fn of<'a>(point_of_sale: PointOfSale, closures: impl IntoIterator<Item = &'a Closure>) -> Self {
        closures.into_iter().fold(ClosureState::genesis(point_of_sale), |s, c| s.after(c))
    }

    /// The state once `closure` is made.
    pub fn after(&self, closure: &Closure) -> Self {
        let mut next = self.clone();
        next.count = closure.sequence;
        next.last_hash = closure.hash.clone();
        *next.tip_mut(closure.kind) = Some(KindTip {
            period: closure.period,
            through_sequence: closure.through_sequence,
            through_hash: closure.through_hash.clone(),
            grand_total: closure.grand_total.clone(),
        });
        next
    }

    pub fn tip(&self, kind: ClosureKind) -> Option<&KindTip> {
        match kind {
            ClosureKind::Day => self.day.as_ref(),
            ClosureKind::Month => self.month.as_ref(),
            ClosureKind::Year => self.year.as_ref(),
        }
    }

    fn tip_mut(&mut self, kind: ClosureKind) -> &mut Option<KindTip> {
        match kind {
            ClosureKind::Day => &mut self.day,
            ClosureKind::Month => &mut self.month,
            ClosureKind::Year => &mut self.year,
        }
    }

    /// Last journal entry covered by closures of `kind` (0 when none).
    pub fn through_sequence(&self, kind: ClosureKind) -> u64 {
        self.tip(kind).map_or(0, |t| t.through_sequence)
    }

    /// The last day of the latest closed period, of any kind: no ticket may be dated on or before
    /// it any more.
    pub fn closed_through(&self) -> Option<NaiveDate> {
        ClosureKind::ALL.iter().filter_map(|&k| self.tip(k)).map(|t| t.period.end()).max()
    }
}

/// Why a period could not be closed. Nothing was closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseError {
    #[error("{period} cannot be closed: {last} is already closed and {kind} closures go in order")]
    AlreadyClosed { kind: ClosureKind, period: Period, last: Period },
    #[error("{period} lies inside {closed}, which is already closed")]
    InsideClosedPeriod { period: Period, closed: Period },
    #[error("entry {sequence}, of {day}, is in an earlier {kind} that is not closed: close {open} first")]
    EarlierPeriodOpen { kind: ClosureKind, sequence: u64, day: NaiveDate, open: Period },
    #[error("entry {sequence}, of {day}, is in no {finer} closure yet: close {open} first")]
    FinerNotClosed { finer: ClosureKind, sequence: u64, day: NaiveDate, open: Period },
    #[error("entry {sequence} has no readable business day")]
    NoBusinessDay { sequence: u64 },
    #[error("the entries given start at {found:?}, not at entry {expected}, the first one not yet closed")]
    EntriesMissing { expected: u64, found: Option<u64> },
    #[error(transparent)]
    Totals(#[from] TotalsError),
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
}

/// Closes `period`, the next closure after `state`. `entries` are the journal's entries in
/// sequence order; those already covered by closures of the period's kind are skipped, so either
/// the whole journal or its tail from the first uncovered entry will do.
pub fn close_period(state: &ClosureState, entries: &[JournalEntry], period: Period) -> Result<Closure, CloseError> {
    let kind = period.kind();
    let tip = state.tip(kind);
    if let Some(last) = tip.map(|t| t.period).filter(|last| period.start() <= last.end()) {
        return Err(CloseError::AlreadyClosed { kind, period, last });
    }
    for coarser in ClosureKind::ALL.iter().filter(|&&c| c > kind) {
        if let Some(closed) = state.tip(*coarser).map(|t| t.period).filter(|c| period.start() <= c.end()) {
            return Err(CloseError::InsideClosedPeriod { period, closed });
        }
    }
    let covered = state.through_sequence(kind);
    let finer_covered = kind.finer().map(|f| (f, state.through_sequence(f)));
    // Entries are in sequence order: skip the covered ones and stop after the period, so that
    // closing costs the period's entries, not the journal's.
    let mut uncovered = entries.iter().skip_while(|e| e.sequence <= covered).peekable();
    if let Some(first) = uncovered.peek().filter(|e| e.sequence != covered + 1) {
        return Err(CloseError::EntriesMissing { expected: covered + 1, found: Some(first.sequence) });
    }
    let mut in_period = Vec::new();
    for entry in uncovered {
        let sequence = entry.sequence;
        let day = entry.business_day().ok_or(CloseError::NoBusinessDay { sequence })?;
        if day < period.start() {
            return Err(CloseError::EarlierPeriodOpen { kind, sequence, day, open: Period::of(kind, day) });
        }
        if day > period.end() {
            break;
        }
        if let Some((finer, _)) = finer_covered.filter(|&(_, through)| sequence > through) {
            return Err(CloseError::FinerNotClosed { finer, sequence, day, open: Period::of(finer, day) });
        }
        in_period.push(entry);
    }
    let totals = Totals::of_entries(in_period.iter().copied())?;
    let previous_grand_total = tip.map(|t| t.grand_total.clone()).unwrap_or_default();
    let (through_sequence, through_hash) = match in_period.last() {
        Some(last) => (last.sequence, last.hash.clone()),
        None => (covered, tip.map_or_else(|| GENESIS_HASH.to_owned(), |t| t.through_hash.clone())),
    };
    let mut closure = Closure {
        format_version: FORMAT_VERSION,
        point_of_sale: state.point_of_sale,
        sequence: state.count + 1,
        kind,
        period,
        first_sequence: covered + 1,
        through_sequence,
        through_hash,
        grand_total: previous_grand_total.add(&totals)?,
        totals,
        previous_hash: state.last_hash.clone(),
        hash: String::new(),
        signature: None,
    };
    closure.hash = closure.compute_hash()?;
    Ok(closure)
}

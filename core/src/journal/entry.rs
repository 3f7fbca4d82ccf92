//! Journal entries: one finalized ticket each, numbered without gaps and chained by hash.
//!
//! Art. 286 I-3° bis CGI asks for a till whose records satisfy "des conditions d'inaltérabilité,
//! de sécurisation, de conservation et d'archivage des données". The entry is the unit of that:
//!
//! * `sequence` starts at 1 and grows by exactly 1 (Odoo's gap-free sequence), so a deleted entry
//!   shows as a gap and a moved one as a sequence out of place;
//! * `hash` = `SHA-256(previousHash || canonical JSON of the body)` ([`super::hash`],
//!   [`super::canonical`]), where the **body** is the stored entry object without its `hash`
//!   and `previousHash` members, i.e. `{"formatVersion", "pointOfSale", "sequence", "ticket"}`;
//!   `previousHash` is the previous entry's `hash` (64 zeros for entry 1);
//! * `formatVersion` is stored in each entry and hashed with it (Dolibarr's blockedlog keeps the
//!   version per row), so a later format can be introduced without rewriting old entries;
//! * no storage id (IndexedDB key, SQLite rowid) is in the body: the same entry verifies in any
//!   store, and a store may key rows by `sequence` or by anything else;
//! * the point of sale is in the body, so an entry cannot be moved into another till's journal.
//!
//! Core does no I/O: [`append_entry`] takes the tip of the chain as a plain value and returns the
//! new entry, which the caller stores (with the head marker, [`super::Head`]) before the ticket
//! leaves the till.

use super::canonical::{to_canonical_json, CanonicalError};
use super::hash::{chain_hash, GENESIS_HASH};
use super::period::business_day;
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use crate::ticket::Ticket;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One journaled ticket, as stored and as archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub format_version: u32,
    pub point_of_sale: PointOfSale,
    /// 1, 2, 3… without gaps, per point of sale.
    pub sequence: u64,
    /// The finalized ticket, as sent to the Crous.
    pub ticket: Ticket,
    /// `hash` of the previous entry; [`GENESIS_HASH`] for entry 1.
    pub previous_hash: String,
    /// `SHA-256(previousHash || canonical body)`, lowercase hex.
    pub hash: String,
}

/// The hashed part of an entry.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryBody<'a> {
    format_version: u32,
    point_of_sale: &'a PointOfSale,
    sequence: u64,
    ticket: &'a Ticket,
}

impl JournalEntry {
    /// The canonical JSON of the body (see the module doc).
    pub fn canonical_body(&self) -> Result<String, CanonicalError> {
        to_canonical_json(&EntryBody {
            format_version: self.format_version,
            point_of_sale: &self.point_of_sale,
            sequence: self.sequence,
            ticket: &self.ticket,
        })
    }

    /// The hash this entry's content and `previous_hash` give.
    pub fn compute_hash(&self) -> Result<String, CanonicalError> {
        Ok(chain_hash(&self.previous_hash, &self.canonical_body()?))
    }

    /// The ticket's business day ([`super::period`]).
    pub fn business_day(&self) -> Option<NaiveDate> {
        business_day(&self.ticket)
    }
}

/// What appending needs to know of the chain: its last entry. A plain value, derived from the
/// last stored entry, so a store need not load the whole journal to append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryTip {
    pub point_of_sale: PointOfSale,
    /// Sequence of the last entry, 0 for an empty journal.
    pub last_sequence: u64,
    /// Hash of the last entry, [`GENESIS_HASH`] for an empty journal.
    pub last_hash: String,
    /// Business day of the last entry.
    pub last_day: Option<NaiveDate>,
}

impl EntryTip {
    /// The tip of an empty journal.
    pub fn genesis(point_of_sale: PointOfSale) -> Self {
        EntryTip { point_of_sale, last_sequence: 0, last_hash: GENESIS_HASH.to_owned(), last_day: None }
    }

    /// The tip after `entry`.
    pub fn after(entry: &JournalEntry) -> Self {
        EntryTip {
            point_of_sale: entry.point_of_sale,
            last_sequence: entry.sequence,
            last_hash: entry.hash.clone(),
            last_day: entry.business_day(),
        }
    }
}

/// Why a ticket was not journaled. Nothing was appended: the caller may fix and retry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    #[error("the ticket has no RFC 3339 `date`, so it belongs to no day")]
    NoBusinessDay,
    /// Entries are in business-day order, so that every period's tickets are one run of entries.
    #[error("the ticket is dated {day}, before the last journaled ticket ({previous}): fix the till's clock")]
    DateBeforePrevious { previous: NaiveDate, day: NaiveDate },
    /// A closed period is final (its totals are signed off); a sale cannot be added to it.
    #[error("the ticket is dated {day}, in a period already closed (closed through {closed_through})")]
    PeriodClosed { closed_through: NaiveDate, day: NaiveDate },
    /// Closures need each line's VAT code and totals and each payment's code and amount.
    #[error("the ticket is not finalized: {0} is missing")]
    Incomplete(String),
    #[error("the journal's sequence is exhausted")]
    Exhausted,
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
}

/// Checks `ticket` and makes the entry that follows `tip`. `closed_through` is the last day of
/// the latest closed period ([`super::ClosureState::closed_through`]).
pub fn append_entry(
    tip: &EntryTip,
    closed_through: Option<NaiveDate>,
    ticket: Ticket,
) -> Result<JournalEntry, AppendError> {
    let day = business_day(&ticket).ok_or(AppendError::NoBusinessDay)?;
    if let Some(previous) = tip.last_day.filter(|&p| day < p) {
        return Err(AppendError::DateBeforePrevious { previous, day });
    }
    if let Some(closed_through) = closed_through.filter(|&c| day <= c) {
        return Err(AppendError::PeriodClosed { closed_through, day });
    }
    check_finalized(&ticket)?;
    let mut entry = JournalEntry {
        format_version: FORMAT_VERSION,
        point_of_sale: tip.point_of_sale,
        sequence: tip.last_sequence.checked_add(1).ok_or(AppendError::Exhausted)?,
        ticket,
        previous_hash: tip.last_hash.clone(),
        hash: String::new(),
    };
    entry.hash = entry.compute_hash()?;
    Ok(entry)
}

/// The fields closures add up must be there.
fn check_finalized(ticket: &Ticket) -> Result<(), AppendError> {
    let missing = |what: String| Err(AppendError::Incomplete(what));
    let lines = ticket.liste_lignes.as_deref().unwrap_or_default();
    if lines.is_empty() {
        return missing("listeLignes".into());
    }
    for (i, line) in lines.iter().enumerate() {
        for (name, present) in [
            ("codeTva", line.code_tva.is_some()),
            ("totalHt", line.total_ht.is_some()),
            ("totalTtc", line.total_ttc.is_some()),
        ] {
            if !present {
                return missing(format!("listeLignes[{i}].{name}"));
            }
        }
    }
    for (i, payment) in ticket.liste_reglements.iter().flatten().enumerate() {
        for (name, present) in
            [("codeReglement", payment.code_reglement.is_some()), ("montant", payment.montant.is_some())]
        {
            if !present {
                return missing(format!("listeReglements[{i}].{name}"));
            }
        }
    }
    Ok(())
}

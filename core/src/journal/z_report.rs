//! The Z report ("rapport Z", "ticket Z"): what a manager reads of a closure, and what an
//! inspector asks to see (art. 286 I-3° bis CGI; public-facts.md, "clôtures"). It is made from
//! a closure and the journal entries it covers, never from anything else, so it says exactly what
//! the chained records say: the period's totals per VAT code (HT, TVA, TTC) and per payment
//! method, the ticket count and the range of ticket numbers, the period and perpetual grand
//! totals, the closure's place in its chain (sequence and hash), and the period's sales per hour
//! for the chart.
//!
//! Hours are read from each ticket's `date` in the offset written there (the till's local time,
//! as the business day is: [`super::period`]).

use super::closure::Closure;
use super::entry::JournalEntry;
use super::period::{ClosureKind, Period};
use super::totals::Totals;
use crate::exact_decimal;
use crate::point_of_sale::PointOfSale;
use chrono::{DateTime, Timelike};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One hour of the period: tickets and their TTC total.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HourTotal {
    /// 0 to 23, local time of the tickets.
    pub hour: u32,
    pub tickets: u64,
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub total_ttc: Decimal,
}

/// The Z report of one closure.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZReport {
    pub point_of_sale: PointOfSale,
    pub kind: ClosureKind,
    /// `2026-11-23`, `2026-11` or `2026`.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub period: Period,
    /// The closure's place in the closure chain, and its hash: what a later archive must still hold.
    pub closure_sequence: u64,
    pub closure_hash: String,
    /// The till key's signature of the closure (hex), `None` for a closure made unsigned.
    pub closure_signature: Option<String>,
    /// The journal entries covered, `first..=through` (empty when `first > through`).
    pub first_sequence: u64,
    pub through_sequence: u64,
    /// `numeroTicket` of the first and last ticket of the period.
    pub first_ticket: Option<String>,
    pub last_ticket: Option<String>,
    pub totals: Totals,
    pub grand_total: Totals,
    /// Every hour from the first to the last hour with a sale, empty hours included.
    pub by_hour: Vec<HourTotal>,
}

/// Why a report cannot be made from what was given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZReportError {
    #[error("closure {closure} covers entry {sequence}, which was not given")]
    MissingEntry { closure: u64, sequence: u64 },
    #[error("entry {sequence} has no readable date")]
    Undated { sequence: u64 },
}

impl ZReport {
    /// The report of `closure`, from the journal's entries in sequence order (any run that holds
    /// those it covers).
    pub fn of(closure: &Closure, entries: &[JournalEntry]) -> Result<ZReport, ZReportError> {
        let covered: Vec<&JournalEntry> = (closure.first_sequence..=closure.through_sequence)
            .map(|sequence| {
                let at = entries.partition_point(|e| e.sequence < sequence);
                entries
                    .get(at)
                    .filter(|e| e.sequence == sequence)
                    .ok_or(ZReportError::MissingEntry { closure: closure.sequence, sequence })
            })
            .collect::<Result<_, _>>()?;
        let mut hours: BTreeMap<u32, HourTotal> = BTreeMap::new();
        for entry in &covered {
            let undated = || ZReportError::Undated { sequence: entry.sequence };
            let date = entry.ticket.date.as_deref().ok_or_else(undated)?;
            let hour = DateTime::parse_from_rfc3339(date).map_err(|_| undated())?.hour();
            let ttc = entry.ticket.liste_reglements.iter().flatten().filter_map(|r| r.montant).sum::<Decimal>();
            let total = hours.entry(hour).or_insert(HourTotal { hour, tickets: 0, total_ttc: Decimal::new(0, 2) });
            total.tickets += 1;
            total.total_ttc += ttc;
        }
        // Every hour from the first to the last with a sale, the empty ones included.
        let span = hours.keys().next().copied().zip(hours.keys().next_back().copied());
        let by_hour = span.map_or_else(Vec::new, |(first, last)| {
            (first..=last)
                .map(|hour| {
                    hours.remove(&hour).unwrap_or(HourTotal { hour, tickets: 0, total_ttc: Decimal::new(0, 2) })
                })
                .collect()
        });
        let number = |e: Option<&&JournalEntry>| e.and_then(|e| e.ticket.numero_ticket.clone());
        Ok(ZReport {
            point_of_sale: closure.point_of_sale,
            kind: closure.kind,
            period: closure.period,
            closure_sequence: closure.sequence,
            closure_hash: closure.hash.clone(),
            closure_signature: closure.signature.clone(),
            first_sequence: closure.first_sequence,
            through_sequence: closure.through_sequence,
            first_ticket: number(covered.first()),
            last_ticket: number(covered.last()),
            totals: closure.totals.clone(),
            grand_total: closure.grand_total.clone(),
            by_hour,
        })
    }
}

/// The Z report of each of `closures` (oldest first), from the journal's `entries`.
pub fn z_reports(closures: &[Closure], entries: &[JournalEntry]) -> Result<Vec<ZReport>, ZReportError> {
    closures.iter().map(|c| ZReport::of(c, entries)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::tests::tickets;
    use crate::point_of_sale::PointOfSale;

    const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);

    fn closed_day(n: usize) -> super::super::Journal {
        let mut journal = super::super::Journal::new(POS);
        for ticket in tickets("2026-11-23", n) {
            journal.append(ticket).unwrap();
        }
        journal.close("2026-11-23".parse().unwrap()).unwrap();
        journal
    }

    #[test]
    fn a_days_report_holds_its_totals_numbers_and_hours() {
        let journal = closed_day(3);
        let closure = &journal.closures()[0];
        let report = ZReport::of(closure, journal.entries()).unwrap();
        assert_eq!((report.first_sequence, report.through_sequence), (1, 3));
        assert_eq!(report.first_ticket.as_deref(), journal.entries()[0].ticket.numero_ticket.as_deref());
        assert_eq!(report.last_ticket.as_deref(), journal.entries()[2].ticket.numero_ticket.as_deref());
        assert_eq!(report.totals, closure.totals);
        assert_eq!(report.closure_hash, closure.hash);
        // The test tickets are all sold at 12:xx: one hour, three tickets, the day's total.
        assert_eq!(report.by_hour.len(), 1);
        assert_eq!((report.by_hour[0].hour, report.by_hour[0].tickets), (12, 3));
        assert_eq!(report.by_hour[0].total_ttc, closure.totals.total_ttc);
    }

    #[test]
    fn a_report_needs_every_entry_its_closure_covers() {
        let journal = closed_day(2);
        let closure = &journal.closures()[0];
        assert_eq!(
            ZReport::of(closure, &journal.entries()[..1]),
            Err(ZReportError::MissingEntry { closure: 1, sequence: 2 })
        );
    }
}

//! A whole journal in memory: the entries and closures of one till, with the tips that the next
//! append and the next closure need. What tests, the CLI and small stores use; a store that does
//! not want every entry in memory drives [`super::append_entry`] and [`super::close_period`] with
//! [`super::EntryTip`] and [`super::ClosureState`] directly.

use super::archive::{Archive, ArchiveError, TillKey, UnsignedArchive};
use super::closure::{close_period, CloseError, Closure, ClosureState};
use super::entry::{append_entry, AppendError, EntryTip, JournalEntry};
use super::event::{Event, EventTip};
use super::head::Head;
use super::period::Period;
use super::verify::{verify_with_events, Report};
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use crate::ticket::Ticket;

/// One till's journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    entries: Vec<JournalEntry>,
    closures: Vec<Closure>,
    events: Vec<Event>,
    tip: EntryTip,
    state: ClosureState,
    event_tip: EventTip,
}

impl Journal {
    /// An empty journal.
    pub fn new(point_of_sale: PointOfSale) -> Self {
        Journal {
            entries: Vec::new(),
            closures: Vec::new(),
            events: Vec::new(),
            tip: EntryTip::genesis(point_of_sale),
            state: ClosureState::genesis(point_of_sale),
            event_tip: EventTip::genesis(point_of_sale),
        }
    }

    /// Reloads a stored journal (entries, closures, technical events), verifying it first
    /// against the head marker kept apart from it: a till must not append to a broken chain (the
    /// break would be buried under new sales).
    pub fn restore(
        point_of_sale: PointOfSale,
        entries: Vec<JournalEntry>,
        closures: Vec<Closure>,
        events: Vec<Event>,
        head: Option<&Head>,
    ) -> Result<Journal, Report> {
        let report = verify_with_events(&point_of_sale, &entries, &closures, &events, head);
        if !report.is_ok() {
            return Err(report);
        }
        Ok(Journal::restored(point_of_sale, entries, closures, events))
    }

    fn restored(
        point_of_sale: PointOfSale,
        entries: Vec<JournalEntry>,
        closures: Vec<Closure>,
        events: Vec<Event>,
    ) -> Self {
        let tip = entries.last().map_or_else(|| EntryTip::genesis(point_of_sale), EntryTip::after);
        let state = ClosureState::of(point_of_sale, &closures);
        let event_tip = EventTip::of(point_of_sale, &events);
        Journal { entries, closures, events, tip, state, event_tip }
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.tip.point_of_sale
    }

    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    pub fn closures(&self) -> &[Closure] {
        &self.closures
    }

    pub fn closure_state(&self) -> &ClosureState {
        &self.state
    }

    pub fn event_tip(&self) -> &EventTip {
        &self.event_tip
    }

    /// Journals a finalized ticket; returns the entry to store.
    pub fn append(&mut self, ticket: Ticket) -> Result<&JournalEntry, AppendError> {
        let entry = append_entry(&self.tip, self.state.closed_through(), ticket)?;
        self.tip = EntryTip::after(&entry);
        self.entries.push(entry);
        Ok(self.entries.last().expect("just pushed"))
    }

    /// Closes a day, month or year; returns the closure to store.
    pub fn close(&mut self, period: Period) -> Result<&Closure, CloseError> {
        let covered = self.state.through_sequence(period.kind()) as usize;
        let closure = close_period(&self.state, &self.entries[covered.min(self.entries.len())..], period)?;
        self.state = self.state.after(&closure);
        self.closures.push(closure);
        Ok(self.closures.last().expect("just pushed"))
    }

    /// The head marker to store apart from the records after each append or closure.
    pub fn head(&self) -> Head {
        Head {
            format_version: FORMAT_VERSION,
            point_of_sale: self.point_of_sale(),
            entry_count: self.tip.last_sequence,
            last_entry_hash: self.tip.last_hash.clone(),
            closure_count: self.state.count,
            last_closure_hash: self.state.last_hash.clone(),
            event_count: self.event_tip.last_sequence,
            last_event_hash: self.event_tip.last_hash.clone(),
        }
    }

    /// Verifies the journal and its events, against `head` when one is given.
    pub fn verify(&self, head: Option<&Head>) -> Report {
        verify_with_events(&self.point_of_sale(), &self.entries, &self.closures, &self.events, head)
    }

    /// The signed archive of the whole journal.
    pub fn export(&self, key: &TillKey) -> Result<Archive, ArchiveError> {
        self.unsigned_archive().sign(key)
    }

    /// The whole journal packed for an archive, to be signed by a key outside core.
    pub fn unsigned_archive(&self) -> UnsignedArchive {
        UnsignedArchive {
            head: self.head(),
            entries: self.entries.clone(),
            closures: self.closures.clone(),
            events: self.events.clone(),
        }
    }
}

//! What the outbox records in the technical event journal ([`crate::journal::event`]), and the
//! closing procedure that records its start and its end there.
//!
//! Core decides when an event happens; a binding only calls the step it is at:
//!
//! | event | when | planned by |
//! |---|---|---|
//! | 80 start | the store is opened by a program | [`Outbox::start`] |
//! | 81 stop | the program shuts the till down | [`Outbox::stop`] |
//! | 70 offline start | the first send of a run fails for want of a connection, before any answer | [`Outbox::record`] |
//! | 90 integrity defect | the stored journal does not verify at open | [`integrity_defect`] |
//! | 91 clock backwards | any event dated before the previous one | every event |
//! | 110 export | an archive is made | [`Outbox::plan_export`] |
//! | 330 closing start | a closure was asked for and can be made | [`Outbox::closing_start`] |
//! | 50 / 60 closure | the closure is stored, in the same commit | [`Outbox::close`] |

use super::entry::EpochMillis;
use super::error::OutboxError;
use super::outcome::Failure;
use super::queue::Outbox;
use super::store::unsigned_archive;
use super::store::Snapshot;
use super::write::{Commit, Effect, Write};
use crate::journal::{
    close_period, record_events, Closure, ClosureKind, EventKind, EventTip, Head, JournalEntry, Period, UnsignedArchive,
};
use crate::point_of_sale::PointOfSale;

/// An export planned by [`Outbox::plan_export`]: the archive to sign, and the commit that stores
/// its event once it is signed.
#[derive(Debug)]
pub struct PlannedExport {
    pub commit: Commit,
    pub unsigned: UnsignedArchive,
}

/// The writes that record `kind` after `tip` and store `head` with the new event count.
fn event_writes(
    tip: &EventTip,
    head: Head,
    kind: EventKind,
    now: EpochMillis,
    detail: String,
) -> Result<Vec<Write>, OutboxError> {
    let at = i64::try_from(now).map_err(|_| OutboxError::Event(format!("the time {now} ms is not a date")))?;
    let events = record_events(tip, kind, at, detail).map_err(|e| OutboxError::Event(e.to_string()))?;
    let last = events.last().expect("record_events gives at least one event");
    let head = Head { event_count: last.sequence, last_event_hash: last.hash.clone(), ..head };
    let mut writes: Vec<Write> = events.into_iter().map(|event| Write::AppendEvent { event }).collect();
    writes.push(Write::PutHead { head });
    Ok(writes)
}

/// The writes that record, in a store whose journal does not verify, the integrity defect found
/// at open (`finding`): the event follows the stored events as they are, and the stored head
/// keeps its other counts, so the evidence of the break is left as found. The open still fails.
pub fn integrity_defect(
    point_of_sale: PointOfSale,
    snapshot: &Snapshot,
    finding: &str,
    now: EpochMillis,
) -> Result<Vec<Write>, OutboxError> {
    let tip = EventTip::of(point_of_sale, &snapshot.events);
    let head = snapshot.head.clone().unwrap_or_else(|| Head::genesis(point_of_sale));
    event_writes(&tip, head, EventKind::IntegrityDefect, now, finding.to_owned())
}

impl Outbox {
    fn event_commit(&self, kind: EventKind, now: EpochMillis, detail: String) -> Result<Commit, OutboxError> {
        Ok(self.commit(event_writes(&self.events, self.head(), kind, now, detail)?, Effect::None))
    }

    /// Plans the start event of a run, `program` naming what opened the till. When the previous
    /// run recorded no stop, the detail says so (it ended by a crash, a kill or a closed tab).
    pub fn start(&self, now: EpochMillis, program: &str) -> Result<Commit, OutboxError> {
        let unclean = self.events.last_sequence > 0 && self.events.last_kind != Some(EventKind::Stop);
        let detail = match unclean {
            true => format!("{program}; the previous run ended without a stop"),
            false => program.to_owned(),
        };
        self.event_commit(EventKind::Start, now, detail)
    }

    /// Plans the stop event: the program shuts the till down.
    pub fn stop(&self, now: EpochMillis) -> Result<Commit, OutboxError> {
        self.event_commit(EventKind::Stop, now, String::new())
    }

    /// Plans an export: its event (110, naming the key `public_key_hex`) and the journal of
    /// `snapshot` (what the store holds) packed with that event, verified first (a broken
    /// journal is `journal.broken`). Sign [`PlannedExport::unsigned`], then store
    /// [`PlannedExport::commit`]: an export whose signature is refused stores nothing.
    pub fn plan_export(
        &self,
        snapshot: Snapshot,
        public_key_hex: &str,
        now: EpochMillis,
    ) -> Result<PlannedExport, OutboxError> {
        let detail = format!("archive signed by Ed25519 key {public_key_hex}");
        let commit = self.event_commit(EventKind::Export, now, detail)?;
        let unsigned = unsigned_archive(self.point_of_sale(), snapshot.with_journal_writes(commit.writes()))?;
        Ok(PlannedExport { commit, unsigned })
    }

    /// The offline start of this run, added to the commit recording the first failed send.
    pub(super) fn offline_start_writes(&self, now: EpochMillis, lost: &Failure) -> Result<Vec<Write>, OutboxError> {
        let detail = format!("{}: {}", lost.code, lost.message);
        event_writes(&self.events, self.head(), EventKind::OfflineStart, now, detail)
    }

    /// The first journal sequence a closure of `period` must be given (the entries after the last
    /// closure of its kind): what a store loads for [`Outbox::plan_closure`].
    pub fn closure_start(&self, period: Period) -> u64 {
        self.closures.through_sequence(period.kind()) + 1
    }

    /// The closure of `period` (issue 8), unsigned, or why it cannot be made. `entries` are the
    /// journal entries from [`Outbox::closure_start`] to the last one. Nothing is planned: sign
    /// it ([`Closure::signed_message`]), record the closing start, then [`Outbox::close`].
    pub fn plan_closure(&self, period: Period, entries: &[JournalEntry]) -> Result<Closure, OutboxError> {
        let from = self.closure_start(period);
        let tip = self.journal_tip();
        let expected: Vec<u64> = (from..=tip.last_sequence).collect();
        let given: Vec<u64> = entries.iter().map(|e| e.sequence).collect();
        if given != expected || entries.last().is_some_and(|e| e.hash != tip.last_hash) {
            return Err(OutboxError::ClosureEntries { from, to: tip.last_sequence });
        }
        Ok(close_period(&self.closures, entries, period)?)
    }

    /// Plans the closing start event (330) of `period`.
    pub fn closing_start(&self, period: Period, now: EpochMillis) -> Result<Commit, OutboxError> {
        self.event_commit(EventKind::ClosingStart, now, period.to_string())
    }

    /// Plans storing `closure` (from [`Outbox::plan_closure`], signed by the till's key with
    /// [`crate::journal::TillKey::sign_closure`] or [`Closure::accept_signature`], or unsigned)
    /// with its closure event (50, or 60 for a year) and the head, in one commit.
    pub fn close(&self, closure: Closure, now: EpochMillis) -> Result<Commit, OutboxError> {
        if closure.sequence != self.closures.count + 1 || closure.previous_hash != self.closures.last_hash {
            return Err(OutboxError::StaleCommit);
        }
        let kind = match closure.kind {
            ClosureKind::Year => EventKind::YearClosure,
            ClosureKind::Day | ClosureKind::Month => EventKind::PeriodClosure,
        };
        let head = Head { closure_count: closure.sequence, last_closure_hash: closure.hash.clone(), ..self.head() };
        let mut writes = event_writes(&self.events, head, kind, now, closure.period.to_string())?;
        writes.insert(0, Write::AppendClosure { closure });
        Ok(self.commit(writes, Effect::None))
    }
}

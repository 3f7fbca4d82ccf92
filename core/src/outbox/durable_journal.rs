//! The journal's procedures over a synchronous store, written once for the outbox
//! ([`super::DurableOutbox`]) and the sale engine ([`crate::sale::DurableTill`]): a run's start
//! and stop, the export, and the closing, each recording its technical events
//! ([`super::events`]).

use super::entry::EpochMillis;
use super::error::OutboxError;
use super::events::integrity_defect;
use super::queue::journal_finding;
use super::store::Snapshot;
use super::store::{archive_error, is_conflict, retrying, OutboxStore, SendQueue};
use super::write::Commit;
use crate::journal::{Archive, Period, TillKey};
use crate::point_of_sale::PointOfSale;

/// A till's outbox over a synchronous store ([`SendQueue`] gives the outbox): what the journal's
/// procedures need of it.
pub trait TillJournal: SendQueue + Sized {
    type Store: OutboxStore;

    fn journal_store(&mut self) -> &mut Self::Store;
    /// Stores a commit, then lets the outbox take it in.
    fn persist_commit(&mut self, commit: Commit) -> Result<(), OutboxError>;
    /// Reloads what other writers stored.
    fn reload_journal(&mut self) -> Result<(), OutboxError>;

    /// Plans with `plan` (a commit and what the step gives), persists and applies; planned again
    /// on what is stored when another writer got there first.
    fn journal_step<T>(
        &mut self,
        mut plan: impl FnMut(&mut Self) -> Result<(Commit, T), OutboxError>,
    ) -> Result<T, OutboxError> {
        retrying(self, Self::reload_journal, is_conflict, |me| {
            let (commit, given) = plan(me)?;
            me.persist_commit(commit)?;
            Ok(given)
        })
    }

    /// Records the start (80) of a run of `program`.
    fn started(&mut self, now: EpochMillis, program: &str) -> Result<(), OutboxError> {
        self.journal_step(|me| Ok((me.outbox().start(now, program)?, ())))
    }

    /// Records the stop (81) of this run: call it when the program shuts the till down.
    fn stop(&mut self, now: EpochMillis) -> Result<(), OutboxError> {
        self.journal_step(|me| Ok((me.outbox().stop(now)?, ())))
    }

    /// The signed archive of this till's journal (art. 286 I-3° bis CGI, `crous-till journal
    /// verify`), holding its own export event (110), stored once the archive is signed
    /// ([`super::Outbox::plan_export`]). The stored journal is verified first: a broken one is never
    /// signed (`journal.broken`).
    fn export_archive(&mut self, key: &TillKey, now: EpochMillis) -> Result<Archive, OutboxError> {
        self.journal_step(|me| {
            let pos = me.outbox().point_of_sale();
            let snapshot = me.journal_store().load(pos)?;
            let planned = me.outbox().plan_export(snapshot, &key.public_key_hex(), now)?;
            let archive = planned.unsigned.sign(key).map_err(archive_error)?;
            Ok((planned.commit, archive))
        })
    }

    /// Closes a day, month or year of the journal, the closure signed with `key` when one is
    /// given ([`crate::journal::closure`]). The closure is planned and signed first, so a period
    /// that cannot close records nothing; then the closing start (330) is stored; then the
    /// closure with its closure event (50 or 60) and the head, in one commit.
    fn close(&mut self, period: Period, key: Option<&TillKey>, now: EpochMillis) -> Result<(), OutboxError> {
        if self.journal_store().shared() {
            self.reload_journal()?; // the closure covers every entry stored, whoever wrote it
        }
        let mut started = false;
        self.journal_step(|me| {
            let mut closure = me.plan_closure(period)?;
            if let Some(key) = key {
                closure.signature = Some(key.sign_closure(&closure));
            }
            if !started {
                me.persist_commit(me.outbox().closing_start(period, now)?)?;
                started = true;
            }
            Ok((me.outbox().close(closure, now)?, ()))
        })
    }

    /// The closure of `period` over the stored entries it covers, unsigned.
    fn plan_closure(&mut self, period: Period) -> Result<crate::journal::Closure, OutboxError> {
        let (pos, from) = (self.outbox().point_of_sale(), self.outbox().closure_start(period));
        let entries = self.journal_store().journal_from(pos, from)?;
        self.outbox().plan_closure(period, &entries)
    }
}

/// Opens a till over `store` with `open` (given the store and what it holds, loaded once) for a
/// run of `program`, and records its start. A stored
/// journal that does not verify is recorded as an integrity defect (90), when the store takes
/// it, and the open fails as `open` fails (`journal.broken`): what the browser package does too.
pub(crate) fn start<S, Q, E>(
    mut store: S,
    point_of_sale: PointOfSale,
    now: EpochMillis,
    program: &str,
    open: impl FnOnce(S, Snapshot) -> Result<Q, E>,
) -> Result<Q, E>
where
    S: OutboxStore,
    Q: TillJournal<Store = S>,
    E: From<OutboxError>,
{
    let snapshot = store.load(point_of_sale).map_err(OutboxError::from)?;
    if let Some(finding) = journal_finding(point_of_sale, &snapshot) {
        // Best effort: the open fails with the finding whether or not the store takes the event.
        if let Ok(writes) = integrity_defect(point_of_sale, &snapshot, &finding, now) {
            let _ = store.commit(&writes);
        }
        return Err(OutboxError::JournalBroken(finding).into());
    }
    let mut till = open(store, snapshot)?;
    till.started(now, program)?;
    Ok(till)
}

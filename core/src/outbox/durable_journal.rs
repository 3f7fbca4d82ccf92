//! The journal's procedures over a synchronous store, written once for the outbox
//! ([`super::DurableOutbox`]) and the sale engine ([`crate::sale::DurableTill`]): a run's start
//! and stop, the export, and the closing, each recording its technical events
//! ([`super::events`]).

use super::entry::EpochMillis;
use super::error::OutboxError;
use super::events::integrity_defect;
use super::queue::Outbox;
use super::store::{archive_error, export_detail, is_conflict, unsigned_archive, OutboxStore, CONFLICT_RETRIES};
use super::write::Commit;
use crate::journal::{Archive, Period, TillKey};
use crate::point_of_sale::PointOfSale;

/// A till's outbox over a synchronous store: what the journal's procedures need of it.
pub trait TillJournal {
    type Store: OutboxStore;

    fn journal_outbox(&self) -> &Outbox;
    fn journal_store(&mut self) -> &mut Self::Store;
    /// Stores a commit, then lets the outbox take it in.
    fn persist_commit(&mut self, commit: Commit) -> Result<(), OutboxError>;
    /// Reloads what other writers stored.
    fn reload_journal(&mut self) -> Result<(), OutboxError>;

    /// Plans with `plan`, persists and applies; planned again on what is stored when another
    /// writer got there first.
    fn journal_step(&mut self, plan: impl Fn(&Outbox) -> Result<Commit, OutboxError>) -> Result<(), OutboxError> {
        let mut retries = 0;
        loop {
            match plan(self.journal_outbox()).and_then(|commit| self.persist_commit(commit)) {
                Err(e) if is_conflict(&e) && retries < CONFLICT_RETRIES => {
                    retries += 1;
                    self.reload_journal()?;
                }
                done => return done,
            }
        }
    }

    /// Records the start (80) of a run of `program`.
    fn started(&mut self, now: EpochMillis, program: &str) -> Result<(), OutboxError> {
        self.journal_step(|o| o.start(now, program))
    }

    /// Records the stop (81) of this run: call it when the program shuts the till down.
    fn stop(&mut self, now: EpochMillis) -> Result<(), OutboxError> {
        self.journal_step(|o| o.stop(now))
    }

    /// The signed archive of this till's journal (art. 286 I-3° bis CGI, `crous-till journal
    /// verify`), its export recorded first (110) so that the archive holds it. The stored
    /// journal is verified first: a broken one is never signed (`journal.broken`).
    fn export_archive(&mut self, key: &TillKey, now: EpochMillis) -> Result<Archive, OutboxError> {
        self.journal_step(|o| o.exported(now, export_detail(&key.public_key_hex())))?;
        let pos = self.journal_outbox().point_of_sale();
        let snapshot = self.journal_store().load(pos)?;
        unsigned_archive(pos, snapshot)?.sign(key).map_err(archive_error)
    }

    /// Closes a day, month or year of the journal, the closure signed with `key` when one is
    /// given ([`crate::journal::closure`]). The closure is planned first, so a period that cannot
    /// close records nothing; then the closing start (330) is stored; then the closure with its
    /// closure event (50 or 60) and the head, in one commit.
    fn close(&mut self, period: Period, key: Option<&TillKey>, now: EpochMillis) -> Result<(), OutboxError> {
        if self.journal_store().shared() {
            self.reload_journal()?; // the closure covers every entry stored, whoever wrote it
        }
        let mut started = false;
        let mut retries = 0;
        loop {
            let step = (|| {
                let mut closure = self.plan_closure(period)?;
                if !started {
                    let commit = self.journal_outbox().closing_start(period, now)?;
                    self.persist_commit(commit)?;
                    started = true;
                }
                if let Some(key) = key {
                    closure.signature = Some(key.sign_closure(&closure));
                }
                let commit = self.journal_outbox().close(closure, None, now)?;
                self.persist_commit(commit)
            })();
            match step {
                Err(e) if is_conflict(&e) && retries < CONFLICT_RETRIES => {
                    retries += 1;
                    self.reload_journal()?;
                }
                done => return done,
            }
        }
    }

    /// The closure of `period` over the stored entries it covers, unsigned.
    fn plan_closure(&mut self, period: Period) -> Result<crate::journal::Closure, OutboxError> {
        let (pos, from) = (self.journal_outbox().point_of_sale(), self.journal_outbox().closure_start(period));
        let entries = self.journal_store().journal_from(pos, from)?;
        self.journal_outbox().plan_closure(period, &entries)
    }
}

/// Opens a till over `store` with `open` for a run of `program`, and records its start. A stored
/// journal that does not verify is recorded as an integrity defect (90) and the open fails as
/// `open` fails (`journal.broken`).
pub(crate) fn start<S, Q, E>(
    mut store: S,
    point_of_sale: PointOfSale,
    now: EpochMillis,
    program: &str,
    open: impl FnOnce(S) -> Result<Q, E>,
) -> Result<Q, E>
where
    S: OutboxStore,
    Q: TillJournal<Store = S>,
    E: From<OutboxError>,
{
    let snapshot = store.load(point_of_sale).map_err(OutboxError::from)?;
    let policy = super::OutboxPolicy::default();
    if let Err(OutboxError::JournalBroken(finding)) = Outbox::open(point_of_sale, policy, snapshot.clone()) {
        store.commit(&integrity_defect(point_of_sale, &snapshot, &finding, now)?).map_err(OutboxError::from)?;
        return Err(OutboxError::JournalBroken(finding).into());
    }
    let mut till = open(store)?;
    till.started(now, program)?;
    Ok(till)
}

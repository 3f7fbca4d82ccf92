//! [`Outbox`]: the queue of one point of sale, with no I/O and no clock.

use super::entry::{Delivery, EpochMillis, LastError, OutboxEntry, Status};
use super::error::OutboxError;
use super::outcome::{Failure, SendOutcome};
use super::policy::{later, OutboxPolicy};
use super::store::Snapshot;
use super::write::{Commit, Dispatch, Effect, Write};
use crate::journal::canonical::to_canonical_json;
use crate::journal::FORMAT_VERSION;
use crate::journal::{append_entry, ClosureState, EntryTip, EventTip, Head, Journal};
use crate::point_of_sale::PointOfSale;
use crate::ticket::Ticket;
use std::collections::{BTreeMap, HashMap};
use std::mem::take;

/// What to do next, as [`Outbox::next_to_send`] sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next<'a> {
    /// Nothing left to deliver.
    Idle,
    /// This ticket is due: call [`Outbox::begin_send`].
    Due(&'a OutboxEntry),
    /// This ticket is being sent; record its outcome first (one send at a time, in order).
    InFlight(&'a OutboxEntry),
    /// The oldest open ticket waits for its backoff; nothing later may overtake it.
    WaitUntil { at: EpochMillis, entry: &'a OutboxEntry },
    /// The Crous answered 401: authenticate, then call [`Outbox::authenticated`].
    Authenticate,
}

/// What holds a point of sale's outbox: the outbox itself, or the sale engine's
/// [`crate::sale::Till`]. A sender drains either the same way (the browser package's pump).
pub trait HoldsOutbox {
    fn outbox(&self) -> &Outbox;
    fn outbox_mut(&mut self) -> &mut Outbox;
}

impl HoldsOutbox for Outbox {
    fn outbox(&self) -> &Outbox {
        self
    }

    fn outbox_mut(&mut self) -> &mut Outbox {
        self
    }
}

/// The outbox of one point of sale: its rows, and the tips of its journal that the next append
/// and the next closure need. Rebuild it from storage with [`Outbox::restore`] at start-up.
#[derive(Debug, Clone)]
pub struct Outbox {
    point_of_sale: PointOfSale,
    policy: OutboxPolicy,
    rows: BTreeMap<u64, OutboxEntry>,
    by_id: HashMap<u64, u64>,
    last_id: u64,
    tip: EntryTip,
    pub(super) closures: ClosureState,
    pub(super) events: EventTip,
    /// This run's offline start is settled ([`super::events`]): the Crous answered, or the
    /// offline start is recorded.
    pub(super) offline_settled: bool,
    in_flight: Option<u64>,
    unauthorized: bool,
    auth_failures: u32,
    version: u64,
}

/// The stored journal and technical events, verified against the head marker
/// ([`Journal::restore`]); the first finding when they do not verify.
pub(crate) fn restore_journal(point_of_sale: PointOfSale, snapshot: &mut Snapshot) -> Result<Journal, OutboxError> {
    let (entries, closures, events) =
        (take(&mut snapshot.journal), take(&mut snapshot.closures), take(&mut snapshot.events));
    Journal::restore(point_of_sale, entries, closures, events, snapshot.head.as_ref()).map_err(|report| {
        OutboxError::JournalBroken(report.first().map_or_else(|| "unknown".into(), |f| f.to_string()))
    })
}

/// The first finding of a stored journal that does not verify, `None` when it does: what opening
/// it would refuse ([`restore_journal`]).
pub(crate) fn journal_finding(point_of_sale: PointOfSale, snapshot: &Snapshot) -> Option<String> {
    let s = snapshot;
    let report =
        crate::journal::verify_with_events(&point_of_sale, &s.journal, &s.closures, &s.events, s.head.as_ref());
    report.first().map(|f| f.to_string())
}

/// idTicketEntete as a number: specs 001, "un numéro unique et séquentiel par point de vente".
pub(crate) fn ticket_number(id: &str) -> Result<u64, OutboxError> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OutboxError::InvalidTicketId(id.to_owned()));
    }
    id.parse().map_err(|_| OutboxError::InvalidTicketId(id.to_owned()))
}

impl Outbox {
    /// An empty outbox over an empty journal.
    pub fn new(point_of_sale: PointOfSale, policy: OutboxPolicy) -> Self {
        Outbox {
            point_of_sale,
            policy,
            rows: BTreeMap::new(),
            by_id: HashMap::new(),
            last_id: 0,
            tip: EntryTip::genesis(point_of_sale),
            closures: ClosureState::genesis(point_of_sale),
            events: EventTip::genesis(point_of_sale),
            offline_settled: false,
            in_flight: None,
            unauthorized: false,
            auth_failures: 0,
            version: 0,
        }
    }

    /// Rebuilds the outbox from its stored rows and its journal's tips (the last entry, the
    /// closures). Rows left `sending` were interrupted and are due again. Checks that rows belong
    /// here, have distinct sequences and ids, and point into the journal.
    pub fn restore(
        point_of_sale: PointOfSale,
        policy: OutboxPolicy,
        rows: impl IntoIterator<Item = OutboxEntry>,
        tip: EntryTip,
        closures: ClosureState,
    ) -> Result<Self, OutboxError> {
        let corrupt = |why: String| Err(OutboxError::Corrupt(why));
        if tip.point_of_sale != point_of_sale || closures.point_of_sale != point_of_sale {
            return corrupt(format!("the journal tips are not those of point of sale {point_of_sale}"));
        }
        let mut outbox = Outbox { tip, closures, ..Outbox::new(point_of_sale, policy) };
        for row in rows {
            if row.point_of_sale != point_of_sale {
                return corrupt(format!("row {} belongs to point of sale {}", row.sequence, row.point_of_sale));
            }
            if row.sequence == 0 || row.sequence > outbox.tip.last_sequence {
                return corrupt(format!(
                    "row {} is not in the journal ({} entries)",
                    row.sequence, outbox.tip.last_sequence
                ));
            }
            if row.ticket.id_ticket_entete.as_deref() != Some(row.id_ticket_entete.as_str()) {
                return corrupt(format!("row {}: idTicketEntete differs from its ticket's", row.sequence));
            }
            let number = ticket_number(&row.id_ticket_entete)?;
            if outbox.by_id.insert(number, row.sequence).is_some() {
                return corrupt(format!("idTicketEntete {} is stored twice", row.id_ticket_entete));
            }
            outbox.last_id = outbox.last_id.max(number);
            let sequence = row.sequence;
            if outbox.rows.insert(sequence, row).is_some() {
                return corrupt(format!("row {sequence} is stored twice"));
            }
        }
        Ok(outbox)
    }

    /// Rebuilds the outbox from everything a store loaded: verifies the journal against its head
    /// marker ([`Journal::restore`]), then [`Outbox::restore_with_journal`]. What a restart does,
    /// for synchronous stores ([`super::DurableOutbox::open`]) and asynchronous ones alike.
    pub fn open(point_of_sale: PointOfSale, policy: OutboxPolicy, mut snapshot: Snapshot) -> Result<Self, OutboxError> {
        let journal = restore_journal(point_of_sale, &mut snapshot)?;
        Outbox::restore_with_journal(policy, snapshot.rows, &journal)
    }

    /// [`Outbox::restore`] with the tips taken from a verified journal
    /// ([`Journal::restore`]), also checking that each row holds its journal entry's ticket.
    pub fn restore_with_journal(
        policy: OutboxPolicy,
        rows: impl IntoIterator<Item = OutboxEntry>,
        journal: &Journal,
    ) -> Result<Self, OutboxError> {
        let pos = journal.point_of_sale();
        let tip = journal.entries().last().map_or_else(|| EntryTip::genesis(pos), EntryTip::after);
        let mut outbox = Outbox::restore(pos, policy, rows, tip, journal.closure_state().clone())?;
        outbox.events = journal.event_tip().clone();
        for row in outbox.rows.values() {
            let entry = &journal.entries()[(row.sequence - 1) as usize];
            if to_canonical_json(&entry.ticket)? != to_canonical_json(&row.ticket)? {
                return Err(OutboxError::Corrupt(format!(
                    "row {} holds another ticket than journal entry {}",
                    row.sequence, entry.sequence
                )));
            }
        }
        Ok(outbox)
    }

    /// Takes in what other writers stored since this outbox was opened (several processes over
    /// one store): rebuilt from `snapshot` as [`Outbox::open`] does, keeping what only this
    /// process knows, the send in flight (while its row is still the one handed out) and the
    /// authentication state. Commits planned before are stale afterwards.
    pub fn refresh(&mut self, snapshot: Snapshot) -> Result<(), OutboxError> {
        let fresh = Outbox::open(self.point_of_sale, self.policy, snapshot)?;
        self.carry_into(fresh);
        Ok(())
    }

    /// Replaces this outbox by `fresh` (the same point of sale, reloaded), see [`Outbox::refresh`].
    pub(crate) fn carry_into(&mut self, mut fresh: Outbox) {
        if let Some(sequence) = self.in_flight {
            let handed_out = self.rows.get(&sequence).map(|r| r.revision);
            let stored = fresh.rows.get(&sequence);
            if stored.is_some_and(|r| r.status == Status::Sending && Some(r.revision) == handed_out) {
                fresh.in_flight = Some(sequence);
            }
        }
        fresh.unauthorized = self.unauthorized;
        fresh.auth_failures = self.auth_failures;
        fresh.offline_settled = self.offline_settled;
        fresh.version = self.version + 1;
        *self = fresh;
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.point_of_sale
    }

    pub fn policy(&self) -> &OutboxPolicy {
        &self.policy
    }

    /// Every row, in send order.
    pub fn entries(&self) -> impl Iterator<Item = &OutboxEntry> {
        self.rows.values()
    }

    /// The row of this idTicketEntete.
    pub fn entry(&self, id_ticket_entete: &str) -> Option<&OutboxEntry> {
        let number = ticket_number(id_ticket_entete).ok()?;
        self.by_id.get(&number).and_then(|seq| self.rows.get(seq))
    }

    /// The journal's last entry, as the next append needs it.
    pub fn journal_tip(&self) -> &EntryTip {
        &self.tip
    }

    pub fn closure_state(&self) -> &ClosureState {
        &self.closures
    }

    /// The head marker as stored by the last commit.
    pub fn head(&self) -> Head {
        Head {
            format_version: FORMAT_VERSION,
            point_of_sale: self.point_of_sale,
            entry_count: self.tip.last_sequence,
            last_entry_hash: self.tip.last_hash.clone(),
            closure_count: self.closures.count,
            last_closure_hash: self.closures.last_hash.clone(),
            event_count: self.events.last_sequence,
            last_event_hash: self.events.last_hash.clone(),
        }
    }

    /// True after a 401 until [`Outbox::authenticated`].
    pub fn needs_authentication(&self) -> bool {
        self.unauthorized
    }

    /// The caller holds a fresh token: sending resumes.
    pub fn authenticated(&mut self) {
        self.unauthorized = false;
    }

    pub(super) fn commit(&self, writes: Vec<Write>, effect: Effect) -> Commit {
        Commit { base: self.version, writes, effect }
    }

    /// Plans storing a finished sale's ticket: journal entry, head marker and outbox row, in one
    /// commit. Issue 6: "a finished sale's ticket is stored before it is sent". An identical
    /// ticket already enqueued gives an empty commit (idempotent); the same idTicketEntete with
    /// other content is [`OutboxError::ConflictingTicket`].
    pub fn enqueue(&self, ticket: Ticket, now: EpochMillis) -> Result<Commit, OutboxError> {
        let id = ticket.id_ticket_entete.clone().ok_or(OutboxError::MissingTicketId)?;
        let number = ticket_number(&id)?;
        if let Some(existing) = self.by_id.get(&number).and_then(|seq| self.rows.get(seq)) {
            return if to_canonical_json(&existing.ticket)? == to_canonical_json(&ticket)? {
                Ok(self.commit(Vec::new(), Effect::None))
            } else {
                Err(OutboxError::ConflictingTicket { id })
            };
        }
        if number <= self.last_id {
            return Err(OutboxError::TicketIdNotAfterLast { id, last: self.last_id });
        }
        let entry = append_entry(&self.tip, self.closures.closed_through(), ticket.clone())?;
        let row = OutboxEntry {
            point_of_sale: self.point_of_sale,
            sequence: entry.sequence,
            id_ticket_entete: id,
            ticket,
            status: Status::Pending,
            attempts: 0,
            enqueued_at: now,
            next_attempt_at: now,
            last_attempt_at: None,
            last_error: None,
            delivered_at: None,
            delivery: None,
            revision: 1,
        };
        let head = Head { entry_count: entry.sequence, last_entry_hash: entry.hash.clone(), ..self.head() };
        let writes =
            vec![Write::AppendJournalEntry { entry }, Write::PutHead { head }, Write::InsertEntry { entry: row }];
        Ok(self.commit(writes, Effect::None))
    }

    /// The oldest open ticket and whether it may leave now. Strict order: a later ticket never
    /// overtakes an earlier pending one, and one ticket is sent at a time. Refused tickets are
    /// out of the queue (see [`Status::Refused`]).
    pub fn next_to_send(&self, now: EpochMillis) -> Next<'_> {
        let Some(entry) = self.rows.values().find(|r| r.status.is_open()) else {
            return Next::Idle;
        };
        if let Some(seq) = self.in_flight {
            return Next::InFlight(self.rows.get(&seq).unwrap_or(entry));
        }
        if self.unauthorized {
            return Next::Authenticate;
        }
        // A `sending` row with nothing in flight was interrupted: due at once.
        if entry.status == Status::Pending && entry.next_attempt_at > now {
            return Next::WaitUntil { at: entry.next_attempt_at, entry };
        }
        Next::Due(entry)
    }

    /// Plans the `sending` mark of the ticket [`Outbox::next_to_send`] finds due; `None` when
    /// none is. Once persisted, [`Outbox::apply`] hands out its [`Dispatch`].
    pub fn begin_send(&self, now: EpochMillis) -> Option<Commit> {
        let Next::Due(row) = self.next_to_send(now) else {
            return None;
        };
        let mut marked = row.clone();
        marked.status = Status::Sending;
        marked.attempts = row.attempts.saturating_add(1);
        marked.last_attempt_at = Some(now);
        marked.next_attempt_at = now;
        marked.revision = row.revision + 1;
        let dispatch = Dispatch {
            point_of_sale: self.point_of_sale,
            sequence: marked.sequence,
            id_ticket_entete: marked.id_ticket_entete.clone(),
            attempt: marked.attempts,
            ticket: marked.ticket.clone(),
            revision: marked.revision,
        };
        let write = Write::UpdateEntry { entry: marked, expected_revision: row.revision };
        Some(self.commit(vec![write], Effect::Send(Box::new(dispatch))))
    }

    /// Plans recording how the send of `dispatch` ended; `jitter` in `[0, 1)` for the backoff.
    pub fn record(
        &self,
        dispatch: &Dispatch,
        outcome: &SendOutcome,
        now: EpochMillis,
        jitter: f64,
    ) -> Result<Commit, OutboxError> {
        let not_in_flight = OutboxError::NotInFlight { sequence: dispatch.sequence };
        let row = self.rows.get(&dispatch.sequence).ok_or(not_in_flight.clone())?;
        if self.in_flight != Some(dispatch.sequence)
            || row.status != Status::Sending
            || row.revision != dispatch.revision
        {
            return Err(not_in_flight);
        }
        let mut next = row.clone();
        next.revision = row.revision + 1;
        let error =
            |f: &Failure| LastError { code: f.code.to_owned(), message: f.message.clone(), status: f.status, at: now };
        let mut unauthorized = false;
        match outcome {
            SendOutcome::Accepted | SendOutcome::AlreadyReceived => {
                next.status = Status::Delivered;
                next.delivered_at = Some(now);
                next.delivery = Some(if *outcome == SendOutcome::Accepted {
                    Delivery::Accepted
                } else {
                    Delivery::AlreadyReceived
                });
            }
            SendOutcome::Refused(failure) => {
                next.status = Status::Refused;
                next.last_error = Some(error(failure));
            }
            SendOutcome::Unauthorized => {
                unauthorized = true;
                next.status = Status::Pending;
                next.attempts = row.attempts.saturating_sub(1);
                next.next_attempt_at = match self.auth_failures {
                    0 => now,
                    n => later(now, self.policy.delay(n, None, jitter)),
                };
                let failure = Failure::new("crous.unauthorized", "Crous API: not authenticated (401)", Some(401));
                next.last_error = Some(error(&failure));
            }
            SendOutcome::RetryLater { failure, retry_after } => {
                next.status = Status::Pending;
                next.next_attempt_at = later(now, self.policy.delay(row.attempts, *retry_after, jitter));
                next.last_error = Some(error(failure));
            }
        }
        let mut writes = vec![Write::UpdateEntry { entry: next, expected_revision: row.revision }];
        let lost = match outcome {
            SendOutcome::RetryLater { failure, .. } if failure.status.is_none() => Some(failure),
            _ => None,
        };
        if let Some(failure) = lost.filter(|_| !self.offline_settled) {
            writes.extend(self.offline_start_writes(now, failure)?);
        }
        let answered = lost.is_none();
        Ok(self.commit(writes, Effect::Settled { unauthorized, answered }))
    }

    /// Plans putting a refused ticket back in the queue, once its cause is fixed (say, the Crous
    /// corrected its reference data). It keeps its place: as the oldest open ticket it goes
    /// first, and later ones wait for it again.
    pub fn requeue_refused(&self, id_ticket_entete: &str, now: EpochMillis) -> Result<Commit, OutboxError> {
        let unknown = || OutboxError::UnknownTicket { id: id_ticket_entete.to_owned() };
        let row = self.entry(id_ticket_entete).ok_or_else(unknown)?;
        if row.status != Status::Refused {
            return Err(OutboxError::NotRefused { id: id_ticket_entete.to_owned() });
        }
        let mut next = row.clone();
        next.status = Status::Pending;
        next.attempts = 0;
        next.next_attempt_at = now;
        next.revision = row.revision + 1;
        Ok(self.commit(vec![Write::UpdateEntry { entry: next, expected_revision: row.revision }], Effect::None))
    }

    /// Plans deleting the rows delivered before `delivered_before`, so that a till's outbox does
    /// not grow forever (the journal keeps every ticket). The newest row is always kept: it
    /// carries the last idTicketEntete, below which any enqueue is refused, so a pruned ticket
    /// enqueued again is [`OutboxError::TicketIdNotAfterLast`], never journaled or sent twice.
    pub fn prune_delivered(&self, delivered_before: EpochMillis) -> Commit {
        let newest = self.rows.keys().next_back().copied();
        let writes = self
            .rows
            .values()
            .filter(|r| r.status == Status::Delivered && Some(r.sequence) != newest)
            .filter(|r| r.delivered_at.is_some_and(|at| at < delivered_before))
            .map(|r| Write::DeleteEntry {
                point_of_sale: r.point_of_sale,
                sequence: r.sequence,
                expected_revision: r.revision,
            })
            .collect();
        self.commit(writes, Effect::None)
    }

    /// Takes a persisted commit into the outbox; returns the ticket to send when the commit was
    /// a `sending` mark. Apply only what the store has performed.
    pub fn apply(&mut self, commit: Commit) -> Result<Option<Dispatch>, OutboxError> {
        if commit.base != self.version {
            return Err(OutboxError::StaleCommit);
        }
        for write in commit.writes {
            match write {
                Write::AppendJournalEntry { entry } => self.tip = EntryTip::after(&entry),
                Write::AppendClosure { closure } => self.closures = self.closures.after(&closure),
                Write::AppendEvent { event } => {
                    self.offline_settled |= event.kind() == Some(crate::journal::EventKind::OfflineStart);
                    self.events = EventTip::after(&event);
                }
                // The sale engine's records ([`crate::sale::Till`] takes them in).
                Write::PutHead { .. }
                | Write::PutNumbering { .. }
                | Write::InsertSale { .. }
                | Write::UpdateSale { .. }
                | Write::InsertOrder { .. }
                | Write::UpdateOrder { .. } => {}
                Write::DeleteEntry { sequence, .. } => {
                    if let Some(row) = self.rows.remove(&sequence) {
                        if let Ok(number) = ticket_number(&row.id_ticket_entete) {
                            self.by_id.remove(&number);
                        }
                    }
                }
                Write::InsertEntry { entry } | Write::UpdateEntry { entry, .. } => {
                    // Checked when the commit was planned.
                    if let Ok(number) = ticket_number(&entry.id_ticket_entete) {
                        self.by_id.insert(number, entry.sequence);
                        self.last_id = self.last_id.max(number);
                    }
                    self.rows.insert(entry.sequence, entry);
                }
            }
        }
        self.version += 1;
        Ok(match commit.effect {
            Effect::None => None,
            Effect::Send(dispatch) => {
                self.in_flight = Some(dispatch.sequence);
                Some(*dispatch)
            }
            Effect::Settled { unauthorized, answered } => {
                self.in_flight = None;
                self.offline_settled |= answered;
                if unauthorized {
                    self.unauthorized = true;
                    self.auth_failures = self.auth_failures.saturating_add(1);
                } else {
                    self.auth_failures = 0;
                }
                None
            }
        })
    }
}

//! Storage behind the outbox: the [`OutboxStore`] trait for synchronous stores (SQLite in
//! Node, the in-memory [`MemoryStore`] of tests), and [`DurableOutbox`], which drives an
//! [`Outbox`] over one: plan → persist → apply, so a ticket is handed out for sending only once
//! its row and `sending` mark are stored.
//!
//! An asynchronous store (IndexedDB from wasm) does the same three steps itself around each
//! `await`: `let c = outbox.enqueue(t, now)?; await putAll(c.writes()); outbox.apply(c)?`.

use super::entry::{EpochMillis, OutboxEntry, Status};
use super::error::{OutboxError, StoreError};
use super::outcome::SendOutcome;
use super::policy::OutboxPolicy;
use super::queue::restore_journal;
use super::queue::Outbox;
use super::view::QueueView;
use super::write::{Commit, Dispatch, Write};
use crate::journal::{ArchiveError, Closure, Event, Head, JournalEntry, UnsignedArchive, ZReport};
use crate::point_of_sale::PointOfSale;
use crate::sale::{NumberingRecord, SaleRecord, WebOrderRecord};
use crate::ticket::Ticket;
use std::collections::{BTreeMap, BTreeSet};

/// Everything stored for one point of sale, as loaded at start-up (JSON: `{rows, journal,
/// closures, events, head, sales, numbering, orders}`, what an asynchronous store such as IndexedDB hands to the
/// wasm binding).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    /// Outbox rows, any order.
    pub rows: Vec<OutboxEntry>,
    /// Journal entries in sequence order.
    pub journal: Vec<JournalEntry>,
    /// Closures in sequence order.
    pub closures: Vec<Closure>,
    /// Technical events in sequence order ([`crate::journal::event`]).
    pub events: Vec<Event>,
    /// The head marker, if one was ever stored.
    pub head: Option<Head>,
    /// The sale engine's sales ([`crate::sale`]), any order.
    pub sales: Vec<SaleRecord>,
    /// The ticket counters, if the sale engine ever stored them.
    pub numbering: Option<NumberingRecord>,
    /// The sale engine's web orders (IzlyPay), any order.
    pub orders: Vec<WebOrderRecord>,
}

impl Snapshot {
    /// The snapshot as it will be once `writes` of the journal (entries, closures, events, the
    /// head) are stored: what an export signs before it stores its own export event, so that a
    /// refused signature stores nothing. Other writes are left out.
    pub(crate) fn with_journal_writes(mut self, writes: &[Write]) -> Self {
        for write in writes {
            match write {
                Write::AppendJournalEntry { entry } => self.journal.push(entry.clone()),
                Write::AppendClosure { closure } => self.closures.push(closure.clone()),
                Write::AppendEvent { event } => self.events.push(event.clone()),
                Write::PutHead { head } => self.head = Some(head.clone()),
                _ => {}
            }
        }
        self
    }
}

/// A synchronous store of outbox rows and of the journal.
pub trait OutboxStore {
    /// What is stored for `point_of_sale` (empty for a new till).
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError>;

    /// Performs every write, checking each precondition ([`Write`]), or none of them.
    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError>;

    /// Journal entries with a sequence of at least `from`, in order (what a closure covers).
    fn journal_from(&self, point_of_sale: PointOfSale, from: u64) -> Result<Vec<JournalEntry>, StoreError> {
        Ok(self.load(point_of_sale)?.journal.into_iter().filter(|e| e.sequence >= from).collect())
    }

    /// Whether other processes write this store too (PostgreSQL for several servers). Then a
    /// drain reloads what they stored once it holds the right to send ([`Self::claim_sender`]).
    fn shared(&self) -> bool {
        false
    }

    /// Takes, for one drain, the right to send this point of sale's tickets: one sender per till
    /// keeps its tickets in order. A shared store answers `false` while another process holds it
    /// (PostgreSQL: a row locked `FOR UPDATE SKIP LOCKED`, freed when that process dies); a store
    /// of one process always grants it.
    fn claim_sender(&mut self, _point_of_sale: PointOfSale) -> Result<bool, StoreError> {
        Ok(true)
    }

    /// Gives the right to send back ([`Self::claim_sender`]).
    fn release_sender(&mut self, _point_of_sale: PointOfSale) -> Result<(), StoreError> {
        Ok(())
    }
}

/// How many times an operation is planned again when the store says another writer got there
/// first ([`StoreError::Conflict`]): reload, plan on what is stored now, commit. Each conflict
/// means another writer's commit landed, so a handful covers the few processes of one till.
pub(crate) const CONFLICT_RETRIES: u32 = 8;

/// Runs `op` on `target`; on a store conflict, `reload`s it and runs `op` again, at most
/// [`CONFLICT_RETRIES`] times.
pub(crate) fn retrying<T, Q, E>(
    target: &mut Q,
    reload: impl Fn(&mut Q) -> Result<(), E>,
    conflict: impl Fn(&E) -> bool,
    mut op: impl FnMut(&mut Q) -> Result<T, E>,
) -> Result<T, E> {
    let mut retries = 0;
    loop {
        match op(target) {
            Err(e) if conflict(&e) && retries < CONFLICT_RETRIES => {
                retries += 1;
                reload(target)?;
            }
            done => return done,
        }
    }
}

/// [`SendQueue::claim`] of a queue over a store: the store's claim, then what other processes
/// stored (`reload`) when the store is shared; the claim given back if that reload fails.
pub(crate) fn claim_then_reload<Q, S: OutboxStore>(
    queue: &mut Q,
    store: fn(&mut Q) -> &mut S,
    point_of_sale: PointOfSale,
    reload: impl FnOnce(&mut Q) -> Result<(), OutboxError>,
) -> Result<bool, OutboxError> {
    if !store(queue).claim_sender(point_of_sale)? {
        return Ok(false);
    }
    if store(queue).shared() {
        if let Err(e) = reload(queue) {
            store(queue).release_sender(point_of_sale)?;
            return Err(e);
        }
    }
    Ok(true)
}

/// The journal of a loaded `snapshot` packed for an archive, once verified: what a till whose
/// key lives outside core (the browser's WebCrypto key) signs ([`UnsignedArchive::signed`]).
pub(crate) fn unsigned_archive(
    point_of_sale: PointOfSale,
    mut snapshot: Snapshot,
) -> Result<UnsignedArchive, OutboxError> {
    Ok(restore_journal(point_of_sale, &mut snapshot)?.unsigned_archive())
}

/// The Z report of every closure of a loaded `snapshot`'s journal, verified first (what a page
/// shows of its closures; [`crate::journal::ZReport`]).
pub fn z_reports(point_of_sale: PointOfSale, mut snapshot: Snapshot) -> Result<Vec<ZReport>, OutboxError> {
    let journal = restore_journal(point_of_sale, &mut snapshot)?;
    crate::journal::z_reports(journal.closures(), journal.entries()).map_err(|e| OutboxError::Corrupt(e.to_string()))
}

/// An archive that cannot be made, as an outbox error (its code: `journal.not_canonical`,
/// `journal.bad_signature`).
pub fn archive_error(e: ArchiveError) -> OutboxError {
    match e {
        ArchiveError::Canonical(c) => OutboxError::Canonical(c),
        other => OutboxError::Archive(other.to_string()),
    }
}

pub(crate) fn is_conflict(e: &OutboxError) -> bool {
    matches!(e, OutboxError::Store(StoreError::Conflict(_)))
}

/// A durable queue a sender drains: [`DurableOutbox`], or the sale engine's
/// [`crate::sale::DurableTill`] (whose outbox holds the tickets of its sales). One sender loop
/// serves both.
pub trait SendQueue {
    fn outbox(&self) -> &Outbox;
    /// Marks the due ticket `sending`, stores the mark, and hands it out.
    fn begin_send(&mut self, now: EpochMillis) -> Result<Option<Dispatch>, OutboxError>;
    /// Stores how the send of `dispatch` ended.
    fn record_send(
        &mut self,
        dispatch: &Dispatch,
        outcome: &SendOutcome,
        now: EpochMillis,
        jitter: f64,
    ) -> Result<(), OutboxError>;
    /// The caller holds a fresh Crous token again.
    fn authenticated(&mut self);
    /// Takes the right to send for one drain ([`OutboxStore::claim_sender`]), reloading what
    /// other processes stored; `false` when another process is sending this till's tickets.
    fn claim(&mut self) -> Result<bool, OutboxError>;
    /// Gives the right to send back.
    fn release(&mut self) -> Result<(), OutboxError>;
}

impl<S: OutboxStore> SendQueue for DurableOutbox<S> {
    fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    fn begin_send(&mut self, now: EpochMillis) -> Result<Option<Dispatch>, OutboxError> {
        DurableOutbox::begin_send(self, now)
    }

    fn record_send(
        &mut self,
        dispatch: &Dispatch,
        outcome: &SendOutcome,
        now: EpochMillis,
        jitter: f64,
    ) -> Result<(), OutboxError> {
        self.record(dispatch, outcome, now, jitter)
    }

    fn authenticated(&mut self) {
        self.outbox.authenticated();
    }

    fn claim(&mut self) -> Result<bool, OutboxError> {
        let pos = self.outbox.point_of_sale();
        claim_then_reload(self, |q| &mut q.store, pos, Self::reload)
    }

    fn release(&mut self) -> Result<(), OutboxError> {
        Ok(self.store.release_sender(self.outbox.point_of_sale())?)
    }
}

impl<S: OutboxStore> super::TillJournal for DurableOutbox<S> {
    type Store = S;

    fn journal_store(&mut self) -> &mut S {
        &mut self.store
    }

    fn persist_commit(&mut self, commit: Commit) -> Result<(), OutboxError> {
        self.persist(commit).map(drop)
    }

    fn reload_journal(&mut self) -> Result<(), OutboxError> {
        self.reload()
    }
}

/// What [`DurableOutbox::enqueue`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// Journaled and queued under this sequence.
    Queued { sequence: u64 },
    /// The identical ticket was already there: nothing written.
    AlreadyQueued { sequence: u64 },
}

/// An [`Outbox`] that persists each commit in `S` before taking it in.
#[derive(Debug)]
pub struct DurableOutbox<S> {
    store: S,
    outbox: Outbox,
}

impl<S: OutboxStore> DurableOutbox<S> {
    /// Loads the point of sale's rows and journal, verifies the journal against its head marker
    /// ([`crate::journal::Journal::restore`]) and rebuilds the outbox: what a restart does.
    ///
    /// Records nothing: to inspect a store. A program that runs the till uses
    /// [`DurableOutbox::start`].
    pub fn open(store: S, point_of_sale: PointOfSale, policy: OutboxPolicy) -> Result<Self, OutboxError> {
        let snapshot = store.load(point_of_sale)?;
        let outbox = Outbox::open(point_of_sale, policy, snapshot)?;
        Ok(DurableOutbox { store, outbox })
    }

    /// Opens the till for a run of `program` and records its start ([`super::TillJournal::started`]).
    pub fn start(
        store: S,
        point_of_sale: PointOfSale,
        policy: OutboxPolicy,
        now: EpochMillis,
        program: &str,
    ) -> Result<Self, OutboxError> {
        super::durable_journal::start(store, point_of_sale, now, program, |store, snapshot| {
            Ok(DurableOutbox { outbox: Outbox::open(point_of_sale, policy, snapshot)?, store })
        })
    }

    pub(crate) fn persist(&mut self, commit: Commit) -> Result<Option<Dispatch>, OutboxError> {
        if !commit.is_empty() {
            self.store.commit(commit.writes())?;
        }
        self.outbox.apply(commit)
    }

    /// Reloads what the store holds now (other processes' commits), keeping the send in flight
    /// ([`Outbox::refresh`]).
    pub fn reload(&mut self) -> Result<(), OutboxError> {
        let snapshot = self.store.load(self.outbox.point_of_sale())?;
        self.outbox.refresh(snapshot)
    }

    /// Plans, persists and applies with `op`; planned again on what is stored when another
    /// writer got there first ([`StoreError::Conflict`]).
    fn retrying<T>(&mut self, op: impl FnMut(&mut Self) -> Result<T, OutboxError>) -> Result<T, OutboxError> {
        retrying(self, Self::reload, is_conflict, op)
    }

    /// Journals and queues a finished sale's ticket (see [`Outbox::enqueue`]).
    pub fn enqueue(&mut self, ticket: Ticket, now: EpochMillis) -> Result<Enqueued, OutboxError> {
        let id = ticket.id_ticket_entete.clone().ok_or(OutboxError::MissingTicketId)?;
        let fresh = self.retrying(|me| {
            let commit = me.outbox.enqueue(ticket.clone(), now)?;
            let fresh = !commit.is_empty();
            me.persist(commit)?;
            Ok(fresh)
        })?;
        let sequence = self.outbox.entry(&id).map(|e| e.sequence).ok_or(OutboxError::UnknownTicket { id })?;
        Ok(if fresh { Enqueued::Queued { sequence } } else { Enqueued::AlreadyQueued { sequence } })
    }

    /// Marks the due ticket `sending`, stores the mark, and hands it out; `None` when nothing is
    /// due ([`Outbox::next_to_send`] says why).
    pub fn begin_send(&mut self, now: EpochMillis) -> Result<Option<Dispatch>, OutboxError> {
        match self.outbox.begin_send(now) {
            Some(commit) => self.persist(commit),
            None => Ok(None),
        }
    }

    /// Stores how the send of `dispatch` ended.
    pub fn record(
        &mut self,
        dispatch: &Dispatch,
        outcome: &SendOutcome,
        now: EpochMillis,
        jitter: f64,
    ) -> Result<(), OutboxError> {
        let commit = self.outbox.record(dispatch, outcome, now, jitter)?;
        self.persist(commit).map(drop)
    }

    /// Puts a refused ticket back in the queue.
    pub fn requeue_refused(&mut self, id_ticket_entete: &str, now: EpochMillis) -> Result<(), OutboxError> {
        self.retrying(|me| {
            let commit = me.outbox.requeue_refused(id_ticket_entete, now)?;
            me.persist(commit).map(drop)
        })
    }

    /// Deletes the rows delivered before `delivered_before` ([`Outbox::prune_delivered`]);
    /// returns how many.
    pub fn prune_delivered(&mut self, delivered_before: EpochMillis) -> Result<usize, OutboxError> {
        let commit = self.outbox.prune_delivered(delivered_before);
        let pruned = commit.writes().len();
        self.persist(commit)?;
        Ok(pruned)
    }

    /// The caller holds a fresh Crous token again.
    pub fn authenticated(&mut self) {
        self.outbox.authenticated();
    }

    pub fn view(&self, now: EpochMillis) -> QueueView {
        self.outbox.view(now)
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Gives the store back (what a restart reopens).
    pub fn into_store(self) -> S {
        self.store
    }
}

/// One point of sale's data in a [`MemoryStore`].
#[derive(Debug, Clone, Default, PartialEq)]
struct Stored {
    rows: BTreeMap<u64, OutboxEntry>,
    ids: BTreeSet<String>,
    journal: Vec<JournalEntry>,
    closures: Vec<Closure>,
    events: Vec<Event>,
    head: Option<Head>,
    sales: BTreeMap<String, SaleRecord>,
    numbering: Option<NumberingRecord>,
    orders: BTreeMap<String, WebOrderRecord>,
}

impl Stored {
    fn perform(&mut self, write: &Write) -> Result<(), StoreError> {
        let conflict = |why: String| Err(StoreError::Conflict(why));
        match write {
            Write::AppendJournalEntry { entry } => {
                if entry.sequence != self.journal.len() as u64 + 1 {
                    return conflict(format!("journal entry {} after {}", entry.sequence, self.journal.len()));
                }
                self.journal.push(entry.clone());
            }
            Write::AppendClosure { closure } => {
                if closure.sequence != self.closures.len() as u64 + 1 {
                    return conflict(format!("closure {} after {}", closure.sequence, self.closures.len()));
                }
                self.closures.push(closure.clone());
            }
            Write::AppendEvent { event } => {
                if event.sequence != self.events.len() as u64 + 1 {
                    return conflict(format!("event {} after {}", event.sequence, self.events.len()));
                }
                self.events.push(event.clone());
            }
            Write::PutHead { head } => self.head = Some(head.clone()),
            Write::InsertEntry { entry } => {
                if self.rows.contains_key(&entry.sequence) || self.ids.contains(&entry.id_ticket_entete) {
                    return conflict(format!("row {} ({}) exists", entry.sequence, entry.id_ticket_entete));
                }
                self.ids.insert(entry.id_ticket_entete.clone());
                self.rows.insert(entry.sequence, entry.clone());
            }
            Write::UpdateEntry { entry, expected_revision } => match self.rows.get(&entry.sequence) {
                Some(stored)
                    if stored.revision == *expected_revision
                        && entry.revision == expected_revision + 1
                        && stored.id_ticket_entete == entry.id_ticket_entete =>
                {
                    self.rows.insert(entry.sequence, entry.clone());
                }
                Some(stored) => {
                    return conflict(format!(
                        "row {} is at revision {}, not {expected_revision}",
                        entry.sequence, stored.revision
                    ))
                }
                None => return conflict(format!("row {} does not exist", entry.sequence)),
            },
            Write::DeleteEntry { sequence, expected_revision, .. } => match self.rows.get(sequence) {
                Some(stored) if stored.revision == *expected_revision && stored.status == Status::Delivered => {
                    self.ids.remove(&stored.id_ticket_entete);
                    self.rows.remove(sequence);
                }
                _ => return conflict(format!("row {sequence} is not delivered at revision {expected_revision}")),
            },
            Write::PutNumbering { numbering, expected_revision } => {
                let stored = self.numbering.as_ref().map_or(0, |n| n.revision);
                if stored != *expected_revision || numbering.revision != expected_revision + 1 {
                    return conflict(format!("numbering is at revision {stored}, not {expected_revision}"));
                }
                self.numbering = Some(*numbering);
            }
            Write::InsertSale { sale } => {
                if self.sales.contains_key(&sale.id_ticket_entete) {
                    return conflict(format!("sale {} exists", sale.id_ticket_entete));
                }
                self.sales.insert(sale.id_ticket_entete.clone(), sale.clone());
            }
            Write::UpdateSale { sale, expected_revision } => match self.sales.get(&sale.id_ticket_entete) {
                Some(stored) if stored.revision == *expected_revision && sale.revision == expected_revision + 1 => {
                    self.sales.insert(sale.id_ticket_entete.clone(), sale.clone());
                }
                _ => return conflict(format!("sale {} is not at revision {expected_revision}", sale.id_ticket_entete)),
            },
            Write::InsertOrder { order } => {
                if self.orders.contains_key(&order.client_order_id) {
                    return conflict(format!("order {} exists", order.client_order_id));
                }
                self.orders.insert(order.client_order_id.clone(), order.clone());
            }
            Write::UpdateOrder { order, expected_revision } => match self.orders.get(&order.client_order_id) {
                Some(stored) if stored.revision == *expected_revision && order.revision == expected_revision + 1 => {
                    self.orders.insert(order.client_order_id.clone(), order.clone());
                }
                _ => {
                    return conflict(format!("order {} is not at revision {expected_revision}", order.client_order_id))
                }
            },
        }
        Ok(())
    }
}

/// An in-memory [`OutboxStore`], all or nothing per commit, with failure injection for tests.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    points: BTreeMap<PointOfSale, Stored>,
    fail_next: Option<StoreError>,
    commits: u64,
}

impl MemoryStore {
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// The next commit fails with `error`, writing nothing.
    pub fn fail_next_commit(&mut self, error: StoreError) {
        self.fail_next = Some(error);
    }

    /// Commits performed so far.
    pub fn commits(&self) -> u64 {
        self.commits
    }

    /// The stored journal entries, to tamper with in tests.
    pub fn journal_mut(&mut self, point_of_sale: PointOfSale) -> &mut Vec<JournalEntry> {
        &mut self.points.entry(point_of_sale).or_default().journal
    }

    /// Changes a stored row behind the outbox's back (tests of concurrent writers).
    pub fn overwrite_row(&mut self, entry: OutboxEntry) {
        self.points.entry(entry.point_of_sale).or_default().rows.insert(entry.sequence, entry);
    }
}

impl OutboxStore for MemoryStore {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        let stored = self.points.get(&point_of_sale).cloned().unwrap_or_default();
        Ok(Snapshot {
            rows: stored.rows.into_values().collect(),
            journal: stored.journal,
            closures: stored.closures,
            events: stored.events,
            head: stored.head,
            sales: stored.sales.into_values().collect(),
            numbering: stored.numbering,
            orders: stored.orders.into_values().collect(),
        })
    }

    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        if let Some(error) = self.fail_next.take() {
            return Err(error);
        }
        let mut touched: BTreeMap<PointOfSale, Stored> = BTreeMap::new();
        for write in writes {
            let pos = write.point_of_sale();
            let stored = touched.entry(pos).or_insert_with(|| self.points.get(&pos).cloned().unwrap_or_default());
            stored.perform(write)?;
        }
        self.points.extend(touched);
        self.commits += 1;
        Ok(())
    }
}

//! The writes a store performs for the outbox, and the commit that groups them.
//!
//! Core decides *what* is written and *when*; a store only performs each [`Commit`]'s writes in
//! one transaction (one IndexedDB `readwrite` transaction over the outbox, journal and head
//! stores; one SQLite `BEGIN IMMEDIATE … COMMIT`), all or none, checking each write's
//! precondition inside that transaction. So the guarantees are core's, the same in every store:
//!
//! * **stored before sent**: enqueueing is one commit that appends the journal entry, stores the
//!   new head marker and inserts the outbox row; the ticket to send ([`Dispatch`]) is only handed
//!   out by [`super::Outbox::apply`] once the commit marking it `sending` has been persisted;
//! * **never sent twice**: the row is `delivered` in the commit that records a 201 or 409, and a
//!   delivered row is never dispatched again; an update replaces a row only at the revision core
//!   read, so a second writer (another tab) cannot resurrect it.

use super::entry::OutboxEntry;
use crate::journal::{Closure, Event, Head, JournalEntry};
use crate::point_of_sale::PointOfSale;
use crate::sale::{NumberingRecord, SaleRecord, WebOrderRecord};
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};

/// One write, with its precondition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Write {
    /// Insert the journal entry keyed `(pointOfSale, sequence)`. Precondition: the journal's last
    /// stored sequence is `sequence − 1`.
    AppendJournalEntry { entry: JournalEntry },
    /// Insert the closure keyed `(pointOfSale, sequence)`. Precondition: the closure chain's last
    /// stored sequence is `sequence − 1`.
    AppendClosure { closure: Closure },
    /// Insert the technical event keyed `(pointOfSale, sequence)` ([`crate::journal::event`]).
    /// Precondition: the event chain's last stored sequence is `sequence − 1`.
    AppendEvent { event: Event },
    /// Replace the point of sale's head marker (kept in its own store: see
    /// [`crate::journal::Head`]).
    PutHead { head: Head },
    /// Insert the row keyed `(pointOfSale, sequence)`. Precondition: no row has that key or its
    /// `idTicketEntete`.
    InsertEntry { entry: OutboxEntry },
    /// Replace the row keyed `(pointOfSale, sequence)`. Precondition: the stored row's `revision`
    /// is `expectedRevision` (and `entry.revision` is `expectedRevision + 1`).
    UpdateEntry { entry: OutboxEntry, expected_revision: u64 },
    /// Delete the row keyed `(pointOfSale, sequence)`. Precondition: the stored row is
    /// `delivered` at revision `expectedRevision`. The journal keeps the ticket.
    DeleteEntry { point_of_sale: PointOfSale, sequence: u64, expected_revision: u64 },
    /// Replace the point of sale's ticket counters ([`crate::sale`]). Precondition: the stored
    /// record's `revision` is `expectedRevision` (0: none stored yet).
    PutNumbering { numbering: NumberingRecord, expected_revision: u64 },
    /// Insert the sale keyed `(pointOfSale, idTicketEntete)`. Precondition: none has that key.
    InsertSale { sale: SaleRecord },
    /// Replace the sale keyed `(pointOfSale, idTicketEntete)`. Precondition: its stored
    /// `revision` is `expectedRevision` (and `sale.revision` is `expectedRevision + 1`).
    UpdateSale { sale: SaleRecord, expected_revision: u64 },
    /// Insert the web order keyed `(pointOfSale, clientOrderId)` ([`crate::sale::WebOrderRecord`]).
    /// Precondition: none has that key.
    InsertOrder { order: WebOrderRecord },
    /// Replace the web order keyed `(pointOfSale, clientOrderId)`. Precondition: its stored
    /// `revision` is `expectedRevision` (and `order.revision` is `expectedRevision + 1`).
    UpdateOrder { order: WebOrderRecord, expected_revision: u64 },
}

impl Write {
    pub fn point_of_sale(&self) -> PointOfSale {
        match self {
            Write::AppendJournalEntry { entry } => entry.point_of_sale,
            Write::AppendClosure { closure } => closure.point_of_sale,
            Write::AppendEvent { event } => event.point_of_sale,
            Write::PutHead { head } => head.point_of_sale,
            Write::InsertEntry { entry } | Write::UpdateEntry { entry, .. } => entry.point_of_sale,
            Write::DeleteEntry { point_of_sale, .. } => *point_of_sale,
            Write::PutNumbering { numbering, .. } => numbering.point_of_sale,
            Write::InsertSale { sale } | Write::UpdateSale { sale, .. } => sale.point_of_sale,
            Write::InsertOrder { order } | Write::UpdateOrder { order, .. } => order.point_of_sale,
        }
    }
}

/// What the in-memory outbox does once the writes are stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Effect {
    None,
    /// Hand out this send.
    Send(Box<Dispatch>),
    /// The send in flight is settled; `unauthorized` when it got a 401; `answered` when the
    /// Crous answered at all (not a lost connection).
    Settled {
        unauthorized: bool,
        answered: bool,
    },
}

/// Writes to perform atomically, then to hand back to [`super::Outbox::apply`].
///
/// Plan → persist → apply, one commit at a time: a commit planned on an older state is refused
/// by `apply` ([`super::OutboxError::StaleCommit`]). A commit that failed to persist is simply
/// dropped: the outbox has not changed.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a commit does nothing until it is persisted and applied"]
pub struct Commit {
    pub(crate) base: u64,
    pub(crate) writes: Vec<Write>,
    pub(crate) effect: Effect,
}

impl Commit {
    /// The writes, in order, for the store.
    pub fn writes(&self) -> &[Write] {
        &self.writes
    }

    /// Nothing to persist (an identical ticket enqueued again).
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// A ticket to send now, handed out only once its `sending` mark is stored.
///
/// Build the request with [`crate::api::crous::CrousApi::ticket`] from `ticket`, send it, and
/// give the outcome to [`super::Outbox::record`] with this dispatch. A send that cannot finish
/// (the page unloads) needs nothing: the stored `sending` row is sent again after a restart.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub point_of_sale: PointOfSale,
    pub sequence: u64,
    pub id_ticket_entete: String,
    /// This send's number for the ticket, 1 for the first.
    pub attempt: u32,
    pub ticket: Ticket,
    /// The row's revision once marked `sending`.
    pub(crate) revision: u64,
}

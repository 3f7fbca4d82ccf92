//! The ticket outbox: every finished sale's ticket stored, journaled, then sent to the Crous in
//! order until it is accepted, whatever happens to the network, the page or the process.
//!
//! Where the rules come from:
//!
//! * issue 6 (browser): "a finished sale's ticket is stored before it is sent, sent in order
//!   under its idTicketEntete, and retried across reloads and network loss until the Crous API
//!   accepts it; the page shows the queue";
//! * issue 7 (Node): "stored before sending, sent in order, retried, never sent twice";
//! * issue 8 (journal): "The browser and Node outboxes should write through this journal";
//! * specs 001: idTicketEntete is "un numéro unique et séquentiel par point de vente", and the
//!   Crous keys tickets by it, so a resend is answered 409 and never recorded twice
//!   ([`crate::api::crous`]).
//!
//! Shape: sans-I/O, no clock (times are `Date.now()`-style milliseconds passed in), wasm32-safe.
//! [`Outbox`] holds one point of sale's rows ([`OutboxEntry`]) and its journal's tips. Each
//! operation *plans* a [`Commit`] (a list of [`Write`]s with preconditions); the store performs
//! it in one transaction; [`Outbox::apply`] then takes it in. [`DurableOutbox`] does the three
//! steps over any [`OutboxStore`] ([`MemoryStore`] for tests); an async store (IndexedDB) does
//! them around its `await`s.
//!
//! An async store drives [`Outbox`] itself, one commit at a time:
//!
//! ```
//! use crous_till_core::outbox::{Next, Outbox, OutboxPolicy, SendOutcome, Status, Write};
//! use crous_till_core::point_of_sale::PointOfSale;
//! # fn store(_writes: &[Write]) {} // the adapter: one transaction, all or nothing
//! let ticket = serde_json::from_str(r#"{"idTicketEntete": "140000011", "numeroTicket": "210402149",
//!     "codeEvenement": "VT", "date": "2021-04-02T10:55:39.998Z", "listeLignes": [{"numeroLigne": 1,
//!     "codeArticle": 100, "quantite": 1, "codeTva": 1, "totalHt": 3.00, "totalTtc": 3.30}],
//!     "listeReglements": [{"codeReglement": 4, "montant": 3.30}]}"#).unwrap();
//! let now = 1_617_360_940_000; // Date.now()
//! let mut outbox = Outbox::new(PointOfSale::new(5, 1, 9, 8, 14), OutboxPolicy::default());
//!
//! let commit = outbox.enqueue(ticket, now).unwrap(); // journal entry + head + row
//! store(commit.writes());
//! outbox.apply(commit).unwrap();
//!
//! assert!(matches!(outbox.next_to_send(now), Next::Due(_)));
//! let commit = outbox.begin_send(now).unwrap(); // the `sending` mark
//! store(commit.writes());
//! let dispatch = outbox.apply(commit).unwrap().expect("a ticket to send");
//! // POST dispatch.ticket (CrousApi::ticket), then record what came back:
//! let outcome = SendOutcome::from_response(201, &[], b"");
//! let commit = outbox.record(&dispatch, &outcome, now + 300, 0.5).unwrap();
//! store(commit.writes());
//! outbox.apply(commit).unwrap();
//! assert_eq!(outbox.entry("140000011").unwrap().status, Status::Delivered);
//! assert_eq!(outbox.next_to_send(now), Next::Idle);
//! ```
//!
//! The lifecycle of a ticket ([`Status`]):
//!
//! 1. [`Outbox::enqueue`]: one commit appends the journal entry, stores the head marker and
//!    inserts the row `pending`: the journal and the outbox cannot disagree. An identical
//!    re-enqueue writes nothing; the same idTicketEntete with other content is refused, and so
//!    is an idTicketEntete not above the last one (it would reuse a number).
//! 2. [`Outbox::next_to_send`] looks only at the **oldest** open ticket: a later ticket never
//!    overtakes an earlier pending one, and one ticket is in flight at a time.
//! 3. [`Outbox::begin_send`] plans the `sending` mark (attempt counted); the [`Dispatch`] (the
//!    ticket to POST) comes out of [`Outbox::apply`] only once the mark is stored.
//! 4. [`Outbox::record`] plans the outcome ([`SendOutcome`]): 201 or 409 → `delivered`, never
//!    sent again; 422/400 → `refused`; 401 → `pending`, not an attempt, and the queue waits for
//!    [`Outbox::authenticated`]; 5xx, 429, timeouts, no network → `pending` after a backoff
//!    ([`OutboxPolicy`]), with no attempt limit.
//! 5. A crash between 3 and 4 leaves a `sending` row; rebuilt from storage it is due at once
//!    and sent again: the Crous answers 201 if the first never arrived, 409 if it did.
//!
//! **Refused tickets (our choice; the specs are silent).** A 422 means the Crous will not take
//! these bytes, and resending them cannot change that. Stopping the queue on it would hold every
//! later sale of the till back until someone acts; dropping it would lose a sale. So a refused
//! ticket is *parked*: it leaves the queue (later tickets go on), keeps its row, its journal
//! entry and its error, is counted and listed in [`QueueView`] until someone fixes the cause and
//! calls [`Outbox::requeue_refused`]. Till set-up problems (403 key, 404 path, 423 account) are
//! not the ticket's fault: they are retried with backoff and the queue waits, error shown.
//!
//! **Several writers, one sender per point of sale.** A till usually has one writer (a Web Lock
//! in the browser, the SQLite write lock in Node); several server processes may share a store
//! (PostgreSQL). Every write carries what it was planned on (the row revision it read, the next
//! journal sequence) and the store refuses a stale one ([`StoreError::Conflict`]):
//! [`DurableOutbox`] then reloads what is stored and plans again, so the journal stays one
//! gap-free chain. Sending is one process at a time per till ([`OutboxStore::claim_sender`]),
//! which keeps the order; a ticket whose sender died mid-send is sent again by the next one, and
//! the 409 makes that harmless.

mod drain;
pub(crate) mod durable_journal;
mod entry;
mod error;
mod events;
mod outcome;
mod policy;
mod queue;
pub(crate) mod store;
mod view;
mod write;

pub use drain::{Drain, DrainStep};
pub use durable_journal::TillJournal;
pub use entry::{Delivery, EpochMillis, LastError, OutboxEntry, Status};
pub use error::{OutboxError, StoreError};
pub use events::{integrity_defect, PlannedExport};
pub use outcome::{Failure, SendOutcome};
pub use policy::OutboxPolicy;
pub use queue::{HoldsOutbox, Next, Outbox};
pub use store::{archive_error, z_reports, DurableOutbox, Enqueued, MemoryStore, OutboxStore, SendQueue, Snapshot};
pub use view::{QueueView, TicketSummary};
pub use write::{Commit, Dispatch, Write};

#[cfg(test)]
mod events_tests;
#[cfg(test)]
pub(crate) mod shared_tests;
#[cfg(test)]
pub(crate) mod tests;

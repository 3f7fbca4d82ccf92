//! Why an outbox operation did nothing. Every error leaves the outbox and its storage unchanged.

use crate::journal::canonical::CanonicalError;
use crate::journal::{AppendError, CloseError};

/// Why the store did not perform a commit. It must then have performed none of its writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A write's precondition failed (a row changed since it was read, a journal sequence taken):
    /// another writer got there first. Reload the outbox from storage and carry on.
    #[error("outbox storage: conflicting write: {0}")]
    Conflict(String),
    /// The storage itself failed (quota, disk, closed database).
    #[error("outbox storage failed: {0}")]
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutboxError {
    #[error("the ticket has no idTicketEntete")]
    MissingTicketId,
    /// Specs 001: idTicketEntete is "un numéro unique et séquentiel par point de vente".
    #[error("idTicketEntete {0:?} is not a number (specs 001: \"un numéro unique et séquentiel\")")]
    InvalidTicketId(String),
    /// The same idTicketEntete was enqueued with other content: one number, two sales.
    #[error("idTicketEntete {id} is already in the outbox with different content")]
    ConflictingTicket { id: String },
    /// Ids grow with every sale; a smaller one than the last enqueued would reuse a number.
    #[error("idTicketEntete {id} is not after the last one enqueued ({last})")]
    TicketIdNotAfterLast { id: String, last: u64 },
    #[error("the ticket cannot be journaled: {0}")]
    Journal(#[from] AppendError),
    #[error("the period cannot be closed: {0}")]
    Close(#[from] CloseError),
    #[error("the ticket has no canonical form: {0}")]
    Canonical(#[from] CanonicalError),
    /// The commit was planned on an older state of the outbox: plan, persist and apply one
    /// commit at a time.
    #[error("the commit was planned on another state of the outbox")]
    StaleCommit,
    /// The outcome is for a send that is not the one in flight (already recorded, or from before
    /// a restart).
    #[error("ticket {sequence} is not being sent: its outcome is not recorded")]
    NotInFlight { sequence: u64 },
    #[error("no ticket {id} in the outbox")]
    UnknownTicket { id: String },
    #[error("ticket {id} is not refused: only a refused ticket is requeued")]
    NotRefused { id: String },
    /// [`super::Outbox::close`] was not given exactly the journal entries after the last closure
    /// of that kind.
    #[error("closing needs journal entries {from} to {to}, in order")]
    ClosureEntries { from: u64, to: u64 },
    /// The stored rows or journal are inconsistent; nothing is sent from a broken outbox.
    #[error("the stored outbox is inconsistent: {0}")]
    Corrupt(String),
    /// The journal's chain does not verify: the first finding.
    #[error("the stored journal does not verify: {0}")]
    JournalBroken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A technical event could not be recorded (a clock outside the dates core can write).
    #[error("the technical event cannot be recorded: {0}")]
    Event(String),
    /// The signed archive could not be made (a signature made outside core refused).
    #[error("the journal archive cannot be made: {0}")]
    Archive(String),
}

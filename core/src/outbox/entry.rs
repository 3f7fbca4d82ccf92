//! One outbox row: a finished sale's ticket and where it stands on its way to the Crous.
//!
//! A plain serializable value (camelCase JSON), stored one row per ticket keyed by
//! `(pointOfSale, sequence)`, with a unique index on `(pointOfSale, idTicketEntete)`: an IndexedDB
//! object store or a SQLite table. Times are milliseconds since the Unix epoch (JavaScript's
//! `Date.now()`), passed in by the caller: core reads no clock.

use crate::point_of_sale::PointOfSale;
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type EpochMillis = u64;

/// Where a ticket stands.
///
/// ```text
///            enqueue                begin_send               201 / 409
///   (none) ──────────▶ pending ─────────────────▶ sending ──────────────▶ delivered (final)
///                        ▲  ▲                       │ │ 422 / 400 / local checks
///                        │  └── 5xx, timeout, 429, ─┘ └─────────────────▶ refused (parked)
///                        │      401 (not an attempt)                         │
///                        └──────────────── requeue_refused ◀─────────────────┘
/// ```
///
/// A `sending` row found when the outbox is rebuilt from storage was interrupted (crash,
/// closed tab) and is sent again: safe, since the Crous keys tickets by idTicketEntete and
/// answers 409 to a copy, which counts as delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutboxStatus"))]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Waiting to be sent, at or after `nextAttemptAt`.
    Pending,
    /// Marked (and stored) just before the request leaves.
    Sending,
    /// The Crous holds it (201, or 409 "already received"): never sent again.
    Delivered,
    /// The Crous refused its content (422, 400) or core's checks did: parked out of the queue,
    /// shown on the page until someone requeues it.
    Refused,
}

impl Status {
    /// Still to be delivered: in the queue, in order.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Pending | Status::Sending)
    }
}

/// How a delivered ticket was acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Delivery {
    /// 2xx to this send.
    Accepted,
    /// 409: an earlier send (whose answer was lost) had arrived.
    AlreadyReceived,
}

/// The last thing that went wrong with a row, for the page and the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "OutboxLastError"))]
#[serde(rename_all = "camelCase")]
pub struct LastError {
    /// A stable code ([`crate::error_code::ErrorCode`]): `crous.server_error`, `network.timeout`…
    pub code: String,
    /// For people; may be reworded between versions.
    pub message: String,
    /// The HTTP status, when there was an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: Option<u16>,
    pub at: EpochMillis,
}

/// One ticket in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub point_of_sale: PointOfSale,
    /// The ticket's journal sequence: the send order (1, 2, 3… without gaps, as journaled).
    pub sequence: u64,
    /// Specs 001: "un numéro unique et séquentiel par point de vente"; the Crous's key.
    pub id_ticket_entete: String,
    /// The ticket exactly as journaled and as sent.
    pub ticket: Ticket,
    pub status: Status,
    /// Sends so far (a 401 answer does not count).
    pub attempts: u32,
    pub enqueued_at: EpochMillis,
    /// Not sent before this time (backoff after a failure).
    pub next_attempt_at: EpochMillis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<LastError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<EpochMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// 1 when inserted, +1 on every update: the store replaces a row only if its stored revision
    /// is the one core expects, so two writers (two tabs, two processes) cannot both win.
    pub revision: u64,
}

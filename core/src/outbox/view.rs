//! What the till page shows of the queue (issue 6: "the page shows the queue").

use super::entry::{EpochMillis, LastError, OutboxEntry, Status};
use super::queue::{Next, Outbox};
use crate::point_of_sale::PointOfSale;
use serde::Serialize;

/// One ticket, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TicketSummary {
    pub sequence: u64,
    pub id_ticket_entete: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub numero_ticket: Option<String>,
    pub status: Status,
    pub attempts: u32,
    pub enqueued_at: EpochMillis,
    pub next_attempt_at: EpochMillis,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last_error: Option<LastError>,
}

impl From<&OutboxEntry> for TicketSummary {
    fn from(e: &OutboxEntry) -> Self {
        TicketSummary {
            sequence: e.sequence,
            id_ticket_entete: e.id_ticket_entete.clone(),
            numero_ticket: e.ticket.numero_ticket.clone(),
            status: e.status,
            attempts: e.attempts,
            enqueued_at: e.enqueued_at,
            next_attempt_at: e.next_attempt_at,
            last_error: e.last_error.clone(),
        }
    }
}

/// The queue at a glance: counts by status, the ticket everything waits for, the latest error
/// still relevant, and every refused ticket (they must never vanish silently).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QueueView {
    pub point_of_sale: PointOfSale,
    pub pending: usize,
    pub sending: usize,
    pub delivered: usize,
    pub refused: usize,
    /// The oldest ticket not yet delivered (pending or sending): the head of the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub oldest_pending: Option<TicketSummary>,
    /// The most recent error of a ticket still pending, sending or refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last_error: Option<LastError>,
    pub refused_tickets: Vec<TicketSummary>,
    /// A 401 stopped the queue until the till authenticates again.
    pub needs_authentication: bool,
    /// When the head of the queue may leave next, if it is waiting for its backoff.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub next_attempt_at: Option<EpochMillis>,
}

impl Outbox {
    /// The queue as of `now`.
    pub fn view(&self, now: EpochMillis) -> QueueView {
        let count = |s: Status| self.entries().filter(|e| e.status == s).count();
        let last_error = self
            .entries()
            .filter(|e| e.status != Status::Delivered)
            .filter_map(|e| e.last_error.as_ref())
            .max_by_key(|err| err.at)
            .cloned();
        QueueView {
            point_of_sale: self.point_of_sale(),
            pending: count(Status::Pending),
            sending: count(Status::Sending),
            delivered: count(Status::Delivered),
            refused: count(Status::Refused),
            oldest_pending: self.entries().find(|e| e.status.is_open()).map(TicketSummary::from),
            last_error,
            refused_tickets: self.entries().filter(|e| e.status == Status::Refused).map(TicketSummary::from).collect(),
            needs_authentication: self.needs_authentication(),
            next_attempt_at: match self.next_to_send(now) {
                Next::WaitUntil { at, .. } => Some(at),
                _ => None,
            },
        }
    }
}

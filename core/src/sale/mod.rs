//! The sale engine: one sale, from the tray to the queued ticket, crash-safe and owned by core.
//!
//! Issue 12: "price → reserve the number → record the payment intent with its reference →
//! record the outcome → build and check the ticket → enqueue, each step a plan of writes the
//! store performs in one transaction with the journal". Like the outbox ([`crate::outbox`]), a
//! [`Till`] does no I/O and reads no clock: each operation *plans* a [`TillCommit`], the store
//! performs its writes in one transaction (the same store and transactions as the outbox rows
//! and the journal), and [`Till::apply`] takes it in. [`DurableTill`] does the three steps over
//! a synchronous store.
//!
//! A sale takes two commits:
//!
//! 1. [`Till::begin`]: the tray is priced, the ticket built and journaled in a dry run (so a
//!    sale that could not be kept never takes money), then **one commit** stores the counters
//!    with the next number reserved and the sale `paymentPending` with its payment reference
//!    (the Izly debit reference `<app id>.<idTicketEntete>.1`, or the esipay cid
//!    `<app id>-<numeroTicket>-<idTicketEntete>`). The number is reserved before paying because
//!    it *is* the payment's reference: an Izly debit is idempotent by it, so no later sale may
//!    reuse it. Apply hands out the [`PaymentOrder`]; its request comes from core's builders.
//! 2. [`Till::record_payment`] with the [`PaymentOutcome`] core read from the answer:
//!    **paid** → one commit updates the sale to `completed` *and* appends the ticket to the
//!    journal, the head and the outbox (a paid sale never exists without its ticket, nor a
//!    ticket without its payment); **declined** → `voided`: the number stays a gap, recorded
//!    in the sale, kept (never pruned) and listed; **unknown** → see below.
//!
//! Crashes. Between the two commits the store holds a `paymentPending` sale whose payment may
//! or may not have happened. On reopen, [`Till::settlements`] says what to do before the till
//! sells again: an Izly sale is settled by its debit look-up (`GET
//! /api/payments/debit/reference/{reference}`, [`PaymentOutcome::from_izly_lookup`]): found →
//! completed with its ticket, 356 → voided; esipay has no look-up, so the sale becomes
//! `toCheck` with its cid, shown to the cashier, who answers [`Till::resolve`] after checking
//! the esipay back office: never dropped silently, never charged twice.
//!
//! Our choices (the specs are silent; issue 12 asks for these guarantees):
//! * **one sale at a time** per point of sale, and none while one is pending or to check
//!   ([`SaleError::Unsettled`]): a till serves one customer at a time, and tickets must reach
//!   the journal in number order;
//! * a declined payment voids the sale: a new attempt (another QR code, the bank card) is a new
//!   sale with the next number, the void one a gap with its reason, as before;
//! * an Izly outcome that stays unknown after the look-up keeps the till waiting (the money may
//!   have been taken); the look-up is tried again by [`Till::settlements`].
//!
//! Web orders paid through IzlyPay ([`WebOrderRecord`], [`Till::open_order`]) follow the same
//! rules with one difference: their number is reserved when the payment is confirmed by `GET
//! WebPayments/{id}`, not at checkout (many checkouts at once, most never paid); their
//! states are [`WebOrderState`]. They never hold the till; [`Till::order_settlements`] lists the
//! ones to look up after a restart.

mod counters;
mod durable;
mod error;
mod order;
mod outcome;
mod record;
mod till;
mod web_order;
mod web_sales;

pub use counters::resume_counters;
pub use durable::DurableTill;
pub use error::SaleError;
pub use order::{BankCard, BankCardInput, OrderError, PaymentApis, PaymentOrder, Prepared};
pub use outcome::PaymentOutcome;
pub use record::{NumberingRecord, PaymentMethod, PaymentProof, SaleRecord, SaleState};
pub use till::{Resolution, SaleInput, Settlement, Till, TillCommit};
pub use web_order::{
    valid_client_order_id, OrderInput, OrderSettlement, WebOrderRecord, WebOrderState, MAX_CLIENT_ORDER_ID,
};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod web_tests;

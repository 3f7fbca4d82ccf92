//! Why the sale engine did nothing. Every error leaves the till and its store unchanged.

use crate::builder::BuildError;
use crate::journal::AppendError;
use crate::numbering::NumberingError;
use crate::outbox::OutboxError;
use crate::pricing::PricingError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SaleError {
    #[error(transparent)]
    Pricing(#[from] PricingError),
    #[error(transparent)]
    Numbering(#[from] NumberingError),
    /// The ticket could not be built (checked before any money moves).
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The ticket could not be journaled (a closed period, the clock behind the last ticket):
    /// found before any money moves.
    #[error("the sale cannot be journaled: {0}")]
    Journal(#[from] AppendError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// The payment cannot be made this way (IzlyPay at the till).
    #[error(transparent)]
    Order(#[from] super::order::OrderError),
    #[error("no web order {client_order_id} at this point of sale")]
    UnknownOrder { client_order_id: String },
    /// A ClientOrderId is 1 to 64 of `A-Z a-z 0-9 . _ -`, unique per point of sale.
    #[error("ClientOrderId {client_order_id:?} is not usable: {why}")]
    InvalidOrderId { client_order_id: String, why: &'static str },
    /// IzlyPay takes a positive amount ("Amount Int Obligatoire Montant du paiement TTC, valeur
    /// en centimes", specs 002): a cart that costs nothing is not sent to pay.
    #[error("a web order must cost more than 0, not {amount}")]
    InvalidOrderAmount { amount: rust_decimal::Decimal },
    /// One sale at a time per till, and none while an earlier one is unsettled: its number is
    /// the last one handed out, and its ticket must be journaled before later ones.
    #[error("sale {id_ticket_entete} is not settled ({state}): settle or check it first")]
    Unsettled { id_ticket_entete: String, state: &'static str },
    #[error("no sale {id_ticket_entete} at this till")]
    UnknownSale { id_ticket_entete: String },
    /// The operation needs the sale in another state (say, a payment recorded twice).
    #[error("sale {id_ticket_entete} is {state}, not {expected}")]
    WrongState { id_ticket_entete: String, state: &'static str, expected: &'static str },
    /// The proof of payment is not of the sale's payment method (an Izly debit for a bank card).
    #[error("sale {id_ticket_entete} is paid by {method}, not by this proof")]
    ProofMismatch { id_ticket_entete: String, method: &'static str },
    /// The stored sales or counters are inconsistent; nothing is sold from a broken store.
    #[error("the stored sales are inconsistent: {0}")]
    Corrupt(String),
    /// The commit was planned on an older state: plan, persist and apply one commit at a time
    /// (after a persisted commit fails to apply, reopen the till from its store).
    #[error("the commit was planned on another state of the till")]
    StaleCommit,
}

//! Service clients: the Crous API, Izly POS and esipay as a till calls them, with every decision
//! both JavaScript packages share.
//!
//! Issue 13: "Decisions a binding makes today (re-authenticate after a 401, 409 = delivered, the
//! callback's answer status, esipay's error answer) move into core so both packages behave the
//! same." A client pairs core's request builders and parsers with a [`Transport`]: the only part
//! a binding writes (reqwest in Node, `fetch` in the browser), which performs one call under core's
//! retry rules ([`crate::api::execution`]). Options, results and errors ([`Failure`]) are core's
//! serde types, so the browser package and the Node addon take and give the same shapes.
//!
//! Still no I/O here: a client awaits its transport and nothing else (no clock, no socket).

mod answers;
mod crous;
mod esipay;
mod failure;
mod izly_pos;
mod options;
mod payments;
mod transport;

pub use answers::{
    handle_esipay_return, CallbackOutcome, ExpectedOrder, HttpAnswer, Refusal, ReturnOutcome, ReturnView,
};
pub use crous::{CaisseView, CrousClient, CrousOptions, DeliveryOutcome, TicketDelivery, TicketSendOptions};
pub use esipay::{CardPayment, EsipayAnswer, EsipayClient, EsipayOptions, EsipayPaid};
pub use failure::{Detailed, Failure};
pub use izly_pos::{CardDebitInput, IzlyCard, IzlyDebit, IzlyPosClient, IzlyPosOptions, QrCodeDebit, QrCodeHolder};
pub use options::{environment, RetryOptions};
pub use payments::Payments;
pub use transport::Transport;

#[cfg(test)]
mod tests;

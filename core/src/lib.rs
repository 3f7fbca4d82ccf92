//! # crous-till-core
//!
//! The pure core of crous-till: the Crous sales-ticket model, pricing by customer profile, VAT,
//! ticket numbering and the Crous coherence checks. No I/O: it compiles to wasm32 and native
//! alike, and the browser, Node and CLI front ends all call this one implementation.
//!
//! Sources: the four documents under `shared/specs` (quoted in the doc comments as "specs 001"
//! and so on) and `public-facts.md`. Where they are silent, the choice is written where it is made.
//!
//! A sale, end to end:
//! 1. [`pricing::price_cart`]: tray + profile + day → priced lines (TTC authoritative, HT derived);
//! 2. take the payment (Izly debit or bank card) for [`pricing::PricedCart::total_ttc`];
//! 3. [`builder::build_ticket`]: numbered, complete, checked ticket + the numbering state to persist;
//! 4. send it (an outbox that stores it first) to the Crous `tickets` resource.

pub mod builder;
pub mod checks;
pub mod exact_decimal;
pub mod lenient;
pub mod money;
pub mod numbering;
pub mod point_of_sale;
pub mod pricing;
pub mod receipt;
pub mod reference;
pub mod ticket;

pub use rust_decimal::Decimal;

//! # crous-till-store
//!
//! Where a till is kept on a server: core's [`OutboxStore`](crous_till_core::outbox::OutboxStore)
//! (the outbox, the journal, the sale engine's sales, counters and web orders) on SQLite for one
//! process ([`sqlite`]) or on PostgreSQL shared by several ([`postgres`]), both through the same
//! tables and writes ([`sql`]), chosen by a location ([`TillStore::open`]). The Node addon keeps its
//! tills here, and `crous-till journal export` reads them.

pub mod export;
pub mod key_file;
pub mod location;
pub mod postgres;
pub mod sql;
pub mod sqlite;

pub use location::TillStore;

//! The inalterable sales journal and its periodic closures (French cash-register law).
//!
//! Art. 286 I-3° bis of the Code général des impôts (since 1 January 2018): a business that
//! records its customers' payments in a till must use software satisfying "des conditions
//! d'inaltérabilité, de sécurisation, de conservation et d'archivage des données en vue du
//! contrôle de l'administration fiscale". Certified tills (NF525) meet it as Odoo's
//! `l10n_fr_pos_cert` and Dolibarr's `blockedlog` do, and this module follows that practice:
//!
//! * **inaltérabilité**: every finalized ticket becomes a [`JournalEntry`] with a gap-free
//!   sequence, chained to the previous one by `SHA-256(previousHash || canonical JSON)`
//!   ([`entry`], [`canonical`], [`hash`]); nothing is ever updated or removed;
//! * **sécurisation**: daily, monthly and yearly [`Closure`]s with totals per VAT code and per
//!   payment method and a perpetual grand total, chained the same way ([`closure`]); a head
//!   marker kept apart ([`Head`]); a verifier naming the first broken record ([`verify()`]);
//! * a **technical event journal** (JET: starts, stops, an offline start, the clock going
//!   backwards, an integrity defect found at open, exports, closings), chained the same way
//!   ([`event`]);
//! * **conservation et archivage**: a signed archive ([`Archive`], Ed25519) verifiable offline
//!   with the till's public key, by `crous-till journal verify FILE`.
//!
//! Core does no I/O. Entries, closures and the head are plain serializable values: appending
//! returns the entry to store, closing the closure to store, and the head is recomputed after
//! each. A store (IndexedDB in the browser, SQLite in Node) persists the record **and** the head
//! before the sale is acknowledged, serializing writers (Dolibarr takes a row lock) so that two
//! appends never compute the same sequence.
//!
//! Sale flow: [`crate::builder::build_ticket`] → [`Journal::append`] (store entry + head) → send
//! to the Crous. End of day: [`Journal::close`] with [`Period::Day`]; at month and year end with
//! [`Period::Month`] and [`Period::Year`] once their days (months) are closed.

pub mod archive;
pub mod canonical;
pub mod closure;
pub mod entry;
pub mod event;
pub mod hash;
pub mod head;
pub mod memory;
pub mod period;
pub mod totals;
pub mod verify;
pub mod z_report;

pub use archive::{
    check_closure_signature, Archive, ArchiveError, ArchiveSignature, ExportedArchiveFile, TillKey, UnsignedArchive,
};
pub use closure::{close_period, CloseError, Closure, ClosureState};
pub use entry::{append_entry, AppendError, EntryTip, JournalEntry};
pub use event::{record_event, record_events, Event, EventError, EventKind, EventTip};
pub use hash::GENESIS_HASH;
pub use head::Head;
pub use memory::Journal;
pub use period::{business_day, ClosureKind, Period};
pub use totals::{PaymentTotal, Totals, VatRateTotal};
pub use verify::{verify, verify_with_events, Chain, Finding, Report, Witness};
pub use z_report::{z_reports, HourTotal, ZReport, ZReportError};

/// The record format this code writes and verifies, stored in every entry, closure and head.
pub const FORMAT_VERSION: u32 = 1;

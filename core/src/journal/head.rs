//! The head marker: how long both chains are and how they end.
//!
//! Practice (Dolibarr `blockedlog`): a chain alone cannot show that its last records were
//! deleted, since what remains is still a valid chain. So the head (count and last hash of each
//! chain) is kept apart from the records: the storage layer writes it in another place (another
//! IndexedDB store, another file, the Crous back office) every time it appends, and the archive
//! carries it signed. The verifier compares the chains with it to name a truncated tail.

use super::hash::GENESIS_HASH;
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Head {
    pub format_version: u32,
    pub point_of_sale: PointOfSale,
    /// Number of journal entries, which is also the last entry's sequence.
    pub entry_count: u64,
    /// Hash of the last entry (64 zeros when there is none).
    pub last_entry_hash: String,
    /// Number of closures, which is also the last closure's sequence.
    pub closure_count: u64,
    /// Hash of the last closure (64 zeros when there is none).
    pub last_closure_hash: String,
    /// Number of technical events ([`super::event`]). Absent from heads written before the event
    /// journal (and from a head with no event yet), so that their canonical form, and the
    /// signatures over it, are unchanged.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub event_count: u64,
    /// Hash of the last technical event (64 zeros, and absent, when there is none).
    #[serde(default = "genesis_hash", skip_serializing_if = "is_genesis")]
    pub last_event_hash: String,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn genesis_hash() -> String {
    GENESIS_HASH.to_owned()
}

fn is_genesis(hash: &str) -> bool {
    hash == GENESIS_HASH
}

impl Head {
    /// The head of an empty journal.
    pub fn genesis(point_of_sale: PointOfSale) -> Self {
        Head {
            format_version: FORMAT_VERSION,
            point_of_sale,
            entry_count: 0,
            last_entry_hash: GENESIS_HASH.to_owned(),
            closure_count: 0,
            last_closure_hash: GENESIS_HASH.to_owned(),
            event_count: 0,
            last_event_hash: GENESIS_HASH.to_owned(),
        }
    }
}

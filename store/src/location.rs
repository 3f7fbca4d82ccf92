//! Where a till is kept, chosen by its location: a SQLite file (`sqlite:PATH`, or a bare path)
//! for one process, or a PostgreSQL database (`postgres://…` / `postgresql://…`) that several
//! server processes share.

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crous_till_core::journal::JournalEntry;
use crous_till_core::outbox::{OutboxStore, Snapshot, StoreError, Write};
use crous_till_core::point_of_sale::PointOfSale;
use std::path::Path;

pub enum TillStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

impl TillStore {
    pub fn open(location: &str) -> Result<TillStore, StoreError> {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            return PgStore::open(location).map(TillStore::Postgres);
        }
        let path = location.strip_prefix("sqlite:").unwrap_or(location);
        if path.is_empty() {
            return Err(StoreError::Failed("the store location is empty (a SQLite path or a postgres:// URL)".into()));
        }
        SqliteStore::open(Path::new(path)).map(TillStore::Sqlite)
    }

    fn inner(&self) -> &dyn OutboxStore {
        match self {
            TillStore::Sqlite(s) => s,
            TillStore::Postgres(s) => s,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn OutboxStore {
        match self {
            TillStore::Sqlite(s) => s,
            TillStore::Postgres(s) => s,
        }
    }
}

impl OutboxStore for TillStore {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        self.inner().load(point_of_sale)
    }
    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        self.inner_mut().commit(writes)
    }
    fn journal_from(&self, point_of_sale: PointOfSale, from: u64) -> Result<Vec<JournalEntry>, StoreError> {
        self.inner().journal_from(point_of_sale, from)
    }
    fn shared(&self) -> bool {
        self.inner().shared()
    }
    fn claim_sender(&mut self, point_of_sale: PointOfSale) -> Result<bool, StoreError> {
        self.inner_mut().claim_sender(point_of_sale)
    }
    fn release_sender(&mut self, point_of_sale: PointOfSale) -> Result<(), StoreError> {
        self.inner_mut().release_sender(point_of_sale)
    }
}

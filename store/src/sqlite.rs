//! SQLite storage for the till (core's `OutboxStore`): outbox rows, journal entries, closures,
//! the head marker, the sale engine's sales, web orders and ticket counters of each point of
//! sale, as core's JSON, in one file (tables and writes: [`crate::sql`]). Core plans every
//! write; this store performs a commit's writes in ONE transaction (`BEGIN IMMEDIATE`, which
//! also makes a second process wait its turn), checking each write's precondition, all or none.
//! One process per file: several servers share a PostgreSQL store ([`crate::postgres`]).

use crate::sql::{self, failed, Cell, Sql};
use crous_till_core::outbox::{OutboxStore, Snapshot, StoreError, Write};
use crous_till_core::point_of_sale::PointOfSale;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection, OptionalExtension, ToSql, TransactionBehavior};
use std::path::Path;

pub struct SqliteStore {
    conn: Connection,
}

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Cell::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Cell::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Cell::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

fn cell(value: ValueRef<'_>) -> Cell {
    match value {
        ValueRef::Integer(n) => Cell::Int(n),
        ValueRef::Text(t) | ValueRef::Blob(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Real(_) | ValueRef::Null => Cell::Null,
    }
}

/// rusqlite needs only `&Connection`, to read and to write (a transaction derefs to one).
impl Sql for &Connection {
    fn execute(&mut self, sql: &str, params: &[Cell]) -> Result<u64, StoreError> {
        Connection::execute(self, sql, params_from_iter(params)).map(|n| n as u64).map_err(failed)
    }

    fn row(&mut self, sql: &str, params: &[Cell]) -> Result<Option<Vec<Cell>>, StoreError> {
        self.query_row(sql, params_from_iter(params), |r| {
            (0..r.as_ref().column_count()).map(|i| r.get_ref(i).map(cell)).collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()
        .map_err(failed)
    }

    fn texts(&mut self, sql: &str, params: &[Cell]) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.prepare(sql).map_err(failed)?;
        let rows = stmt.query_map(params_from_iter(params), |r| r.get::<_, String>(0)).map_err(failed)?;
        rows.map(|r| r.map_err(failed)).collect()
    }
}

impl SqliteStore {
    /// Opens (creating) the file; SQLite's own durability (WAL, synchronous FULL).
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(failed)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(failed)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;").map_err(failed)?;
        for table in sql::TABLES {
            conn.execute_batch(table).map_err(failed)?;
        }
        Ok(SqliteStore { conn })
    }
}

impl OutboxStore for SqliteStore {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        // One read transaction: one consistent view of every table.
        let tx = self.conn.unchecked_transaction().map_err(failed)?;
        let mut conn: &Connection = &tx;
        sql::load(&mut conn, point_of_sale)
    }

    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
        let mut conn: &Connection = &tx;
        for write in writes {
            sql::perform(&mut conn, write)?;
        }
        // Dropping the transaction on an error above rolls every write back.
        tx.commit().map_err(failed)
    }
}

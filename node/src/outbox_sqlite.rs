//! SQLite storage for the till (core's `OutboxStore`): outbox rows, journal entries, closures,
//! the head marker, the sale engine's sales, web orders and ticket counters of each point of sale, as core's
//! JSON, in one file. Core plans every
//! write; this store performs a commit's writes in ONE transaction (`BEGIN IMMEDIATE`, which
//! also makes a second process wait its turn), checking each write's precondition, all or none.

use crous_till_core::journal::{Closure, Head, JournalEntry};
use crous_till_core::outbox::{OutboxEntry, OutboxStore, Snapshot, Status, StoreError, Write};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::sale::{NumberingRecord, SaleRecord, WebOrderRecord};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use std::path::Path;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS outbox_rows(pos TEXT NOT NULL, sequence INTEGER NOT NULL, id_ticket_entete TEXT NOT NULL,
  revision INTEGER NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY(pos, sequence), UNIQUE(pos, id_ticket_entete));
CREATE TABLE IF NOT EXISTS journal_entries(pos TEXT NOT NULL, sequence INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(pos, sequence));
CREATE TABLE IF NOT EXISTS journal_closures(pos TEXT NOT NULL, sequence INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(pos, sequence));
CREATE TABLE IF NOT EXISTS journal_heads(pos TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sales(pos TEXT NOT NULL, id_ticket_entete TEXT NOT NULL, revision INTEGER NOT NULL,
  body TEXT NOT NULL, PRIMARY KEY(pos, id_ticket_entete));
CREATE TABLE IF NOT EXISTS numbering(pos TEXT PRIMARY KEY, revision INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS web_orders(pos TEXT NOT NULL, client_order_id TEXT NOT NULL, revision INTEGER NOT NULL,
  body TEXT NOT NULL, PRIMARY KEY(pos, client_order_id));
";

pub struct SqliteStore {
    conn: Connection,
}

fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError::Failed(e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(failed)
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Failed(format!("a stored record does not read: {e}")))
}

impl SqliteStore {
    /// Opens (creating) the file; SQLite's own durability (WAL, synchronous FULL).
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(failed)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(failed)?;
        conn.execute_batch(SCHEMA).map_err(failed)?;
        Ok(SqliteStore { conn })
    }

    fn bodies<T: DeserializeOwned>(&self, table: &str, pos: &str, order: &str) -> Result<Vec<T>, StoreError> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT body FROM {table} WHERE pos = ?1 ORDER BY {order}")).map_err(failed)?;
        let rows = stmt.query_map([pos], |r| r.get::<_, String>(0)).map_err(failed)?;
        rows.map(|r| r.map_err(failed).and_then(|t| read(&t))).collect()
    }
}

impl OutboxStore for SqliteStore {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        let pos = point_of_sale.app_id();
        let one = |sql: &str| -> Result<Option<String>, StoreError> {
            self.conn.query_row(sql, [&pos], |r| r.get(0)).optional().map_err(failed)
        };
        let head = one("SELECT body FROM journal_heads WHERE pos = ?1")?;
        let numbering = one("SELECT body FROM numbering WHERE pos = ?1")?;
        Ok(Snapshot {
            rows: self.bodies::<OutboxEntry>("outbox_rows", &pos, "sequence")?,
            journal: self.bodies::<JournalEntry>("journal_entries", &pos, "sequence")?,
            closures: self.bodies::<Closure>("journal_closures", &pos, "sequence")?,
            head: head.map(|t| read::<Head>(&t)).transpose()?,
            sales: self.bodies::<SaleRecord>("sales", &pos, "CAST(id_ticket_entete AS INTEGER)")?,
            numbering: numbering.map(|t| read::<NumberingRecord>(&t)).transpose()?,
            orders: self.bodies::<WebOrderRecord>("web_orders", &pos, "client_order_id")?,
        })
    }

    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed)?;
        for write in writes {
            perform(&tx, write)?;
        }
        // Dropping the transaction on an error above rolls every write back.
        tx.commit().map_err(failed)
    }
}

fn conflict(why: String) -> Result<(), StoreError> {
    Err(StoreError::Conflict(why))
}

fn perform(tx: &rusqlite::Transaction<'_>, write: &Write) -> Result<(), StoreError> {
    let pos = write.point_of_sale().app_id();
    let stored_row = |sequence: u64| -> Result<Option<(i64, String, String)>, StoreError> {
        tx.query_row(
            "SELECT revision, status, id_ticket_entete FROM outbox_rows WHERE pos = ?1 AND sequence = ?2",
            params![pos, sequence as i64],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(failed)
    };
    match write {
        Write::AppendJournalEntry { entry } => append(tx, "journal_entries", &pos, entry.sequence, &json(entry)?)?,
        Write::AppendClosure { closure } => append(tx, "journal_closures", &pos, closure.sequence, &json(closure)?)?,
        Write::PutHead { head } => {
            tx.execute("INSERT OR REPLACE INTO journal_heads(pos, body) VALUES (?1, ?2)", params![pos, json(head)?])
                .map_err(failed)?;
        }
        Write::InsertEntry { entry } => {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO outbox_rows(pos, sequence, id_ticket_entete, revision, status, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    pos,
                    entry.sequence as i64,
                    entry.id_ticket_entete,
                    entry.revision as i64,
                    status(entry.status),
                    json(entry)?
                ],
            );
            if inserted.map_err(failed)? != 1 {
                return conflict(format!("row {} ({}) exists", entry.sequence, entry.id_ticket_entete));
            }
        }
        Write::UpdateEntry { entry, expected_revision } => match stored_row(entry.sequence)? {
            Some((rev, _, id))
                if rev as u64 == *expected_revision
                    && entry.revision == expected_revision + 1
                    && id == entry.id_ticket_entete =>
            {
                tx.execute(
                    "UPDATE outbox_rows SET revision = ?3, status = ?4, body = ?5 WHERE pos = ?1 AND sequence = ?2",
                    params![pos, entry.sequence as i64, entry.revision as i64, status(entry.status), json(entry)?],
                )
                .map_err(failed)?;
            }
            Some((rev, _, _)) => {
                return conflict(format!("row {} is at revision {rev}, not {expected_revision}", entry.sequence))
            }
            None => return conflict(format!("row {} does not exist", entry.sequence)),
        },
        Write::DeleteEntry { sequence, expected_revision, .. } => match stored_row(*sequence)? {
            Some((rev, s, _)) if rev as u64 == *expected_revision && s == status(Status::Delivered) => {
                tx.execute("DELETE FROM outbox_rows WHERE pos = ?1 AND sequence = ?2", params![pos, *sequence as i64])
                    .map_err(failed)?;
            }
            _ => return conflict(format!("row {sequence} is not delivered at revision {expected_revision}")),
        },
        Write::PutNumbering { numbering, expected_revision } => {
            let (rev, body) = (numbering.revision as i64, json(numbering)?);
            let changed = if *expected_revision == 0 {
                tx.execute(
                    "INSERT OR IGNORE INTO numbering(pos, revision, body) VALUES (?1, ?2, ?3)",
                    params![pos, rev, body],
                )
            } else {
                tx.execute(
                    "UPDATE numbering SET revision = ?2, body = ?3 WHERE pos = ?1 AND revision = ?4",
                    params![pos, rev, body, *expected_revision as i64],
                )
            };
            if changed.map_err(failed)? != 1 || numbering.revision != expected_revision + 1 {
                return conflict(format!("numbering is not at revision {expected_revision}"));
            }
        }
        Write::InsertSale { sale } => {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO sales(pos, id_ticket_entete, revision, body) VALUES (?1, ?2, ?3, ?4)",
                params![pos, sale.id_ticket_entete, sale.revision as i64, json(sale)?],
            );
            if inserted.map_err(failed)? != 1 {
                return conflict(format!("sale {} exists", sale.id_ticket_entete));
            }
        }
        Write::UpdateSale { sale, expected_revision } => {
            let updated = tx.execute(
                "UPDATE sales SET revision = ?3, body = ?4 WHERE pos = ?1 AND id_ticket_entete = ?2 AND revision = ?5",
                params![pos, sale.id_ticket_entete, sale.revision as i64, json(sale)?, *expected_revision as i64],
            );
            if updated.map_err(failed)? != 1 || sale.revision != expected_revision + 1 {
                return conflict(format!("sale {} is not at revision {expected_revision}", sale.id_ticket_entete));
            }
        }
        Write::InsertOrder { order } => {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO web_orders(pos, client_order_id, revision, body) VALUES (?1, ?2, ?3, ?4)",
                params![pos, order.client_order_id, order.revision as i64, json(order)?],
            );
            if inserted.map_err(failed)? != 1 {
                return conflict(format!("order {} exists", order.client_order_id));
            }
        }
        Write::UpdateOrder { order, expected_revision } => {
            let updated = tx.execute(
                "UPDATE web_orders SET revision = ?3, body = ?4 WHERE pos = ?1 AND client_order_id = ?2 AND revision = ?5",
                params![pos, order.client_order_id, order.revision as i64, json(order)?, *expected_revision as i64],
            );
            if updated.map_err(failed)? != 1 || order.revision != expected_revision + 1 {
                return conflict(format!("order {} is not at revision {expected_revision}", order.client_order_id));
            }
        }
    }
    Ok(())
}

/// Appends record `sequence` to a gap-free chain table: only right after the last one.
fn append(tx: &rusqlite::Transaction<'_>, table: &str, pos: &str, sequence: u64, body: &str) -> Result<(), StoreError> {
    let last: i64 = tx
        .query_row(&format!("SELECT COALESCE(MAX(sequence), 0) FROM {table} WHERE pos = ?1"), [pos], |r| r.get(0))
        .map_err(failed)?;
    if sequence != last as u64 + 1 {
        return conflict(format!("{table}: record {sequence} after {last}"));
    }
    tx.execute(
        &format!("INSERT INTO {table}(pos, sequence, body) VALUES (?1, ?2, ?3)"),
        params![pos, sequence as i64, body],
    )
    .map_err(failed)?;
    Ok(())
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Sending => "sending",
        Status::Delivered => "delivered",
        Status::Refused => "refused",
    }
}

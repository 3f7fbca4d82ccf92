//! What the SQLite and PostgreSQL stores share: the tables and how each of core's [`Write`]s is
//! performed, with its precondition, in SQL both understand (`?N` placeholders, written `$N` for
//! PostgreSQL; `INSERT … ON CONFLICT DO NOTHING`). Each store supplies a connection inside one
//! transaction ([`Sql`]); a failed precondition is [`StoreError::Conflict`] and the caller rolls
//! the whole commit back.

use crous_till_core::journal::{Closure, Event, Head, JournalEntry};
use crous_till_core::outbox::{OutboxEntry, Snapshot, Status, StoreError, Write};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::sale::{NumberingRecord, SaleRecord, WebOrderRecord};
use serde::de::DeserializeOwned;

/// The tables, one row per record, records as core's JSON (`body`). `journal_versions` counts
/// the commits that wrote a till's journal (PostgreSQL's check that a journal write was planned
/// on the latest one); `till_senders` holds the row a sender locks (PostgreSQL).
pub(crate) const TABLES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS outbox_rows(pos TEXT NOT NULL, sequence BIGINT NOT NULL, id_ticket_entete TEXT NOT NULL,
      revision BIGINT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL,
      PRIMARY KEY(pos, sequence), UNIQUE(pos, id_ticket_entete))",
    "CREATE TABLE IF NOT EXISTS journal_entries(pos TEXT NOT NULL, sequence BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(pos, sequence))",
    "CREATE TABLE IF NOT EXISTS journal_closures(pos TEXT NOT NULL, sequence BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(pos, sequence))",
    "CREATE TABLE IF NOT EXISTS journal_events(pos TEXT NOT NULL, sequence BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(pos, sequence))",
    "CREATE TABLE IF NOT EXISTS journal_heads(pos TEXT PRIMARY KEY, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS journal_versions(pos TEXT PRIMARY KEY, version BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sales(pos TEXT NOT NULL, id_ticket_entete TEXT NOT NULL, revision BIGINT NOT NULL,
      body TEXT NOT NULL, PRIMARY KEY(pos, id_ticket_entete))",
    "CREATE TABLE IF NOT EXISTS numbering(pos TEXT PRIMARY KEY, revision BIGINT NOT NULL, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_orders(pos TEXT NOT NULL, client_order_id TEXT NOT NULL, revision BIGINT NOT NULL,
      body TEXT NOT NULL, PRIMARY KEY(pos, client_order_id))",
    "CREATE TABLE IF NOT EXISTS till_senders(pos TEXT PRIMARY KEY)",
];

/// A parameter, or a column read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    Null,
}

/// One connection, inside the commit's transaction.
pub(crate) trait Sql {
    /// Runs a statement; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Cell]) -> Result<u64, StoreError>;
    /// The columns of the first row the query returns.
    fn row(&mut self, sql: &str, params: &[Cell]) -> Result<Option<Vec<Cell>>, StoreError>;
    /// The first column of every row, as text.
    fn texts(&mut self, sql: &str, params: &[Cell]) -> Result<Vec<String>, StoreError>;
}

pub(crate) fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError::Failed(e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<Cell, StoreError> {
    serde_json::to_string(value).map(Cell::Text).map_err(failed)
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Failed(format!("a stored record does not read: {e}")))
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn int(n: u64) -> Cell {
    Cell::Int(n as i64)
}

/// Everything stored for `point_of_sale` (run it inside one read snapshot).
pub(crate) fn load(sql: &mut dyn Sql, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
    let pos = [text(&point_of_sale.app_id())];
    let mut bodies = |table: &str, order: &str| {
        sql.texts(&format!("SELECT body FROM {table} WHERE pos = ?1 ORDER BY {order}"), &pos)
    };
    let rows = bodies("outbox_rows", "sequence")?;
    let journal = bodies("journal_entries", "sequence")?;
    let closures = bodies("journal_closures", "sequence")?;
    let events = bodies("journal_events", "sequence")?;
    let head = bodies("journal_heads", "pos")?;
    let sales = bodies("sales", "CAST(id_ticket_entete AS BIGINT)")?;
    let numbering = bodies("numbering", "pos")?;
    let orders = bodies("web_orders", "client_order_id")?;
    fn all<T: DeserializeOwned>(texts: Vec<String>) -> Result<Vec<T>, StoreError> {
        texts.iter().map(|t| read(t)).collect()
    }
    Ok(Snapshot {
        rows: all::<OutboxEntry>(rows)?,
        journal: all::<JournalEntry>(journal)?,
        closures: all::<Closure>(closures)?,
        events: all::<Event>(events)?,
        head: all::<Head>(head)?.pop(),
        sales: all::<SaleRecord>(sales)?,
        numbering: all::<NumberingRecord>(numbering)?.pop(),
        orders: all::<WebOrderRecord>(orders)?,
    })
}

/// How many commits wrote the journal of `pos` (0 before the first).
pub(crate) fn journal_version(sql: &mut dyn Sql, pos: &str) -> Result<i64, StoreError> {
    match sql.row("SELECT version FROM journal_versions WHERE pos = ?1", &[text(pos)])?.as_deref() {
        Some([Cell::Int(v)]) => Ok(*v),
        None => Ok(0),
        Some(other) => Err(StoreError::Failed(format!("journal_versions holds {other:?}"))),
    }
}

/// Whether the write changes a till's journal (its entries, closures, events or head).
pub(crate) fn writes_journal(write: &Write) -> bool {
    matches!(
        write,
        Write::AppendJournalEntry { .. }
            | Write::AppendClosure { .. }
            | Write::AppendEvent { .. }
            | Write::PutHead { .. }
    )
}

/// Counts one more journal-writing commit for `pos`.
pub(crate) fn bump_journal_version(sql: &mut dyn Sql, pos: &str, to: i64) -> Result<(), StoreError> {
    let sql_text = "INSERT INTO journal_versions(pos, version) VALUES (?1, ?2) \
                    ON CONFLICT(pos) DO UPDATE SET version = excluded.version";
    sql.execute(sql_text, &[text(pos), Cell::Int(to)]).map(drop)
}

fn conflict(why: String) -> Result<(), StoreError> {
    Err(StoreError::Conflict(why))
}

fn stored_row(sql: &mut dyn Sql, pos: &str, sequence: u64) -> Result<Option<(u64, String, String)>, StoreError> {
    let found = sql.row(
        "SELECT revision, status, id_ticket_entete FROM outbox_rows WHERE pos = ?1 AND sequence = ?2",
        &[text(pos), int(sequence)],
    )?;
    match found.as_deref() {
        None => Ok(None),
        Some([Cell::Int(rev), Cell::Text(status), Cell::Text(id)]) => {
            Ok(Some((*rev as u64, status.clone(), id.clone())))
        }
        Some(other) => Err(StoreError::Failed(format!("outbox_rows holds {other:?}"))),
    }
}

/// Performs one write, checking its precondition.
pub(crate) fn perform(sql: &mut dyn Sql, write: &Write) -> Result<(), StoreError> {
    let pos = write.point_of_sale().app_id();
    let pos = pos.as_str();
    // An insert that must be the first of its key, an update that must find `expected`.
    let mut once = |sql_text: &str, params: &[Cell], what: String| -> Result<(), StoreError> {
        if sql.execute(sql_text, params)? != 1 {
            return conflict(what);
        }
        Ok(())
    };
    match write {
        Write::AppendJournalEntry { entry } => append(sql, "journal_entries", pos, entry.sequence, json(entry)?)?,
        Write::AppendClosure { closure } => append(sql, "journal_closures", pos, closure.sequence, json(closure)?)?,
        Write::AppendEvent { event } => append(sql, "journal_events", pos, event.sequence, json(event)?)?,
        Write::PutHead { head } => {
            let put = "INSERT INTO journal_heads(pos, body) VALUES (?1, ?2) ON CONFLICT(pos) DO UPDATE SET body = excluded.body";
            sql.execute(put, &[text(pos), json(head)?])?;
        }
        Write::InsertEntry { entry } => once(
            "INSERT INTO outbox_rows(pos, sequence, id_ticket_entete, revision, status, body) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            &[
                text(pos),
                int(entry.sequence),
                text(&entry.id_ticket_entete),
                int(entry.revision),
                text(status(entry.status)),
                json(entry)?,
            ],
            format!("row {} ({}) exists", entry.sequence, entry.id_ticket_entete),
        )?,
        Write::UpdateEntry { entry, expected_revision } => match stored_row(sql, pos, entry.sequence)? {
            Some((rev, _, id))
                if rev == *expected_revision
                    && entry.revision == expected_revision + 1
                    && id == entry.id_ticket_entete =>
            {
                sql.execute(
                    "UPDATE outbox_rows SET revision = ?3, status = ?4, body = ?5 WHERE pos = ?1 AND sequence = ?2",
                    &[text(pos), int(entry.sequence), int(entry.revision), text(status(entry.status)), json(entry)?],
                )?;
            }
            Some((rev, _, _)) => {
                return conflict(format!("row {} is at revision {rev}, not {expected_revision}", entry.sequence))
            }
            None => return conflict(format!("row {} does not exist", entry.sequence)),
        },
        Write::DeleteEntry { sequence, expected_revision, .. } => match stored_row(sql, pos, *sequence)? {
            Some((rev, s, _)) if rev == *expected_revision && s == status(Status::Delivered) => {
                sql.execute("DELETE FROM outbox_rows WHERE pos = ?1 AND sequence = ?2", &[text(pos), int(*sequence)])?;
            }
            _ => return conflict(format!("row {sequence} is not delivered at revision {expected_revision}")),
        },
        Write::PutNumbering { numbering, expected_revision } => {
            let (rev, body) = (int(numbering.revision), json(numbering)?);
            let why = format!("numbering is not at revision {expected_revision}");
            if numbering.revision != expected_revision + 1 {
                return conflict(why);
            }
            if *expected_revision == 0 {
                once(
                    "INSERT INTO numbering(pos, revision, body) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    &[text(pos), rev, body],
                    why,
                )?;
            } else {
                once(
                    "UPDATE numbering SET revision = ?2, body = ?3 WHERE pos = ?1 AND revision = ?4",
                    &[text(pos), rev, body, int(*expected_revision)],
                    why,
                )?;
            }
        }
        Write::InsertSale { sale } => {
            insert_keyed(sql, SALES, pos, &sale.id_ticket_entete, sale.revision, json(sale)?)?
        }
        Write::UpdateSale { sale, expected_revision } => {
            update_keyed(sql, SALES, pos, &sale.id_ticket_entete, sale.revision, *expected_revision, json(sale)?)?
        }
        Write::InsertOrder { order } => {
            insert_keyed(sql, ORDERS, pos, &order.client_order_id, order.revision, json(order)?)?
        }
        Write::UpdateOrder { order, expected_revision } => {
            update_keyed(sql, ORDERS, pos, &order.client_order_id, order.revision, *expected_revision, json(order)?)?
        }
    }
    Ok(())
}

/// A table of records kept by key with a revision: its name, its key column, what a record is.
type Keyed = (&'static str, &'static str, &'static str);
const SALES: Keyed = ("sales", "id_ticket_entete", "sale");
const ORDERS: Keyed = ("web_orders", "client_order_id", "order");

/// Inserts a record under a key no record holds yet.
fn insert_keyed(
    sql: &mut dyn Sql,
    (table, key_column, what): Keyed,
    pos: &str,
    key: &str,
    revision: u64,
    body: Cell,
) -> Result<(), StoreError> {
    let insert = format!(
        "INSERT INTO {table}(pos, {key_column}, revision, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING"
    );
    if sql.execute(&insert, &[text(pos), text(key), int(revision), body])? != 1 {
        return conflict(format!("{what} {key} exists"));
    }
    Ok(())
}

/// Replaces the record at `expected` by its next revision.
fn update_keyed(
    sql: &mut dyn Sql,
    (table, key_column, what): Keyed,
    pos: &str,
    key: &str,
    revision: u64,
    expected: u64,
    body: Cell,
) -> Result<(), StoreError> {
    let update =
        format!("UPDATE {table} SET revision = ?3, body = ?4 WHERE pos = ?1 AND {key_column} = ?2 AND revision = ?5");
    if revision != expected + 1
        || sql.execute(&update, &[text(pos), text(key), int(revision), body, int(expected)])? != 1
    {
        return conflict(format!("{what} {key} is not at revision {expected}"));
    }
    Ok(())
}

/// Appends record `sequence` to a gap-free chain table: only right after the last one.
fn append(sql: &mut dyn Sql, table: &str, pos: &str, sequence: u64, body: Cell) -> Result<(), StoreError> {
    let last = match sql.row(&format!("SELECT MAX(sequence) FROM {table} WHERE pos = ?1"), &[text(pos)])?.as_deref() {
        Some([Cell::Int(n)]) => *n as u64,
        Some([Cell::Null]) => 0, // no record yet
        other => return Err(StoreError::Failed(format!("{table}: MAX(sequence) is {other:?}"))),
    };
    if sequence != last + 1 {
        return conflict(format!("{table}: record {sequence} after {last}"));
    }
    sql.execute(
        &format!("INSERT INTO {table}(pos, sequence, body) VALUES (?1, ?2, ?3)"),
        &[text(pos), int(sequence), body],
    )
    .map(drop)
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Pending => "pending",
        Status::Sending => "sending",
        Status::Delivered => "delivered",
        Status::Refused => "refused",
    }
}

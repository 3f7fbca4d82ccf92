//! The sandbox's state in SQLite (one connection behind a mutex: every operation, a debit
//! included, runs alone and in a transaction, so no debit is lost or doubled under concurrency).

use crate::fixtures::Fixtures;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crous_tokens(token TEXT PRIMARY KEY, pos TEXT NOT NULL, expires_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tickets(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, pos TEXT NOT NULL, id_ticket_entete TEXT NOT NULL,
  software TEXT, vers_commande_en_ligne INTEGER NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL,
  UNIQUE(pos, id_ticket_entete));
CREATE TABLE IF NOT EXISTS izly_accounts(id_izly TEXT PRIMARY KEY, balance_cents INTEGER NOT NULL, blocked INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS izly_qr_counters(id_izly TEXT PRIMARY KEY, minted INTEGER NOT NULL DEFAULT 0, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS izly_qr_codes(text TEXT PRIMARY KEY, id_izly TEXT NOT NULL, expires_ms INTEGER, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS izly_cards(id_support TEXT PRIMARY KEY, id_izly TEXT NOT NULL, numero_applicatif TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS izly_debits(
  id INTEGER PRIMARY KEY AUTOINCREMENT, reference TEXT NOT NULL UNIQUE, pos TEXT NOT NULL, kind TEXT NOT NULL,
  code TEXT NOT NULL, id_ticket_entete TEXT NOT NULL, id_izly TEXT NOT NULL, amount_cents INTEGER NOT NULL,
  balance_after_cents INTEGER NOT NULL, date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_codes(code TEXT PRIMARY KEY, client_id TEXT NOT NULL, id_izly TEXT NOT NULL, scope TEXT NOT NULL, expires_ms INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS oauth_tokens(token TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, id_izly TEXT NOT NULL, scope TEXT NOT NULL, expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS web_payments(
  id INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT NOT NULL, app_identifier TEXT NOT NULL, client_order_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL, message TEXT, callback_parameters TEXT, redirect_url TEXT, software TEXT,
  status TEXT NOT NULL, id_izly TEXT, created TEXT NOT NULL, paid TEXT, refunded TEXT, error_code INTEGER NOT NULL DEFAULT 0,
  error_message TEXT NOT NULL DEFAULT '', callback_status INTEGER);
CREATE TABLE IF NOT EXISTS esipay_cards(number TEXT PRIMARY KEY, balance_cents INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS esipay_transactions(
  id TEXT PRIMARY KEY, uuid TEXT NOT NULL, cid TEXT NOT NULL, card TEXT NOT NULL, amount_cents INTEGER NOT NULL,
  refunded_cents INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL, return_status INTEGER, created TEXT NOT NULL);
";

/// Tables emptied and re-seeded by a reset.
const STATE_TABLES: &[&str] = &[
    "crous_tokens",
    "tickets",
    "izly_accounts",
    "izly_qr_codes",
    "izly_qr_counters",
    "izly_cards",
    "izly_debits",
    "oauth_codes",
    "oauth_tokens",
    "web_payments",
    "esipay_cards",
    "esipay_transactions",
];

/// Columns added to a table after it first shipped, `(table, column, declaration)`: added on open
/// to a state file that lacks them, so an older data directory keeps working.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    // IzlyPay (sandbox/src/izly_pay): IdTransactionDebitIzly, the page's expiry, the callback's fate.
    ("web_payments", "id_transaction", "INTEGER NOT NULL DEFAULT 0"),
    ("web_payments", "expires_ms", "INTEGER NOT NULL DEFAULT 0"),
    ("web_payments", "callback_url", "TEXT"),
    ("web_payments", "callback_answer", "TEXT"),
    ("web_payments", "callback_error", "TEXT"),
    ("web_payments", "callback_at", "TEXT"),
];

fn add_missing_columns(conn: &Connection) -> rusqlite::Result<()> {
    for (table, column, decl) in ADDED_COLUMNS {
        let present: bool = conn.query_row(
            &format!("SELECT COUNT(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
            [column],
            |r| r.get(0),
        )?;
        if !present {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
        }
    }
    Ok(())
}

pub struct Db {
    conn: Mutex<Connection>,
}

impl Db {
    pub fn open(path: &Path) -> rusqlite::Result<Db> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        add_missing_columns(&conn)?;
        Ok(Db { conn: Mutex::new(conn) })
    }

    /// Runs `f` alone, inside one transaction committed when `f` succeeds.
    pub fn tx<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The fixtures document the state was seeded from, if any.
    pub fn stored_fixtures(&self) -> rusqlite::Result<Option<String>> {
        self.tx(|tx| tx.query_row("SELECT value FROM meta WHERE key = 'fixtures'", [], |r| r.get(0)).optional())
    }

    /// Forgets every change and loads `fixtures` (the reset).
    pub fn seed(&self, fixtures: &Fixtures) -> rusqlite::Result<()> {
        let json = serde_json::to_string(fixtures).expect("fixtures serialize");
        self.tx(|tx| {
            for t in STATE_TABLES {
                tx.execute(&format!("DELETE FROM {t}"), [])?;
            }
            tx.execute("DELETE FROM sqlite_sequence", []).ok();
            tx.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fixtures', ?1)", [&json])?;
            for a in &fixtures.izly.accounts {
                tx.execute(
                    "INSERT INTO izly_accounts(id_izly, balance_cents, blocked) VALUES (?1, ?2, ?3)",
                    params![a.id_izly, a.balance_cents, a.blocked],
                )?;
                for q in &a.qr_codes {
                    let exp = q
                        .expires_at
                        .as_deref()
                        .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok())
                        .map(|d| d.timestamp_millis());
                    tx.execute(
                        "INSERT INTO izly_qr_codes(text, id_izly, expires_ms) VALUES (?1, ?2, ?3)",
                        params![q.text, a.id_izly, exp],
                    )?;
                }
                for c in &a.cards {
                    tx.execute(
                        "INSERT INTO izly_cards(id_support, id_izly, numero_applicatif) VALUES (?1, ?2, ?3)",
                        params![c.id_support, a.id_izly, c.numero_applicatif],
                    )?;
                }
            }
            for c in &fixtures.esipay.cards {
                tx.execute(
                    "INSERT INTO esipay_cards(number, balance_cents) VALUES (?1, ?2)",
                    params![c.number, c.balance_cents],
                )?;
            }
            // Izly transaction and operation numbers look like the spec's examples.
            tx.execute(
                "INSERT INTO sqlite_sequence(name, seq) VALUES ('izly_debits', 63500), ('web_payments', 58600)",
                [],
            )?;
            Ok(())
        })
    }
}

//! PostgreSQL storage for the till, for several servers sharing one queue (a web shop or a
//! ticket concentrator running several Node processes): the tables and writes of SQLite
//! ([`crate::sql`]), one transaction per commit, and what several writers need on top:
//!
//! - **one sender per till**: a drain locks the till's `till_senders` row `FOR UPDATE SKIP
//!   LOCKED` in a transaction it keeps open on a second connection while it sends; another
//!   process skips that till, and a process that dies releases it with its connection. A ticket
//!   left `sending` by a dead sender is sent again by the next one, and the Crous's 409 makes
//!   that a delivery (never a second ticket).
//! - **a gap-free journal across writers**: a commit that writes a till's journal locks the
//!   till's `journal_versions` row and goes through only if no other journal commit landed
//!   since this process last read the journal; otherwise it is a conflict, and core reloads and
//!   plans again ([`crous_till_core::outbox::DurableOutbox`]). Row updates carry their own
//!   revisions.
//! - **consistent loads**: every table is read in one `REPEATABLE READ` snapshot.
//!
//! The synchronous `postgres` client runs its own Tokio runtime, which must not be entered from
//! the addon's: each store owns a thread holding its two connections, and its methods hand that
//! thread a job and wait for the answer, as a SQLite call waits for the disk. Connections are
//! plain TCP (no TLS): keep the database on loopback or a private network.

use crate::sql::{self, failed, Cell, Sql};
use crous_till_core::outbox::{OutboxStore, Snapshot, StoreError, Write};
use crous_till_core::point_of_sale::PointOfSale;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};
use std::collections::HashMap;
use std::sync::mpsc;

/// A store over one PostgreSQL database; cheap to hold, its connections live on its thread.
pub struct PgStore {
    jobs: mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce(&mut Session) + Send>;

/// What the store's thread owns.
struct Session {
    /// Loads and commits.
    client: Client,
    /// The sender claims: a transaction left open while this process sends a till's tickets.
    claims: Client,
    /// The till whose claim is open on `claims`, if any.
    claimed: Option<String>,
    /// Per till, the journal version this process last read or wrote.
    seen: HashMap<String, i64>,
}

fn connect(url: &str) -> Result<Client, StoreError> {
    Client::connect(url, NoTls).map_err(|e| StoreError::Failed(format!("PostgreSQL at {}: {e}", redacted(url))))
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

impl PgStore {
    /// Connects (twice: loads and commits, sender claims) and creates the tables if needed.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let mut client = connect(url)?;
        let claims = connect(url)?;
        // Several processes may start at once: one creates the tables, the others wait for it.
        let mut tx = client.transaction().map_err(failed)?;
        tx.execute("SELECT pg_advisory_xact_lock(727465)", &[]).map_err(failed)?;
        for table in sql::TABLES {
            tx.batch_execute(table).map_err(failed)?;
        }
        tx.commit().map_err(failed)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let mut session = Session { client, claims, claimed: None, seen: HashMap::new() };
        std::thread::Builder::new()
            .name("crous-till-postgres".into())
            .spawn(move || {
                for job in queue {
                    job(&mut session);
                }
            })
            .map_err(failed)?;
        Ok(PgStore { jobs })
    }

    /// Runs `job` on the store's thread and waits for its answer.
    fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Session) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = mpsc::sync_channel(1);
        let sent = self.jobs.send(Box::new(move |session: &mut Session| {
            let _ = answer.send(job(session));
        }));
        sent.map_err(|_| StoreError::Failed("the PostgreSQL store's thread stopped".into()))?;
        answered.recv().map_err(|_| StoreError::Failed("the PostgreSQL store's thread stopped".into()))?
    }
}

impl OutboxStore for PgStore {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        self.run(move |session| {
            let pos = point_of_sale.app_id();
            let mut tx = session
                .client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .map_err(failed)?;
            let snapshot = sql::load(&mut tx, point_of_sale)?;
            let version = sql::journal_version(&mut tx, &pos)?;
            tx.commit().map_err(failed)?;
            session.seen.insert(pos, version);
            Ok(snapshot)
        })
    }

    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        let writes = writes.to_vec();
        self.run(move |session| {
            let journal_pos = writes.iter().find(|w| sql::writes_journal(w)).map(|w| w.point_of_sale().app_id());
            let mut tx = session.client.transaction().map_err(failed)?;
            let mut bumped = None;
            if let Some(pos) = journal_pos {
                tx.execute("INSERT INTO journal_versions(pos, version) VALUES ($1, 0) ON CONFLICT DO NOTHING", &[&pos])
                    .map_err(failed)?;
                let row = tx.query_one("SELECT version FROM journal_versions WHERE pos = $1 FOR UPDATE", &[&pos]);
                let stored: i64 = row.map_err(failed)?.get(0);
                let seen = session.seen.get(&pos).copied().unwrap_or(0);
                if stored != seen {
                    return Err(StoreError::Conflict(format!(
                        "the journal of {pos} was written by another process (version {stored}, read {seen})"
                    )));
                }
                sql::bump_journal_version(&mut tx, &pos, stored + 1)?;
                bumped = Some((pos, stored + 1));
            }
            for write in &writes {
                sql::perform(&mut tx, write)?;
            }
            tx.commit().map_err(failed)?;
            if let Some((pos, version)) = bumped {
                session.seen.insert(pos, version);
            }
            Ok(())
        })
    }

    fn shared(&self) -> bool {
        true
    }

    fn claim_sender(&mut self, point_of_sale: PointOfSale) -> Result<bool, StoreError> {
        self.run(move |session| {
            let pos = point_of_sale.app_id();
            if session.claimed.as_deref() == Some(pos.as_str()) {
                return Ok(true);
            }
            if session.claimed.is_some() {
                return Err(StoreError::Failed("this store already holds another till's sender claim".into()));
            }
            let claims = &mut session.claims;
            claims
                .execute("INSERT INTO till_senders(pos) VALUES ($1) ON CONFLICT DO NOTHING", &[&pos])
                .map_err(failed)?;
            claims.batch_execute("BEGIN").map_err(failed)?;
            let locked =
                claims.query_opt("SELECT pos FROM till_senders WHERE pos = $1 FOR UPDATE SKIP LOCKED", &[&pos]);
            match locked {
                Ok(Some(_)) => {
                    session.claimed = Some(pos);
                    Ok(true)
                }
                Ok(None) => {
                    claims.batch_execute("ROLLBACK").map_err(failed)?;
                    Ok(false)
                }
                Err(e) => {
                    let _ = claims.batch_execute("ROLLBACK");
                    Err(failed(e))
                }
            }
        })
    }

    fn release_sender(&mut self, point_of_sale: PointOfSale) -> Result<(), StoreError> {
        self.run(move |session| {
            if session.claimed.as_deref() != Some(point_of_sale.app_id().as_str()) {
                return Ok(());
            }
            session.claimed = None;
            session.claims.batch_execute("ROLLBACK").map_err(failed)
        })
    }
}

/// `?N` placeholders (the SQL both stores share) as PostgreSQL writes them.
fn dollars(sql: &str) -> String {
    sql.replace('?', "$")
}

fn params(cells: &[Cell]) -> Vec<Box<dyn ToSql + Sync>> {
    cells
        .iter()
        .map(|c| -> Box<dyn ToSql + Sync> {
            match c {
                Cell::Text(t) => Box::new(t.clone()),
                Cell::Int(n) => Box::new(*n),
                Cell::Null => Box::new(None::<String>),
            }
        })
        .collect()
}

fn cells(row: &postgres::Row) -> Result<Vec<Cell>, StoreError> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            Ok(if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i).map_err(failed)?.map_or(Cell::Null, Cell::Int)
            } else if *ty == Type::TEXT {
                row.try_get::<_, Option<String>>(i).map_err(failed)?.map_or(Cell::Null, Cell::Text)
            } else {
                return Err(StoreError::Failed(format!("unexpected column type {ty}")));
            })
        })
        .collect()
}

impl Sql for postgres::Transaction<'_> {
    fn execute(&mut self, sql: &str, params_: &[Cell]) -> Result<u64, StoreError> {
        let owned = params(params_);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        postgres::Transaction::execute(self, dollars(sql).as_str(), &refs).map_err(failed)
    }

    fn row(&mut self, sql: &str, params_: &[Cell]) -> Result<Option<Vec<Cell>>, StoreError> {
        let owned = params(params_);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        let rows = self.query(dollars(sql).as_str(), &refs).map_err(failed)?;
        rows.first().map(cells).transpose()
    }

    fn texts(&mut self, sql: &str, params_: &[Cell]) -> Result<Vec<String>, StoreError> {
        let owned = params(params_);
        let refs: Vec<&(dyn ToSql + Sync)> = owned.iter().map(|b| b.as_ref()).collect();
        let rows = self.query(dollars(sql).as_str(), &refs).map_err(failed)?;
        rows.iter().map(|r| r.try_get::<_, String>(0).map_err(failed)).collect()
    }
}

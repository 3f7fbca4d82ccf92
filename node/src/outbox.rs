//! `TicketOutbox`: a till back end's durable ticket queue, in a SQLite file or a PostgreSQL
//! database (`crous_till_store`). Core's outbox decides everything (what is written, in which
//! order, what is sent when, what an answer means); this binding performs its commits in the
//! store and its sends with the native executor. A ticket is journaled and stored before it can be sent, marked
//! `sending` (and that stored) before the request leaves, and stored `delivered` on a 201 or
//! 409, so a killed process loses nothing and, restarted, sends nothing twice.

use crate::crous::Crous;
use crate::journal::{self, TillKey};
use crate::js::{from_js, promise, settled, sync, to_js, Failure, Outcome, PROGRAM};
use crate::reference::Reference;
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::client::CrousClient;
use crous_till_core::outbox::{Drain, DrainStep, DurableOutbox, OutboxPolicy, SendQueue};
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use crous_till_store::TillStore;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

type Shared = Arc<Mutex<DurableOutbox<TillStore>>>;

/// The ticket queue of one till.
#[napi]
pub struct TicketOutbox {
    outbox: Shared,
    sender: Arc<Sender>,
    pumping: Arc<AtomicBool>,
}

#[napi]
impl Crous {
    /// Opens this till's outbox in `location` (created if needed): a SQLite file (`sqlite:PATH` or a
    /// bare path) for one process, or `postgres://…`, which several processes share. Verifies the
    /// journal's chain and resumes (a ticket left `sending` by a killed process is due again).
    /// Throws `journal.broken` or `outbox.corrupt` when the stored data was tampered with.
    #[napi]
    pub fn open_outbox(&self, env: Env, location: String, reference: &Reference) -> napi::Result<TicketOutbox> {
        let opened = TillStore::open(&location).map_err(|e| Failure::of(&e)).and_then(|store| {
            DurableOutbox::start(store, self.client.point_of_sale(), OutboxPolicy::default(), now(), PROGRAM)
                .map_err(|e| Failure::of(&e))
        });
        let outbox = sync(&env, opened)?;
        Ok(TicketOutbox {
            outbox: Arc::new(Mutex::new(outbox)),
            sender: Arc::new(Sender { client: self.client.clone(), reference: reference.data.clone() }),
            pumping: Arc::default(),
        })
    }
}

#[napi]
impl TicketOutbox {
    /// Journals and stores a finished sale's ticket (before anything is sent); returns the
    /// queue. An identical ticket again changes nothing; another ticket under the same
    /// idTicketEntete throws `outbox.conflicting_ticket`.
    #[napi(ts_args_type = "ticket: Ticket", ts_return_type = "Promise<QueueView>")]
    pub fn enqueue<'e>(&self, env: &'e Env, ticket: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let done = from_js::<Ticket>(env, ticket, "ticket").and_then(|t| {
            let mut outbox = lock(&self.outbox);
            outbox.enqueue(t, now()).map_err(|e| Failure::of(&e))?;
            to_js(&outbox.view(now()))
        });
        settled(env, done)
    }

    /// Sends what is due, oldest first, one at a time, until the queue is empty or waiting for a
    /// backoff. A 401 makes the client authenticate again (core's decision); while the key is
    /// refused the queue says `needsAuthentication`. Resolves to the queue. A call while one runs
    /// resolves at once.
    #[napi(ts_return_type = "Promise<QueueView>")]
    pub fn pump<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let (outbox, pumping, sender) = (self.outbox.clone(), self.pumping.clone(), self.sender.clone());
        promise(env, async move {
            pump_once(&outbox, &pumping, &sender).await?;
            let view = lock(&outbox).view(now());
            to_js(&view)
        })
    }

    /// The queue: counts by status, its head, the last error, refused tickets.
    #[napi(ts_return_type = "QueueView")]
    pub fn view(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&lock(&self.outbox).view(now())))
    }

    /// Closes a period of the journal (cash-register law: daily, monthly, yearly closures with
    /// totals per VAT rate and per payment method, chained): `"2026-11-23"`, `"2026-11"` or
    /// `"2026"`, signed with `key` (`openTillKey(keyFile)`) when given. A month closes after its
    /// days, a year after its months; a closed period takes no more tickets
    /// (`journal.period_closed`). Resolves to the queue.
    #[napi(ts_return_type = "Promise<QueueView>")]
    pub fn close<'e>(
        &self,
        env: &'e Env,
        period: String,
        key: Option<&TillKey>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let mut outbox = lock(&self.outbox);
        settled(env, journal::close(&mut *outbox, &period, key))
    }

    /// The till's journal as a signed archive, signed with `key`, the export recorded first
    /// (see `Till.exportArchive`).
    #[napi(ts_return_type = "Promise<ExportedArchiveFile>")]
    pub fn export_archive<'e>(&self, env: &'e Env, key: &TillKey) -> napi::Result<PromiseRaw<'e, Value>> {
        settled(env, journal::export(&mut *lock(&self.outbox), key))
    }

    /// Records this run's stop in the technical event journal (see `Till.shutdown`).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, ()>> {
        settled(env, journal::stop(&mut *lock(&self.outbox)))
    }

    /// Puts a refused ticket back in the queue once its cause is fixed.
    #[napi(ts_return_type = "Promise<QueueView>")]
    pub fn requeue_refused<'e>(&self, env: &'e Env, id_ticket_entete: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let done = {
            let mut outbox = lock(&self.outbox);
            let requeued = outbox.requeue_refused(&id_ticket_entete, now()).map_err(|e| Failure::of(&e));
            requeued.and_then(|()| to_js(&outbox.view(now())))
        };
        settled(env, done)
    }
}

/// What a send needs, owned so that it moves into the runtime.
pub(crate) struct Sender {
    pub(crate) client: Arc<CrousClient<NativeExecutor>>,
    pub(crate) reference: Arc<ReferenceData>,
}

/// Drains `queue` unless a drain is already running, here (`pumping`) or in another process
/// sharing the store (its sender claim, core's [`SendQueue::claim`], which also reloads what
/// other processes stored).
pub(crate) async fn pump_once<Q: SendQueue>(
    queue: &Arc<Mutex<Q>>,
    pumping: &AtomicBool,
    sender: &Sender,
) -> Outcome<()> {
    if pumping.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let claimed = lock(queue).claim();
    let drained = match claimed {
        Ok(true) => {
            let drained = drain(queue, sender).await;
            let released = lock(queue).release().map_err(|e| Failure::of(&e));
            drained.and(released)
        }
        Ok(false) => Ok(()),
        Err(e) => Err(Failure::of(&e)),
    };
    pumping.store(false, Ordering::SeqCst);
    drained
}

/// Core's outbox and [`Drain`] say what to do next; the client sends (and authenticates again
/// when asked).
async fn drain<Q: SendQueue>(queue: &Arc<Mutex<Q>>, sender: &Sender) -> Outcome<()> {
    let mut drain = Drain::new();
    loop {
        let step = drain.step(&lock(queue).outbox().next_to_send(now()));
        let dispatch = match step {
            DrainStep::Authenticate => {
                if sender.client.reauthenticate().await {
                    lock(queue).authenticated();
                }
                continue;
            }
            DrainStep::Send => lock(queue).begin_send(now()).map_err(|e| Failure::of(&e))?,
            DrainStep::Stop => None,
        };
        let Some(dispatch) = dispatch else { return Ok(()) };
        let outcome = sender.client.deliver(&dispatch.ticket, &sender.reference).await;
        lock(queue).record_send(&dispatch, &outcome, now(), jitter()).map_err(|e| Failure::of(&e))?;
    }
}

pub(crate) fn lock<T>(shared: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The backoff's random share; sub-second clock noise is enough to spread tills apart.
pub(crate) fn jitter() -> f64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}

//! `TicketOutbox`: the browser till's durable ticket queue. Core's outbox decides everything
//! (what is written, in which order, what is sent when, what an answer means); this binding only
//! awaits the JavaScript store (IndexedDB: `openIndexedDbOutboxStore`) and the Crous API.
//!
//! Each step is core's plan → persist → apply: a ticket is journaled and stored before it can
//! be sent, marked `sending` (and that mark stored) before the request leaves, and a 201 or 409
//! stores it `delivered` so it is never sent again, across reloads and network loss.

use crate::client_crous::Crous;
use crate::fetch::FetchTransport;
use crate::journal_events::refuse_open;
use crate::js::{core_error, error, from_js, to_js};
use crate::till::Reference;
use crous_till_core::client::CrousClient;
use crous_till_core::outbox::{
    Commit, Dispatch, Drain, DrainStep, HoldsOutbox, Outbox, OutboxPolicy, SendOutcome, Snapshot,
};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen]
extern "C" {
    /// What the outbox needs of a store (`OutboxStore` in TypeScript).
    #[wasm_bindgen(typescript_type = "OutboxStore")]
    pub type JsOutboxStore;
    #[wasm_bindgen(method, catch)]
    pub(crate) fn load(this: &JsOutboxStore, point_of_sale: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    pub(crate) fn commit(this: &JsOutboxStore, writes: JsValue) -> Result<js_sys::Promise, JsValue>;
}

#[wasm_bindgen(module = "/src/js/idb_outbox_store.js")]
extern "C" {
    #[wasm_bindgen(js_name = openIdbOutboxStore)]
    fn open_idb_outbox_store(point_of_sale: &str, name: Option<String>) -> js_sys::Promise;
}

/// The IndexedDB store of a till's outbox (one database per point of sale, named
/// `crous-till-outbox-<pointOfSale>` unless `name` is given). Browser only.
#[wasm_bindgen(js_name = openIndexedDbOutboxStore, unchecked_return_type = "Promise<OutboxStore>")]
pub fn open_indexed_db_outbox_store(point_of_sale: &str, name: Option<String>) -> js_sys::Promise {
    open_idb_outbox_store(point_of_sale, name)
}

/// An outbox (alone, or inside the sale engine's till) over its store and a Crous client. Every
/// commit is planned, persisted and applied under `lock`, so a pump and a sale never plan on the
/// same state (the second would be stale once the first is stored).
pub(crate) struct Queue<Q> {
    pub(crate) state: RefCell<Q>,
    pub(crate) store: JsOutboxStore,
    pub(crate) crous: Rc<CrousClient<FetchTransport>>,
    pub(crate) reference: ReferenceData,
    pub(crate) lock: CommitLock,
    pumping: Cell<bool>,
}

type Inner = Queue<Outbox>;

/// The ticket queue of one till, over a store and a Crous client.
#[wasm_bindgen]
pub struct TicketOutbox {
    inner: Rc<Inner>,
}

/// One commit at a time: each holder awaits the one before it (a chain of JS promises; the page
/// is single-threaded, so this is the whole of the locking).
pub(crate) struct CommitLock {
    tail: RefCell<js_sys::Promise>,
}

/// Releases the lock when dropped.
pub(crate) struct Held(js_sys::Function);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

impl CommitLock {
    pub(crate) fn new() -> Self {
        CommitLock { tail: RefCell::new(js_sys::Promise::resolve(&JsValue::NULL)) }
    }

    pub(crate) async fn hold(&self) -> Held {
        let mut release = None;
        let mine = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        let before = self.tail.replace(mine);
        let _ = JsFuture::from(before).await;
        Held(release.expect("the promise executor runs at once"))
    }
}

#[wasm_bindgen]
impl Crous {
    /// Opens this till's outbox over `store`: loads it, verifies the journal's chain, and
    /// resumes (a ticket left `sending` by a closed page is due again). Rejects with
    /// `outbox.journal_broken` or `outbox.corrupt` when the stored data was tampered with.
    #[wasm_bindgen(js_name = openOutbox, unchecked_return_type = "Promise<TicketOutbox>")]
    pub fn open_outbox(&self, store: JsOutboxStore, reference: &Reference) -> js_sys::Promise {
        let crous = self.client.clone();
        let reference = reference.data().clone();
        future_to_promise(async move {
            let pos = crous.point_of_sale();
            let snapshot = load_snapshot(&store, pos).await?;
            let outbox = match Outbox::open(pos, OutboxPolicy::default(), snapshot.clone()) {
                Ok(outbox) => outbox,
                Err(e) => return Err(refuse_open(&store, pos, &snapshot, &e).await),
            };
            let queue = Queue::new(outbox, store, crous, reference);
            queue.started().await?;
            Ok(TicketOutbox { inner: Rc::new(queue) }.into())
        })
    }
}

#[wasm_bindgen]
impl TicketOutbox {
    /// Journals and stores a finished sale's ticket (before anything is sent). An identical
    /// ticket enqueued again changes nothing; another ticket under the same idTicketEntete is
    /// refused (`outbox.conflicting_ticket`).
    #[wasm_bindgen(unchecked_return_type = "Promise<QueueView>")]
    pub fn enqueue(&self, #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let ticket: Ticket = from_js(&ticket, "ticket")?;
            let _held = inner.lock.hold().await;
            let commit = inner.state.borrow().enqueue(ticket, now()).map_err(|e| core_error(&e))?;
            inner.persist(commit).await?;
            to_js(&inner.view())
        })
    }

    /// Sends what is due, oldest first, one at a time, until the queue is empty, waiting for a
    /// backoff, or stopped by a refused authentication; resolves to the queue's state. Call it
    /// after each sale, on `online` events and on a timer. A call while one runs returns the view.
    #[wasm_bindgen(unchecked_return_type = "Promise<QueueView>")]
    pub fn pump(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { to_js(&inner.pump().await?) })
    }

    /// The queue as it stands: counts by status, the head, the last error, refused tickets.
    #[wasm_bindgen(unchecked_return_type = "QueueView")]
    pub fn view(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.view())
    }

    /// Closes a period of the journal (cash-register law: daily, monthly, yearly closures with
    /// totals per VAT rate and per payment method, chained): `"2026-11-23"`, `"2026-11"` or
    /// `"2026"`, the closure signed by `key` (`openTillKey()`) when given. A month closes after
    /// its days, a year after its months; a closed period takes no more tickets
    /// (`journal.period_closed`). The closing's start and its closure are recorded in the
    /// technical event journal.
    #[wasm_bindgen(unchecked_return_type = "Promise<QueueView>")]
    pub fn close(&self, period: String, key: Option<crate::archive::JsTillSigner>) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { to_js(&inner.close(period, key).await?) })
    }

    /// Records this page's stop in the technical event journal (call it on `pagehide`); a start
    /// with no stop before it says the previous run ended without one.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn shutdown(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { inner.stop().await.map(|()| JsValue::UNDEFINED) })
    }

    /// The till's journal as a signed archive, to save as a file (`crous-till journal verify`
    /// checks it): signed by `signer` (`openTillKey()`), after core verified the stored journal.
    #[wasm_bindgen(js_name = exportArchive, unchecked_return_type = "Promise<ExportedArchiveFile>")]
    pub fn export_archive(&self, signer: crate::archive::JsTillSigner) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { inner.export_archive(&signer).await })
    }

    /// Puts a refused ticket back in the queue (once its cause is fixed).
    #[wasm_bindgen(js_name = requeueRefused, unchecked_return_type = "Promise<QueueView>")]
    pub fn requeue_refused(
        &self,
        #[wasm_bindgen(js_name = idTicketEntete)] id_ticket_entete: String,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let _held = inner.lock.hold().await;
            let commit = inner.state.borrow().requeue_refused(&id_ticket_entete, now()).map_err(|e| core_error(&e))?;
            inner.persist(commit).await?;
            to_js(&inner.view())
        })
    }
}

impl<Q: HoldsOutbox> Queue<Q> {
    pub(crate) fn new(
        state: Q,
        store: JsOutboxStore,
        crous: Rc<CrousClient<FetchTransport>>,
        reference: ReferenceData,
    ) -> Self {
        Queue {
            state: RefCell::new(state),
            store,
            crous,
            reference,
            lock: CommitLock::new(),
            pumping: Cell::new(false),
        }
    }

    pub(crate) fn view(&self) -> crous_till_core::outbox::QueueView {
        self.state.borrow().outbox().view(now())
    }

    /// Stores a commit's writes (one store transaction), then lets core take it in. Call it
    /// holding `lock`, with a commit planned under it.
    pub(crate) async fn persist(&self, commit: Commit) -> Result<Option<Dispatch>, JsValue> {
        self.store_writes(commit.writes()).await?;
        self.state.borrow_mut().outbox_mut().apply(commit).map_err(|e| core_error(&e))
    }

    /// Performs writes in one store transaction (nothing when there are none).
    pub(crate) async fn store_writes(&self, writes: &[crous_till_core::outbox::Write]) -> Result<(), JsValue> {
        if !writes.is_empty() {
            await_promise(self.store.commit(to_js(&writes)?)).await?;
        }
        Ok(())
    }

    /// Sends what is due unless a pump runs already; the queue as it then stands.
    pub(crate) async fn pump(&self) -> Result<crous_till_core::outbox::QueueView, JsValue> {
        if !self.pumping.replace(true) {
            let result = self.drain().await;
            self.pumping.set(false);
            result?;
        }
        Ok(self.view())
    }

    async fn drain(&self) -> Result<(), JsValue> {
        let mut drain = Drain::new();
        loop {
            let step = drain.step(&self.state.borrow().outbox().next_to_send(now()));
            match step {
                DrainStep::Stop => return Ok(()),
                DrainStep::Authenticate => {
                    if self.crous.reauthenticate().await {
                        self.state.borrow_mut().outbox_mut().authenticated();
                    }
                    continue;
                }
                DrainStep::Send => {}
            }
            let dispatch = {
                let _held = self.lock.hold().await;
                let Some(commit) = self.state.borrow().outbox().begin_send(now()) else { return Ok(()) };
                let Some(dispatch) = self.persist(commit).await? else { return Ok(()) };
                dispatch
            };
            let outcome = self.send(&dispatch).await;
            let _held = self.lock.hold().await;
            let commit = self
                .state
                .borrow()
                .outbox()
                .record(&dispatch, &outcome, now(), js_sys::Math::random())
                .map_err(|e| core_error(&e))?;
            self.persist(commit).await?;
        }
    }

    async fn send(&self, dispatch: &Dispatch) -> SendOutcome {
        self.crous.deliver(&dispatch.ticket, &self.reference).await
    }
}

/// Everything the store holds for `pos`.
pub(crate) async fn load_snapshot(store: &JsOutboxStore, pos: PointOfSale) -> Result<Snapshot, JsValue> {
    let loaded = await_promise(store.load(&pos.app_id())).await?;
    from_js(&loaded, "the store's snapshot")
}

pub(crate) async fn await_promise(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    let p = p.map_err(|e| store_error(&e))?;
    JsFuture::from(p).await.map_err(|e| store_error(&e))
}

/// A store failure as a `CrousTillError` (`outbox.store_failed`, or the store's own `code`).
fn store_error(e: &JsValue) -> JsValue {
    if js_sys::Reflect::get(e, &"code".into()).ok().and_then(|c| c.as_string()).is_some() {
        return e.clone();
    }
    let message =
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "store failed".into());
    error("outbox.store_failed", &message, None)
}

pub(crate) fn now() -> u64 {
    js_sys::Date::now() as u64
}

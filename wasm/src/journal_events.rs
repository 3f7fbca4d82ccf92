//! The browser till's technical event journal (core's `outbox::events` decides every event):
//! the start recorded when a page opens the till, the integrity defect when the stored journal
//! does not verify at open, the stop on `shutdown()`, and the closing procedure, whose closure
//! the till's key signs. Each step is one store transaction, planned under the commit lock.

use crate::archive::{sign, JsTillSigner};
use crate::js::{core_error, error};
use crate::outbox::{await_promise, load_snapshot, now, JsOutboxStore, Queue};
use crous_till_core::journal::Period;
use crous_till_core::outbox::{integrity_defect, HoldsOutbox, OutboxError, QueueView, Snapshot};
use crous_till_core::point_of_sale::PointOfSale;
use wasm_bindgen::prelude::*;

/// What opened the till, in its start events.
const PROGRAM: &str = concat!("crous-till-wasm ", env!("CARGO_PKG_VERSION"));

/// The open failed because the stored journal does not verify: the defect is recorded (90),
/// then the open fails with `journal.broken` as before. Other errors pass unchanged.
pub(crate) async fn refuse_open(
    store: &JsOutboxStore,
    pos: PointOfSale,
    snapshot: &Snapshot,
    failure: &OutboxError,
) -> JsValue {
    if let OutboxError::JournalBroken(finding) = failure {
        let recorded = integrity_defect(pos, snapshot, finding, now())
            .map_err(|e| core_error(&e))
            .and_then(|writes| crate::js::to_js(&writes));
        if let Ok(writes) = recorded {
            // Best effort: the open fails with the finding whether or not the store took it.
            let _ = await_promise(store.commit(writes)).await;
        }
    }
    core_error(failure)
}

impl<Q: HoldsOutbox> Queue<Q> {
    /// Records the start of this page's run (80).
    pub(crate) async fn started(&self) -> Result<(), JsValue> {
        let _held = self.lock.hold().await;
        let commit = self.state.borrow().outbox().start(now(), PROGRAM).map_err(|e| core_error(&e))?;
        self.persist(commit).await.map(drop)
    }

    /// Records the stop of this page's run (81).
    pub(crate) async fn stop(&self) -> Result<(), JsValue> {
        let _held = self.lock.hold().await;
        let commit = self.state.borrow().outbox().stop(now()).map_err(|e| core_error(&e))?;
        self.persist(commit).await.map(drop)
    }

    /// Closes `period`: the closure planned (a period that cannot close records nothing), signed
    /// by `signer` when given and checked against its public key (a refused signer records
    /// nothing either), the closing start stored (330), then the closure with its closure event
    /// (50 or 60).
    pub(crate) async fn close(&self, period: String, signer: Option<JsTillSigner>) -> Result<QueueView, JsValue> {
        let period: Period = period.parse().map_err(|e: String| error("input.invalid_period", &e, None))?;
        let _held = self.lock.hold().await;
        let (pos, from) = {
            let state = self.state.borrow();
            (state.outbox().point_of_sale(), state.outbox().closure_start(period))
        };
        let snapshot = load_snapshot(&self.store, pos).await?;
        let entries: Vec<_> = snapshot.journal.into_iter().filter(|e| e.sequence >= from).collect();
        let mut closure = self.state.borrow().outbox().plan_closure(period, &entries).map_err(|e| core_error(&e))?;
        if let Some(signer) = signer {
            let (key, signature) = sign(&signer, &closure.signed_message()).await?;
            closure.accept_signature(&key, &signature).map_err(|why| error("journal.bad_signature", why, None))?;
        }
        let started = self.state.borrow().outbox().closing_start(period, now()).map_err(|e| core_error(&e))?;
        self.persist(started).await?;
        let commit = self.state.borrow().outbox().close(closure, now()).map_err(|e| core_error(&e))?;
        self.persist(commit).await?;
        Ok(self.view())
    }
}

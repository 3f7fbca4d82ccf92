//! [`DurableTill`]: a [`Till`] over a synchronous [`OutboxStore`] (SQLite in Node, the
//! in-memory store of tests): every plan is persisted in one transaction before it is applied.
//! An asynchronous store (IndexedDB) does the same three steps around its `await`s.

use super::error::SaleError;
use super::order::PaymentOrder;
use super::outcome::PaymentOutcome;
use super::record::SaleRecord;
use super::till::{Resolution, SaleInput, Settlement, Till, TillCommit};
use super::web_order::{OrderInput, WebOrderRecord};
use crate::api::execution::{Delivered, ExecutorError};
use crate::outbox::store::{claim_then_reload, is_conflict, retrying};
use crate::outbox::TillJournal;
use crate::outbox::{
    Commit, Dispatch, EpochMillis, Outbox, OutboxError, OutboxPolicy, OutboxStore, QueueView, SendOutcome, SendQueue,
};
use crate::point_of_sale::PointOfSale;
use crate::reference::ReferenceData;

#[derive(Debug)]
pub struct DurableTill<S> {
    store: S,
    till: Till,
}

impl<S: OutboxStore> DurableTill<S> {
    /// Loads and verifies everything the store holds for the point of sale (what a restart does).
    pub fn open(store: S, point_of_sale: PointOfSale, policy: OutboxPolicy) -> Result<Self, SaleError> {
        let snapshot = store.load(point_of_sale).map_err(OutboxError::from)?;
        Ok(DurableTill { till: Till::open(point_of_sale, policy, snapshot)?, store })
    }

    /// Opens the till for a run of `program` and records its start
    /// ([`crate::outbox::TillJournal::started`]); a stored journal that does not verify is
    /// recorded as an integrity defect and refused (`journal.broken`).
    pub fn start(
        store: S,
        point_of_sale: PointOfSale,
        policy: OutboxPolicy,
        now: EpochMillis,
        program: &str,
    ) -> Result<Self, SaleError> {
        crate::outbox::durable_journal::start(store, point_of_sale, now, program, |store, snapshot| {
            Ok(DurableTill { till: Till::open(point_of_sale, policy, snapshot)?, store })
        })
    }

    fn persist(&mut self, commit: TillCommit) -> Result<Option<PaymentOrder>, SaleError> {
        if !commit.is_empty() {
            self.store.commit(commit.writes()).map_err(OutboxError::from)?;
        }
        self.till.apply(commit)
    }

    /// Reloads what the store holds now (other processes' commits), keeping the send in flight
    /// ([`Till::refresh`]).
    pub fn reload(&mut self) -> Result<(), SaleError> {
        let snapshot = self.store.load(self.till.point_of_sale()).map_err(OutboxError::from)?;
        self.till.refresh(snapshot)
    }

    /// Plans, persists and applies with `op`; planned again on what is stored when another
    /// writer got there first (several processes selling on one till: the next number is theirs).
    fn retrying<T>(&mut self, op: impl FnMut(&mut Self) -> Result<T, SaleError>) -> Result<T, SaleError> {
        let conflict = |e: &SaleError| matches!(e, SaleError::Outbox(o) if is_conflict(o));
        retrying(self, Self::reload, conflict, op)
    }

    fn persist_outbox(&mut self, commit: Commit) -> Result<Option<Dispatch>, OutboxError> {
        if !commit.is_empty() {
            self.store.commit(commit.writes())?;
        }
        self.till.outbox_mut().apply(commit)
    }

    /// Opens a sale ([`Till::begin`]); once its number and intent are stored, the payment to make.
    pub fn begin(
        &mut self,
        input: SaleInput,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<PaymentOrder, SaleError> {
        self.retrying(|me| {
            let commit = me.till.begin(input.clone(), reference, now)?;
            Ok(me.persist(commit)?.expect("a sale's first commit carries its payment order"))
        })
    }

    /// Records how the payment ended ([`Till::record_payment`]); the sale as it now stands.
    pub fn record_payment(
        &mut self,
        id_ticket_entete: &str,
        outcome: &PaymentOutcome,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<&SaleRecord, SaleError> {
        self.retrying(|me| {
            let commit = me.till.record_payment(id_ticket_entete, outcome, reference, now)?;
            me.persist(commit).map(drop)
        })?;
        Ok(self.sale(id_ticket_entete))
    }

    /// Records the cashier's answer for a sale to check ([`Till::resolve`]).
    pub fn resolve(
        &mut self,
        id_ticket_entete: &str,
        resolution: &Resolution,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<&SaleRecord, SaleError> {
        self.retrying(|me| {
            let commit = me.till.resolve(id_ticket_entete, resolution, reference, now)?;
            me.persist(commit).map(drop)
        })?;
        Ok(self.sale(id_ticket_entete))
    }

    fn sale(&self, id_ticket_entete: &str) -> &SaleRecord {
        self.till.sale(id_ticket_entete).expect("a sale just stored")
    }

    /// Opens a web order ([`Till::open_order`]); the order as stored, to send its init.
    pub fn open_order(
        &mut self,
        input: OrderInput,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<&WebOrderRecord, SaleError> {
        let id = input.client_order_id.clone();
        self.retrying(|me| {
            let commit = me.till.open_order(input.clone(), reference, now)?;
            me.persist(commit).map(drop)
        })?;
        Ok(self.order(&id))
    }

    /// Records IzlyPay's init answer ([`Till::record_order_init`]).
    pub fn record_order_init(
        &mut self,
        client_order_id: &str,
        delivered: Option<Result<Delivered, ExecutorError>>,
        now: EpochMillis,
    ) -> Result<&WebOrderRecord, SaleError> {
        self.retrying(|me| {
            let commit = me.till.record_order_init(client_order_id, delivered.clone(), now)?;
            me.persist(commit).map(drop)
        })?;
        Ok(self.order(client_order_id))
    }

    /// Records the answer of `GET WebPayments/{operationId}` ([`Till::record_order_details`]).
    pub fn record_order_details(
        &mut self,
        client_order_id: &str,
        operation_id: &str,
        delivered: Result<Delivered, ExecutorError>,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<&WebOrderRecord, SaleError> {
        self.retrying(|me| {
            let details = delivered.clone();
            let commit = me.till.record_order_details(client_order_id, operation_id, details, reference, now)?;
            me.persist(commit).map(drop)
        })?;
        Ok(self.order(client_order_id))
    }

    fn order(&self, client_order_id: &str) -> &WebOrderRecord {
        self.till.order(client_order_id).expect("an order just stored")
    }

    pub fn settlements(&self) -> Vec<Settlement> {
        self.till.settlements()
    }

    pub fn till(&self) -> &Till {
        &self.till
    }

    pub fn till_mut(&mut self) -> &mut Till {
        &mut self.till
    }

    pub fn view(&self, now: EpochMillis) -> QueueView {
        self.till.outbox().view(now)
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Gives the store back (what a restart reopens).
    pub fn into_store(self) -> S {
        self.store
    }
}

/// A reload's failure where an outbox operation reports it: the store's, or stored sales that
/// no longer read (corrupt).
fn reload_error(e: SaleError) -> OutboxError {
    match e {
        SaleError::Outbox(o) => o,
        other => OutboxError::Corrupt(other.to_string()),
    }
}

impl<S: OutboxStore> TillJournal for DurableTill<S> {
    type Store = S;

    fn journal_store(&mut self) -> &mut S {
        &mut self.store
    }

    fn persist_commit(&mut self, commit: Commit) -> Result<(), OutboxError> {
        self.persist_outbox(commit).map(drop)
    }

    fn reload_journal(&mut self) -> Result<(), OutboxError> {
        self.reload().map_err(reload_error)
    }
}

impl<S: OutboxStore> SendQueue for DurableTill<S> {
    fn outbox(&self) -> &Outbox {
        self.till.outbox()
    }

    fn begin_send(&mut self, now: EpochMillis) -> Result<Option<Dispatch>, OutboxError> {
        match self.till.outbox().begin_send(now) {
            Some(commit) => self.persist_outbox(commit),
            None => Ok(None),
        }
    }

    fn record_send(
        &mut self,
        dispatch: &Dispatch,
        outcome: &SendOutcome,
        now: EpochMillis,
        jitter: f64,
    ) -> Result<(), OutboxError> {
        let commit = self.till.outbox().record(dispatch, outcome, now, jitter)?;
        self.persist_outbox(commit).map(drop)
    }

    fn authenticated(&mut self) {
        self.till.outbox_mut().authenticated();
    }

    fn claim(&mut self) -> Result<bool, OutboxError> {
        let pos = self.till.point_of_sale();
        claim_then_reload(self, |q| &mut q.store, pos, |q| q.reload().map_err(reload_error))
    }

    fn release(&mut self) -> Result<(), OutboxError> {
        Ok(self.store.release_sender(self.till.point_of_sale())?)
    }
}

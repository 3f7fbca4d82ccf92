//! `Till`: core's sale engine (`crous_till_core::sale`) over the browser's IndexedDB store, for
//! the till page. Core decides every step (number and intent stored before paying, the payment's
//! request, what its answer means, the ticket journaled and queued in the commit that records
//! it, how an interrupted sale is settled); this binding only awaits the store and fetch, and
//! keeps no sale state of its own: a reloaded page reopens the till from IndexedDB.

use crate::archive::JsTillSigner;
use crate::call::promise;
use crate::client_crous::Crous;
use crate::client_esipay::Esipay;
use crate::client_izly_pos::IzlyPos;
use crate::fetch::FetchTransport;
use crate::journal_events::refuse_open;
use crate::js::{core_error, error, from_js, from_js_opt, to_js};
use crate::outbox::{load_snapshot, now, JsOutboxStore, Queue};
use crate::till::Reference;
use crous_till_core::client::{self, EsipayClient, IzlyPosClient};
use crous_till_core::outbox::OutboxPolicy;
use crous_till_core::sale::{
    BankCard, BankCardInput, PaymentOrder, PaymentOutcome, Resolution, SaleError, SaleInput, SaleRecord, Settlement,
    Till as CoreTill, TillCommit,
};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

fn bank_card(value: &JsValue) -> Result<Option<BankCard>, JsValue> {
    let input = from_js_opt::<BankCardInput>(value, "bankCard")?;
    input.map(|c| c.parse().map_err(|e| core_error(&e))).transpose()
}

/// The payment services a till pays through (core's [`client::Payments`] pays with them).
#[derive(Clone, Default)]
struct Payments {
    izly: Option<Rc<IzlyPosClient<FetchTransport>>>,
    esipay: Option<Rc<EsipayClient<FetchTransport>>>,
}

impl Payments {
    fn clients(&self) -> client::Payments<'_, FetchTransport> {
        client::Payments { izly: self.izly.as_deref(), esipay: self.esipay.as_deref() }
    }

    async fn pay(&self, order: &PaymentOrder, card: Option<BankCard>) -> Result<PaymentOutcome, JsValue> {
        self.clients().pay(order, card.as_ref()).await.map_err(|e| core_error(&e))
    }

    async fn settlement(&self, settlement: &Settlement) -> Result<PaymentOutcome, JsValue> {
        self.clients().settle(settlement).await.map_err(|e| core_error(&e))
    }
}

struct Inner {
    queue: Queue<CoreTill>,
    payments: RefCell<Payments>,
}

/// The sales of one till, with their ticket outbox, over a store (IndexedDB).
#[wasm_bindgen]
pub struct Till {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl Crous {
    /// Opens this till's sales and outbox over `store` (`openIndexedDbOutboxStore`): verifies the
    /// journal and resumes. Before selling, call `settle()`: a sale a closed page interrupted is
    /// settled first. Rejects with `journal.broken`, `outbox.corrupt` or `sale.corrupt`.
    #[wasm_bindgen(js_name = openTill, unchecked_return_type = "Promise<Till>")]
    pub fn open_till(&self, store: JsOutboxStore, reference: &Reference) -> js_sys::Promise {
        let crous = self.client.clone();
        let reference = reference.data().clone();
        future_to_promise(async move {
            let pos = crous.point_of_sale();
            let snapshot = load_snapshot(&store, pos).await?;
            let till = match CoreTill::open(pos, OutboxPolicy::default(), snapshot.clone()) {
                Ok(till) => till,
                Err(SaleError::Outbox(e)) => return Err(refuse_open(&store, pos, &snapshot, &e).await),
                Err(e) => return Err(core_error(&e)),
            };
            let inner = Inner { queue: Queue::new(till, store, crous, reference), payments: RefCell::default() };
            inner.queue.started().await?;
            Ok(Till { inner: Rc::new(inner) }.into())
        })
    }
}

#[wasm_bindgen]
impl Till {
    /// Pays Izly sales (QR code, card) and settles them through this client.
    #[wasm_bindgen(js_name = setIzly)]
    pub fn set_izly(&self, izly: &IzlyPos) {
        self.inner.payments.borrow_mut().izly = Some(izly.client());
    }

    /// Pays bank-card sales through this esipay client.
    #[wasm_bindgen(js_name = setEsipay)]
    pub fn set_esipay(&self, esipay: &Esipay) {
        self.inner.payments.borrow_mut().esipay = Some(esipay.client());
    }

    /// Settles what a closed page left pending, before the till sells again: an Izly sale by
    /// its debit look-up (found: completed with its ticket; not found: voided); an esipay sale
    /// becomes a sale to check (`resolve` it). Resolves to the sales it settled.
    #[wasm_bindgen(unchecked_return_type = "Promise<SaleRecord[]>")]
    pub fn settle(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let settlements = inner.queue.state.borrow().settlements();
            let payments = inner.payments.borrow().clone();
            let mut settled = Vec::new();
            for s in &settlements {
                let outcome = payments.settlement(s).await?;
                let id = match s {
                    Settlement::LookUpIzlyDebit { id_ticket_entete, .. }
                    | Settlement::Interrupted { id_ticket_entete } => id_ticket_entete,
                };
                settled.push(
                    inner.commit(|t, r| t.record_payment(id, &outcome, r, now())).await.map(|_| inner.sale(id))??,
                );
            }
            to_js(&settled)
        })
    }

    /// Opens a sale: prices the tray, reserves the next number and stores the payment intent;
    /// resolves to the payment to make (`pay`). Rejects with `sale.unsettled` while a sale is
    /// pending or to check, `pricing.*` or `journal.*` before anything is stored.
    #[wasm_bindgen(unchecked_return_type = "Promise<PaymentOrder>")]
    pub fn begin(&self, #[wasm_bindgen(unchecked_param_type = "SaleInput")] input: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { to_js(&inner.begin(from_js(&input, "input")?).await?) })
    }

    /// Sends a pending sale's payment; resolves to its outcome, not yet recorded (`record`).
    #[wasm_bindgen(unchecked_return_type = "Promise<PaymentOutcome>")]
    pub fn pay(
        &self,
        #[wasm_bindgen(js_name = idTicketEntete)] id_ticket_entete: String,
        #[wasm_bindgen(js_name = bankCard, unchecked_optional_param_type = "BankCard | null")] bank_card_value: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let card = bank_card(&bank_card_value.unwrap_or(JsValue::UNDEFINED))?;
            let order = inner.queue.state.borrow().payment_order(&id_ticket_entete).map_err(|e| core_error(&e))?;
            let payments = inner.payments.borrow().clone();
            Ok(future_to_promise(async move { to_js(&payments.pay(&order, card).await?) }))
        })())
    }

    /// Records a payment's outcome: paid → the ticket is journaled and queued in the same
    /// transaction; declined → voided (a kept, numbered gap); unknown → an Izly sale waits for
    /// `settle`, an esipay sale is to check.
    #[wasm_bindgen(unchecked_return_type = "Promise<SaleRecord>")]
    pub fn record(
        &self,
        #[wasm_bindgen(js_name = idTicketEntete)] id_ticket_entete: String,
        #[wasm_bindgen(unchecked_param_type = "PaymentOutcome")] outcome: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let outcome: PaymentOutcome = from_js(&outcome, "outcome")?;
            inner.commit(|t, r| t.record_payment(&id_ticket_entete, &outcome, r, now())).await?;
            to_js(&inner.sale(&id_ticket_entete)?)
        })
    }

    /// A whole sale: `begin`, `pay`, `record`. Resolves to the sale as it ends (completed,
    /// voided, to check, or pending an Izly look-up). A bad bank card rejects before anything
    /// is stored.
    #[wasm_bindgen(unchecked_return_type = "Promise<SaleRecord>")]
    pub fn sell(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SaleInput")] input: JsValue,
        #[wasm_bindgen(js_name = bankCard, unchecked_optional_param_type = "BankCard | null")] bank_card_value: Option<
            JsValue,
        >,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let card = bank_card(&bank_card_value.unwrap_or(JsValue::UNDEFINED))?;
            let input: SaleInput = from_js(&input, "input")?;
            let payments = inner.payments.borrow().clone();
            // A sale that cannot be paid would hold the till: refused before it is opened.
            payments.clients().check(&input.method, card.as_ref()).map_err(|e| core_error(&e))?;
            let order = inner.begin(input).await?;
            let outcome = payments.pay(&order, card).await?;
            let id = order.id_ticket_entete;
            inner.commit(|t, r| t.record_payment(&id, &outcome, r, now())).await?;
            to_js(&inner.sale(&id)?)
        })
    }

    /// The cashier's answer for a sale to check: `{resolution: "paid", transaction?}` (the esipay
    /// back office shows the charge) or `{resolution: "notPaid"}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SaleRecord>")]
    pub fn resolve(
        &self,
        #[wasm_bindgen(js_name = idTicketEntete)] id_ticket_entete: String,
        #[wasm_bindgen(unchecked_param_type = "Resolution")] resolution: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let resolution: Resolution = from_js(&resolution, "resolution")?;
            inner.commit(|t, r| t.resolve(&id_ticket_entete, &resolution, r, now())).await?;
            to_js(&inner.sale(&id_ticket_entete)?)
        })
    }

    /// Every sale of the till, in number order (voided ones are the numbered gaps).
    #[wasm_bindgen(unchecked_return_type = "SaleRecord[]")]
    pub fn sales(&self) -> Result<JsValue, JsValue> {
        let sales: Vec<SaleRecord> = self.inner.queue.state.borrow().sales().cloned().collect();
        to_js(&sales)
    }

    /// The sale holding the till (pending, or to check), or null.
    #[wasm_bindgen(unchecked_return_type = "SaleRecord | null")]
    pub fn unsettled(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.queue.state.borrow().unsettled())
    }

    /// A completed sale's ticket, as journaled and queued (null once pruned or for another sale).
    #[wasm_bindgen(unchecked_return_type = "Ticket | null")]
    pub fn ticket(
        &self,
        #[wasm_bindgen(js_name = idTicketEntete)] id_ticket_entete: String,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.inner.queue.state.borrow().ticket(&id_ticket_entete))
    }

    /// The till's journal as a signed archive, to save as a file (`crous-till journal verify`
    /// checks it): signed by `signer` (`openTillKey()`), after core verified the stored journal.
    #[wasm_bindgen(js_name = exportArchive, unchecked_return_type = "Promise<ExportedArchiveFile>")]
    pub fn export_archive(&self, signer: JsTillSigner) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { inner.queue.export_archive(&signer).await })
    }

    /// The Z report of each closure of the till's journal, oldest first: totals per VAT code and
    /// payment method, ticket range, grand totals, the closure's hash, sales per hour.
    #[wasm_bindgen(js_name = zReports, unchecked_return_type = "Promise<ZReport[]>")]
    pub fn z_reports(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { inner.queue.z_reports().await })
    }

    /// Sends the queued tickets, oldest first (as `TicketOutbox.pump`); resolves to the queue.
    #[wasm_bindgen(unchecked_return_type = "Promise<QueueView>")]
    pub fn pump(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { to_js(&inner.queue.pump().await?) })
    }

    /// The ticket queue: counts by status, its head, the last error, refused tickets.
    #[wasm_bindgen(unchecked_return_type = "QueueView")]
    pub fn view(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.queue.view())
    }

    /// Closes a day (`"2026-11-23"`), month or year of the journal, the closure signed by `key`
    /// (`openTillKey()`) when given; resolves to the queue (see `TicketOutbox.close`).
    #[wasm_bindgen(unchecked_return_type = "Promise<QueueView>")]
    pub fn close(&self, period: String, key: Option<JsTillSigner>) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { to_js(&inner.queue.close(period, key).await?) })
    }

    /// Records this page's stop in the technical event journal (see `TicketOutbox.shutdown`).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn shutdown(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { inner.queue.stop().await.map(|()| JsValue::UNDEFINED) })
    }
}

impl Inner {
    /// Plans with core under the commit lock, stores the writes in one transaction, applies.
    async fn commit(
        &self,
        plan: impl FnOnce(&CoreTill, &crous_till_core::reference::ReferenceData) -> Result<TillCommit, SaleError>,
    ) -> Result<Option<PaymentOrder>, JsValue> {
        let _held = self.queue.lock.hold().await;
        let commit = plan(&self.queue.state.borrow(), &self.queue.reference).map_err(|e| core_error(&e))?;
        self.queue.store_writes(commit.writes()).await?;
        self.queue.state.borrow_mut().apply(commit).map_err(|e| core_error(&e))
    }

    async fn begin(&self, input: SaleInput) -> Result<PaymentOrder, JsValue> {
        let order = self.commit(|t, r| t.begin(input, r, now())).await?;
        order.ok_or_else(|| error("internal.no_order", "a sale's first commit carries its payment order", None))
    }

    fn sale(&self, id_ticket_entete: &str) -> Result<SaleRecord, JsValue> {
        let till = self.queue.state.borrow();
        till.sale(id_ticket_entete).cloned().ok_or_else(|| error("sale.unknown", "no such sale", None))
    }
}

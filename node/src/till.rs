//! `Till`: the sale engine of core (`crous_till_core::sale`) over a SQLite file, for Node till
//! back ends. Core decides every step (number and intent stored before paying, the payment's
//! request, what its answer means, the ticket journaled and queued in the commit that records
//! it, how an interrupted sale is settled); this binding performs the commits in SQLite and the
//! requests with the native executor, and keeps no sale state of its own.

use crate::crous::Crous;
use crate::esipay::Esipay;
use crate::izly_pos::IzlyPos;
use crate::journal::{self, TillKey};
use crate::js::{from_js, from_js_opt, promise, settled, sync, to_js, Failure, Outcome, PROGRAM};
use crate::outbox::{lock, now, pump_once, Sender};
use crate::reference::Reference;
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pay::IzlyPayApi;
use crous_till_core::client::{self, EsipayClient, IzlyPosClient};
use crous_till_core::outbox::OutboxPolicy;
use crous_till_core::reference::ReferenceData;
use crous_till_core::sale::{
    BankCard, BankCardInput, DurableTill, PaymentOrder, PaymentOutcome, Resolution, SaleInput, SaleRecord, Settlement,
};
use crous_till_store::TillStore;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

pub(crate) type Shared = Arc<Mutex<DurableTill<TillStore>>>;

/// A bank card as keyed in, for one esipay payment (never stored), its number checked.
fn bank_card(env: &Env, value: Option<Unknown>) -> Outcome<Option<BankCard>> {
    let input = from_js_opt::<BankCardInput>(env, value, "bankCard")?;
    input.map(|c| c.parse().map_err(|e| Failure::of(&e))).transpose()
}

/// The payment services a till pays through (core's [`client::Payments`] pays with them).
#[derive(Clone, Default)]
pub(crate) struct Payments {
    izly: Option<Arc<IzlyPosClient<NativeExecutor>>>,
    esipay: Option<Arc<EsipayClient<NativeExecutor>>>,
    /// Web orders' IzlyPay partner (`till_orders.rs`).
    pub(crate) izly_pay: Option<(IzlyPayApi, NativeExecutor)>,
}

impl Payments {
    fn clients(&self) -> client::Payments<'_, NativeExecutor> {
        client::Payments { izly: self.izly.as_deref(), esipay: self.esipay.as_deref() }
    }

    async fn pay(&self, order: PaymentOrder, card: Option<BankCard>) -> Outcome<PaymentOutcome> {
        self.clients().pay(&order, card.as_ref()).await.map_err(|e| Failure::of(&e))
    }

    async fn settlement(&self, settlement: &Settlement) -> Outcome<PaymentOutcome> {
        self.clients().settle(settlement).await.map_err(|e| Failure::of(&e))
    }
}

/// The sales of one till, with their ticket outbox, in a SQLite file.
#[napi]
pub struct Till {
    pub(crate) till: Shared,
    pub(crate) reference: Arc<ReferenceData>,
    pub(crate) payments: Arc<Mutex<Payments>>,
    sender: Arc<Sender>,
    pumping: Arc<AtomicBool>,
}

#[napi]
impl Crous {
    /// Opens this till's sales and outbox in `location` (created if needed): a SQLite file
    /// (`sqlite:PATH` or a bare path) for one process, or `postgres://…`, which several server
    /// processes share (each sale planned on what is stored; one sender per till). Verifies
    /// the journal and resumes. Before selling, call `settle()`: a sale interrupted by a crash is
    /// settled first. Throws `journal.broken`, `outbox.corrupt` or `sale.corrupt` on tampered data.
    #[napi]
    pub fn open_till(&self, env: Env, location: String, reference: &Reference) -> napi::Result<Till> {
        let opened = TillStore::open(&location).map_err(|e| Failure::of(&e)).and_then(|store| {
            DurableTill::start(store, self.client.point_of_sale(), OutboxPolicy::default(), now(), PROGRAM)
                .map_err(|e| Failure::of(&e))
        });
        let till = sync(&env, opened)?;
        let sender = Sender { client: self.client.clone(), reference: reference.data.clone() };
        Ok(Till {
            till: Arc::new(Mutex::new(till)),
            reference: reference.data.clone(),
            payments: Arc::default(),
            sender: Arc::new(sender),
            pumping: Arc::default(),
        })
    }
}

#[napi]
impl Till {
    /// Pays Izly sales (QR code, card) and settles them through this client.
    #[napi]
    pub fn set_izly(&self, izly: &IzlyPos) {
        lock(&self.payments).izly = Some(izly.client());
    }

    /// Pays bank-card sales through this esipay client.
    #[napi]
    pub fn set_esipay(&self, esipay: &Esipay) {
        lock(&self.payments).esipay = Some(esipay.client());
    }

    /// Settles what a crash left pending, before the till sells again: an Izly sale by its debit
    /// look-up (found: completed with its ticket; not found: voided), an esipay sale becomes a
    /// sale to check (`resolve` it). Resolves to the sales as they now stand.
    #[napi(ts_return_type = "Promise<SaleRecord[]>")]
    pub fn settle<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let (till, reference, payments) = (self.till.clone(), self.reference.clone(), lock(&self.payments).clone());
        promise(env, async move {
            let settlements = lock(&till).settlements();
            let mut settled = Vec::new();
            for s in &settlements {
                let outcome = payments.settlement(s).await?;
                let id = match s {
                    Settlement::LookUpIzlyDebit { id_ticket_entete, .. }
                    | Settlement::Interrupted { id_ticket_entete } => id_ticket_entete,
                };
                let mut t = lock(&till);
                let sale = t.record_payment(id, &outcome, &reference, now()).map_err(|e| Failure::of(&e))?;
                settled.push(sale.clone());
            }
            to_js(&settled)
        })
    }

    /// Opens a sale: prices the tray, reserves the next number and stores the payment intent.
    /// Returns the payment to make (`pay`). Throws `sale.unsettled` while a sale is pending or to
    /// check, `pricing.*`, `journal.*` (a closed day) before anything is stored.
    #[napi(ts_args_type = "input: SaleInput", ts_return_type = "Promise<PaymentOrder>")]
    pub fn begin<'e>(&self, env: &'e Env, input: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let done = from_js::<SaleInput>(env, input, "input").and_then(|input| {
            let order = lock(&self.till).begin(input, &self.reference, now()).map_err(|e| Failure::of(&e))?;
            to_js(&order)
        });
        settled(env, done)
    }

    /// Sends the pending sale's payment and resolves to its outcome, not yet recorded (`record`).
    #[napi(
        ts_args_type = "idTicketEntete: string, bankCard?: BankCard | null",
        ts_return_type = "Promise<PaymentOutcome>"
    )]
    pub fn pay<'e>(
        &self,
        env: &'e Env,
        id_ticket_entete: String,
        card_in: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let prepared = (|| {
            let card = bank_card(env, card_in)?;
            let order = lock(&self.till).till().payment_order(&id_ticket_entete).map_err(|e| Failure::of(&e))?;
            Ok((order, card))
        })();
        let (order, card) = crate::ready!(env, prepared);
        let payments = lock(&self.payments).clone();
        promise(env, async move { to_js(&payments.pay(order, card).await?) })
    }

    /// Records a payment's outcome: paid → the ticket is journaled and queued in the same
    /// transaction; declined → voided (a kept, numbered gap); unknown → an Izly sale waits for
    /// `settle`, an esipay sale is to check.
    #[napi(ts_args_type = "idTicketEntete: string, outcome: PaymentOutcome", ts_return_type = "Promise<SaleRecord>")]
    pub fn record<'e>(
        &self,
        env: &'e Env,
        id_ticket_entete: String,
        outcome: Unknown,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let done = from_js::<PaymentOutcome>(env, outcome, "outcome").and_then(|outcome| {
            let mut till = lock(&self.till);
            let sale = till
                .record_payment(&id_ticket_entete, &outcome, &self.reference, now())
                .map_err(|e| Failure::of(&e))?;
            to_js(sale)
        });
        settled(env, done)
    }

    /// A whole sale: `begin`, `pay`, `record`. Resolves to the sale as it ends (completed,
    /// voided, to check, or pending an Izly look-up).
    #[napi(ts_args_type = "input: SaleInput, bankCard?: BankCard | null", ts_return_type = "Promise<SaleRecord>")]
    pub fn sell<'e>(
        &self,
        env: &'e Env,
        input: Unknown,
        card_in: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let prepared = (|| {
            let card = bank_card(env, card_in)?;
            let input = from_js::<SaleInput>(env, input, "input")?;
            // A sale that cannot be paid would hold the till: refused before it is opened.
            lock(&self.payments).clients().check(&input.method, card.as_ref()).map_err(|e| Failure::of(&e))?;
            let order = lock(&self.till).begin(input, &self.reference, now()).map_err(|e| Failure::of(&e))?;
            Ok((order, card))
        })();
        let (order, card) = crate::ready!(env, prepared);
        let (till, reference, payments) = (self.till.clone(), self.reference.clone(), lock(&self.payments).clone());
        promise(env, async move {
            let id = order.id_ticket_entete.clone();
            let outcome = payments.pay(order, card).await?;
            let mut till = lock(&till);
            let sale = till.record_payment(&id, &outcome, &reference, now()).map_err(|e| Failure::of(&e))?;
            to_js(sale)
        })
    }

    /// The cashier's answer for a sale to check: `{resolution: "paid", transaction?}` (the esipay
    /// back office shows the charge) or `{resolution: "notPaid"}`.
    #[napi(ts_args_type = "idTicketEntete: string, resolution: Resolution", ts_return_type = "Promise<SaleRecord>")]
    pub fn resolve<'e>(
        &self,
        env: &'e Env,
        id_ticket_entete: String,
        resolution: Unknown,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let done = from_js::<Resolution>(env, resolution, "resolution").and_then(|r| {
            let mut till = lock(&self.till);
            to_js(till.resolve(&id_ticket_entete, &r, &self.reference, now()).map_err(|e| Failure::of(&e))?)
        });
        settled(env, done)
    }

    /// The ticket of a completed sale, or null.
    #[napi(ts_return_type = "Ticket | null")]
    pub fn ticket(&self, env: Env, id_ticket_entete: String) -> napi::Result<Value> {
        sync(&env, to_js(&lock(&self.till).till().ticket(&id_ticket_entete)))
    }

    /// Every sale of the till, in number order (voided ones are the numbered gaps).
    #[napi(ts_return_type = "SaleRecord[]")]
    pub fn sales(&self, env: Env) -> napi::Result<Value> {
        let sales: Vec<SaleRecord> = lock(&self.till).till().sales().cloned().collect();
        sync(&env, to_js(&sales))
    }

    /// The sale holding the till (pending, or to check), or null.
    #[napi(ts_return_type = "SaleRecord | null")]
    pub fn unsettled(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&lock(&self.till).till().unsettled()))
    }

    /// Sends the queued tickets, oldest first (as `TicketOutbox.pump`); resolves to the queue.
    #[napi(ts_return_type = "Promise<QueueView>")]
    pub fn pump<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let (till, pumping, sender) = (self.till.clone(), self.pumping.clone(), self.sender.clone());
        promise(env, async move {
            pump_once(&till, &pumping, &sender).await?;
            let view = lock(&till).view(now());
            to_js(&view)
        })
    }

    /// The ticket queue: counts by status, its head, the last error, refused tickets.
    #[napi(ts_return_type = "QueueView")]
    pub fn view(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&lock(&self.till).view(now())))
    }

    /// Closes a day (`"2026-11-23"`), month or year of the journal, the closure signed with
    /// `key` (`openTillKey(keyFile)`) when given; resolves to the queue. The closing's start and
    /// its closure are recorded in the technical event journal.
    #[napi(ts_return_type = "Promise<QueueView>")]
    pub fn close<'e>(
        &self,
        env: &'e Env,
        period: String,
        key: Option<&TillKey>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let mut till = lock(&self.till);
        settled(env, journal::close(&mut *till, &period, key))
    }

    /// The till's journal (sales, closures, technical events, chained) as a signed archive
    /// (`crous-till journal verify` checks it offline), signed with `key`
    /// (`openTillKey(keyFile)`). The export is recorded first, so the archive holds it. A
    /// journal that does not verify is not signed (`journal.broken`). Resolves to the file's
    /// text and what to show of it.
    #[napi(ts_return_type = "Promise<ExportedArchiveFile>")]
    pub fn export_archive<'e>(&self, env: &'e Env, key: &TillKey) -> napi::Result<PromiseRaw<'e, Value>> {
        settled(env, journal::export(&mut *lock(&self.till), key))
    }

    /// Records this run's stop in the technical event journal: call it when the server shuts
    /// down (a start with no stop before it says the previous run ended without one).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, ()>> {
        settled(env, journal::stop(&mut *lock(&self.till)))
    }
}

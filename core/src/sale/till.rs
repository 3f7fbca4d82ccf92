//! [`Till`]: one point of sale's sales, counters and ticket outbox, with no I/O and no clock.

use super::counters::resume_counters;
use super::error::SaleError;
use super::order::{OrderError, PaymentOrder};
use super::outcome::PaymentOutcome;
use super::record::{NumberingRecord, PaymentMethod, PaymentProof, SaleRecord, SaleState};
use super::web_order::WebOrderRecord;
use crate::api::execution::{Delivered, ExecutorError};
use crate::api::izly_pos::{DebitReference, IzlyPosApi};
use crate::api::ApiRequest;
use crate::builder::{build_numbered_ticket, IzlyCustomer, Payment, SaleContext};
use crate::error_code::ErrorCode;
use crate::journal::append_entry;
use crate::numbering::{NumberingState, TicketNumbers};
use crate::outbox::{Commit, EpochMillis, HoldsOutbox, Outbox, OutboxPolicy, Snapshot, Write};
use crate::point_of_sale::PointOfSale;
use crate::pricing::{price_cart, CartItem};
use crate::reference::{CustomerProfile, ReferenceData};
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the cashier rang up: the tray, who pays and how, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaleInput {
    pub cart: Vec<CartItem>,
    /// The pricing profile: Izly's for an identified holder, 8000/1 for a visitor.
    pub profile: CustomerProfile,
    /// What Izly said of the holder (searchQRCode, searchCard), for the ticket's complementaire.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    pub method: PaymentMethod,
    pub sale: SaleContext,
}

/// How the cashier settles a sale to check (esipay's answer lost: the esipay back office or the
/// customer's bank says whether the card was charged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "resolution", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Resolution {
    Paid {
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        transaction: Option<String>,
    },
    NotPaid,
}

/// What a sale left pending needs next, in [`Till::settlements`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Ask Izly whether the debit `reference` happened (`IzlyPosApi::debit_lookup`), then record
    /// [`PaymentOutcome::from_izly_lookup`].
    LookUpIzlyDebit { id_ticket_entete: String, reference: DebitReference },
    /// esipay cannot be asked: record [`PaymentOutcome::interrupted`], which makes it a sale to check.
    Interrupted { id_ticket_entete: String },
}

impl Settlement {
    pub fn id_ticket_entete(&self) -> &str {
        match self {
            Settlement::LookUpIzlyDebit { id_ticket_entete, .. } | Settlement::Interrupted { id_ticket_entete } => {
                id_ticket_entete
            }
        }
    }

    /// The look-up to send, if any (an interrupted esipay payment has none).
    pub fn request(&self, izly: Option<&IzlyPosApi>) -> Result<Option<ApiRequest>, OrderError> {
        match self {
            Settlement::Interrupted { .. } => Ok(None),
            Settlement::LookUpIzlyDebit { reference, .. } => {
                Ok(Some(izly.ok_or(OrderError::NoClient { service: "Izly" })?.debit_lookup(reference)))
            }
        }
    }

    /// What the look-up came to (`None`: nothing was asked), as [`Till::record_payment`] takes it.
    pub fn outcome(&self, delivered: Option<Result<Delivered, ExecutorError>>) -> PaymentOutcome {
        match delivered {
            None => PaymentOutcome::interrupted(),
            Some(Ok(d)) => PaymentOutcome::from_izly_lookup(d.response.status, &d.response.headers, &d.response.body),
            Some(Err(e)) => PaymentOutcome::Unknown { code: e.code().into(), message: e.to_string() },
        }
    }
}

/// What [`Till::apply`] hands back.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Effect {
    None,
    Pay(Box<PaymentOrder>),
}

/// Writes to perform in one transaction, then to hand back to [`Till::apply`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a commit does nothing until it is persisted and applied"]
pub struct TillCommit {
    base: u64,
    pub(super) writes: Vec<Write>,
    pub(super) outbox: Option<Commit>,
    effect: Effect,
}

impl TillCommit {
    /// The writes, in order, for the store (the outbox's included).
    pub fn writes(&self) -> &[Write] {
        &self.writes
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// The sales of one point of sale around its [`Outbox`].
#[derive(Debug, Clone)]
pub struct Till {
    pub(super) outbox: Outbox,
    pub(super) numbering: NumberingRecord,
    pub(super) sales: BTreeMap<u64, SaleRecord>,
    /// Web orders by ClientOrderId ([`super::web_sales`]).
    pub(super) orders: BTreeMap<String, WebOrderRecord>,
    version: u64,
}

fn state_name(state: &SaleState) -> &'static str {
    match state {
        SaleState::PaymentPending => "paymentPending",
        SaleState::Completed { .. } => "completed",
        SaleState::Voided { .. } => "voided",
        SaleState::ToCheck { .. } => "toCheck",
    }
}

impl HoldsOutbox for Till {
    fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    fn outbox_mut(&mut self) -> &mut Outbox {
        &mut self.outbox
    }
}

impl Till {
    /// Rebuilds the till from everything its store holds: the outbox and journal (verified, as
    /// [`Outbox::open`]), the sales, and the counters, raised above any number already used.
    pub fn open(point_of_sale: PointOfSale, policy: OutboxPolicy, snapshot: Snapshot) -> Result<Self, SaleError> {
        let counters = resume_counters(snapshot.numbering.map(|n| n.numbering), &snapshot.journal, &snapshot.sales);
        let revision = snapshot.numbering.map_or(0, |n| n.revision);
        let mut sales = BTreeMap::new();
        for sale in &snapshot.sales {
            let number = sale.id_ticket_entete.parse::<u64>().ok().filter(|n| *n > 0);
            let Some(number) = number.filter(|_| sale.point_of_sale == point_of_sale) else {
                return Err(SaleError::Corrupt(format!("sale {:?} is not one of this till", sale.id_ticket_entete)));
            };
            if sales.insert(number, sale.clone()).is_some() {
                return Err(SaleError::Corrupt(format!("sale {number} is stored twice")));
            }
        }
        let mut orders = BTreeMap::new();
        for order in &snapshot.orders {
            if order.point_of_sale != point_of_sale
                || orders.insert(order.client_order_id.clone(), order.clone()).is_some()
            {
                return Err(SaleError::Corrupt(format!(
                    "order {:?} is stored twice or elsewhere",
                    order.client_order_id
                )));
            }
        }
        let rest = Snapshot { sales: Vec::new(), numbering: None, orders: Vec::new(), ..snapshot };
        let outbox = Outbox::open(point_of_sale, policy, rest)?;
        let numbering = NumberingRecord { point_of_sale, numbering: counters, revision };
        Ok(Till { outbox, numbering, sales, orders, version: 0 })
    }

    /// Takes in what other writers stored since this till was opened (several processes over one
    /// store), as [`Outbox::refresh`]: the sales, web orders and counters as stored now, the
    /// outbox's send in flight kept. Commits planned before are stale afterwards.
    pub fn refresh(&mut self, snapshot: Snapshot) -> Result<(), SaleError> {
        let fresh = Till::open(self.point_of_sale(), *self.outbox.policy(), snapshot)?;
        let Till { outbox, numbering, sales, orders, .. } = fresh;
        self.outbox.carry_into(outbox);
        (self.numbering, self.sales, self.orders) = (numbering, sales, orders);
        self.version += 1;
        Ok(())
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.outbox.point_of_sale()
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// The outbox, to send tickets ([`Outbox::begin_send`], [`Outbox::record`]…): its commits are
    /// persisted and applied like any other.
    pub fn outbox_mut(&mut self) -> &mut Outbox {
        &mut self.outbox
    }

    pub fn numbering(&self) -> NumberingState {
        self.numbering.numbering
    }

    /// Every sale, in number order.
    pub fn sales(&self) -> impl Iterator<Item = &SaleRecord> {
        self.sales.values()
    }

    pub fn sale(&self, id_ticket_entete: &str) -> Option<&SaleRecord> {
        self.sales.get(&id_ticket_entete.parse().ok()?)
    }

    /// A completed sale's ticket, while its outbox row is kept (rows delivered long ago may be
    /// pruned; the journal keeps every ticket).
    pub fn ticket(&self, id_ticket_entete: &str) -> Option<&Ticket> {
        self.outbox.entry(id_ticket_entete).map(|row| &row.ticket)
    }

    /// The sale holding the till (pending payment, or to check), if any.
    pub fn unsettled(&self) -> Option<&SaleRecord> {
        self.sales.values().find(|s| s.is_unsettled())
    }

    pub(super) fn commit(&self, writes: Vec<Write>, outbox: Option<Commit>, effect: Effect) -> TillCommit {
        TillCommit { base: self.version, writes, outbox, effect }
    }

    /// Plans a new sale: prices the tray, reserves the next number and records the payment
    /// intent with its reference, in one commit. The ticket is built and journaled in a dry run
    /// first, so that a sale whose ticket could not be kept never takes money. Once persisted,
    /// [`Till::apply`] hands out the [`PaymentOrder`] to pay.
    pub fn begin(
        &self,
        input: SaleInput,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        if let Some(s) = self.unsettled() {
            return Err(SaleError::Unsettled {
                id_ticket_entete: s.id_ticket_entete.clone(),
                state: state_name(&s.state),
            });
        }
        if let PaymentMethod::IzlyPay { .. } = input.method {
            return Err(OrderError::WebOrderOnly.into());
        }
        let day = input.sale.sold_at.date_naive();
        let cart = price_cart(reference, &input.cart, input.profile, day)?;
        let (numbers, counters) = self.numbering.numbering.next(day)?;
        let pos = self.point_of_sale();
        let payment_reference = match input.method {
            PaymentMethod::Esipay => format!("{}-{}-{}", pos.app_id(), numbers.numero_ticket, numbers.id_ticket_entete),
            _ => DebitReference::for_ticket(&pos, &numbers.id_ticket_entete, 1).to_string(),
        };
        let sale = SaleRecord {
            point_of_sale: pos,
            id_ticket_entete: numbers.id_ticket_entete.clone(),
            numero_ticket: numbers.numero_ticket.clone(),
            sale: input.sale,
            amount: cart.total_ttc,
            cart,
            customer: input.customer,
            method: input.method,
            reference: payment_reference,
            state: SaleState::PaymentPending,
            opened_at: now,
            settled_at: None,
            revision: 1,
        };
        let placeholder = match &sale.method {
            PaymentMethod::Esipay => PaymentProof::Esipay { transaction: None },
            _ => PaymentProof::Izly { id_transaction_izly: "0".into(), balance: None, code_client: None },
        };
        let draft = self.sale_ticket(&sale, &placeholder, reference)?;
        append_entry(self.outbox.journal_tip(), self.outbox.closure_state().closed_through(), draft)?;
        let order = PaymentOrder::of(&sale);
        let numbering =
            NumberingRecord { numbering: counters, revision: self.numbering.revision + 1, ..self.numbering };
        let writes = vec![
            Write::PutNumbering { numbering, expected_revision: self.numbering.revision },
            Write::InsertSale { sale },
        ];
        Ok(self.commit(writes, None, Effect::Pay(Box::new(order))))
    }

    /// The payment a pending sale asks for (to send it, or send it again after a crash: its
    /// reference makes an Izly debit idempotent).
    pub fn payment_order(&self, id_ticket_entete: &str) -> Result<PaymentOrder, SaleError> {
        Ok(PaymentOrder::of(self.pending(id_ticket_entete)?))
    }

    /// The pending payments to settle, after a restart: Izly by its debit look-up, esipay by the
    /// cashier. Call it when opening the till, before selling, and again for an Izly sale whose
    /// look-up could not answer (never for a payment this process still has on its way).
    pub fn settlements(&self) -> Vec<Settlement> {
        let pending = self.sales.values().filter(|s| s.state == SaleState::PaymentPending);
        pending
            .map(|s| {
                let id_ticket_entete = s.id_ticket_entete.clone();
                if s.method.has_lookup() {
                    let reference = DebitReference::for_ticket(&s.point_of_sale, &s.id_ticket_entete, 1);
                    Settlement::LookUpIzlyDebit { id_ticket_entete, reference }
                } else {
                    Settlement::Interrupted { id_ticket_entete }
                }
            })
            .collect()
    }

    /// The sale, if it is in the state `expected` names (`is` tells).
    fn in_state(
        &self,
        id_ticket_entete: &str,
        expected: &'static str,
        is: fn(&SaleState) -> bool,
    ) -> Result<&SaleRecord, SaleError> {
        let sale = self
            .sale(id_ticket_entete)
            .ok_or_else(|| SaleError::UnknownSale { id_ticket_entete: id_ticket_entete.into() })?;
        if !is(&sale.state) {
            let state = state_name(&sale.state);
            return Err(SaleError::WrongState { id_ticket_entete: id_ticket_entete.into(), state, expected });
        }
        Ok(sale)
    }

    fn pending(&self, id_ticket_entete: &str) -> Result<&SaleRecord, SaleError> {
        self.in_state(id_ticket_entete, "paymentPending", |s| *s == SaleState::PaymentPending)
    }

    /// Plans recording how the payment ended: paid → the ticket is built, journaled and queued
    /// in the same commit as the sale's new state (a paid sale never exists without its ticket);
    /// declined → voided, its number a kept gap; unknown → an Izly sale stays pending for its
    /// look-up (nothing written), an esipay sale becomes a sale to check.
    pub fn record_payment(
        &self,
        id_ticket_entete: &str,
        outcome: &PaymentOutcome,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let sale = self.pending(id_ticket_entete)?;
        match outcome {
            PaymentOutcome::Paid { payment } => self.complete(sale, payment, reference, now),
            PaymentOutcome::Declined { code, message } => {
                Ok(self.settle(sale, SaleState::Voided { code: code.clone(), message: message.clone() }, now))
            }
            PaymentOutcome::Unknown { .. } if sale.method.has_lookup() => {
                Ok(self.commit(Vec::new(), None, Effect::None))
            }
            PaymentOutcome::Unknown { code, message } => {
                Ok(self.settle(sale, SaleState::ToCheck { code: code.clone(), message: message.clone() }, now))
            }
        }
    }

    /// Plans the cashier's answer for a sale to check.
    pub fn resolve(
        &self,
        id_ticket_entete: &str,
        resolution: &Resolution,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let sale = self.in_state(id_ticket_entete, "toCheck", |s| matches!(s, SaleState::ToCheck { .. }))?;
        match resolution {
            Resolution::Paid { transaction } => {
                let proof = match sale.method {
                    PaymentMethod::Esipay => PaymentProof::Esipay { transaction: transaction.clone() },
                    ref m => {
                        return Err(SaleError::ProofMismatch {
                            id_ticket_entete: id_ticket_entete.into(),
                            method: m.name(),
                        })
                    }
                };
                self.complete(sale, &proof, reference, now)
            }
            Resolution::NotPaid => {
                let state = SaleState::Voided {
                    code: "sale.not_paid".into(),
                    message: "checked by the cashier: not paid".into(),
                };
                Ok(self.settle(sale, state, now))
            }
        }
    }

    pub(super) fn settle(&self, sale: &SaleRecord, state: SaleState, now: EpochMillis) -> TillCommit {
        let next = SaleRecord { state, settled_at: Some(now), revision: sale.revision + 1, ..sale.clone() };
        self.commit(vec![Write::UpdateSale { sale: next, expected_revision: sale.revision }], None, Effect::None)
    }

    fn complete(
        &self,
        sale: &SaleRecord,
        proof: &PaymentProof,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let ticket = self.sale_ticket(sale, proof, reference)?;
        let enqueued = self.outbox.enqueue(ticket, now)?;
        let journal_sequence = self.outbox.journal_tip().last_sequence + 1;
        let state = SaleState::Completed { payment: proof.clone(), journal_sequence };
        let mut commit = self.settle(sale, state, now);
        commit.writes.extend(enqueued.writes().iter().cloned());
        commit.outbox = Some(enqueued);
        Ok(commit)
    }

    /// The sale's ticket, paid as `proof` says, under its reserved numbers.
    pub(super) fn sale_ticket(
        &self,
        sale: &SaleRecord,
        proof: &PaymentProof,
        reference: &ReferenceData,
    ) -> Result<Ticket, SaleError> {
        let mismatch =
            || SaleError::ProofMismatch { id_ticket_entete: sale.id_ticket_entete.clone(), method: sale.method.name() };
        let mut customer = sale.customer.clone();
        let payment = match (&sale.method, proof) {
            (PaymentMethod::Esipay, PaymentProof::Esipay { .. }) => Payment::CarteBancaire,
            (
                PaymentMethod::IzlyQrCode { qr_code },
                PaymentProof::Izly { id_transaction_izly, balance, code_client },
            ) => {
                customer = Some(with_debit(customer, balance, code_client));
                Payment::IzlyQrCode { qr_code: qr_code.clone(), id_transaction_izly: id_transaction_izly.clone() }
            }
            (
                PaymentMethod::IzlyCard { id_support, numero_applicatif, .. },
                PaymentProof::Izly { id_transaction_izly, balance, code_client },
            ) => {
                customer = Some(with_debit(customer, balance, code_client));
                Payment::IzlyCard {
                    id_support: id_support.clone(),
                    numero_applicatif: numero_applicatif.clone(),
                    id_transaction_izly: id_transaction_izly.clone(),
                }
            }
            (PaymentMethod::IzlyPay { .. }, PaymentProof::Izly { id_transaction_izly, balance, code_client }) => {
                customer = Some(with_debit(customer, balance, code_client));
                Payment::IzlyPay { id_transaction_izly: id_transaction_izly.clone() }
            }
            _ => return Err(mismatch()),
        };
        let numbers = TicketNumbers {
            id_ticket_entete: sale.id_ticket_entete.clone(),
            numero_ticket: sale.numero_ticket.clone(),
        };
        Ok(build_numbered_ticket(reference, &numbers, &sale.sale, &sale.cart, customer.as_ref(), &payment)?)
    }

    /// Takes a persisted commit in; returns the payment to make when the commit opened a sale.
    /// Apply only what the store has performed; after a persisted commit fails to apply
    /// ([`SaleError::StaleCommit`]), reopen the till from its store.
    pub fn apply(&mut self, commit: TillCommit) -> Result<Option<PaymentOrder>, SaleError> {
        if commit.base != self.version {
            return Err(SaleError::StaleCommit);
        }
        if let Some(outbox) = commit.outbox {
            self.outbox.apply(outbox)?;
        }
        for write in commit.writes {
            match write {
                Write::PutNumbering { numbering, .. } => self.numbering = numbering,
                Write::InsertSale { sale } | Write::UpdateSale { sale, .. } => {
                    self.sales.insert(sale.number(), sale);
                }
                Write::InsertOrder { order } | Write::UpdateOrder { order, .. } => {
                    self.orders.insert(order.client_order_id.clone(), order);
                }
                _ => {}
            }
        }
        self.version += 1;
        Ok(match commit.effect {
            Effect::None => None,
            Effect::Pay(order) => Some(*order),
        })
    }
}

/// The customer as the debit left them: the balance after it, and the account's codeClient.
fn with_debit(
    customer: Option<IzlyCustomer>,
    balance: &Option<rust_decimal::Decimal>,
    code_client: &Option<String>,
) -> IzlyCustomer {
    let mut c = customer.unwrap_or_default();
    if balance.is_some() {
        c.solde_client = *balance;
    }
    if c.code_client.is_none() {
        c.code_client.clone_from(code_client);
    }
    c
}

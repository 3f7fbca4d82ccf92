//! The [`Till`]'s web orders (IzlyPay, specs 002): open → init → confirmed by `GET
//! WebPayments/{id}` → ticket, each step one commit (see [`super::web_order`]).
//!
//! The callback is not signed (specs 002 gives no signature), so it only tells the till *which*
//! operation to look up: the order changes on what the GET answers, for our own ClientOrderId and
//! amount, never on the callback's body.

use super::error::SaleError;
use super::record::{NumberingRecord, PaymentMethod, PaymentProof, SaleRecord, SaleState};
use super::till::{Effect, Till, TillCommit};
use super::web_order::{valid_client_order_id, OrderInput, OrderSettlement, WebOrderRecord, WebOrderState};
use crate::api::execution::{Delivered, ExecutorError};
use crate::api::izly_pay::{
    callback_error_answer, callback_ok_answer, parse_callback, parse_init, parse_payment_details, PaymentStatus,
    WebPaymentDetails,
};
use crate::api::ApiResponse;
use crate::builder::{IzlyCustomer, SaleContext};
use crate::error_code::ErrorCode;
use crate::journal::append_entry;
use crate::outbox::{EpochMillis, Write};
use crate::pricing::price_cart;
use crate::reference::ReferenceData;
use chrono::{DateTime, TimeZone};

/// Stands in for the payer's codeClient in the dry run of an order's ticket: IzlyPay's details
/// give the real one (`CustomerClientCode`).
const DRY_RUN_CODE_CLIENT: &str = "0";

impl Till {
    /// Every web order, by ClientOrderId.
    pub fn orders(&self) -> impl Iterator<Item = &WebOrderRecord> {
        self.orders.values()
    }

    pub fn order(&self, client_order_id: &str) -> Option<&WebOrderRecord> {
        self.orders.get(client_order_id)
    }

    fn known_order(&self, client_order_id: &str) -> Result<&WebOrderRecord, SaleError> {
        self.order(client_order_id).ok_or_else(|| SaleError::UnknownOrder { client_order_id: client_order_id.into() })
    }

    /// Plans a new web order: prices the cart and stores the order `initiating`, no number taken.
    /// Its ticket is built and journaled in a dry run first, so that an order whose ticket could
    /// not be kept never sends the customer to pay. Then send [`WebOrderRecord::init_request`].
    pub fn open_order(
        &self,
        input: OrderInput,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let id = input.client_order_id;
        let invalid = |why| SaleError::InvalidOrderId { client_order_id: id.clone(), why };
        if !valid_client_order_id(&id) {
            return Err(invalid("1 to 64 of A-Z a-z 0-9 . _ - expected"));
        }
        if self.orders.contains_key(&id) {
            return Err(invalid("this point of sale already has an order under it"));
        }
        let cart = price_cart(reference, &input.cart, input.profile, input.sale.sold_at.date_naive())?;
        if cart.total_ttc <= rust_decimal::Decimal::ZERO {
            return Err(SaleError::InvalidOrderAmount { amount: cart.total_ttc });
        }
        let order = WebOrderRecord {
            point_of_sale: self.point_of_sale(),
            client_order_id: id,
            sale: input.sale,
            amount: cart.total_ttc,
            cart,
            customer: input.customer,
            state: WebOrderState::Initiating,
            opened_at: now,
            settled_at: None,
            revision: 1,
        };
        let mut draft = self.order_sale(&order, &order.sale, "0")?;
        let dry_run = PaymentProof::Izly {
            id_transaction_izly: "0".into(),
            balance: None,
            code_client: Some(DRY_RUN_CODE_CLIENT.into()),
        };
        draft.customer.get_or_insert_with(IzlyCustomer::default).code_client.get_or_insert(DRY_RUN_CODE_CLIENT.into());
        let ticket = self.sale_ticket(&draft, &dry_run, reference)?;
        append_entry(self.outbox.journal_tip(), self.outbox.closure_state().closed_through(), ticket)?;
        Ok(self.commit(vec![Write::InsertOrder { order }], None, Effect::None))
    }

    /// The sale a confirmed order becomes, under the next ticket number.
    fn order_sale(
        &self,
        order: &WebOrderRecord,
        sale: &SaleContext,
        operation_id: &str,
    ) -> Result<SaleRecord, SaleError> {
        let (numbers, _) = self.numbering.numbering.next(sale.sold_at.date_naive())?;
        Ok(SaleRecord {
            point_of_sale: order.point_of_sale,
            id_ticket_entete: numbers.id_ticket_entete,
            numero_ticket: numbers.numero_ticket,
            sale: sale.clone(),
            cart: order.cart.clone(),
            customer: order.customer.clone(),
            method: PaymentMethod::IzlyPay {
                client_order_id: order.client_order_id.clone(),
                operation_id: operation_id.into(),
            },
            reference: order.client_order_id.clone(),
            amount: order.amount,
            state: SaleState::PaymentPending,
            opened_at: order.opened_at,
            settled_at: None,
            revision: 1,
        })
    }

    fn update_order(&self, order: &WebOrderRecord, state: WebOrderState, now: EpochMillis) -> Write {
        let settled_at = (!matches!(state, WebOrderState::Waiting { .. })).then_some(now);
        let next = WebOrderRecord { state, settled_at, revision: order.revision + 1, ..order.clone() };
        Write::UpdateOrder { order: next, expected_revision: order.revision }
    }

    fn no_change(&self) -> TillCommit {
        self.commit(Vec::new(), None, Effect::None)
    }

    /// Plans recording IzlyPay's answer to the init (`None`: the till stopped before it was
    /// recorded). Answered → `waiting`; refused, lost or interrupted → `voided`: the customer
    /// never got the payment page, so nothing can have been paid.
    pub fn record_order_init(
        &self,
        client_order_id: &str,
        delivered: Option<Result<Delivered, ExecutorError>>,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let order = self.known_order(client_order_id)?;
        if order.state != WebOrderState::Initiating {
            return Ok(self.no_change());
        }
        let voided =
            |code: &str, message: String| WebOrderState::Voided { code: code.into(), message, operation_id: None };
        let state = match delivered {
            None => voided("sale.interrupted", "the till stopped before IzlyPay's answer was recorded".into()),
            Some(Err(e)) => voided(e.code(), e.to_string()),
            Some(Ok(d)) => match parse_init(d.response.status, &d.response.headers, &d.response.body) {
                Ok(r) => {
                    WebOrderState::Waiting { operation_id: r.operation.id, payment_url: r.payment_authorization_url }
                }
                Err(e) => voided(e.code(), e.to_string()),
            },
        };
        Ok(self.commit(vec![self.update_order(order, state, now)], None, Effect::None))
    }

    /// The open orders to look up after a restart: `waiting` by their GET, `initiating` voided.
    pub fn order_settlements(&self) -> Vec<OrderSettlement> {
        let open = self.orders.values().filter(|o| o.is_open());
        open.map(|o| {
            let client_order_id = o.client_order_id.clone();
            match o.state.operation_id() {
                Some(operation_id) => OrderSettlement::LookUp { client_order_id, operation_id: operation_id.into() },
                None => OrderSettlement::Interrupted { client_order_id },
            }
        })
        .collect()
    }

    /// Reads IzlyPay's callback: the look-up to make, or the answer to give at once (unreadable →
    /// 400, no such order → 409, already completed → 200).
    pub fn order_callback(&self, headers: &[(String, String)], body: &[u8]) -> Result<OrderSettlement, ApiResponse> {
        let callback = parse_callback(headers, body).map_err(|e| callback_error_answer(400, -1, &e.to_string()))?;
        let id = callback.operation.client_order_id.unwrap_or_default();
        let Some(order) = self.order(&id) else {
            return Err(callback_error_answer(409, -1, &format!("no order {id:?}")));
        };
        if matches!(order.state, WebOrderState::Completed { .. }) {
            return Err(callback_ok_answer());
        }
        Ok(OrderSettlement::LookUp { client_order_id: id, operation_id: callback.operation.id })
    }

    /// Plans recording what `GET WebPayments/{operationId}` answered for an order. Completed for
    /// our ClientOrderId and amount → the next number is reserved and the ticket journaled and
    /// queued, in one commit with the order `completed` (even an order voided earlier: a late
    /// payment is never dropped); Refund or an error → `voided`; waiting, or no readable answer →
    /// nothing changes (look again later). An operation of another order changes nothing; our
    /// order completed for another amount, or whose ticket cannot be built, becomes `toCheck`.
    pub fn record_order_details(
        &self,
        client_order_id: &str,
        operation_id: &str,
        delivered: Result<Delivered, ExecutorError>,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        let order = self.known_order(client_order_id)?;
        let known_operation = order.state.operation_id();
        if matches!(order.state, WebOrderState::Completed { .. } | WebOrderState::ToCheck { .. })
            || known_operation.is_some_and(|known| known != operation_id)
        {
            return Ok(self.no_change());
        }
        let Ok(d) = delivered else { return Ok(self.no_change()) };
        let Ok(details) = parse_payment_details(d.response.status, &d.response.headers, &d.response.body) else {
            return Ok(self.no_change());
        };
        if details.operation_id != operation_id || details.order_id.as_deref() != Some(client_order_id) {
            return Ok(self.no_change());
        }
        let op = Some(operation_id.to_owned());
        let state = match details.status() {
            PaymentStatus::Waiting if details.error_text().is_none() => return Ok(self.no_change()),
            PaymentStatus::Completed if details.error_text().is_none() => {
                if details.amount != order.amount {
                    WebOrderState::ToCheck {
                        code: "sale.amount_mismatch".into(),
                        message: format!("IzlyPay took {} for an order of {}", details.amount, order.amount),
                        operation_id: op,
                    }
                } else {
                    return self.complete_order(order, &details, reference, now);
                }
            }
            _ if !order.is_open() => return Ok(self.no_change()),
            status => WebOrderState::Voided {
                code: "sale.not_paid".into(),
                message: details.error_text().unwrap_or_else(|| format!("IzlyPay operation {status:?}")),
                operation_id: op,
            },
        };
        Ok(self.commit(vec![self.update_order(order, state, now)], None, Effect::None))
    }

    /// One commit: the number reserved, the sale completed, its ticket journaled and queued, the
    /// order completed. A ticket that cannot be built makes the order `toCheck` (paid, kept).
    fn complete_order(
        &self,
        order: &WebOrderRecord,
        details: &WebPaymentDetails,
        reference: &ReferenceData,
        now: EpochMillis,
    ) -> Result<TillCommit, SaleError> {
        // Tickets reach the journal in number order: a till sale holding an earlier number goes
        // first (a shop is its own point of sale, so this only guards a misuse).
        if let Some(s) = self.unsettled() {
            return Err(SaleError::Unsettled { id_ticket_entete: s.id_ticket_entete.clone(), state: "paymentPending" });
        }
        let operation_id = details.operation_id.clone();
        let id_transaction_izly = details.id_transaction_debit_izly.clone().unwrap_or_else(|| operation_id.clone());
        let offset = *order.sale.sold_at.offset();
        let paid_at = DateTime::from_timestamp_millis(now as i64).map(|t| offset.from_utc_datetime(&t.naive_utc()));
        let sale_context = SaleContext { sold_at: paid_at.unwrap_or(order.sale.sold_at), ..order.sale.clone() };
        let mut sale = self.order_sale(order, &sale_context, &operation_id)?;
        let customer = sale.customer.get_or_insert_with(IzlyCustomer::default);
        if details.customer_client_code.is_some() {
            customer.code_client.clone_from(&details.customer_client_code);
        }
        if customer.adresse_mail.is_none() {
            customer.adresse_mail.clone_from(&details.customer_email);
        }
        let proof = PaymentProof::Izly { id_transaction_izly, balance: None, code_client: None };
        let to_check = |e: SaleError| WebOrderState::ToCheck {
            code: e.code().into(),
            message: format!("paid, but its ticket cannot be kept: {e}"),
            operation_id: Some(operation_id.clone()),
        };
        let enqueued = self.sale_ticket(&sale, &proof, reference).and_then(|t| Ok(self.outbox.enqueue(t, now)?));
        let enqueued = match enqueued {
            Ok(commit) => commit,
            Err(e) => return Ok(self.commit(vec![self.update_order(order, to_check(e), now)], None, Effect::None)),
        };
        let (_, counters) = self.numbering.numbering.next(sale.sale.sold_at.date_naive())?;
        let journal_sequence = self.outbox.journal_tip().last_sequence + 1;
        let state = WebOrderState::Completed {
            operation_id: operation_id.clone(),
            id_ticket_entete: sale.id_ticket_entete.clone(),
            journal_sequence,
        };
        let numbering =
            NumberingRecord { numbering: counters, revision: self.numbering.revision + 1, ..self.numbering };
        sale.state = SaleState::Completed { payment: proof, journal_sequence };
        sale.settled_at = Some(now);
        let mut writes = vec![
            Write::PutNumbering { numbering, expected_revision: self.numbering.revision },
            Write::InsertSale { sale },
            self.update_order(order, state, now),
        ];
        writes.extend(enqueued.writes().iter().cloned());
        let mut commit = self.commit(writes, None, Effect::None);
        commit.outbox = Some(enqueued);
        Ok(commit)
    }
}

//! A web order paid through IzlyPay (specs 002), as the sale engine stores it.
//!
//! Unlike a till's sale, a web order takes **no ticket number when it opens**: a shop has many
//! checkouts at once and most customers who reach the hosted payment page never pay, so numbers
//! reserved at checkout would leave the journal full of gaps. The order's idempotent reference
//! is its `ClientOrderId` instead; the ticket number is reserved in the commit that records the
//! confirmed payment, with the ticket, the journal entry and the outbox row (a paid order never
//! exists without its ticket).
//!
//! ```text
//!   open ──▶ initiating ──init answered──▶ waiting ──GET: Completed──▶ completed (ticket queued)
//!                │ └─init refused / lost──▶ voided ◀──GET: Refund, error──┘  │
//!                │                            └──────GET: Completed──────────┤ (a late payment
//!                │                                                           │  is still kept)
//!                └───────── amount or order not ours, ticket not buildable ──▶ toCheck
//! ```

use crate::api::izly_pay::{callback_error_answer, callback_ok_answer, InitPayment, InitPaymentError, IzlyPayApi};
use crate::api::response::ApiResponse;
use crate::api::ApiRequest;
use crate::builder::{IzlyCustomer, SaleContext};
use crate::outbox::EpochMillis;
use crate::point_of_sale::PointOfSale;
use crate::pricing::{CartItem, PricedCart};
use crate::reference::CustomerProfile;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest `ClientOrderId` accepted (our choice: specs 002 gives no limit; 64 holds a UUID
/// with a prefix).
pub const MAX_CLIENT_ORDER_ID: usize = 64;

/// What the shop's customer ordered, and under which `ClientOrderId` (the shop's own order
/// reference, unique per point of sale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderInput {
    pub client_order_id: String,
    pub cart: Vec<CartItem>,
    /// The pricing profile: the IzlyConnect user's société/tarif, or 8000/1.
    pub profile: CustomerProfile,
    /// What IzlyConnect said of the customer, for the ticket's complementaire.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    /// The ticket's context; its `soldAt` is replaced by the time the payment is confirmed.
    pub sale: SaleContext,
}

/// Where a web order stands (see the module's diagram).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WebOrderState {
    /// Stored; the init request may have left, its answer is not recorded.
    Initiating,
    /// IzlyPay opened the operation: the customer pays on `paymentUrl`.
    Waiting { operation_id: String, payment_url: String },
    /// Paid, confirmed by `GET WebPayments/{operationId}`; its ticket is sale `idTicketEntete`.
    Completed { operation_id: String, id_ticket_entete: String, journal_sequence: u64 },
    /// Not paid: no number was taken.
    Voided {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        operation_id: Option<String>,
    },
    /// Money may have been taken but the order cannot be completed as is: a person checks.
    ToCheck {
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        operation_id: Option<String>,
    },
}

/// One web order, as stored (keyed by point of sale and `clientOrderId`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct WebOrderRecord {
    pub point_of_sale: PointOfSale,
    pub client_order_id: String,
    pub sale: SaleContext,
    pub cart: PricedCart,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    /// What is paid: the cart's total TTC.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    #[serde(flatten)]
    pub state: WebOrderState,
    pub opened_at: EpochMillis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub settled_at: Option<EpochMillis>,
    /// 1 when inserted, +1 on every update.
    pub revision: u64,
}

/// What to ask IzlyPay for an order after a restart, or on its callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderSettlement {
    /// `GET WebPayments/{operationId}`, then [`super::Till::record_order_details`].
    LookUp { client_order_id: String, operation_id: String },
    /// The till stopped before the init answer was recorded: the customer never got the payment
    /// page, so nothing can have been paid; [`super::Till::record_order_init`] with no answer
    /// voids it.
    Interrupted { client_order_id: String },
}

impl OrderSettlement {
    pub fn client_order_id(&self) -> &str {
        match self {
            OrderSettlement::LookUp { client_order_id, .. } | OrderSettlement::Interrupted { client_order_id } => {
                client_order_id
            }
        }
    }

    /// The look-up to send, if any.
    pub fn request(&self, api: &IzlyPayApi) -> Option<ApiRequest> {
        match self {
            OrderSettlement::LookUp { operation_id, .. } => Some(api.payment_details(operation_id)),
            OrderSettlement::Interrupted { .. } => None,
        }
    }
}

impl WebOrderState {
    pub fn name(&self) -> &'static str {
        match self {
            WebOrderState::Initiating => "initiating",
            WebOrderState::Waiting { .. } => "waiting",
            WebOrderState::Completed { .. } => "completed",
            WebOrderState::Voided { .. } => "voided",
            WebOrderState::ToCheck { .. } => "toCheck",
        }
    }

    /// The IzlyPay operation, once IzlyPay answered the init.
    pub fn operation_id(&self) -> Option<&str> {
        match self {
            WebOrderState::Initiating => None,
            WebOrderState::Waiting { operation_id, .. } | WebOrderState::Completed { operation_id, .. } => {
                Some(operation_id)
            }
            WebOrderState::Voided { operation_id, .. } | WebOrderState::ToCheck { operation_id, .. } => {
                operation_id.as_deref()
            }
        }
    }
}

impl WebOrderRecord {
    /// The IzlyPay init for this order (specs 002: `POST /api/Izly/WebPayments`), its amount and
    /// ClientOrderId from the stored order.
    pub fn init_request(
        &self,
        api: &IzlyPayApi,
        redirect_url_after_payment: Option<String>,
        message: Option<String>,
    ) -> Result<ApiRequest, InitPaymentError> {
        api.init_payment(&InitPayment {
            amount: self.amount,
            client_order_id: self.client_order_id.clone(),
            callback_parameters: None,
            redirect_url_after_payment,
            message,
            software: None,
        })
    }

    /// Whether the order may still turn out paid (the customer may be on the payment page).
    pub fn is_open(&self) -> bool {
        matches!(self.state, WebOrderState::Initiating | WebOrderState::Waiting { .. })
    }

    /// The answer to IzlyPay's callback once this state is stored: 200 when the callback was
    /// taken into account (the order is completed, voided or handed to a person); an error
    /// while the payment could not be confirmed, so that the callback may come again (our
    /// choice: specs 002 only says the partner answers 200, else the `Error` object).
    pub fn callback_answer(&self) -> ApiResponse {
        match self.state {
            WebOrderState::Initiating | WebOrderState::Waiting { .. } => {
                callback_error_answer(503, -1, "the payment is not confirmed yet")
            }
            _ => callback_ok_answer(),
        }
    }
}

/// Whether `id` can be a ClientOrderId: 1 to [`MAX_CLIENT_ORDER_ID`] of `A-Z a-z 0-9 . _ -`
/// (our choice: it travels in URLs and logs).
pub fn valid_client_order_id(id: &str) -> bool {
    (1..=MAX_CLIENT_ORDER_ID).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

//! What the sale engine stores: one [`SaleRecord`] per reserved ticket number, and the point of
//! sale's ticket counters ([`NumberingRecord`]), in the same store (and the same transactions)
//! as the outbox rows and the journal.

use crate::builder::{IzlyCustomer, SaleContext};
use crate::numbering::NumberingState;
use crate::outbox::EpochMillis;
use crate::point_of_sale::PointOfSale;
use crate::pricing::PricedCart;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The ticket counters of a point of sale, with the revision the store checks on each update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NumberingRecord {
    pub point_of_sale: PointOfSale,
    pub numbering: NumberingState,
    /// 1 when first stored, +1 on every update.
    pub revision: u64,
}

/// How the customer pays. Holds no secret: a bank card's number is given to the request builder
/// when paying and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum PaymentMethod {
    /// Izly, by the scanned payment QR code (specs 001: `debit/qrcode/{code}`).
    IzlyQrCode { qr_code: String },
    /// Izly, by the card's ZDC fields (specs 001: "SAM, Application Number et idSupport [...]
    /// indispensables pour l'opération de paiement Izly").
    IzlyCard {
        id_support: String,
        numero_applicatif: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        sam: Option<String>,
    },
    /// Bank card through esipay (specs 004); codeReglement 4.
    Esipay,
    /// Izly online, through IzlyPay (specs 002): the sale of a completed web order
    /// ([`super::WebOrderRecord`]), never opened by [`super::Till::begin`].
    IzlyPay { client_order_id: String, operation_id: String },
}

impl PaymentMethod {
    /// Izly debits can be looked up by their reference after a lost answer; esipay payments
    /// cannot (an IzlyPay sale is only stored once paid).
    pub fn has_lookup(&self) -> bool {
        matches!(self, PaymentMethod::IzlyQrCode { .. } | PaymentMethod::IzlyCard { .. })
    }

    /// The name the engine's errors and views give it.
    pub fn name(&self) -> &'static str {
        match self {
            PaymentMethod::IzlyQrCode { .. } => "izlyQrCode",
            PaymentMethod::IzlyCard { .. } => "izlyCard",
            PaymentMethod::Esipay => "esipay",
            PaymentMethod::IzlyPay { .. } => "izlyPay",
        }
    }
}

/// What the payment service answered for a payment that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum PaymentProof {
    /// An Izly debit: the ticket's idTransactionIzly, the balance after it (soldeClient) and the
    /// account's codeClient.
    Izly {
        id_transaction_izly: String,
        #[serde(default, with = "crate::exact_decimal::option", skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(type = "Amount", optional = nullable))]
        balance: Option<Decimal>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        code_client: Option<String>,
    },
    /// An esipay payment: 200 to the cardpay call (specs 004: "transaction correctement
    /// effectuée"), or the cashier's word for a sale to check; the transaction id when the
    /// return URL gave it.
    Esipay {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional = nullable))]
        transaction: Option<String>,
    },
}

/// Where a sale stands.
///
/// ```text
///   begin ──▶ paymentPending ──paid──▶ completed (ticket journaled and queued, same commit)
///                  │  │ └──refused / not debited──▶ voided (a numbered gap, kept)
///                  │  └──unknown, no look-up (esipay)──▶ toCheck ──cashier──▶ completed | voided
///                  └──unknown, Izly: stays pending until its debit look-up answers
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SaleState {
    /// The number is reserved and the payment intent recorded: the request may have left.
    PaymentPending,
    /// Paid; its ticket is journal entry `journalSequence` and in the outbox.
    Completed { payment: PaymentProof, journal_sequence: u64 },
    /// No money was taken (refused, or confirmed not debited). The number is a gap, kept here.
    Voided { code: String, message: String },
    /// Nothing can tell whether the money was taken (an esipay answer lost): the cashier checks.
    ToCheck { code: String, message: String },
}

/// One sale, from its reserved number to its end, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SaleRecord {
    pub point_of_sale: PointOfSale,
    /// The reserved number: the ticket's idTicketEntete and the payment's reference base.
    pub id_ticket_entete: String,
    pub numero_ticket: String,
    pub sale: SaleContext,
    pub cart: PricedCart,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    pub method: PaymentMethod,
    /// The payment's idempotent reference: the Izly debit reference, or the esipay cid.
    pub reference: String,
    /// What is paid: the tray's total TTC.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    #[serde(flatten)]
    pub state: SaleState,
    pub opened_at: EpochMillis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub settled_at: Option<EpochMillis>,
    /// 1 when inserted, +1 on every update.
    pub revision: u64,
}

impl SaleRecord {
    /// The number as an integer (validated when the sale was opened).
    pub fn number(&self) -> u64 {
        self.id_ticket_entete.parse().unwrap_or(0)
    }

    /// Still holding the till: its payment is pending, or a person must check it.
    pub fn is_unsettled(&self) -> bool {
        matches!(self.state, SaleState::PaymentPending | SaleState::ToCheck { .. })
    }
}

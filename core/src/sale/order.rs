//! [`PaymentOrder`]: the payment a sale asks for once its intent is stored, and the request that
//! takes it (core's builders, so every front end sends the same bytes).

use super::outcome::PaymentOutcome;
use super::record::{PaymentMethod, SaleRecord};
use crate::api::card_number::CardNumber;
use crate::api::esipay::{parse_status, EsipayApi, EsipayBuildError};
use crate::api::execution::{CallError, Called, Delivered, ExecutorError};
use crate::api::izly_pos::{parse_debit, CardDebit, DebitBuildError, DebitReference, DebitTarget, IzlyPosApi};
use crate::api::{ApiRequest, Parser};
use crate::error_code::ErrorCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A bank card as the cashier keys it in, for one esipay payment (never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankCard {
    pub number: CardNumber,
    pub month: u8,
    pub year: u16,
}

/// A bank card as a front end hands it over, `{number, month, year}` (digits, spaces allowed):
/// [`BankCardInput::parse`] checks the number with its own error codes (`card_number.*`).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BankCard"))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BankCardInput {
    pub number: String,
    pub month: u8,
    pub year: u16,
}

impl BankCardInput {
    pub fn parse(self) -> Result<BankCard, crate::api::card_number::CardNumberError> {
        Ok(BankCard { number: CardNumber::parse(&self.number)?, month: self.month, year: self.year })
    }
}

/// Why no payment request was built (nothing was sent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error(transparent)]
    Izly(#[from] DebitBuildError),
    #[error(transparent)]
    Esipay(#[from] EsipayBuildError),
    /// The order is not paid by that service.
    #[error("sale {id_ticket_entete} is not paid by {service}")]
    WrongService { id_ticket_entete: String, service: &'static str },
    /// The till was given no client of the service that pays this order.
    #[error("this till has no {service} client to pay with")]
    NoClient { service: &'static str },
    #[error("an esipay payment needs the bank card")]
    MissingBankCard,
    /// IzlyPay pays web orders (`Till::open_order`), not a till's sale.
    #[error("IzlyPay pays web orders (openOrder), not a sale at the till")]
    WebOrderOnly,
}

/// The API clients a till pays through (those it was given).
#[derive(Debug, Clone, Copy, Default)]
pub struct PaymentApis<'a> {
    pub izly: Option<&'a IzlyPosApi>,
    pub esipay: Option<&'a EsipayApi>,
}

impl PaymentApis<'_> {
    /// Whether `method` can be paid (checked before a sale is opened: a sale that cannot be paid
    /// would hold the till).
    pub fn check(&self, method: &PaymentMethod, card: Option<&BankCard>) -> Result<(), OrderError> {
        match method {
            PaymentMethod::Esipay if self.esipay.is_none() => Err(OrderError::NoClient { service: "esipay" }),
            PaymentMethod::Esipay if card.is_none() => Err(OrderError::MissingBankCard),
            PaymentMethod::Esipay => Ok(()),
            PaymentMethod::IzlyPay { .. } => Err(OrderError::WebOrderOnly),
            _ if self.izly.is_none() => Err(OrderError::NoClient { service: "Izly" }),
            _ => Ok(()),
        }
    }
}

/// What to do for an order: send this request, or record this outcome (a request that could not
/// be built was never sent: declined).
#[derive(Debug, Clone)]
pub enum Prepared {
    Send(ApiRequest),
    Record(PaymentOutcome),
}

/// What to pay for sale `idTicketEntete`: `amount` euros by `method`, under `reference`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PaymentOrder {
    pub id_ticket_entete: String,
    pub numero_ticket: String,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub method: PaymentMethod,
    /// The Izly debit reference, or the esipay cid.
    pub reference: String,
}

impl PaymentOrder {
    pub(crate) fn of(sale: &SaleRecord) -> Self {
        PaymentOrder {
            id_ticket_entete: sale.id_ticket_entete.clone(),
            numero_ticket: sale.numero_ticket.clone(),
            amount: sale.amount,
            method: sale.method.clone(),
            reference: sale.reference.clone(),
        }
    }

    fn wrong(&self, service: &'static str) -> OrderError {
        OrderError::WrongService { id_ticket_entete: self.id_ticket_entete.clone(), service }
    }

    /// The payment's request through the till's clients ([`PaymentApis::check`] first).
    pub fn prepare(&self, apis: PaymentApis<'_>, card: Option<&BankCard>) -> Result<Prepared, OrderError> {
        apis.check(&self.method, card)?;
        let built = match (&self.method, apis.esipay, card) {
            (PaymentMethod::Esipay, Some(api), Some(card)) => self.esipay_request(api, card),
            (PaymentMethod::Esipay, _, _) => return Err(OrderError::MissingBankCard),
            (_, _, _) => self.izly_request(apis.izly.ok_or(OrderError::NoClient { service: "Izly" })?),
        };
        Ok(match built {
            Ok(request) => Prepared::Send(request),
            Err(e) => Prepared::Record(PaymentOutcome::Declined { code: e.code().into(), message: e.to_string() }),
        })
    }

    /// What the executor delivered for [`PaymentOrder::prepare`]'s request, read by core.
    pub fn outcome(&self, delivered: Result<Delivered, ExecutorError>) -> PaymentOutcome {
        fn parsed<T, E>(d: Result<Delivered, ExecutorError>, parse: Parser<T, E>) -> Result<Called<T>, CallError<E>> {
            let d = d?;
            match parse(d.response.status, &d.response.headers, &d.response.body) {
                Ok(value) => Ok(Called { value, attempts: d.attempts, reconciled: d.reconciled }),
                Err(error) => Err(CallError::Api { error, attempts: d.attempts }),
            }
        }
        match self.method {
            PaymentMethod::Esipay => PaymentOutcome::from_esipay(&parsed(delivered, parse_status)),
            _ => PaymentOutcome::from_izly_debit(&parsed(delivered, parse_debit)),
        }
    }

    /// The Izly debit (by QR code or card), idempotent by the order's reference.
    pub fn izly_request(&self, api: &IzlyPosApi) -> Result<ApiRequest, OrderError> {
        let target = match &self.method {
            PaymentMethod::IzlyQrCode { qr_code } => DebitTarget::QrCode(qr_code.clone()),
            PaymentMethod::IzlyCard { id_support, numero_applicatif, sam } => DebitTarget::Card(CardDebit {
                id_support: id_support.clone(),
                numero_applicatif: numero_applicatif.clone(),
                sam: sam.clone(),
            }),
            PaymentMethod::Esipay | PaymentMethod::IzlyPay { .. } => return Err(self.wrong("Izly")),
        };
        let reference = DebitReference::for_ticket(&api.point_of_sale(), &self.id_ticket_entete, 1);
        Ok(api.debit(&target, self.amount, &self.id_ticket_entete, &reference)?)
    }

    /// The esipay card payment, under the order's reference as cid.
    pub fn esipay_request(&self, api: &EsipayApi, card: &BankCard) -> Result<ApiRequest, OrderError> {
        if self.method != PaymentMethod::Esipay {
            return Err(self.wrong("esipay"));
        }
        Ok(api.pay(&self.reference, &card.number, card.month, card.year, self.amount)?)
    }
}

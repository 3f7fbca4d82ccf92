//! [`PaymentOrder`]: the payment a sale asks for once its intent is stored, and the request that
//! takes it (core's builders, so every front end sends the same bytes).

use super::record::{PaymentMethod, SaleRecord};
use crate::api::card_number::CardNumber;
use crate::api::esipay::{EsipayApi, EsipayBuildError};
use crate::api::izly_pos::{CardDebit, DebitBuildError, DebitReference, DebitTarget, IzlyPosApi};
use crate::api::ApiRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A bank card as the cashier keys it in, for one esipay payment (never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankCard {
    pub number: CardNumber,
    pub month: u8,
    pub year: u16,
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
}

/// What to pay for sale `idTicketEntete`: `amount` euros by `method`, under `reference`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOrder {
    pub id_ticket_entete: String,
    pub numero_ticket: String,
    #[serde(with = "crate::exact_decimal")]
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

    /// The Izly debit (by QR code or card), idempotent by the order's reference.
    pub fn izly_request(&self, api: &IzlyPosApi) -> Result<ApiRequest, OrderError> {
        let target = match &self.method {
            PaymentMethod::IzlyQrCode { qr_code } => DebitTarget::QrCode(qr_code.clone()),
            PaymentMethod::IzlyCard { id_support, numero_applicatif, sam } => DebitTarget::Card(CardDebit {
                id_support: id_support.clone(),
                numero_applicatif: numero_applicatif.clone(),
                sam: sam.clone(),
            }),
            PaymentMethod::Esipay => return Err(self.wrong("Izly")),
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

//! A till's payments through its clients: the sale engine's [`PaymentOrder`] paid, or a pending
//! sale's [`Settlement`] looked up, as both bindings' `Till` do it.

use super::esipay::EsipayClient;
use super::izly_pos::IzlyPosClient;
use super::transport::Transport;
use crate::sale::{
    BankCard, OrderError, PaymentApis, PaymentMethod, PaymentOrder, PaymentOutcome, Prepared, Settlement,
};

/// The clients a till pays through (either may be missing: `sale.no_payment_client`).
pub struct Payments<'a, T> {
    pub izly: Option<&'a IzlyPosClient<T>>,
    pub esipay: Option<&'a EsipayClient<T>>,
}

impl<T: Transport> Payments<'_, T> {
    fn apis(&self) -> PaymentApis<'_> {
        PaymentApis { izly: self.izly.map(|c| c.api()), esipay: self.esipay.map(|c| c.api()) }
    }

    /// Whether `method` can be paid: checked before a sale is opened, since a sale that cannot be
    /// paid would hold the till (`sale.no_payment_client`, `sale.missing_bank_card`).
    pub fn check(&self, method: &PaymentMethod, card: Option<&BankCard>) -> Result<(), OrderError> {
        self.apis().check(method, card)
    }

    /// Sends a pending sale's payment as core prepares it; core's reading of the answer.
    pub async fn pay(&self, order: &PaymentOrder, card: Option<&BankCard>) -> Result<PaymentOutcome, OrderError> {
        match order.prepare(self.apis(), card)? {
            Prepared::Record(outcome) => Ok(outcome),
            Prepared::Send(request) => {
                let delivered = match order.method {
                    PaymentMethod::Esipay => self.esipay.map(|c| c.transport().execute(&request)),
                    _ => self.izly.map(|c| c.transport().execute(&request)),
                };
                Ok(order.outcome(delivered.expect("checked by prepare").await))
            }
        }
    }

    /// What a reopened till learns of a pending sale: its look-up's answer, or "interrupted".
    pub async fn settle(&self, settlement: &Settlement) -> Result<PaymentOutcome, OrderError> {
        let request = settlement.request(self.izly.map(|c| c.api()))?;
        let delivered = match (request, self.izly) {
            (Some(request), Some(izly)) => Some(izly.transport().execute(&request).await),
            _ => None,
        };
        Ok(settlement.outcome(delivered))
    }
}

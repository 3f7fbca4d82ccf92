//! esipay v2 (specs 004): card payments and refunds. Card numbers never leave unmasked: not in
//! results, not in errors (the gateway's own text is masked too).

use super::failure::Failure;
use super::options::{environment, RetryOptions};
use super::transport::{call, Transport};
use crate::api::card_number::mask_card_numbers;
use crate::api::esipay::{parse_status, EsipayApi};
use crate::api::{ApiRequest, RetryPolicy};
use crate::sale::BankCardInput;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `new Esipay(options)` in both packages.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EsipayOptions {
    /// A base URL (esipay has no preproduction; the sandbox's for tests), or `"prod"`.
    pub environment: String,
    /// The enterprise's uuid.
    pub uuid: String,
    pub retry: Option<RetryOptions>,
}

/// `pay`'s argument: the merchant's payment id, the card as the till's sale takes it, the amount.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CardPayment {
    pub cid: String,
    pub card: BankCardInput,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
}

/// `pay`'s result: the card masked, the gateway's answer masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EsipayPaid {
    pub cid: String,
    pub card: String,
    /// Euros, with their cents (`"12.50"`).
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub body: String,
    pub attempts: u32,
}

/// A refund's result: the gateway's answer (masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EsipayAnswer {
    pub body: String,
    pub attempts: u32,
}

/// esipay for one registered enterprise, over a binding's [`Transport`].
pub struct EsipayClient<T> {
    api: EsipayApi,
    transport: T,
}

impl<T: Transport> EsipayClient<T> {
    pub fn new(
        options: EsipayOptions,
        transport: impl FnOnce(RetryPolicy) -> Result<T, Failure>,
    ) -> Result<Self, Failure> {
        let env = environment(&options.environment).map_err(|e| Failure::of(&e))?;
        let api = EsipayApi::new(&env, options.uuid).map_err(|e| Failure::of(&e))?;
        Ok(EsipayClient { api, transport: transport(RetryOptions::policy(options.retry.as_ref()))? })
    }

    pub fn api(&self) -> &EsipayApi {
        &self.api
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Pays with a card. esipay calls the return URL before answering: the payment stands only
    /// if it answered 200 (otherwise `esipay.service_error`, the payment cancelled). Never resent
    /// blindly: a lost answer is `network.outcome_unknown`.
    pub async fn pay(&self, payment: CardPayment) -> Result<EsipayPaid, Failure> {
        let card = payment.card.parse().map_err(|e| Failure::of(&e))?;
        let request = self
            .api
            .pay(&payment.cid, &card.number, card.month, card.year, payment.amount)
            .map_err(|e| Failure::of(&e))?;
        let answer = self.send(&request).await?;
        // In cents, as charged (the builder refused anything finer).
        let mut amount = payment.amount;
        amount.rescale(2);
        Ok(EsipayPaid {
            cid: payment.cid,
            card: card.number.masked(),
            amount,
            body: answer.body,
            attempts: answer.attempts,
        })
    }

    /// Refunds what remains of a transaction.
    pub async fn refund(&self, transaction: &str) -> Result<EsipayAnswer, Failure> {
        self.send(&self.api.refund(transaction).map_err(|e| Failure::of(&e))?).await
    }

    /// Refunds part of a transaction (the gateway refuses more than what remains).
    pub async fn partial_refund(&self, transaction: &str, amount: Decimal) -> Result<EsipayAnswer, Failure> {
        self.send(&self.api.partial_refund(transaction, amount).map_err(|e| Failure::of(&e))?).await
    }

    async fn send(&self, request: &ApiRequest) -> Result<EsipayAnswer, Failure> {
        let c = call(&self.transport, request, parse_status)
            .await
            .map_err(|e| Failure::of_call(&e).map_message(mask_card_numbers))?;
        Ok(EsipayAnswer { body: mask_card_numbers(&c.value.body), attempts: c.attempts })
    }
}

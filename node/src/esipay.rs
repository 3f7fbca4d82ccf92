//! esipay v2 (specs 004): card payments, full and partial refunds, and the return-URL handler.
//!
//! esipay POSTs the result of a payment to the enterprise's return URL and cancels the payment
//! unless that URL answers 200. The handler answers 200 only for a transaction this server started
//! (its `cid`) and for the amount it asked; anything else gets a non-200 answer, so a forged or
//! altered return never stands. Card numbers never leave this module unmasked.

use crate::client::executor;
use crate::izly_pay::{body, headers};
use crate::js::{from_js, from_js_opt, promise, sync, to_js, Failure};
use crous_till_core::api::esipay::{parse_return, ExpectedPayment};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::client::{handle_esipay_return, CardPayment, EsipayClient, EsipayOptions, ReturnView};
use crous_till_core::exact_decimal::Exact;
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8Array, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// The esipay client of one enterprise.
#[napi]
pub struct Esipay {
    client: Arc<EsipayClient<NativeExecutor>>,
}

impl Esipay {
    /// The client, for the sale engine's payments ([`crate::till`]).
    pub(crate) fn client(&self) -> Arc<EsipayClient<NativeExecutor>> {
        self.client.clone()
    }
}

#[napi]
impl Esipay {
    #[napi(constructor, ts_args_type = "options: EsipayOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let made = from_js::<EsipayOptions>(&env, options, "options").and_then(|o| EsipayClient::new(o, executor));
        sync(&env, made).map(|c| Esipay { client: Arc::new(c) })
    }

    /// Pays with a card. esipay calls the return URL before answering: the payment stands only if
    /// it answered 200 (otherwise `esipay.service_error`, the payment cancelled). Never resent
    /// blindly: a lost answer is `network.outcome_unknown`. Errors also `esipay.invalid_*`,
    /// `card_number.*`.
    #[napi(ts_args_type = "payment: CardPayment", ts_return_type = "Promise<EsipayPaid>")]
    pub fn pay<'e>(&self, env: &'e Env, payment: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let payment: CardPayment = crate::ready!(env, from_js(env, payment, "payment"));
        let client = self.client.clone();
        promise(env, async move { to_js(&client.pay(payment).await?) })
    }

    /// Refunds what remains of a transaction.
    #[napi(ts_return_type = "Promise<EsipayAnswer>")]
    pub fn refund<'e>(&self, env: &'e Env, transaction: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let client = self.client.clone();
        promise(env, async move { to_js(&client.refund(&transaction).await?) })
    }

    /// Refunds part of a transaction (never more than what remains).
    #[napi(ts_args_type = "transaction: string, amount: Amount", ts_return_type = "Promise<EsipayAnswer>")]
    pub fn partial_refund<'e>(
        &self,
        env: &'e Env,
        transaction: String,
        refund_amount: Unknown,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let amount = crate::ready!(env, from_js::<Exact>(env, refund_amount, "amount")).0;
        let client = self.client.clone();
        promise(env, async move { to_js(&client.partial_refund(&transaction, amount).await?) })
    }

    /// Reads a return POST without trusting it (to find the `cid` it names). Throws
    /// `esipay.return_*`.
    #[napi(ts_args_type = "headers: IncomingHeaders, body: string | Uint8Array", ts_return_type = "EsipayReturn")]
    pub fn parse_return(
        &self,
        env: Env,
        headers_in: Unknown,
        body_in: Either<String, Uint8Array>,
    ) -> napi::Result<Value> {
        let parsed = headers(&env, headers_in)
            .and_then(|h| parse_return(&h, &body(body_in)).map_err(|e| Failure::of(&e)))
            .and_then(|n| to_js(&ReturnView::from(&n)));
        sync(&env, parsed)
    }

    /// Handles a return POST: accepted (answer 200) only if it is a card payment of the payment
    /// `expected` (the one this server started under that `cid`: `null` when it knows none) for
    /// that amount. Otherwise `accepted` is false, `error` says why, and `answer` is a non-200
    /// (400 unreadable, 409 not ours), which makes esipay cancel the payment.
    #[napi(
        ts_args_type = "headers: IncomingHeaders, body: string | Uint8Array, expected: ExpectedCardPayment | null",
        ts_return_type = "EsipayReturnOutcome"
    )]
    pub fn handle_return(
        &self,
        env: Env,
        headers_in: Unknown,
        body_in: Either<String, Uint8Array>,
        expected: Option<Unknown>,
    ) -> napi::Result<Value> {
        let expected: Option<ExpectedPayment> = sync(&env, from_js_opt(&env, expected, "expected"))?;
        let h = sync(&env, headers(&env, headers_in))?;
        sync(&env, to_js(&handle_esipay_return(&h, &body(body_in), expected.as_ref())))
    }
}

//! esipay v2 (specs 004): card payments, full and partial refunds, and the return-URL handler.
//!
//! esipay POSTs the result of a payment to the enterprise's return URL and cancels the payment
//! unless that URL answers 200. The handler answers 200 only for a transaction this server started
//! (its `cid`) and for the amount it asked; anything else gets a non-200 answer, so a forged or
//! altered return never stands. Card numbers never leave this module unmasked.

use crate::client::{call, environment, executor, RetryOptions};
use crate::izly_pay::{body, headers};
use crate::js::{from_js, from_js_opt, promise, sync, Failure};
use crous_till_core::api::card_number::mask_card_numbers;
use crous_till_core::api::esipay::{
    parse_return, parse_status, return_ok_answer, EsipayApi, ExpectedPayment, PaymentType, ReturnNotification,
};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::{ApiResponse, CardNumber};
use crous_till_core::error_code::ErrorCode;
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8Array, Unknown};
use napi::Env;
use napi_derive::napi;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

#[napi(object)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EsipayOptions {
    /// A base URL (esipay has no preprod; the sandbox's for tests).
    pub environment: String,
    /// The enterprise's uuid.
    pub uuid: String,
    pub retry: Option<RetryOptions>,
}

/// `pay`'s argument (`CardPayment` in the types).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CardPayment {
    cid: String,
    card: String,
    month: u32,
    year: u32,
    #[serde(with = "crous_till_core::exact_decimal")]
    amount: Decimal,
}

/// An amount argument: a JS number or a numeric string, read exactly.
#[derive(Deserialize)]
#[serde(transparent)]
struct AmountIn(#[serde(with = "crous_till_core::exact_decimal")] Decimal);

/// Masks card numbers in text from the gateway (core's rule).
fn mask(text: &str) -> String {
    mask_card_numbers(text)
}

fn masked_failure(mut f: Failure) -> Failure {
    f.message = mask(&f.message);
    f
}

/// The esipay client of one enterprise.
#[napi]
pub struct Esipay {
    api: EsipayApi,
    executor: NativeExecutor,
}

impl Esipay {
    /// The enterprise's esipay API and executor, for the sale engine's payments ([`crate::till`]).
    pub(crate) fn parts(&self) -> (EsipayApi, NativeExecutor) {
        (self.api.clone(), self.executor.clone())
    }
}

#[napi]
impl Esipay {
    #[napi(constructor, ts_args_type = "options: EsipayOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let options: EsipayOptions = sync(&env, from_js(&env, options, "options"))?;
        let made = EsipayApi::new(&environment(&options.environment), options.uuid)
            .map_err(|e| Failure::of(&e))
            .and_then(|api| Ok(Esipay { api, executor: executor(options.retry.as_ref())? }));
        sync(&env, made)
    }

    /// Pays with a card. esipay calls the return URL before answering: the payment stands only if
    /// it answered 200 (otherwise `esipay.service_error`, the payment cancelled). Never resent
    /// blindly: a lost answer is `network.outcome_unknown`. Errors also `esipay.invalid_*`,
    /// `card_number.*`.
    #[napi(ts_args_type = "payment: CardPayment", ts_return_type = "Promise<EsipayPaid>")]
    pub fn pay<'e>(&self, env: &'e Env, payment: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let payment: CardPayment = crate::ready!(env, from_js(env, payment, "payment"));
        let built = (|| {
            let card = CardNumber::parse(&payment.card).map_err(|e| Failure::of(&e))?;
            let amount = payment.amount;
            let month = u8::try_from(payment.month).unwrap_or(u8::MAX);
            let year = u16::try_from(payment.year).unwrap_or(u16::MAX);
            let request = self.api.pay(&payment.cid, &card, month, year, amount).map_err(|e| Failure::of(&e))?;
            Ok((request, card.masked(), amount))
        })();
        let (request, masked, amount) = crate::ready!(env, built);
        let (cid, executor) = (payment.cid, self.executor.clone());
        promise(env, async move {
            let ok = call(&executor, &request, parse_status).await.map_err(masked_failure)?;
            Ok(json!({"cid": cid, "card": masked, "amount": format!("{amount:.2}"), "body": mask(&ok.body)}))
        })
    }

    /// Refunds what remains of a transaction.
    #[napi(ts_return_type = "Promise<EsipayAnswer>")]
    pub fn refund<'e>(&self, env: &'e Env, transaction: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = crate::ready!(env, self.api.refund(&transaction).map_err(|e| Failure::of(&e)));
        self.send(env, request)
    }

    /// Refunds part of a transaction (never more than what remains).
    #[napi(ts_args_type = "transaction: string, amount: Amount", ts_return_type = "Promise<EsipayAnswer>")]
    pub fn partial_refund<'e>(
        &self,
        env: &'e Env,
        transaction: String,
        refund_amount: Unknown,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let built = from_js::<AmountIn>(env, refund_amount, "amount")
            .and_then(|a| self.api.partial_refund(&transaction, a.0).map_err(|e| Failure::of(&e)));
        let request = crate::ready!(env, built);
        self.send(env, request)
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
            .map(|n| shown(&n));
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
        let n = match parse_return(&h, &body(body_in)) {
            Ok(n) => n,
            Err(e) => return Ok(refused(400, e.code(), &e.to_string(), Value::Null)),
        };
        let why = n.confirm(expected.as_ref()).err().map(|e| (e.code(), e.to_string()));
        Ok(match why {
            Some((code, message)) => refused(409, code, &message, shown(&n)),
            None => json!({
                "accepted": true, "notification": shown(&n), "error": null, "answer": answer(&return_ok_answer()),
            }),
        })
    }
}

impl Esipay {
    fn send<'e>(&self, env: &'e Env, request: crous_till_core::api::ApiRequest) -> napi::Result<PromiseRaw<'e, Value>> {
        let executor = self.executor.clone();
        promise(env, async move {
            let ok = call(&executor, &request, parse_status).await.map_err(masked_failure)?;
            Ok(json!({"body": mask(&ok.body)}))
        })
    }
}

fn shown(n: &ReturnNotification) -> Value {
    let kind = match &n.payment_type {
        PaymentType::Card => "card".to_owned(),
        PaymentType::Other(t) => t.clone(),
    };
    json!({"type": kind, "amount": n.amount.to_string(), "transaction": n.transaction, "cid": n.cid})
}

fn answer(r: &ApiResponse) -> Value {
    crate::izly_pay::answer(r)
}

fn refused(status: u16, code: &str, message: &str, notification: Value) -> Value {
    let r = ApiResponse::new(status, vec![("Content-Type".into(), "text/plain".into())], message.as_bytes().to_vec());
    json!({
        "accepted": false, "notification": notification, "error": {"code": code, "message": message}, "answer": answer(&r),
    })
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn card_numbers_in_gateway_text_are_masked() {
        assert_eq!(mask("card 4970100000000014 refused"), "card ************0014 refused");
        assert_eq!(mask("4970100000000014"), "************0014");
        // Short digit runs (amounts, codes, transaction ids) are left alone.
        assert_eq!(mask("invalid_amount: 12.50 (code 400, tx 123456)"), "invalid_amount: 12.50 (code 400, tx 123456)");
        assert_eq!(mask(""), "");
    }
}

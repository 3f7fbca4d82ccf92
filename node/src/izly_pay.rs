//! IzlyPay (specs 003): init, details, refund, and the callback handler.
//!
//! The spec's callback carries no signature ("Callback de notification" is a plain JSON POST), so
//! the handler never trusts it: it reads the body with core's parser, fetches the payment with
//! `GET WebPayments/{id}`, runs core's `CallbackNotification::verify` against the order the
//! server expects, and returns the answer body core builds.

use crate::client::{call, environment, retry_executor, RetryOptions};
use crate::js::{from_js, promise, sync, to_js, Failure, Outcome};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_connect::IzlyApiKey;
use crous_till_core::api::izly_pay::{
    parse_callback, parse_init, parse_payment_details, parse_refund, InitPayment, IzlyPayApi,
};
use crous_till_core::api::ApiResponse;
use crous_till_core::client::{CallbackOutcome, ExpectedOrder};
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8Array, Unknown};
use napi::Env;
use napi_derive::napi;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IzlyPayOptions {
    /// `"preprod"`, `"prod"` or a base URL (the sandbox's).
    pub environment: String,
    /// The partner's `AppIdentifier`.
    pub app_identifier: String,
    /// The partner's key, sent as `Authorization: Basic <key>`.
    pub api_key: String,
    pub retry: Option<RetryOptions>,
}

/// `init`'s argument: the order, amount in euros (sent as cents, as the spec wants).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InitInput {
    #[serde(with = "crous_till_core::exact_decimal")]
    amount: Decimal,
    client_order_id: String,
    callback_parameters: Option<String>,
    redirect_url_after_payment: Option<String>,
    message: Option<String>,
    software: Option<u32>,
}

/// An HTTP answer for the server to write as is.
pub fn answer(r: &ApiResponse) -> Value {
    serde_json::to_value(crous_till_core::client::HttpAnswer::from(r)).unwrap_or(Value::Null)
}

/// Request headers as Node gives them (`req.headers`): names to a value or a list of values.
pub fn headers(env: &Env, value: Unknown) -> Outcome<Vec<(String, String)>> {
    let map: serde_json::Map<String, Value> = from_js(env, value, "headers")?;
    let mut out = Vec::new();
    for (name, v) in map {
        match v {
            Value::String(s) => out.push((name, s)),
            Value::Array(list) => {
                out.extend(list.into_iter().filter_map(|x| x.as_str().map(|s| (name.clone(), s.into()))))
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A request body: the raw bytes (a `Buffer`) or text.
pub fn body(b: Either<String, Uint8Array>) -> Vec<u8> {
    match b {
        Either::A(s) => s.into_bytes(),
        Either::B(bytes) => bytes.to_vec(),
    }
}

/// An IzlyPay partner: starts web payments, reads and refunds them, and checks callbacks.
#[napi]
pub struct IzlyPay {
    api: IzlyPayApi,
    executor: NativeExecutor,
}

impl IzlyPay {
    /// The API and executor, for the till's web orders (`Till.setIzlyPay`).
    pub(crate) fn parts(&self) -> (IzlyPayApi, NativeExecutor) {
        (self.api.clone(), self.executor.clone())
    }
}

#[napi]
impl IzlyPay {
    #[napi(constructor, ts_args_type = "options: IzlyPayOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let options: IzlyPayOptions = sync(&env, from_js(&env, options, "options"))?;
        let made = environment(&options.environment)
            .and_then(|e| {
                IzlyPayApi::new(&e, options.app_identifier, IzlyApiKey::new(options.api_key))
                    .map_err(|e| Failure::of(&e))
            })
            .and_then(|api| Ok(IzlyPay { api, executor: retry_executor(options.retry.as_ref())? }));
        sync(&env, made)
    }

    /// Starts a payment; send the customer's browser to `PaymentAuthorizationUrl`. Errors:
    /// `izly_pay.invalid_amount`, `izly_pay.missing_client_order_id`, `izly_pay.*`, `network.*`.
    #[napi(ts_args_type = "order: IzlyPayOrder", ts_return_type = "Promise<IzlyPayInit>")]
    pub fn init<'e>(&self, env: &'e Env, order: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let built = from_js::<InitInput>(env, order, "order").and_then(|o| {
            let p = InitPayment {
                amount: o.amount,
                client_order_id: o.client_order_id,
                callback_parameters: o.callback_parameters,
                redirect_url_after_payment: o.redirect_url_after_payment,
                message: o.message,
                software: o.software,
            };
            self.api.init_payment(&p).map_err(|e| Failure::of(&e))
        });
        let request = crate::ready!(env, built);
        let executor = self.executor.clone();
        promise(env, async move {
            let r = call(&executor, &request, parse_init).await?;
            Ok(json!({
                "PaymentAuthorizationUrl": r.payment_authorization_url,
                "OperationSMoney": to_js(&r.operation)?,
                "Beneficiary": r.beneficiary,
            }))
        })
    }

    /// The payment as Izly knows it (`GET WebPayments/{id}`).
    #[napi(ts_return_type = "Promise<WebPaymentDetails>")]
    pub fn get<'e>(&self, env: &'e Env, operation_id: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let (request, executor) = (self.api.payment_details(&operation_id), self.executor.clone());
        promise(env, async move { to_js(&call(&executor, &request, parse_payment_details).await?) })
    }

    /// Refunds a completed payment, once (a second refund is refused: `izly_pay.refused`). A lost
    /// answer is reconciled by reading the payment back, never by refunding again.
    #[napi(ts_return_type = "Promise<IzlyPayRefund>")]
    pub fn refund<'e>(
        &self,
        env: &'e Env,
        operation_id: String,
        client_order_id: String,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let (request, executor) = (self.api.refund(&operation_id, &client_order_id), self.executor.clone());
        promise(env, async move { to_js(&call(&executor, &request, parse_refund).await?) })
    }

    /// Reads a callback body without trusting it (to find the order it names). Throws
    /// `izly_pay.callback_content_type` or `izly_pay.callback_malformed`.
    #[napi(ts_args_type = "headers: IncomingHeaders, body: string | Uint8Array", ts_return_type = "IzlyPayCallback")]
    pub fn parse_callback(
        &self,
        env: Env,
        headers_in: Unknown,
        body_in: Either<String, Uint8Array>,
    ) -> napi::Result<Value> {
        let parsed = headers(&env, headers_in)
            .and_then(|h| parse_callback(&h, &body(body_in)).map_err(|e| Failure::of(&e)))
            .and_then(|n| to_js(&n));
        sync(&env, parsed)
    }

    /// Handles a callback: parses it, confirms it with `GET WebPayments/{id}`, checks it is the
    /// `expected` order and amount, and resolves with the answer to write back. Never rejects for
    /// a bad or forged callback: `confirmed` is false, `error` says why, and `answer` is core's
    /// error answer (400 malformed; 409 unknown payment, not this order or amount, or not completed;
    /// 503 when Izly could not be asked, so that the callback comes again).
    #[napi(
        ts_args_type = "headers: IncomingHeaders, body: string | Uint8Array, expected: ExpectedPayment",
        ts_return_type = "Promise<IzlyPayCallbackOutcome>"
    )]
    pub fn confirm_callback<'e>(
        &self,
        env: &'e Env,
        headers_in: Unknown,
        body_in: Either<String, Uint8Array>,
        expected: Unknown,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let expected: ExpectedOrder = crate::ready!(env, from_js(env, expected, "expected"));
        let headers_read = crate::ready!(env, headers(env, headers_in));
        let parsed = parse_callback(&headers_read, &body(body_in));
        let api = self.api.clone();
        let executor = self.executor.clone();
        promise(env, async move {
            let n = match parsed {
                Ok(n) => n,
                Err(e) => return to_js(&CallbackOutcome::unreadable(&e)),
            };
            let request = api.payment_details(&n.operation.id);
            let fetched = executor.call(&request, parse_payment_details).await.map(|c| c.value);
            to_js(&CallbackOutcome::confirmed_by(n, fetched, &expected))
        })
    }
}

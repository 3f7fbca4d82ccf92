//! `EsipayClient`: bank card payments and refunds through the esipay v2 gateway (specs 004).
//! The card number stays masked in every error and log (core's `CardNumber`).
//! esipay checks the caller's IP address: in production it is called from a server; the browser
//! client exists for tills on a registered address and for the sandbox.

use crate::call::{amount, build_error, call, call_error, promise, RetryOptions};
use crate::js::{from_js, to_js};
use crous_till_core::api::esipay::{self, EsipayApi, EsipayOk};
use crous_till_core::api::{ApiRequest, CardNumber, Environment};
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    base_url: String,
    uuid: String,
    #[serde(flatten)]
    retry: RetryOptions,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankCard {
    number: String,
    month: u8,
    year: u16,
}

struct Inner {
    api: EsipayApi,
    retry: RetryOptions,
}

/// esipay for one registered enterprise (its uuid).
#[wasm_bindgen]
pub struct EsipayClient {
    inner: Rc<Inner>,
}

impl EsipayClient {
    /// The enterprise's esipay API and retry policy, for the sale engine's payments ([`crate::sale`]).
    pub(crate) fn parts(&self) -> (EsipayApi, crous_till_core::api::RetryPolicy) {
        (self.inner.api.clone(), self.inner.retry.policy())
    }
}

#[wasm_bindgen]
impl EsipayClient {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsipayClientOptions")] options: JsValue,
    ) -> Result<EsipayClient, JsValue> {
        let o: Options = from_js(&options, "options")?;
        let api = EsipayApi::new(&Environment::Custom(o.base_url), o.uuid).map_err(build_error)?;
        Ok(EsipayClient { inner: Rc::new(Inner { api, retry: o.retry }) })
    }

    /// Card payment `cid` (the merchant's payment id). Settled only once the gateway's POST to
    /// the return URL was answered 200 (specs 004).
    #[wasm_bindgen(unchecked_return_type = "Promise<EsipayResult>")]
    pub fn pay(
        &self,
        cid: String,
        #[wasm_bindgen(unchecked_param_type = "BankCard")] card: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Amount")] euros: JsValue,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let card: BankCard = from_js(&card, "card")?;
            let number = CardNumber::parse(&card.number).map_err(build_error)?;
            let amount = amount(&euros, "amount")?;
            let req = self.inner.api.pay(&cid, &number, card.month, card.year, amount).map_err(build_error)?;
            Ok(self.send(req))
        })())
    }

    /// Full refund of a transaction (the id the return URL received).
    #[wasm_bindgen(unchecked_return_type = "Promise<EsipayResult>")]
    pub fn refund(&self, transaction: String) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let req = self.inner.api.refund(&transaction).map_err(build_error)?;
            Ok(self.send(req))
        })())
    }

    /// Partial refund; the gateway refuses more than what remains (400).
    #[wasm_bindgen(js_name = partialRefund, unchecked_return_type = "Promise<EsipayResult>")]
    pub fn partial_refund(
        &self,
        transaction: String,
        #[wasm_bindgen(unchecked_param_type = "Amount")] euros: JsValue,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let amount = amount(&euros, "amount")?;
            let req = self.inner.api.partial_refund(&transaction, amount).map_err(build_error)?;
            Ok(self.send(req))
        })())
    }
}

impl EsipayClient {
    fn send(&self, req: ApiRequest) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let a = call(&req, inner.retry.policy(), esipay::parse_status).await.map_err(|e| call_error(&e))?;
            let EsipayOk { body } = a.value;
            #[derive(serde::Serialize)]
            struct Answer {
                body: String,
                attempts: u32,
            }
            to_js(&Answer { body, attempts: a.attempts })
        })
    }
}

//! `Esipay`: bank card payments and refunds through the esipay v2 gateway (specs 004), core's
//! [`EsipayClient`] over `fetch`. The card number stays masked in every result and error.
//! esipay checks the caller's IP address: in production it is called from a server; the browser
//! client exists for tills on a registered address and for the sandbox.

use crate::call::promise;
use crate::fetch::{transport, FetchTransport};
use crate::js::{failure, from_js, to_js};
use crous_till_core::client::{CardPayment, EsipayClient, EsipayOptions};
use crous_till_core::exact_decimal::Exact;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// esipay for one registered enterprise (its uuid).
#[wasm_bindgen]
pub struct Esipay {
    client: Rc<EsipayClient<FetchTransport>>,
}

impl Esipay {
    /// The client, for the sale engine's payments ([`crate::sale`]).
    pub(crate) fn client(&self) -> Rc<EsipayClient<FetchTransport>> {
        self.client.clone()
    }
}

#[wasm_bindgen]
impl Esipay {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "EsipayOptions")] options: JsValue) -> Result<Esipay, JsValue> {
        let options: EsipayOptions = from_js(&options, "options")?;
        let client = EsipayClient::new(options, transport).map_err(failure)?;
        Ok(Esipay { client: Rc::new(client) })
    }

    /// Card payment `cid` (the merchant's payment id). Settled only once the gateway's POST to
    /// the return URL was answered 200 (specs 004).
    #[wasm_bindgen(unchecked_return_type = "Promise<EsipayPaid>")]
    pub fn pay(&self, #[wasm_bindgen(unchecked_param_type = "CardPayment")] payment: JsValue) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let payment: CardPayment = from_js(&payment, "payment")?;
            let client = self.client.clone();
            Ok(future_to_promise(async move { to_js(&client.pay(payment).await.map_err(failure)?) }))
        })())
    }

    /// Full refund of a transaction (the id the return URL received).
    #[wasm_bindgen(unchecked_return_type = "Promise<EsipayAnswer>")]
    pub fn refund(&self, transaction: String) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move { to_js(&client.refund(&transaction).await.map_err(failure)?) })
    }

    /// Partial refund; the gateway refuses more than what remains (400).
    #[wasm_bindgen(js_name = partialRefund, unchecked_return_type = "Promise<EsipayAnswer>")]
    pub fn partial_refund(
        &self,
        transaction: String,
        #[wasm_bindgen(unchecked_param_type = "Amount")] euros: JsValue,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let amount = from_js::<Exact>(&euros, "amount")?.0;
            let client = self.client.clone();
            Ok(future_to_promise(
                async move { to_js(&client.partial_refund(&transaction, amount).await.map_err(failure)?) },
            ))
        })())
    }
}

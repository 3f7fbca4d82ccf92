//! `IzlyPosClient`: Izly payments at the till (searchQRCode, debits by QR code or card).
//! A debit is never resent blindly: after a lost answer core looks its reference up first.

use crate::call::{amount, build_error, call, call_error, promise, RetryOptions};
use crate::js::{from_js, to_js};
use crous_till_core::api::izly_pos::{
    self, CardDebit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosKey, RightHolder,
};
use crous_till_core::api::Environment;
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::Decimal;
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    base_url: String,
    point_of_sale: String,
    izly_key: String,
    #[serde(flatten)]
    retry: RetryOptions,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Card {
    id_support: String,
    numero_applicatif: String,
    #[serde(default)]
    sam: Option<String>,
}

struct Inner {
    api: IzlyPosApi,
    point_of_sale: PointOfSale,
    retry: RetryOptions,
}

/// Izly POS payments for one till.
#[wasm_bindgen]
pub struct IzlyPosClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl IzlyPosClient {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "IzlyPosClientOptions")] options: JsValue,
    ) -> Result<IzlyPosClient, JsValue> {
        let o: Options = from_js(&options, "options")?;
        let pos: PointOfSale = o.point_of_sale.parse().map_err(build_error)?;
        let api =
            IzlyPosApi::new(&Environment::Custom(o.base_url), IzlyPosKey::new(o.izly_key), pos).map_err(build_error)?;
        Ok(IzlyPosClient { inner: Rc::new(Inner { api, point_of_sale: pos, retry: o.retry }) })
    }

    /// Who is behind a scanned QR code (profile, codeClient, balance).
    #[wasm_bindgen(js_name = searchQrCode, unchecked_return_type = "Promise<RightHolder>")]
    pub fn search_qr_code(&self, qr_text: String) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let req = inner.api.search_qr_code(&qr_text);
            let answer = call(&req, inner.retry.policy(), izly_pos::parse_search_qr_code).await;
            to_js(&answer.map_err(|e| call_error(&e))?.value)
        })
    }

    /// Who the tapped card belongs to (idSupport and numeroApplicatif from its ZDC). Rejects with
    /// `izly_pos.unknown_card`, `izly_pos.account_blocked` or `izly_pos.right_expired` (the
    /// cashier may then sell as a visitor).
    #[wasm_bindgen(js_name = searchCard, unchecked_return_type = "Promise<RightHolder>")]
    pub fn search_card(&self, #[wasm_bindgen(unchecked_param_type = "IzlyCard")] card: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let card: Card = from_js(&card, "card")?;
            let req = inner.api.search_card(&card.id_support, &card.numero_applicatif);
            let answer = call(&req, inner.retry.policy(), izly_pos::parse_search_card).await;
            to_js(&answer.map_err(|e| call_error(&e))?.value)
        })
    }

    /// Debits the account behind a QR code for the ticket `idTicketEntete`.
    #[wasm_bindgen(js_name = debitQrCode, unchecked_return_type = "Promise<DebitResult>")]
    pub fn debit_qr_code(
        &self,
        qr_text: String,
        #[wasm_bindgen(unchecked_param_type = "Amount")] euros: JsValue,
        id_ticket_entete: String,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let amount = amount(&euros, "amount")?;
            Ok(self.debit(DebitTarget::QrCode(qr_text), amount, id_ticket_entete))
        })())
    }

    /// Debits the account of an Izly card (idSupport and numeroApplicatif from its ZDC).
    #[wasm_bindgen(js_name = debitCard, unchecked_return_type = "Promise<DebitResult>")]
    pub fn debit_card(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IzlyCard")] card: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Amount")] euros: JsValue,
        id_ticket_entete: String,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let card: Card = from_js(&card, "card")?;
            let amount = amount(&euros, "amount")?;
            let target = DebitTarget::Card(CardDebit {
                id_support: card.id_support,
                numero_applicatif: card.numero_applicatif,
                sam: card.sam,
            });
            Ok(self.debit(target, amount, id_ticket_entete))
        })())
    }
}

impl IzlyPosClient {
    /// The till's Izly API and retry policy, for the sale engine's payments ([`crate::sale`]).
    pub(crate) fn parts(&self) -> (IzlyPosApi, crous_till_core::api::RetryPolicy) {
        (self.inner.api.clone(), self.inner.retry.policy())
    }

    /// One payment per ticket: the reference is the ticket's, so a repeated call for the same
    /// ticket is the same debit (the service answers it again instead of debiting twice).
    fn debit(&self, target: DebitTarget, amount: Decimal, id_ticket_entete: String) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let reference = DebitReference::for_ticket(&inner.point_of_sale, &id_ticket_entete, 1);
            let req = inner.api.debit(&target, amount, &id_ticket_entete, &reference).map_err(build_error)?;
            let a = call(&req, inner.retry.policy(), izly_pos::parse_debit).await.map_err(|e| call_error(&e))?;
            #[derive(serde::Serialize)]
            struct Debited {
                debit: izly_pos::Debit,
                attempts: u32,
                reconciled: bool,
            }
            to_js(&Debited { debit: a.value, attempts: a.attempts, reconciled: a.reconciled })
        })
    }
}

/// The ticket's customer fields from a searchQRCode answer (core's `to_izly_customer`).
#[wasm_bindgen(js_name = rightHolderCustomer, unchecked_return_type = "IzlyCustomer")]
pub fn right_holder_customer(
    #[wasm_bindgen(unchecked_param_type = "RightHolder")] right_holder: JsValue,
) -> Result<JsValue, JsValue> {
    let r: RightHolder = from_js(&right_holder, "rightHolder")?;
    to_js(&r.to_izly_customer())
}

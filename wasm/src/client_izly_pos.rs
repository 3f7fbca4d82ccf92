//! `IzlyPos`: Izly payments at the till, core's [`IzlyPosClient`] over `fetch`. Searches answer
//! the right holder with its profile and the ticket's customer; a debit's reference is the
//! ticket's, so a lost answer is looked up, never debited twice (core's rules).

use crate::call::promise;
use crate::fetch::{transport, FetchTransport};
use crate::js::{failure, from_js, to_js};
use crous_till_core::client::{CardDebitInput, IzlyCard, IzlyPosClient, IzlyPosOptions, QrCodeDebit};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Izly POS payments for one till.
#[wasm_bindgen]
pub struct IzlyPos {
    client: Rc<IzlyPosClient<FetchTransport>>,
}

#[wasm_bindgen]
impl IzlyPos {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "IzlyPosOptions")] options: JsValue) -> Result<IzlyPos, JsValue> {
        let options: IzlyPosOptions = from_js(&options, "options")?;
        let client = IzlyPosClient::new(options, transport).map_err(failure)?;
        Ok(IzlyPos { client: Rc::new(client) })
    }

    /// Who is behind a scanned QR code.
    #[wasm_bindgen(js_name = searchQrCode, unchecked_return_type = "Promise<QrCodeHolder>")]
    pub fn search_qr_code(&self, qr_code: String) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move { to_js(&client.search_qr_code(&qr_code).await.map_err(failure)?) })
    }

    /// Who the tapped card belongs to. Rejects with `izly_pos.unknown_card`,
    /// `izly_pos.account_blocked` or `izly_pos.right_expired` (the cashier may sell as a visitor).
    #[wasm_bindgen(js_name = searchCard, unchecked_return_type = "Promise<QrCodeHolder>")]
    pub fn search_card(&self, #[wasm_bindgen(unchecked_param_type = "IzlyCard")] card: JsValue) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let card: IzlyCard = from_js(&card, "card")?;
            let client = self.client.clone();
            Ok(future_to_promise(async move { to_js(&client.search_card(&card).await.map_err(failure)?) }))
        })())
    }

    /// Debits the account behind a QR code for the ticket `idTicketEntete`.
    #[wasm_bindgen(js_name = debitQrCode, unchecked_return_type = "Promise<IzlyDebit>")]
    pub fn debit_qr_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QrCodeDebit")] debit: JsValue,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let debit: QrCodeDebit = from_js(&debit, "debit")?;
            let client = self.client.clone();
            Ok(future_to_promise(async move { to_js(&client.debit_qr_code(debit).await.map_err(failure)?) }))
        })())
    }

    /// Debits the account of an Izly card (idSupport and numeroApplicatif from its ZDC).
    #[wasm_bindgen(js_name = debitCard, unchecked_return_type = "Promise<IzlyDebit>")]
    pub fn debit_card(&self, #[wasm_bindgen(unchecked_param_type = "CardDebit")] debit: JsValue) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let debit: CardDebitInput = from_js(&debit, "debit")?;
            let client = self.client.clone();
            Ok(future_to_promise(async move { to_js(&client.debit_card(debit).await.map_err(failure)?) }))
        })())
    }
}

impl IzlyPos {
    /// The client, for the sale engine's payments ([`crate::sale`]).
    pub(crate) fn client(&self) -> Rc<IzlyPosClient<FetchTransport>> {
        self.client.clone()
    }
}

//! `Crous`: the Crous API of one till, core's [`CrousClient`] over `fetch`. Core decides
//! (authenticate on first use and once more after a 401, a 409 is a delivery, a ticket failing
//! the checks is never sent); this class only crosses values, with the addon's names and shapes.

use crate::call::promise;
use crate::fetch::{transport, FetchTransport};
use crate::js::{failure, from_js, from_js_opt, to_js};
use crate::till::Reference;
use crous_till_core::client::{CrousClient, CrousOptions, TicketSendOptions};
use crous_till_core::ticket::Ticket;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The Crous API of one point of sale.
#[wasm_bindgen]
pub struct Crous {
    pub(crate) client: Rc<CrousClient<FetchTransport>>,
}

#[wasm_bindgen]
impl Crous {
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "CrousOptions")] options: JsValue) -> Result<Crous, JsValue> {
        let options: CrousOptions = from_js(&options, "options")?;
        let client = CrousClient::new(options, transport).map_err(failure)?;
        Ok(Crous { client: Rc::new(client) })
    }

    /// Authenticates now, which checks the installation key early (every call authenticates by
    /// itself when it needs to).
    #[wasm_bindgen(unchecked_return_type = "Promise<null>")]
    pub fn authenticate(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move { client.authenticate().await.map(|()| JsValue::NULL).map_err(failure) })
    }

    /// The till's own record, with its Izly key (`cleAuthentificationIzly`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Caisse>")]
    pub fn caisse(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move { to_js(&client.caisse().await.map_err(failure)?) })
    }

    /// Every reference resource a till needs, as a `Reference` ready to price and build tickets.
    #[wasm_bindgen(js_name = referenceData, unchecked_return_type = "Promise<Reference>")]
    pub fn reference_data(&self) -> js_sys::Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let data = client.reference_data().await.map_err(failure)?;
            Ok(Reference::from_data(data).into())
        })
    }

    /// Sends a ticket, checked against `reference` first (`ticket.check_failed`, nothing sent).
    /// Resolves with `outcome: "accepted"`, or `"duplicate"` when the Crous already holds it.
    #[wasm_bindgen(js_name = sendTicket, unchecked_return_type = "Promise<TicketDelivery>")]
    pub fn send_ticket(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue,
        reference: &Reference,
        #[wasm_bindgen(unchecked_optional_param_type = "TicketSendOptions")] options: Option<JsValue>,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let ticket: Ticket = from_js(&ticket, "ticket")?;
            let options = options.unwrap_or(JsValue::UNDEFINED);
            let options: TicketSendOptions = from_js_opt(&options, "options")?.unwrap_or_default();
            let (client, reference) = (self.client.clone(), reference.data().clone());
            Ok(future_to_promise(async move {
                to_js(&client.send_ticket(&ticket, &reference, options).await.map_err(failure)?)
            }))
        })())
    }
}

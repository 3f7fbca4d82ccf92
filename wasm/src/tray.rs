//! Handles that keep a sale's values on the Rust side: a [`PricedTray`] and a [`TicketDraft`] are
//! priced, built and checked without crossing into JavaScript, which reads them only when asked
//! (`toJSON`, getters). The object-returning `Reference.priceCart` / `buildTicket` stay for callers
//! that read every line anyway.

use crate::js::{core_error, error, from_js, to_js};
use crous_till_core::builder::{BuildError, BuiltTicket, TicketInput};
use crous_till_core::pricing::PricedCart;
use crous_till_core::reference::ReferenceData;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A priced tray, kept in the package (`Reference.priceTray`).
#[wasm_bindgen]
pub struct PricedTray {
    reference: Rc<ReferenceData>,
    cart: PricedCart,
}

#[wasm_bindgen]
impl PricedTray {
    /// What the customer pays, VAT included (`"9.60"`).
    #[wasm_bindgen(getter, js_name = totalTtc)]
    pub fn total_ttc(&self) -> String {
        self.cart.total_ttc.to_string()
    }

    /// The priced lines, as `Reference.priceCart` returns them.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PricedCart")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.cart)
    }

    /// Numbers, fills and checks the ticket of this tray (`{numbering, sale, customer?,
    /// payment}` as `Reference.buildTicket` takes them, without `pricedCart`). Errors as
    /// `buildTicket`'s.
    #[wasm_bindgen(js_name = buildTicket)]
    pub fn build_ticket(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TrayTicketInput")] input: JsValue,
    ) -> Result<TicketDraft, JsValue> {
        let input: TicketInput = from_js(&input, "input")?;
        let built = built(input.build(&self.reference, &self.cart))?;
        Ok(TicketDraft { built })
    }
}

/// A built ticket and the numbering state to persist, kept in the package. It passed every Crous
/// check against the tray's reference data while being built: a ticket that fails them is never
/// a draft (`ticket.check_failed`).
#[wasm_bindgen]
pub struct TicketDraft {
    built: BuiltTicket,
}

#[wasm_bindgen]
impl TicketDraft {
    #[wasm_bindgen(getter, js_name = idTicketEntete)]
    pub fn id_ticket_entete(&self) -> Option<String> {
        self.built.ticket.id_ticket_entete.clone()
    }

    /// The ticket, as the Crous API receives it.
    #[wasm_bindgen(getter, unchecked_return_type = "Ticket")]
    pub fn ticket(&self) -> Result<JsValue, JsValue> {
        to_js(&self.built.ticket)
    }

    /// The numbering state to persist once the ticket is stored.
    #[wasm_bindgen(getter, unchecked_return_type = "NumberingState")]
    pub fn numbering(&self) -> Result<JsValue, JsValue> {
        to_js(&self.built.numbering)
    }

    /// `{ticket, numbering}`, as `Reference.buildTicket` returns them.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "BuiltTicket")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.built)
    }
}

impl PricedTray {
    pub fn new(reference: Rc<ReferenceData>, cart: PricedCart) -> Self {
        PricedTray { reference, cart }
    }
}

/// A build's outcome for JavaScript: its violations are `ticket.check_failed` with the list in
/// `details`.
pub fn built(result: Result<BuiltTicket, BuildError>) -> Result<BuiltTicket, JsValue> {
    result.map_err(|e| match e {
        BuildError::Violations(v) => match to_js(&v) {
            Ok(details) => error("ticket.check_failed", "the built ticket fails the Crous checks", Some(details)),
            Err(e) => e,
        },
        e => core_error(&e),
    })
}

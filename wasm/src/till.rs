//! `Reference`: the Crous reference data, parsed once, and the sale operations that need it
//! (pricing, building and checking tickets, the receipt's VAT summary).

use crate::js::{core_error, error, from_js, to_js};
use crate::tray::{built, PricedTray};
use crous_till_core::builder::BuildTicketInput;
use crous_till_core::checks::check_ticket;
use crous_till_core::pricing::{parse_day, price_cart, CartItem, PricedCart};
use crous_till_core::receipt::vat_totals;
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::ticket::Ticket;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The reference data of one Crous (what its API serves: tva, articles, prices...), parsed once.
#[wasm_bindgen]
pub struct Reference {
    data: Rc<ReferenceData>,
}

#[wasm_bindgen]
impl Reference {
    /// Parses the reference data; a wrong shape throws `input.invalid`.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ReferenceData")] data: JsValue) -> Result<Reference, JsValue> {
        Ok(Reference { data: Rc::new(from_js(&data, "reference data")?) })
    }

    /// The reference data, as parsed.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ReferenceData")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&*self.data)
    }

    /// Prices a tray for a customer profile on a day (`YYYY-MM-DD`, the till's local date).
    /// Errors: `pricing.*` (unknown article, no price for the profile and period...).
    #[wasm_bindgen(js_name = priceCart, unchecked_return_type = "PricedCart")]
    pub fn price_cart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CartItem[]")] cart: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CustomerProfile")] profile: JsValue,
        day: &str,
    ) -> Result<JsValue, JsValue> {
        to_js(&self.priced(&cart, &profile, day)?)
    }

    /// `priceCart`, kept in the package as a [`PricedTray`] to build its ticket from, without
    /// reading the lines into JavaScript.
    #[wasm_bindgen(js_name = priceTray)]
    pub fn price_tray(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CartItem[]")] cart: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CustomerProfile")] profile: JsValue,
        day: &str,
    ) -> Result<PricedTray, JsValue> {
        Ok(PricedTray::new(self.data.clone(), self.priced(&cart, &profile, day)?))
    }

    /// Numbers, fills and checks the ticket of a sale. Returns the ticket and the numbering state
    /// to persist (store both before sending the ticket). Errors: `numbering.*`,
    /// `ticket.missing_izly_customer`, `ticket.check_failed` (with the violations in `details`).
    #[wasm_bindgen(js_name = buildTicket, unchecked_return_type = "BuiltTicket")]
    pub fn build_ticket(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BuildTicketInput")] input: JsValue,
    ) -> Result<JsValue, JsValue> {
        let input: BuildTicketInput = from_js(&input, "buildTicket's input")?;
        to_js(&built(input.build(&self.data))?)
    }

    /// Runs every Crous check on a ticket against this reference data. Never throws for a bad
    /// ticket: the violations are the answer (an empty list is a valid ticket).
    #[wasm_bindgen(js_name = checkTicket, unchecked_return_type = "CheckReport")]
    pub fn check_ticket(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ticket: Ticket = from_js(&ticket, "ticket")?;
        to_js(&check_ticket(&ticket, Some(&self.data)))
    }

    /// The receipt's VAT summary: HT, TVA and TTC per rate.
    #[wasm_bindgen(js_name = vatTotals, unchecked_return_type = "VatTotal[]")]
    pub fn vat_totals(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ticket: Ticket = from_js(&ticket, "ticket")?;
        to_js(&vat_totals(&ticket, &self.data))
    }
}

impl Reference {
    /// The parsed reference data, for the API clients.
    /// A reference over data core downloaded (`Crous.referenceData()`).
    pub(crate) fn from_data(data: ReferenceData) -> Self {
        Reference { data: Rc::new(data) }
    }

    pub fn data(&self) -> &ReferenceData {
        &self.data
    }

    fn priced(&self, cart: &JsValue, profile: &JsValue, day: &str) -> Result<PricedCart, JsValue> {
        let cart: Vec<CartItem> = from_js(cart, "cart")?;
        let profile: CustomerProfile = from_js(profile, "profile")?;
        let day = parse_day(day).map_err(|e| error("input.invalid", &e, None))?;
        price_cart(&self.data, &cart, profile, day).map_err(|e| core_error(&e))
    }
}

/// Runs the checks that need no reference data (mandatory fields, totals, payment).
#[wasm_bindgen(js_name = checkTicketShape, unchecked_return_type = "CheckReport")]
pub fn check_ticket_shape(
    #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue,
) -> Result<JsValue, JsValue> {
    let ticket: Ticket = from_js(&ticket, "ticket")?;
    to_js(&check_ticket(&ticket, None))
}

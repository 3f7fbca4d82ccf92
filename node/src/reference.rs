//! `Reference`: the Crous reference data, parsed once, and the sale operations that need it
//! (pricing, building and checking tickets, the receipt's VAT summary), as in the browser
//! package, so a till back end builds the very tickets a browser till would.

use crate::js::{from_js, sync, to_js, Failure, Outcome};
use crate::tray::PricedTray;
use crous_till_core::builder::BuildTicketInput;
use crous_till_core::checks::check_ticket;
use crous_till_core::pricing::{parse_day, price_cart, CartItem, PricedCart};
use crous_till_core::receipt::vat_totals;
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::ticket::Ticket;
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// The reference data of one Crous (what its API serves: tva, articles, prices...), parsed once.
#[napi]
pub struct Reference {
    pub(crate) data: Arc<ReferenceData>,
}

impl Reference {
    pub fn from_data(data: ReferenceData) -> Self {
        Reference { data: Arc::new(data) }
    }
}

#[napi]
impl Reference {
    /// Parses the reference data; a wrong shape throws `input.invalid`.
    #[napi(constructor, ts_args_type = "data: ReferenceData")]
    pub fn new(env: Env, data: Unknown) -> napi::Result<Self> {
        let data: ReferenceData = sync(&env, from_js(&env, data, "reference data"))?;
        Ok(Reference::from_data(data))
    }

    /// The reference data, as parsed.
    #[napi(js_name = "toJSON", ts_return_type = "ReferenceData")]
    pub fn to_json(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&*self.data))
    }

    /// Prices a tray for a customer profile on a day (`YYYY-MM-DD`, the till's local date).
    /// Errors: `pricing.*` (unknown article, no price for the profile and period...).
    #[napi(ts_args_type = "cart: CartItem[], profile: CustomerProfile, day: string", ts_return_type = "PricedCart")]
    pub fn price_cart(&self, env: Env, cart: Unknown, profile: Unknown, day: String) -> napi::Result<Value> {
        let priced = self.priced(&env, cart, profile, &day).and_then(|p| to_js(&p));
        sync(&env, priced)
    }

    /// `priceCart`, kept in the addon as a `PricedTray` to build its ticket from, without
    /// reading the lines into JavaScript.
    #[napi(ts_args_type = "cart: CartItem[], profile: CustomerProfile, day: string")]
    pub fn price_tray(&self, env: Env, cart: Unknown, profile: Unknown, day: String) -> napi::Result<PricedTray> {
        let priced = self.priced(&env, cart, profile, &day);
        sync(&env, priced).map(|cart| PricedTray::new(self.data.clone(), cart))
    }

    /// Numbers, fills and checks the ticket of a sale. Returns the ticket and the numbering state
    /// to persist (store both before sending the ticket). Errors: `numbering.*`,
    /// `ticket.missing_izly_customer`, `ticket.check_failed` (with the violations in `details`).
    #[napi(ts_args_type = "input: BuildTicketInput", ts_return_type = "BuiltTicket")]
    pub fn build_ticket(&self, env: Env, input: Unknown) -> napi::Result<Value> {
        let built = from_js::<BuildTicketInput>(&env, input, "buildTicket's input")
            .and_then(|i| crate::tray::built(i.build(&self.data)))
            .and_then(|b| to_js(&b));
        sync(&env, built)
    }

    /// Runs every Crous check on a ticket against this reference data. Never throws for a bad
    /// ticket: the violations are the answer (an empty list is a valid ticket).
    #[napi(ts_args_type = "ticket: Ticket", ts_return_type = "CheckReport")]
    pub fn check_ticket(&self, env: Env, ticket: Unknown) -> napi::Result<Value> {
        let report = from_js::<Ticket>(&env, ticket, "ticket").and_then(|t| to_js(&check_ticket(&t, Some(&self.data))));
        sync(&env, report)
    }

    /// The receipt's VAT summary: HT, TVA and TTC per rate.
    #[napi(ts_args_type = "ticket: Ticket", ts_return_type = "VatTotal[]")]
    pub fn vat_totals(&self, env: Env, ticket: Unknown) -> napi::Result<Value> {
        let totals = from_js::<Ticket>(&env, ticket, "ticket").and_then(|t| to_js(&vat_totals(&t, &self.data)));
        sync(&env, totals)
    }
}

impl Reference {
    fn priced(&self, env: &Env, cart: Unknown, profile: Unknown, day: &str) -> Outcome<PricedCart> {
        let cart: Vec<CartItem> = from_js(env, cart, "cart")?;
        let profile: CustomerProfile = from_js(env, profile, "profile")?;
        let day = parse_day(day).map_err(|e| Failure::new("input.invalid", e))?;
        price_cart(&self.data, &cart, profile, day).map_err(|e| Failure::of(&e))
    }
}

/// Runs the checks that need no reference data (mandatory fields, totals, payment).
#[napi(ts_args_type = "ticket: Ticket", ts_return_type = "CheckReport")]
pub fn check_ticket_shape(env: Env, ticket: Unknown) -> napi::Result<Value> {
    let report = from_js::<Ticket>(&env, ticket, "ticket").and_then(|t| to_js(&check_ticket(&t, None)));
    sync(&env, report)
}

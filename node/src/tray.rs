//! Handles that keep a sale's values on the Rust side, as in the browser package: a
//! [`PricedTray`] and a [`TicketDraft`] are priced and built (every Crous check run) without
//! crossing into JavaScript, which reads them only when asked (`toJSON`, getters).

use crate::js::{from_js, sync, to_js, Failure, Outcome};
use crous_till_core::builder::{BuildError, BuiltTicket, TicketInput};
use crous_till_core::pricing::PricedCart;
use crous_till_core::reference::ReferenceData;
use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// A priced tray, kept in the addon (`Reference.priceTray`).
#[napi]
pub struct PricedTray {
    reference: Arc<ReferenceData>,
    cart: PricedCart,
}

impl PricedTray {
    pub fn new(reference: Arc<ReferenceData>, cart: PricedCart) -> Self {
        PricedTray { reference, cart }
    }
}

#[napi]
impl PricedTray {
    /// What the customer pays, VAT included (`"9.60"`).
    #[napi(getter)]
    pub fn total_ttc(&self) -> String {
        self.cart.total_ttc.to_string()
    }

    /// The priced lines, as `Reference.priceCart` returns them.
    #[napi(js_name = "toJSON", ts_return_type = "PricedCart")]
    pub fn to_json(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&self.cart))
    }

    /// Numbers, fills and checks the ticket of this tray (`{numbering, sale, customer?,
    /// payment}` as `Reference.buildTicket` takes them, without `pricedCart`). Errors as
    /// `buildTicket`'s.
    #[napi(ts_args_type = "input: TrayTicketInput")]
    pub fn build_ticket(&self, env: Env, input: Unknown) -> napi::Result<TicketDraft> {
        let built =
            from_js::<TicketInput>(&env, input, "input").and_then(|i| built(i.build(&self.reference, &self.cart)));
        sync(&env, built).map(|built| TicketDraft { built })
    }
}

/// A built ticket and the numbering state to persist, kept in the addon. It passed every Crous
/// check against the tray's reference data while being built: a ticket that fails them is never
/// a draft (`ticket.check_failed`).
#[napi]
pub struct TicketDraft {
    built: BuiltTicket,
}

#[napi]
impl TicketDraft {
    #[napi(getter)]
    pub fn id_ticket_entete(&self) -> Option<String> {
        self.built.ticket.id_ticket_entete.clone()
    }

    /// The ticket, as the Crous API receives it.
    #[napi(getter, ts_return_type = "Ticket")]
    pub fn ticket(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&self.built.ticket))
    }

    /// The numbering state to persist once the ticket is stored.
    #[napi(getter, ts_return_type = "NumberingState")]
    pub fn numbering(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&self.built.numbering))
    }

    /// `{ticket, numbering}`, as `Reference.buildTicket` returns them.
    #[napi(js_name = "toJSON", ts_return_type = "BuiltTicket")]
    pub fn to_json(&self, env: Env) -> napi::Result<Value> {
        sync(&env, to_js(&self.built))
    }
}

/// A build's outcome for JavaScript: its violations are `ticket.check_failed` with the list in
/// `details`.
pub fn built(result: Result<BuiltTicket, BuildError>) -> Outcome<BuiltTicket> {
    result.map_err(|e| match e {
        BuildError::Violations(v) => Failure::new("ticket.check_failed", "the built ticket fails the Crous checks")
            .with_details(serde_json::to_value(&v).unwrap_or(Value::Null)),
        e => Failure::of(&e),
    })
}

//! `Crous`: the Crous API of one till (specs 001 + public-facts.md), core's [`CrousClient`] over
//! the native executor. Core decides (authenticate on first use and once more after a 401, a 409
//! is a delivery, a ticket failing the checks is never sent); this class only crosses values.

use crate::client::executor;
use crate::js::{from_js, from_js_opt, promise, sync, to_js, Failure};
use crate::reference::Reference;
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::client::{CrousClient, CrousOptions, TicketSendOptions};
use crous_till_core::ticket::Ticket;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// One till's client of the Crous API. The installation key and the token stay inside.
#[napi]
pub struct Crous {
    pub(crate) client: Arc<CrousClient<NativeExecutor>>,
}

#[napi]
impl Crous {
    #[napi(constructor, ts_args_type = "options: CrousOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let made = from_js::<CrousOptions>(&env, options, "options").and_then(|o| CrousClient::new(o, executor));
        sync(&env, made).map(|c| Crous { client: Arc::new(c) })
    }

    /// Authenticates now, which checks the installation key early (every call authenticates by
    /// itself when it needs to). Errors: `crous.*`, `network.*`.
    #[napi(ts_return_type = "Promise<null>")]
    pub fn authenticate<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let client = self.client.clone();
        promise(env, async move { client.authenticate().await.map(|()| Value::Null) })
    }

    /// The till's record: its label and its Izly POS key (`cleAuthentificationIzly`, a secret).
    #[napi(ts_return_type = "Promise<Caisse>")]
    pub fn caisse<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let client = self.client.clone();
        promise(env, async move { to_js(&client.caisse().await?) })
    }

    /// Every reference resource of the Crous, as a `Reference` ready to price and build tickets.
    #[napi(ts_return_type = "Promise<Reference>")]
    pub fn reference_data<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Reference>> {
        let client = self.client.clone();
        env.spawn_future_with_callback(async move { Ok(client.reference_data().await) }, |env, outcome| {
            outcome.map(Reference::from_data).map_err(|f| crate::js::IntoNapi::into_napi(f, env))
        })
    }

    /// Sends a ticket, checked against `reference` first (`ticket.check_failed`, the violations
    /// in `details`, nothing sent). Resolves with `outcome: "accepted"`, or `"duplicate"` when the
    /// Crous already holds it (409: a resend whose first send arrived).
    #[napi(
        ts_args_type = "ticket: Ticket, reference: Reference, options?: TicketSendOptions",
        ts_return_type = "Promise<TicketDelivery>"
    )]
    pub fn send_ticket<'e>(
        &self,
        env: &'e Env,
        ticket: Unknown,
        reference: &Reference,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let input = (|| -> Result<_, Failure> {
            let options: Option<TicketSendOptions> = from_js_opt(env, options, "options")?;
            Ok((from_js::<Ticket>(env, ticket, "ticket")?, options.unwrap_or_default()))
        })();
        let (ticket, options) = crate::ready!(env, input);
        let (client, reference) = (self.client.clone(), reference.data.clone());
        promise(env, async move { to_js(&client.send_ticket(&ticket, &reference, options).await?) })
    }
}

//! The Crous API (specs 001 + public-facts.md): authenticate with the till's installation key,
//! read the reference data, send tickets (checked by core before they leave).

use crate::client::{call, environment, executor, RetryOptions};
use crate::js::{from_js, from_js_opt, promise, sync, to_js, Failure, Outcome};
use crate::reference::Reference;
use crous_till_core::api::crous::{
    parse_authenticate, parse_caisse, parse_into, parse_ticket, CrousApi, CrousToken, InstallationKey, TicketOptions,
};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[napi(object)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrousOptions {
    /// `"preprod"`, `"prod"` or a base URL (the sandbox's).
    pub environment: String,
    /// The till: `idCrous-idUg-idRu-idUd-idCaisse` (`"5-1-9-8-14"`).
    pub point_of_sale: String,
    /// The software's `use` parameter on tickets.
    pub software: String,
    /// `env` of `authenticate` (`"PPD"` or `"PRD"`), when it is not the environment's own.
    pub env_code: Option<String>,
    pub retry: Option<RetryOptions>,
}

#[napi(object)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TicketSendOptions {
    /// `versCommandeEnLigne=1`: a ticket of an online order.
    pub vers_commande_en_ligne: Option<bool>,
}

/// One till's client of the Crous API. `authenticate` first; the token is kept inside (never
/// handed to JavaScript) and used by the other calls.
#[napi]
pub struct Crous {
    api: CrousApi,
    executor: NativeExecutor,
    token: Arc<Mutex<Option<CrousToken>>>,
}

#[napi]
impl Crous {
    #[napi(constructor, ts_args_type = "options: CrousOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let options: CrousOptions = sync(&env, from_js(&env, options, "options"))?;
        let made = (|| {
            let pos: PointOfSale = options.point_of_sale.parse().map_err(|e| Failure::of(&e))?;
            let mut api = CrousApi::new(&environment(&options.environment), pos, options.software)
                .map_err(|e| Failure::of(&e))?;
            if let Some(code) = options.env_code {
                api = api.with_env_code(code);
            }
            Ok(Crous { api, executor: executor(options.retry.as_ref())?, token: Arc::default() })
        })();
        sync(&env, made)
    }

    /// Authenticates the till with its installation key (`appSecret`). Errors: `crous.*`.
    #[napi(ts_return_type = "Promise<null>")]
    pub fn authenticate<'e>(&self, env: &'e Env, installation_key: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = self.api.authenticate(&InstallationKey::new(installation_key));
        let (executor, slot) = (self.executor.clone(), self.token.clone());
        promise(env, async move {
            let token = call(&executor, &request, parse_authenticate).await?;
            *slot.lock().expect("token lock") = Some(token);
            Ok(Value::Null)
        })
    }

    pub(crate) fn point_of_sale(&self) -> PointOfSale {
        self.api.point_of_sale()
    }

    pub(crate) fn api(&self) -> &CrousApi {
        &self.api
    }

    pub(crate) fn executor(&self) -> &NativeExecutor {
        &self.executor
    }

    /// The token slot, shared with the outbox so that a new `authenticate` serves both.
    pub(crate) fn token_slot(&self) -> Arc<Mutex<Option<CrousToken>>> {
        self.token.clone()
    }

    fn token(&self) -> Outcome<CrousToken> {
        self.token
            .lock()
            .expect("token lock")
            .clone()
            .ok_or_else(|| Failure::new("crous.not_authenticated", "call authenticate(installationKey) first"))
    }

    /// The till's record: its label and its Izly POS key (`cleAuthentificationIzly`, a secret).
    #[napi(ts_return_type = "Promise<Caisse>")]
    pub fn caisse<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = self.api.caisse(&crate::ready!(env, self.token()));
        let executor = self.executor.clone();
        promise(env, async move {
            let c = call(&executor, &request, parse_caisse).await?;
            Ok(json!({"libelle": c.libelle, "cleAuthentificationIzly": c.cle_authentification_izly.expose()}))
        })
    }

    /// Every reference resource of the Crous, as a `Reference` ready to price and build tickets
    /// (core's `till_reference_requests`: the same download as the browser package's).
    #[napi(ts_return_type = "Promise<Reference>")]
    pub fn reference_data<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Reference>> {
        let token = crate::ready!(env, self.token());
        let (api, executor) = (self.api.clone(), self.executor.clone());
        let fetched = async move {
            let mut data = ReferenceData::default();
            for (resource, request) in api.till_reference_requests(&token) {
                let mut parse = |s: u16, h: &[(String, String)], b: &[u8]| parse_into(&mut data, resource, s, h, b);
                call(&executor, &request, &mut parse).await?;
            }
            Ok::<_, Failure>(data)
        };
        env.spawn_future_with_callback(async move { Ok(fetched.await) }, |env, outcome| {
            outcome.map(Reference::from_data).map_err(|f| f.into_napi(env))
        })
    }

    /// Sends a ticket. Core checks it against `reference` first (`ticket.check_failed`, with the
    /// violations in `details`, and nothing sent); a second ticket with the same idTicketEntete
    /// is refused by the Crous (`crous.duplicate_ticket`). Resolves with the Crous's answer.
    #[napi(
        ts_args_type = "ticket: Ticket, reference: Reference, options?: TicketSendOptions",
        ts_return_type = "Promise<TicketAccepted>"
    )]
    pub fn send_ticket<'e>(
        &self,
        env: &'e Env,
        ticket: Unknown,
        reference: &Reference,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let options: Option<TicketSendOptions> = crate::ready!(env, from_js_opt(env, options, "options"));
        let opts =
            TicketOptions { vers_commande_en_ligne: options.and_then(|o| o.vers_commande_en_ligne).unwrap_or(false) };
        let built = (|| {
            let ticket: Ticket = from_js(env, ticket, "ticket")?;
            self.api.ticket(&self.token()?, &ticket, &reference.data, opts).map_err(|e| {
                let crous_till_core::api::crous::TicketRefused::Checks(v) = &e;
                Failure::of(&e).with_details(to_js(v).unwrap_or(Value::Null))
            })
        })();
        let request = crate::ready!(env, built);
        let executor = self.executor.clone();
        promise(env, async move {
            let accepted = call(&executor, &request, parse_ticket).await?;
            Ok(json!({"status": accepted.status, "body": accepted.body}))
        })
    }
}

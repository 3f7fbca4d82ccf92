//! `CrousClient`: the Crous API for one till (authenticate, caisse, reference data, tickets).
//! It authenticates on first use and once more when a token is refused (401).

use crate::call::{build_error, call, call_error, promise, RetryOptions};
use crate::js::{error, from_js, to_js};
use crate::till::Reference;
use crous_till_core::api::crous::{self, CrousApi, CrousError, CrousToken, InstallationKey, TicketOptions};
use crous_till_core::api::execution::CallError;
use crous_till_core::api::{ApiRequest, Environment};
use crous_till_core::checks::check_ticket;
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::reference::ReferenceData;
use crous_till_core::ticket::Ticket;
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    base_url: String,
    point_of_sale: String,
    installation_key: String,
    software: String,
    #[serde(flatten)]
    retry: RetryOptions,
}

/// A core parser of the Crous API.
type CrousParser<T> = fn(u16, &[(String, String)], &[u8]) -> Result<T, CrousError>;

pub(crate) struct Inner {
    pub(crate) api: CrousApi,
    key: InstallationKey,
    retry: RetryOptions,
    token: RefCell<Option<CrousToken>>,
}

/// The Crous API of one point of sale.
#[wasm_bindgen]
pub struct CrousClient {
    pub(crate) inner: Rc<Inner>,
}

#[wasm_bindgen]
impl CrousClient {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CrousClientOptions")] options: JsValue,
    ) -> Result<CrousClient, JsValue> {
        let o: Options = from_js(&options, "options")?;
        let pos: PointOfSale = o.point_of_sale.parse().map_err(build_error)?;
        let api = CrousApi::new(&Environment::Custom(o.base_url), pos, o.software).map_err(build_error)?;
        let inner =
            Inner { api, key: InstallationKey::new(o.installation_key), retry: o.retry, token: RefCell::new(None) };
        Ok(CrousClient { inner: Rc::new(inner) })
    }

    /// The till's own record, with its Izly key (`cleAuthentificationIzly`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Caisse>")]
    pub fn caisse(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let caisse = inner.authed(|api, t| api.caisse(t), crous::parse_caisse).await?;
            #[derive(serde::Serialize)]
            #[serde(rename_all = "camelCase")]
            struct Out<'a> {
                libelle: Option<&'a str>,
                cle_authentification_izly: &'a str,
            }
            to_js(&Out {
                libelle: caisse.libelle.as_deref(),
                cle_authentification_izly: caisse.cle_authentification_izly.expose(),
            })
        })
    }

    /// Every reference resource a till needs (core's `till_reference_requests`).
    #[wasm_bindgen(js_name = referenceData, unchecked_return_type = "Promise<ReferenceData>")]
    pub fn reference_data(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let token = inner.token().await.map_err(|e| call_error(&e))?;
            let mut data = ReferenceData::default();
            // Every resource at once: the page is ready as soon as the slowest answers.
            let requests = inner.api.till_reference_requests(&token);
            let policy = inner.retry.policy();
            let answers =
                futures_util::future::join_all(requests.iter().map(|(_, r)| crate::fetch::execute(r, policy.clone())))
                    .await;
            for ((resource, _), answer) in requests.into_iter().zip(answers) {
                let resp = answer.map_err(|e| call_error::<CrousError>(&CallError::Executor(e)))?;
                crous::parse_into(
                    &mut data,
                    resource,
                    resp.response.status,
                    &resp.response.headers,
                    &resp.response.body,
                )
                .map_err(|e| call_error(&CallError::Api { error: e, attempts: resp.attempts }))?;
            }
            to_js(&data)
        })
    }

    /// Sends a ticket (checked by core first: a failing ticket is never sent). A 409 after a
    /// resend means the Crous already holds it: `outcome: "duplicate"`, which is a delivery.
    #[wasm_bindgen(js_name = sendTicket, unchecked_return_type = "Promise<TicketDelivery>")]
    pub fn send_ticket(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Ticket")] ticket: JsValue,
        reference: &Reference,
        #[wasm_bindgen(js_name = versCommandeEnLigne)] vers_commande_en_ligne: Option<bool>,
    ) -> js_sys::Promise {
        promise((|| -> Result<js_sys::Promise, JsValue> {
            let ticket: Ticket = from_js(&ticket, "ticket")?;
            let options = TicketOptions { vers_commande_en_ligne: vers_commande_en_ligne.unwrap_or(false) };
            let reference = reference.data().clone();
            // Refused before any request when core's checks fail (the very checks `api.ticket` runs).
            let report = check_ticket(&ticket, Some(&reference));
            if !report.is_valid() {
                let details = Some(to_js(&report.violations)?);
                return Err(error("ticket.check_failed", "the ticket fails the Crous checks: not sent", details));
            }
            let inner = self.inner.clone();
            Ok(future_to_promise(async move {
                let id = ticket.id_ticket_entete.clone().unwrap_or_default();
                let build = |api: &CrousApi, t: &CrousToken| {
                    api.ticket(t, &ticket, &reference, options).expect("checked above; the ticket does not change")
                };
                match inner.authed_answer(build, crous::parse_ticket).await {
                    Ok((_, attempts)) => delivery("accepted", &id, attempts),
                    Err(CallError::Api { error: CrousError::DuplicateTicket(_), attempts }) => {
                        delivery("duplicate", &id, attempts)
                    }
                    Err(e) => Err(call_error(&e)),
                }
            }))
        })())
    }
}

fn delivery(outcome: &str, id: &str, attempts: u32) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Delivery<'a> {
        outcome: &'a str,
        id_ticket_entete: &'a str,
        attempts: u32,
    }
    to_js(&Delivery { outcome, id_ticket_entete: id, attempts })
}

impl Inner {
    /// Forgets the token, so that the next call authenticates again.
    pub(crate) fn forget_token(&self) {
        *self.token.borrow_mut() = None;
    }

    /// The current token, or a new one.
    pub(crate) async fn token(&self) -> Result<CrousToken, CallError<CrousError>> {
        if let Some(t) = self.token.borrow().clone() {
            return Ok(t);
        }
        let token =
            call(&self.api.authenticate(&self.key), self.retry.policy(), crous::parse_authenticate).await?.value;
        *self.token.borrow_mut() = Some(token.clone());
        Ok(token)
    }

    async fn authed<T>(
        &self,
        build: impl Fn(&CrousApi, &CrousToken) -> ApiRequest,
        parser: CrousParser<T>,
    ) -> Result<T, JsValue> {
        self.authed_answer(build, parser).await.map(|(v, _)| v).map_err(|e| call_error(&e))
    }

    /// Calls with the current token; on 401, authenticates again and calls once more.
    pub(crate) async fn authed_answer<T>(
        &self,
        build: impl Fn(&CrousApi, &CrousToken) -> ApiRequest,
        parser: CrousParser<T>,
    ) -> Result<(T, u32), CallError<CrousError>> {
        let mut renewed = false;
        loop {
            let token = self.token().await?;
            match call(&build(&self.api, &token), self.retry.policy(), parser).await {
                Err(CallError::Api { error: CrousError::Unauthorized, .. }) if !renewed => {
                    renewed = true;
                    *self.token.borrow_mut() = None;
                }
                other => return other.map(|a| (a.value, a.attempts)),
            }
        }
    }
}

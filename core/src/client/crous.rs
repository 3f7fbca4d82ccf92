//! The Crous API of one till: authenticate, caisse, reference data, tickets.
//!
//! The decisions both packages share (issue 13), made here once:
//! * **authentication** is the client's business: the first call authenticates with the
//!   installation key, and a call answered 401 authenticates again and is sent once more (specs
//!   001: the token expires; "authenticate again, then retry once"); the token never reaches
//!   JavaScript;
//! * **409 is a delivery**: a ticket the Crous already holds (a resend whose first send arrived)
//!   resolves with `outcome: "duplicate"`, not an error;
//! * a ticket that fails core's checks is refused before any request (`ticket.check_failed`).

use super::failure::{value_of, Failure};
use super::options::{environment, RetryOptions};
use super::transport::{call, Transport};
use crate::api::crous::{self, CrousApi, CrousError, CrousToken, InstallationKey, TicketAccepted, TicketOptions};
use crate::api::execution::{CallError, Called};
use crate::api::{ApiRequest, Parser, RetryPolicy};
use crate::checks::check_ticket;
use crate::outbox::SendOutcome;
use crate::point_of_sale::PointOfSale;
use crate::reference::ReferenceData;
use crate::ticket::Ticket;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// `new Crous(options)` in both packages.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrousOptions {
    /// `"preprod"`, `"prod"` or a base URL (the sandbox's).
    pub environment: String,
    /// The till: `idCrous-idUg-idRu-idUd-idCaisse` (`"5-1-9-8-14"`).
    pub point_of_sale: String,
    /// The software's `use` parameter on tickets (`idLogiciel`).
    pub software: String,
    /// The till's installation key (`appSecret` of `authenticate`), kept inside the client.
    pub installation_key: String,
    /// `env` of `authenticate` (`"PPD"` or `"PRD"`), when it is not the environment's own.
    pub env_code: Option<String>,
    pub retry: Option<RetryOptions>,
}

/// `sendTicket`'s options.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TicketSendOptions {
    /// `versCommandeEnLigne=1`: a ticket of an online order.
    pub vers_commande_en_ligne: Option<bool>,
}

/// How a ticket reached the Crous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum DeliveryOutcome {
    /// Accepted now (2xx).
    Accepted,
    /// Already held by the Crous (409 after a resend): delivered too.
    Duplicate,
}

/// `sendTicket`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TicketDelivery {
    pub outcome: DeliveryOutcome,
    pub id_ticket_entete: String,
    /// Sends of the ticket itself (retries included, authentication not counted).
    pub attempts: u32,
}

/// `caisse()`'s result: the till's record, with its Izly POS key (a secret: give it to `IzlyPos`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "Caisse"))]
#[serde(rename_all = "camelCase")]
pub struct CaisseView {
    pub libelle: Option<String>,
    pub cle_authentification_izly: String,
}

/// The Crous API of one point of sale, over a binding's [`Transport`].
pub struct CrousClient<T> {
    api: CrousApi,
    key: InstallationKey,
    transport: T,
    token: Mutex<Option<CrousToken>>,
}

impl<T: Transport> CrousClient<T> {
    /// Reads the options; `transport` gets the retry policy they give.
    pub fn new(
        options: CrousOptions,
        transport: impl FnOnce(RetryPolicy) -> Result<T, Failure>,
    ) -> Result<Self, Failure> {
        let pos: PointOfSale = options.point_of_sale.parse().map_err(|e| Failure::of(&e))?;
        let env = environment(&options.environment).map_err(|e| Failure::of(&e))?;
        let mut api = CrousApi::new(&env, pos, options.software).map_err(|e| Failure::of(&e))?;
        if let Some(code) = options.env_code {
            api = api.with_env_code(code);
        }
        let transport = transport(RetryOptions::policy(options.retry.as_ref()))?;
        Ok(CrousClient { api, key: InstallationKey::new(options.installation_key), transport, token: Mutex::new(None) })
    }

    pub fn api(&self) -> &CrousApi {
        &self.api
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.api.point_of_sale()
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Authenticates now (a new token even when one is held): checks the installation key early.
    pub async fn authenticate(&self) -> Result<(), Failure> {
        self.renew().await.map(|_| ()).map_err(|e| Failure::of_call(&e))
    }

    /// The till's record.
    pub async fn caisse(&self) -> Result<CaisseView, Failure> {
        let c = self.authed(|api, t| api.caisse(t), crous::parse_caisse).await.map_err(|e| Failure::of_call(&e))?;
        Ok(CaisseView {
            libelle: c.value.libelle,
            cle_authentification_izly: c.value.cle_authentification_izly.expose().to_owned(),
        })
    }

    /// Every reference resource a till needs, fetched all at once (the page is ready as soon as
    /// the slowest answers).
    pub async fn reference_data(&self) -> Result<ReferenceData, Failure> {
        let token = self.token().await.map_err(|e| Failure::of_call(&e))?;
        let requests = self.api.till_reference_requests(&token);
        let answers = futures_util::future::join_all(requests.iter().map(|(_, r)| self.transport.execute(r))).await;
        let mut data = ReferenceData::default();
        for ((resource, _), answer) in requests.iter().zip(answers) {
            let d = answer.map_err(|e| Failure::of_call::<CrousError>(&CallError::Executor(e)))?;
            crous::parse_into(&mut data, *resource, d.response.status, &d.response.headers, &d.response.body)
                .map_err(|error| Failure::of_call(&CallError::Api { error, attempts: d.attempts }))?;
        }
        Ok(data)
    }

    /// Sends a ticket, checked against `reference` first.
    pub async fn send_ticket(
        &self,
        ticket: &Ticket,
        reference: &ReferenceData,
        options: TicketSendOptions,
    ) -> Result<TicketDelivery, Failure> {
        let report = check_ticket(ticket, Some(reference));
        if !report.is_valid() {
            return Err(Failure::new("ticket.check_failed", "the ticket fails the Crous checks: not sent")
                .with_details(value_of(&report.violations)));
        }
        let options = TicketOptions { vers_commande_en_ligne: options.vers_commande_en_ligne.unwrap_or(false) };
        let id_ticket_entete = ticket.id_ticket_entete.clone().unwrap_or_default();
        let delivery =
            |outcome, attempts| TicketDelivery { outcome, id_ticket_entete: id_ticket_entete.clone(), attempts };
        match self.post_ticket(ticket, reference, options).await {
            Ok(c) => Ok(delivery(DeliveryOutcome::Accepted, c.attempts)),
            Err(CallError::Api { error: CrousError::DuplicateTicket(_), attempts }) => {
                Ok(delivery(DeliveryOutcome::Duplicate, attempts))
            }
            Err(e) => Err(Failure::of_call(&e)),
        }
    }

    /// One send of an outbox: what core's outbox makes of it (409 delivered, 401 after a new
    /// token still refused, checks failing, retry later...).
    pub async fn deliver(&self, ticket: &Ticket, reference: &ReferenceData) -> SendOutcome {
        let report = check_ticket(ticket, Some(reference));
        if !report.is_valid() {
            return SendOutcome::from_refused(&crous::TicketRefused::Checks(report.violations));
        }
        SendOutcome::from_call(&self.post_ticket(ticket, reference, TicketOptions::default()).await)
    }

    /// Forgets the token and authenticates again: what an outbox does when it asks for it.
    /// False while the key is still refused (the outbox's view says so).
    pub async fn reauthenticate(&self) -> bool {
        self.renew().await.is_ok()
    }

    async fn post_ticket(
        &self,
        ticket: &Ticket,
        reference: &ReferenceData,
        options: TicketOptions,
    ) -> Result<Called<TicketAccepted>, CallError<CrousError>> {
        let build = |api: &CrousApi, t: &CrousToken| {
            api.ticket(t, ticket, reference, options).expect("checked by the caller; the ticket does not change")
        };
        self.authed(build, crous::parse_ticket).await
    }

    async fn renew(&self) -> Result<CrousToken, CallError<CrousError>> {
        let request = self.api.authenticate(&self.key);
        let token = call(&self.transport, &request, crous::parse_authenticate).await?.value;
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
        Ok(token)
    }

    async fn token(&self) -> Result<CrousToken, CallError<CrousError>> {
        let held = self.token.lock().unwrap_or_else(|p| p.into_inner()).clone();
        match held {
            Some(t) => Ok(t),
            None => self.renew().await,
        }
    }

    /// Calls with the current token; on 401, authenticates again and calls once more.
    async fn authed<V>(
        &self,
        build: impl Fn(&CrousApi, &CrousToken) -> ApiRequest,
        parser: Parser<V, CrousError>,
    ) -> Result<Called<V>, CallError<CrousError>> {
        let token = self.token().await?;
        match call(&self.transport, &build(&self.api, &token), parser).await {
            Err(CallError::Api { error: CrousError::Unauthorized, .. }) => {
                let token = self.renew().await?;
                call(&self.transport, &build(&self.api, &token), parser).await
            }
            other => other,
        }
    }
}

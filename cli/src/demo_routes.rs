//! The demo's back-end routes under `/demo/`: the page's configuration, and the web shop's
//! server side ([`crate::demo_shop`]), which holds the partner's IzlyPay API key that no browser
//! may see.

use crate::demo_shop;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::RetryPolicy;
use crous_till_sandbox::fixtures::IzlyPartner;
use crous_till_sandbox::Fixtures;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Where IzlyConnect sends the browser back: a path, so on this server (the sandbox resolves a
/// registered path against its own base URL).
pub const CONNECT_RETURN: &str = "/demo/shop/connect-return";

/// The demo fixtures with [`CONNECT_RETURN`] as the shop partner's first redirect URI (core's
/// `authorize_url` sends none, and the sandbox then uses the first registered one).
pub fn with_demo_redirect(mut fixtures: Fixtures) -> Fixtures {
    if let Some(partner) = fixtures.izly.partners.first_mut() {
        partner.redirect_uris.retain(|u| u != CONNECT_RETURN);
        partner.redirect_uris.insert(0, CONNECT_RETURN.to_owned());
    }
    fixtures
}

/// What the demo's routes share.
#[derive(Clone)]
pub struct DemoState(Arc<Inner>);

pub struct Inner {
    pub fixtures: Fixtures,
    pub executor: NativeExecutor,
    base_url: OnceLock<String>,
    bridge_url: OnceLock<String>,
    /// OAuth2 `state` values handed out and not yet used.
    pub pending_logins: Mutex<HashMap<String, ()>>,
    /// Web shop sessions by cookie value.
    pub sessions: Mutex<HashMap<String, demo_shop::Session>>,
    /// Web shop orders by ClientOrderId.
    pub orders: Mutex<HashMap<String, demo_shop::Order>>,
}

impl DemoState {
    pub fn new(fixtures: Fixtures) -> Self {
        let executor = NativeExecutor::new(RetryPolicy::default()).expect("a default HTTP client builds");
        DemoState(Arc::new(Inner {
            fixtures,
            executor,
            base_url: OnceLock::new(),
            bridge_url: OnceLock::new(),
            pending_logins: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            orders: Mutex::new(HashMap::new()),
        }))
    }

    /// Set once both servers listen (before the URL is printed, so before any request).
    pub fn set_urls(&self, base_url: String, bridge_url: String) {
        let _ = self.0.base_url.set(base_url);
        let _ = self.0.bridge_url.set(bridge_url);
    }

    pub fn base_url(&self) -> &str {
        self.0.base_url.get().map_or("", String::as_str)
    }

    pub fn partner(&self) -> Option<&IzlyPartner> {
        self.0.fixtures.izly.partners.first()
    }

    pub fn inner(&self) -> &Inner {
        &self.0
    }
}

pub fn routes(state: DemoState) -> Router {
    Router::new()
        .route("/demo/config", get(config))
        .route("/demo/shop/login", get(demo_shop::login))
        .route(CONNECT_RETURN, get(demo_shop::connect_return))
        .route("/demo/shop/me", get(demo_shop::me))
        .route("/demo/shop/logout", post(demo_shop::logout))
        .route("/demo/shop/payments", post(demo_shop::pay))
        .route("/demo/shop/payments/{order}", get(demo_shop::payment))
        .route("/demo/shop/payments/{order}/refund", post(demo_shop::refund))
        .with_state(state)
}

/// `GET /demo/config`: what the till page needs to start, from the sandbox's fixtures: its till
/// (point of sale, installation key), the service base URLs (all this server), the bridge's URL,
/// the esipay merchant, and, for the demo's helper panel, the Izly accounts and esipay test cards.
async fn config(State(state): State<DemoState>) -> Json<Value> {
    let f = &state.inner().fixtures;
    let till = f.crous.restaurants.iter().flat_map(|r| r.tills.iter()).next();
    let base = state.base_url();
    Json(json!({
        "pointOfSale": till.map(|t| t.point_of_sale.to_string()),
        "tillLabel": till.map(|t| t.libelle.clone()),
        "installationKey": till.map(|t| t.installation_key.clone()),
        "software": concat!("crous-till demo ", env!("CARGO_PKG_VERSION")),
        // The software's id at the Crous (ticket `idLogiciel`): the Crous assigns the real one;
        // the demo uses core's example value.
        "idLogiciel": 39,
        "crousBaseUrl": base,
        "izlyPosBaseUrl": base,
        "esipayBaseUrl": base,
        "esipayUuid": f.esipay.enterprises.first().map(|e| e.uuid.clone()),
        "bridgeUrl": state.inner().bridge_url.get(),
        "izlyAccounts": f.izly.accounts.iter().map(|a| json!({
            "idIzly": a.id_izly,
            "name": format!("{} {}", a.prenom.as_deref().unwrap_or(""), a.nom.as_deref().unwrap_or("")).trim().to_owned(),
            "login": a.login,
            "password": a.password,
            "blocked": a.blocked,
        })).collect::<Vec<_>>(),
        "esipayTestCards": f.esipay.cards.iter().map(|c| json!({"number": c.number, "balanceCents": c.balance_cents})).collect::<Vec<_>>(),
    }))
}

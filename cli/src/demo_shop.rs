//! The web shop's server side in `crous-till demo` (page `web-demo/shop.html`): IzlyConnect login
//! (authorization code exchanged here, with the partner's API key) and IzlyPay payments and
//! refunds. Every request is built and parsed by core (`api::izly_connect`, `api::izly_pay`) and
//! sent by core's `NativeExecutor`; this file only keeps the sessions and orders of a demo, in
//! memory.
//!
//! Demo choices: the session is a random cookie (`HttpOnly`, `SameSite=Lax`) on 127.0.0.1; the
//! OAuth2 `state` is single-use and checked against a cookie set with it; an order belongs to the
//! session that created it, and another session gets 404 for it.

use crate::demo_errors::{answer, from_call, not_logged_in};
use crate::demo_routes::DemoState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use crous_till_core::api::izly_connect::{parse_token, parse_users, IzlyApiKey, IzlyConnectApi, IzlyUser};
use crous_till_core::api::izly_pay::{parse_init, parse_payment_details, parse_refund, InitPayment, IzlyPayApi};
use crous_till_core::api::Environment;
use crous_till_core::error_code::ErrorCode;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use std::str::FromStr;

const SESSION_COOKIE: &str = "crous_till_demo_shop";
const STATE_COOKIE: &str = "crous_till_demo_login";
const SHOP_PAGE: &str = "/web-demo/shop.html";
/// IzlyConnect scope the shop asks for (specs 002: `scope=1`).
const SCOPE: &str = "1";

/// A logged-in shop customer.
pub struct Session {
    pub user: IzlyUser,
}

/// A web payment the shop started.
pub struct Order {
    pub session: String,
    pub operation_id: String,
    pub amount: Decimal,
}

fn apis(state: &DemoState) -> Option<(IzlyConnectApi, IzlyPayApi)> {
    let partner = state.partner()?;
    let env = Environment::Custom(state.base_url().to_owned());
    let key = IzlyApiKey::new(partner.api_key.clone());
    let connect = IzlyConnectApi::new(&env, partner.app_identifier.clone(), key.clone()).ok()?;
    let pay = IzlyPayApi::new(&env, partner.app_identifier.clone(), key).ok()?;
    Some((connect, pay))
}

fn no_partner() -> Response {
    answer(StatusCode::SERVICE_UNAVAILABLE, "shop.no_partner", "the fixtures have no IzlyPay partner")
}

/// 128 random bits in hex (a demo on loopback: not a cryptographic generator).
fn random_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let raw = headers.get(header::COOKIE)?.to_str().ok()?;
    raw.split(';').filter_map(|c| c.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_owned())
}

fn set_cookie(response: &mut Response, name: &str, value: &str, max_age: u32) {
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}");
    if let Ok(v) = HeaderValue::from_str(&text) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn session_id(state: &DemoState, headers: &HeaderMap) -> Option<String> {
    let id = cookie(headers, SESSION_COOKIE)?;
    state.inner().sessions.lock().unwrap_or_else(|p| p.into_inner()).contains_key(&id).then_some(id)
}

/// Back to the shop page with an error code the page shows.
fn back_with_error(code: &str) -> Response {
    Redirect::to(&format!("{SHOP_PAGE}?error={code}")).into_response()
}

/// `GET /demo/shop/login`: to IzlyConnect's login page (core's `authorize_url`), with a fresh state.
pub async fn login(State(state): State<DemoState>) -> Response {
    let Some((connect, _)) = apis(&state) else { return no_partner() };
    let login_state = random_id();
    state.inner().pending_logins.lock().unwrap_or_else(|p| p.into_inner()).insert(login_state.clone(), ());
    let mut response = Redirect::to(&connect.authorize_url(SCOPE, Some(&login_state))).into_response();
    set_cookie(&mut response, STATE_COOKIE, &login_state, 600);
    response
}

#[derive(Deserialize)]
pub struct ReturnQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /demo/shop/connect-return?code=…&state=…`: checks the state, exchanges the code for tokens
/// and reads the right holder (`GET /api/izly/users`), then opens a session.
pub async fn connect_return(
    State(state): State<DemoState>,
    headers: HeaderMap,
    Query(q): Query<ReturnQuery>,
) -> Response {
    let Some((connect, _)) = apis(&state) else { return no_partner() };
    let given = q.state.unwrap_or_default();
    let known = state.inner().pending_logins.lock().unwrap_or_else(|p| p.into_inner()).remove(&given).is_some();
    if !known || cookie(&headers, STATE_COOKIE).as_deref() != Some(given.as_str()) {
        return back_with_error("shop.login_state_mismatch");
    }
    if q.error.is_some() {
        return back_with_error("shop.login_cancelled");
    }
    let Some(code) = q.code.filter(|c| !c.is_empty()) else { return back_with_error("shop.login_no_code") };
    let tokens = match state.inner().executor.call(&connect.token_from_code(&code), parse_token).await {
        Ok(t) => t.value,
        Err(e) => return back_with_error(e.code()),
    };
    let user = match state.inner().executor.call(&connect.users(&tokens.access_token), parse_users).await {
        Ok(u) => u.value,
        Err(e) => return back_with_error(e.code()),
    };
    let id = random_id();
    state.inner().sessions.lock().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), Session { user });
    let mut response = Redirect::to(SHOP_PAGE).into_response();
    set_cookie(&mut response, SESSION_COOKIE, &id, 3600);
    set_cookie(&mut response, STATE_COOKIE, "", 0);
    response
}

/// `GET /demo/shop/me`: the logged-in right holder, as `GET /api/izly/users` gave it, or
/// `{"user": null}` (not an error: the page asks before anyone logged in).
pub async fn me(State(state): State<DemoState>, headers: HeaderMap) -> Response {
    let id = session_id(&state, &headers).unwrap_or_default();
    let sessions = state.inner().sessions.lock().unwrap_or_else(|p| p.into_inner());
    Json(json!({"user": sessions.get(&id).map(|s| &s.user)})).into_response()
}

pub async fn logout(State(state): State<DemoState>, headers: HeaderMap) -> Response {
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        state.inner().sessions.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut response, SESSION_COOKIE, "", 0);
    response
}

#[derive(Deserialize)]
pub struct PayBody {
    /// Euros, as a string ("4.50") so that no float is involved.
    amount: String,
    label: Option<String>,
}

/// `POST /demo/shop/payments {"amount": "4.50"}`: IzlyPay init; answers the hosted page's URL.
pub async fn pay(State(state): State<DemoState>, headers: HeaderMap, body: Option<Json<PayBody>>) -> Response {
    let Some(session) = session_id(&state, &headers) else { return not_logged_in() };
    let Some((_, izly_pay)) = apis(&state) else { return no_partner() };
    let Some(Json(body)) = body else {
        return answer(StatusCode::BAD_REQUEST, "input.invalid", "expected {\"amount\": \"4.50\"}");
    };
    let Ok(amount) = Decimal::from_str(body.amount.trim()) else {
        return answer(StatusCode::BAD_REQUEST, "input.invalid", format!("not an amount: {:?}", body.amount));
    };
    let client_order_id = format!("DEMO-{}", random_id());
    let init = InitPayment {
        amount,
        client_order_id: client_order_id.clone(),
        callback_parameters: None,
        redirect_url_after_payment: Some(format!("{}{SHOP_PAGE}?order={client_order_id}", state.base_url())),
        message: Some(body.label.unwrap_or_else(|| "Boutique du Crous (démo)".to_owned())),
        software: None,
    };
    let request = match izly_pay.init_payment(&init) {
        Ok(r) => r,
        Err(e) => return answer(StatusCode::BAD_REQUEST, e.code(), e),
    };
    let started = match state.inner().executor.call(&request, parse_init).await {
        Ok(s) => s.value,
        Err(e) => return from_call(&e),
    };
    let order = Order { session, operation_id: started.operation.id.clone(), amount };
    state.inner().orders.lock().unwrap_or_else(|p| p.into_inner()).insert(client_order_id.clone(), order);
    Json(json!({
        "clientOrderId": client_order_id,
        "operationId": started.operation.id,
        "paymentUrl": started.payment_authorization_url,
        "amount": amount.to_string(),
    }))
    .into_response()
}

/// The order `client_order_id` of this session: (operation id, amount); else the answer to give.
#[allow(clippy::result_large_err)] // the error is the ready answer, as in the sandbox's handlers
fn own_order(state: &DemoState, headers: &HeaderMap, client_order_id: &str) -> Result<(String, Decimal), Response> {
    let session = session_id(state, headers).ok_or_else(not_logged_in)?;
    let orders = state.inner().orders.lock().unwrap_or_else(|p| p.into_inner());
    let orders: &HashMap<String, Order> = &orders;
    match orders.get(client_order_id) {
        Some(o) if o.session == session => Ok((o.operation_id.clone(), o.amount)),
        _ => Err(answer(StatusCode::NOT_FOUND, "shop.unknown_order", format!("no order {client_order_id}"))),
    }
}

/// `GET /demo/shop/payments/{order}`: the payment's details (`GET /api/Izly/WebPayments/{id}`).
pub async fn payment(State(state): State<DemoState>, headers: HeaderMap, Path(order): Path<String>) -> Response {
    let (operation_id, amount) = match own_order(&state, &headers, &order) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((_, izly_pay)) = apis(&state) else { return no_partner() };
    match state.inner().executor.call(&izly_pay.payment_details(&operation_id), parse_payment_details).await {
        Ok(d) => Json(json!({
            "clientOrderId": order,
            "operationId": operation_id,
            "status": d.value.operation_status,
            "amount": d.value.amount.to_string(),
            "ordered": amount.to_string(),
            "error": d.value.error_text(),
        }))
        .into_response(),
        Err(e) => from_call(&e),
    }
}

/// `POST /demo/shop/payments/{order}/refund`: IzlyPay refund (reconciled by core on a lost answer).
pub async fn refund(State(state): State<DemoState>, headers: HeaderMap, Path(order): Path<String>) -> Response {
    let (operation_id, _) = match own_order(&state, &headers, &order) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((_, izly_pay)) = apis(&state) else { return no_partner() };
    match state.inner().executor.call(&izly_pay.refund(&operation_id, &order), parse_refund).await {
        Ok(r) => Json(json!({
            "clientOrderId": order,
            "operationId": r.value.operation_id,
            "status": r.value.operation_status,
            "amount": r.value.amount.to_string(),
            "reconciled": r.reconciled,
        }))
        .into_response(),
        Err(e) => from_call(&e),
    }
}

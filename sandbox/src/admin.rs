//! The sandbox's own routes, under `/sandbox`: fixtures, reset, faults, what was stored.

use crate::faults::FaultSet;
use crate::util::json;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

const JSON: &str = "application/json";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sandbox/fixtures", get(fixtures))
        .route("/sandbox/reset", post(reset))
        .route("/sandbox/faults", get(get_faults).post(set_faults))
        .route("/sandbox/tickets", get(tickets))
        .route("/sandbox/izly/accounts", get(accounts))
        .route("/sandbox/izly/debits", get(debits))
        .route("/sandbox/izly/qrcodes", post(mint_qr))
        .route("/sandbox/openapi.json", get(openapi))
        .route("/sandbox/izly/oauth", get(izly_oauth))
        .route("/sandbox/izly/web-payments", get(web_payments))
        .route("/sandbox/izly/web-payments/{id}/callback", post(resend_callback))
        .route("/sandbox/izly/callback", post(izly_demo_callback))
        .route("/sandbox/izly/connect-return", get(izly_demo_return))
        .route("/sandbox/esipay/transactions", get(esipay_transactions))
        .route("/sandbox/esipay/cards", get(esipay_cards))
        .route("/sandbox/esipay/return", post(esipay_return))
}

/// `{"error": "..."}`, the sandbox's own error shape.
fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    json(status, JSON, &json!({"error": message.to_string()}))
}

fn listed(rows: rusqlite::Result<Vec<Value>>) -> Response {
    match rows {
        Ok(v) => json(StatusCode::OK, JSON, &Value::Array(v)),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn fixtures(State(st): State<AppState>) -> Response {
    json(StatusCode::OK, JSON, &serde_json::to_value(&*st.fixtures()).expect("fixtures serialize"))
}

async fn reset(State(st): State<AppState>) -> Response {
    st.faults.set(FaultSet::default());
    match st.db.seed(&st.fixtures()) {
        Ok(()) => json(StatusCode::OK, JSON, &json!({"reset": true})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn get_faults(State(st): State<AppState>) -> Response {
    json(StatusCode::OK, JSON, &serde_json::to_value(st.faults.get()).expect("faults serialize"))
}

async fn set_faults(State(st): State<AppState>, body: Bytes) -> Response {
    let set: FaultSet = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("expected {{\"rules\":[...]}}: {e}")),
    };
    if let Err(e) = set.validate() {
        return error(StatusCode::BAD_REQUEST, e);
    }
    st.faults.set(set);
    json(StatusCode::OK, JSON, &serde_json::to_value(st.faults.get()).expect("faults serialize"))
}

#[derive(serde::Deserialize)]
struct TicketFilter {
    pos: Option<String>,
}

async fn tickets(State(st): State<AppState>, Query(f): Query<TicketFilter>) -> Response {
    listed(crate::crous::stored_tickets(&st, f.pos.as_deref()))
}

async fn accounts(State(st): State<AppState>) -> Response {
    listed(crate::izly_pos::accounts(&st))
}

async fn debits(State(st): State<AppState>) -> Response {
    listed(crate::izly_pos::debits(&st))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MintQr {
    id_izly: String,
    #[serde(default)]
    ttl_seconds: Option<i64>,
}

async fn mint_qr(State(st): State<AppState>, body: Bytes) -> Response {
    let m: MintQr = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"id_izly\": \"...\", \"ttl_seconds\": n}}: {e}"),
            )
        }
    };
    let ttl_ms = m.ttl_seconds.map_or(st.code_ttl.as_millis() as i64, |s| s.saturating_mul(1000));
    match crate::izly_pos::mint_qr_code(&st, &m.id_izly, ttl_ms) {
        Ok(Some((text, expires_at))) => {
            json(StatusCode::CREATED, JSON, &json!({"text": text, "expires_at": expires_at}))
        }
        Ok(None) => error(StatusCode::NOT_FOUND, format!("no Izly account {:?}", m.id_izly)),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn openapi() -> Response {
    json(StatusCode::OK, JSON, &crate::openapi::document())
}

async fn esipay_transactions(State(st): State<AppState>) -> Response {
    listed(crate::esipay::transactions(&st))
}

async fn esipay_cards(State(st): State<AppState>) -> Response {
    listed(crate::esipay::cards(&st))
}

async fn esipay_return(headers: axum::http::HeaderMap, body: Bytes) -> Response {
    crate::esipay::demo_return(&headers, &body)
}

async fn izly_oauth(State(st): State<AppState>) -> Response {
    match crate::izly_connect::grants(&st) {
        Ok(v) => json(StatusCode::OK, JSON, &v),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn web_payments(State(st): State<AppState>) -> Response {
    listed(crate::izly_pay::list(&st))
}

/// Sends an IzlyPay callback again (a `Completed` or `Failed` payment) and says how it went.
async fn resend_callback(State(st): State<AppState>, axum::extract::Path(id): axum::extract::Path<String>) -> Response {
    match crate::izly_pay::resend_callback(&st, &id).await {
        Ok(Ok(d)) => json(
            StatusCode::OK,
            JSON,
            &json!({"url": d.url, "status": d.status, "answer": d.answer, "error": d.error, "accepted": d.accepted()}),
        ),
        Ok(Err((status, message))) => error(status, message),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e),
    }
}

async fn izly_demo_callback(headers: axum::http::HeaderMap, body: Bytes) -> Response {
    crate::izly_pay::demo_callback(&headers, &body)
}

async fn izly_demo_return(axum::extract::RawQuery(q): axum::extract::RawQuery) -> Response {
    crate::izly_connect::demo_return(q.as_deref())
}

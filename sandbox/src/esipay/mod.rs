//! esipay v2 as specs 004 describes it (read with the sandbox's own `wire`): card payment
//! `/cardpay/{uuid}/{cid}/{cardnumber}/{cardmonth}/{cardyear}/{amount}`, refund
//! `/cardpay/{uuid}/{transaction}`, partial refund `/cardpay/{uuid}/{transaction}/{amount}`, all
//! three `POST` (core's choice; the spec names no method).
//!
//! Statuses, as the spec lists them: 400 "un des paramètres de la requête est incorrect" (for a
//! partial refund also "le montant dépasse le montant restant de transaction"), 403 "l'adresse IP
//! du serveur qui appelle le service n'est pas correcte", 500 "erreur coté service", 200 done.
//! The spec gives no error body; the sandbox answers `text/plain`, `<code>: <message>` (codes in
//! [`codes`]), the same shape as the fault layer's injected 500.
//!
//! The sandbox's choices where the spec is silent:
//! * order of checks: unknown uuid → 400 (it is a parameter, and without an enterprise there is
//!   no registered IP to compare), then the caller's IP → 403, then the other parameters → 400;
//! * a card unknown to the fixtures, an expired card and an insufficient balance are 400: the
//!   spec has no "declined" status and the transaction never starts;
//! * the return POST is `application/x-www-form-urlencoded` (`type=card&amount=12.50&
//!   transaction=...&cid=...`), what core's `esipay::parse_return` reads by default;
//! * a return URL that does not answer 200 (any other status, a refused connection, or no answer
//!   within [`RETURN_URL_TIMEOUT`], 5 s, connect included, no retry): the payment is cancelled,
//!   the card re-credited, and the answer is 500 (the transaction "did not complete", as core
//!   reads it); 5 s leaves the caller's own timeout (core's default 30 s) ample room;
//! * the card is checked for 12 to 19 digits and a valid Luhn key, the month 1 to 12 (leading
//!   zero accepted), the year four digits, the amount `12`, `12.5` or `12.50` and above zero;
//! * refunds POST nothing to the return URL (the spec describes the POST for payments only); a
//!   full refund refunds what remains; refunding a cancelled, still pending or fully refunded
//!   transaction, or one of another enterprise, is 400;
//! * a cid may be reused: esipay offers no look-up by cid, so each payment is a new transaction.
//!
//! A return URL written as a path (`/sandbox/esipay/return`, the demo fixtures' choice) is on the
//! sandbox itself: [`demo_return`] reads the POST with core's parser and answers 200, so demo
//! payments stand without a merchant server.

mod params;
mod payment;
mod refund;
mod return_post;

pub use return_post::{form_body, ReturnOutcome, RETURN_URL_TIMEOUT};

use crate::fixtures::EsipayEnterprise;
use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};

/// The stable codes that start every error body.
pub mod codes {
    pub const UNKNOWN_ENTERPRISE: &str = "unknown_enterprise";
    pub const IP_REFUSED: &str = "ip_refused";
    pub const UNKNOWN_CARD: &str = "unknown_card";
    pub const INSUFFICIENT_FUNDS: &str = "insufficient_funds";
    pub const RETURN_URL_FAILED: &str = "return_url_failed";
    pub const UNKNOWN_TRANSACTION: &str = "unknown_transaction";
    pub const TRANSACTION_CANCELLED: &str = "transaction_cancelled";
    pub const TRANSACTION_PENDING: &str = "transaction_pending";
    pub const NOTHING_LEFT: &str = "nothing_left_to_refund";
    pub const EXCEEDS_REMAINING: &str = "amount_exceeds_remaining";
    pub const INVALID_PATH: &str = "invalid_path";
    pub const INVALID_RETURN: &str = "invalid_return";
    pub const INTERNAL: &str = "internal";
}

/// Transaction states in `esipay_transactions.status`.
pub mod status {
    /// Card debited, return URL not answered yet.
    pub const PENDING: &str = "pending";
    /// The return URL answered 200: the transaction stands (refundable).
    pub const ACCEPTED: &str = "accepted";
    /// The return URL did not answer 200: card re-credited.
    pub const CANCELLED: &str = "cancelled";
    /// Refunded in full (by one full refund or partial ones).
    pub const REFUNDED: &str = "refunded";
}

pub fn routes() -> Router<AppState> {
    // The router wants one name per position: {a}.. are cid/transaction, cardnumber/amount, ...
    Router::new()
        .route("/cardpay/{uuid}/{a}/{b}/{c}/{d}/{e}", post(payment::pay))
        .route("/cardpay/{uuid}/{a}", post(refund::full))
        .route("/cardpay/{uuid}/{a}/{b}", post(refund::partial))
}

/// The error answer: `text/plain`, `<code>: <message>`.
pub fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let mut r = (status, format!("{code}: {message}")).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn ok() -> Response {
    let mut r = (StatusCode::OK, "OK").into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn bad(e: params::Invalid) -> Response {
    refuse(StatusCode::BAD_REQUEST, e.code, &e.message)
}

fn internal(e: impl std::fmt::Display) -> Response {
    refuse(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, &format!("erreur de stockage du bac à sable : {e}"))
}

/// A path segment that is not UTF-8 once percent-decoded, or the like: 400 in our shape.
fn bad_path(e: axum::extract::rejection::PathRejection) -> Response {
    refuse(StatusCode::BAD_REQUEST, codes::INVALID_PATH, &e.body_text())
}

/// The enterprise behind `uuid`, if `peer` is one of its registered addresses: 400 for an unknown
/// uuid, 403 for another address ("adresse IP du serveur effectuant les requêtes").
fn enterprise_for(st: &AppState, uuid: &str, peer: SocketAddr) -> Result<EsipayEnterprise, Response> {
    let fixtures = st.fixtures();
    let Some(ent) = fixtures.enterprise(uuid) else {
        return Err(refuse(StatusCode::BAD_REQUEST, codes::UNKNOWN_ENTERPRISE, "uuid : entreprise inconnue"));
    };
    let ip = peer.ip().to_canonical();
    if !ent.allowed_ips.iter().any(|a| a.trim().parse::<IpAddr>().is_ok_and(|a| a.to_canonical() == ip)) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            codes::IP_REFUSED,
            &format!("l'adresse IP {ip} n'est pas celle enregistrée pour l'entreprise"),
        ));
    }
    Ok(ent.clone())
}

/// `1234567890120014` → `************0014`.
fn masked(card: &str) -> String {
    let keep = card.len().saturating_sub(4);
    format!("{}{}", "*".repeat(keep), &card[keep..])
}

/// `GET /sandbox/esipay/transactions`: every transaction, oldest first, card numbers masked.
pub fn transactions(st: &AppState) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let mut s = tx.prepare(
            "SELECT rowid, id, uuid, cid, card, amount_cents, refunded_cents, status, return_status, created \
             FROM esipay_transactions ORDER BY rowid",
        )?;
        let rows = s.query_map([], |r| {
            let (amount, refunded): (i64, i64) = (r.get(5)?, r.get(6)?);
            Ok(json!({
                "transaction": r.get::<_, String>(1)?, "uuid": r.get::<_, String>(2)?, "cid": r.get::<_, String>(3)?,
                "card": masked(&r.get::<_, String>(4)?), "amount_cents": amount, "refunded_cents": refunded,
                "remaining_cents": amount - refunded, "status": r.get::<_, String>(7)?,
                "return_status": r.get::<_, Option<i64>>(8)?, "created": r.get::<_, String>(9)?,
            }))
        })?;
        rows.collect()
    })
}

/// `GET /sandbox/esipay/cards`: the test cards' balances (cents).
pub fn cards(st: &AppState) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let mut s = tx.prepare("SELECT number, balance_cents FROM esipay_cards ORDER BY number")?;
        let rows =
            s.query_map([], |r| Ok(json!({"number": r.get::<_, String>(0)?, "balance_cents": r.get::<_, i64>(1)?})))?;
        rows.collect()
    })
}

/// `POST /sandbox/esipay/return`: the demo enterprise's return URL. 200 when the POST carries
/// the four fields specs 004 names (`type`, `amount` with its `.`, `transaction`, `cid`), else 400 (which
/// cancels the payment, as it should). Read with the sandbox's own form reader.
pub fn demo_return(_headers: &axum::http::HeaderMap, body: &[u8]) -> Response {
    let fields = std::str::from_utf8(body).ok().and_then(crate::wire::parse_form).unwrap_or_default();
    let field = |name: &str| fields.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.as_str());
    if let Some(missing) = ["type", "amount", "transaction", "cid"].into_iter().find(|f| field(f).is_none()) {
        return refuse(StatusCode::BAD_REQUEST, codes::INVALID_RETURN, &format!("{missing} is missing"));
    }
    // "amount : montant (réel, séparateur : .)".
    let amount = field("amount").unwrap_or_default();
    let (units, cents) = amount.split_once('.').unwrap_or((amount, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(cents) {
        return refuse(
            StatusCode::BAD_REQUEST,
            codes::INVALID_RETURN,
            &format!("amount {amount:?} is not a real number"),
        );
    }
    ok()
}

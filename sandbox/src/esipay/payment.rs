//! "Paiement par carte bancaire": `/cardpay/{uuid}/{cid}/{cardnumber}/{cardmonth}/{cardyear}/{amount}`.
//!
//! The card is debited and the transaction stored as pending in one step; the return URL is then
//! called (no lock held meanwhile, in a task of its own so that a caller hanging up changes
//! nothing); its answer decides, in a second step, between "accepted" (200 to the caller) and
//! "cancelled" with the card re-credited (500 to the caller). Bad parameters change nothing.

use super::params::{self, Invalid};
use super::return_post::notify;
use super::{bad, bad_path, codes, enterprise_for, internal, ok, refuse, status};
use crate::util::{now_rfc3339, token};
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{params, OptionalExtension};
use std::net::SocketAddr;

type PayPath = (String, String, String, String, String, String);

/// The parameters, once read.
struct Payment {
    cid: String,
    card: String,
    amount_cents: i64,
}

fn read(cid: &str, card: &str, month: &str, year: &str, amount: &str) -> Result<Payment, Invalid> {
    let cid = params::identifier("cid", cid)?;
    let card = params::card_number(card)?;
    let month = params::card_month(month)?;
    let year = params::card_year(year)?;
    params::not_expired(month, year, chrono::Utc::now().date_naive())?;
    let amount_cents = params::amount_cents(amount)?;
    Ok(Payment { cid, card, amount_cents })
}

pub async fn pay(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    path: Result<Path<PayPath>, PathRejection>,
) -> Response {
    let Path((uuid, cid, card, month, year, amount)) = match path {
        Ok(p) => p,
        Err(e) => return bad_path(e),
    };
    let ent = match enterprise_for(&st, &uuid, peer) {
        Ok(e) => e,
        Err(r) => return r,
    };
    let p = match read(&cid, &card, &month, &year, &amount) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let id = token(20);
    let debited = st.db.tx(|tx| {
        let balance: Option<i64> = tx
            .query_row("SELECT balance_cents FROM esipay_cards WHERE number = ?1", [&p.card], |r| r.get(0))
            .optional()?;
        let Some(balance) = balance else {
            return Ok(Err(refuse(StatusCode::BAD_REQUEST, codes::UNKNOWN_CARD, "cardnumber : carte inconnue")));
        };
        if balance < p.amount_cents {
            return Ok(Err(refuse(
                StatusCode::BAD_REQUEST,
                codes::INSUFFICIENT_FUNDS,
                "paiement refusé : provision insuffisante sur la carte",
            )));
        }
        tx.execute(
            "UPDATE esipay_cards SET balance_cents = balance_cents - ?1 WHERE number = ?2",
            params![p.amount_cents, p.card],
        )?;
        tx.execute(
            "INSERT INTO esipay_transactions(id, uuid, cid, card, amount_cents, status, created) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, ent.uuid, p.cid, p.card, p.amount_cents, status::PENDING, now_rfc3339()],
        )?;
        Ok::<_, rusqlite::Error>(Ok(()))
    });
    match debited {
        Err(e) => return internal(e),
        Ok(Err(r)) => return r,
        Ok(Ok(())) => {}
    }
    // The return call and the settlement run in their own task: a caller that hangs up (its
    // timeout) must not leave the card debited and the transaction pending for ever.
    let url = return_url(&st, &ent.return_url);
    let settle = tokio::spawn(async move {
        let outcome = notify(&url, p.amount_cents, &id, &p.cid).await;
        let settled = st.db.tx(|tx| {
            let new_status = if outcome.accepted() { status::ACCEPTED } else { status::CANCELLED };
            // Only a still-pending row moves: a reset meanwhile emptied the tables.
            let n = tx.execute(
                "UPDATE esipay_transactions SET status = ?1, return_status = ?2 WHERE id = ?3 AND status = ?4",
                params![new_status, outcome.status(), id, status::PENDING],
            )?;
            if n == 1 && !outcome.accepted() {
                tx.execute(
                    "UPDATE esipay_cards SET balance_cents = balance_cents + ?1 WHERE number = ?2",
                    params![p.amount_cents, p.card],
                )?;
            }
            Ok::<_, rusqlite::Error>(n == 1)
        });
        (outcome, settled)
    });
    let (outcome, settled) = match settle.await {
        Ok(done) => done,
        Err(e) => return internal(e),
    };
    match settled {
        Err(e) => internal(e),
        Ok(true) if outcome.accepted() => ok(),
        Ok(true) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::RETURN_URL_FAILED,
            &format!("transaction annulée et carte recréditée : {}", outcome.reason()),
        ),
        Ok(false) => internal("la transaction a disparu (remise à zéro pendant l'appel de l'URL de retour)"),
    }
}

/// A return URL starting with `/` is on the sandbox itself (the demo fixtures use
/// `/sandbox/esipay/return`, since the sandbox's port is known only once it listens).
fn return_url(st: &AppState, configured: &str) -> String {
    if configured.starts_with('/') {
        format!("{}{configured}", st.base_url)
    } else {
        configured.to_owned()
    }
}

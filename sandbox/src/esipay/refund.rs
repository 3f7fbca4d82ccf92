//! "Remboursement" `/cardpay/{uuid}/{transaction}` (what remains of the transaction) and
//! "Remboursement partiel" `/cardpay/{uuid}/{transaction}/{amount}` ("400 : ... ou le montant
//! dépasse le montant restant de transaction"). Each refund credits the card back, in one step
//! with the transaction's update, so two refunds at once never exceed the amount paid.

use super::params;
use super::{bad, bad_path, codes, enterprise_for, internal, ok, refuse, status};
use crate::util::euros_text;
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{params, OptionalExtension};
use std::net::SocketAddr;

pub async fn full(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    match path {
        Ok(Path((uuid, transaction))) => refund(&st, peer, &uuid, &transaction, None),
        Err(e) => bad_path(e),
    }
}

pub async fn partial(
    State(st): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Response {
    match path {
        Ok(Path((uuid, transaction, amount))) => refund(&st, peer, &uuid, &transaction, Some(&amount)),
        Err(e) => bad_path(e),
    }
}

/// Refunds `amount` (`None`: all that remains) of `transaction`.
fn refund(st: &AppState, peer: SocketAddr, uuid: &str, transaction: &str, amount: Option<&str>) -> Response {
    let ent = match enterprise_for(st, uuid, peer) {
        Ok(e) => e,
        Err(r) => return r,
    };
    let transaction = match params::identifier("transaction", transaction) {
        Ok(t) => t,
        Err(e) => return bad(e),
    };
    let asked = match amount.map(params::amount_cents).transpose() {
        Ok(a) => a,
        Err(e) => return bad(e),
    };
    let outcome = st.db.tx(|tx| {
        let row: Option<(String, i64, i64, String)> = tx
            .query_row(
                "SELECT card, amount_cents, refunded_cents, status FROM esipay_transactions WHERE id = ?1 AND uuid = ?2",
                params![transaction, ent.uuid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let refused = |code: &str, message: &str| Ok(refuse(StatusCode::BAD_REQUEST, code, message));
        let Some((card, paid, refunded, state)) = row else {
            return refused(codes::UNKNOWN_TRANSACTION, "transaction : transaction inconnue pour cette entreprise");
        };
        match state.as_str() {
            status::CANCELLED => {
                return refused(codes::TRANSACTION_CANCELLED, "transaction annulée : rien à rembourser");
            }
            status::PENDING => {
                return refused(codes::TRANSACTION_PENDING, "transaction en attente de la réponse de l'URL de retour");
            }
            _ => {}
        }
        let remaining = paid - refunded;
        if remaining <= 0 {
            return refused(codes::NOTHING_LEFT, "transaction déjà remboursée en totalité");
        }
        let amount = asked.unwrap_or(remaining);
        if amount > remaining {
            return refused(
                codes::EXCEEDS_REMAINING,
                &format!("le montant dépasse le montant restant de transaction ({} €)", euros_text(remaining)),
            );
        }
        let new_status = if amount == remaining { status::REFUNDED } else { status::ACCEPTED };
        tx.execute(
            "UPDATE esipay_transactions SET refunded_cents = refunded_cents + ?1, status = ?2 WHERE id = ?3",
            params![amount, new_status, transaction],
        )?;
        tx.execute("UPDATE esipay_cards SET balance_cents = balance_cents + ?1 WHERE number = ?2", params![amount, card])?;
        Ok::<_, rusqlite::Error>(ok())
    });
    outcome.unwrap_or_else(internal)
}

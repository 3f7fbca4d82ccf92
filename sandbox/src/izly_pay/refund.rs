//! `POST /api/Izly/WebPayments/{OperationId}/Refund?clientOrderId={ClientOrderId}` (specs 002
//! "Remboursement d'un paiement"; the spec's `clientOrderId=/{…}` slash read as a typo, as core
//! does). Answer: `OperationId`, `IdTransactionDebitIzly`, `RefundDate`, `Amount`,
//! `OperationStatus` "Refund", `ClientOrderId`. Only a `Completed` payment is refunded, once, in
//! full, by the partner that created it and with its own ClientOrderId; the amount goes back to
//! the account's balance in the same transaction. No body is read.

use super::record::{self, iso_date};
use super::{authorized, bad_request, codes, internal, not_found, operation_id, status};
use crate::izly_connect::params::Params;
use crate::izly_pos::xerror;
use crate::util::{euros, json, now_rfc3339};
use crate::wire::XPOLLENS_JSON as CONTENT_TYPE;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::params;
use serde_json::json;

pub async fn refund(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let partner = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let order = match Params::from_query(q.as_deref())
        .and_then(|p| p.non_empty("clientOrderId").map(|v| v.map(str::to_owned)))
    {
        Ok(Some(o)) => o,
        Ok(None) => return bad_request("Paramètre clientOrderId obligatoire"),
        Err(m) => return bad_request(&m),
    };
    let Some(id) = operation_id(&id) else { return not_found() };
    let done = st.db.tx(|tx| {
        let p = match record::load(tx, id)? {
            Some(p) if p.app_identifier == partner.app_identifier => p,
            _ => return Ok(not_found()),
        };
        if p.client_order_id != order {
            return Ok(xerror(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::ORDER_MISMATCH,
                "clientOrderId ne correspond pas à l'opération",
            ));
        }
        match p.status.as_str() {
            status::COMPLETED => {}
            status::REFUNDED => {
                return Ok(xerror(StatusCode::CONFLICT, codes::ALREADY_REFUNDED, "Opération déjà remboursée"))
            }
            other => {
                return Ok(xerror(
                    StatusCode::CONFLICT,
                    codes::NOT_REFUNDABLE,
                    &format!("Seul un paiement effectué peut être remboursé (statut : {other})"),
                ))
            }
        }
        let refunded = now_rfc3339();
        tx.execute(
            "UPDATE izly_accounts SET balance_cents = balance_cents + ?1 WHERE id_izly = ?2",
            params![p.amount_cents, p.id_izly],
        )?;
        tx.execute(
            "UPDATE web_payments SET status = ?2, refunded = ?3 WHERE id = ?1 AND status = ?4",
            params![id, status::REFUNDED, refunded, status::COMPLETED],
        )?;
        Ok::<_, rusqlite::Error>(json(
            StatusCode::OK,
            CONTENT_TYPE,
            &json!({
                "OperationId": p.id, "IdTransactionDebitIzly": p.id_transaction, "RefundDate": iso_date(&refunded),
                "Amount": euros(p.amount_cents), "OperationStatus": status::REFUNDED, "ClientOrderId": p.client_order_id,
            }),
        ))
    });
    done.unwrap_or_else(internal)
}

//! `POST /api/Izly/WebPayments` (specs 002 "Initialisation du paiement"): body `Amount` (Int,
//! "Valeur en centimes", obligatoire), `ClientOrderId` (obligatoire), `CallbackParameters`,
//! `RedirectUrlAfterPayment`, `Message`, `Software` (facultatifs). The answer is the spec's
//! example: `PaymentAuthorizationUrl`, `OperationSMoney` (`Amount` "1.00" in euros as a string,
//! `Date` `dd/MM/yyyy HH:mm:ss`, `Status` "Waiting"), `Beneficiary` {`Id`, `AppIdentifier`}.
//! A refused request stores nothing.

use super::record::french_date;
use super::{authorized, bad_request, codes, internal, status};
use crate::izly_pos::{xerror, ACCEPTED_CONTENT_TYPES};
use crate::util::{euros_text, json, media_type, now_ms, now_rfc3339, token};
use crate::wire::XPOLLENS_JSON as CONTENT_TYPE;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::{params, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

/// Largest amount accepted (1 000 €): the sandbox's guard against amounts off by a factor.
pub const MAX_AMOUNT_CENTS: i64 = 100_000;
const MAX_CLIENT_ORDER_ID: usize = 100;
const MAX_MESSAGE: usize = 500;
const MAX_CALLBACK_PARAMETERS: usize = 1000;
const MAX_URL: usize = 2000;

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitBody {
    #[serde(deserialize_with = "cents")]
    amount: i64,
    client_order_id: String,
    #[serde(default)]
    callback_parameters: Option<String>,
    #[serde(default)]
    redirect_url_after_payment: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    software: Option<u32>,
}

/// `Amount` (specs 002: "Int", in cents) as a JSON integer, or as a string of digits: the
/// initialisation example of specs 003 sends `"Amount": "100"` and gets a `Waiting` operation back,
/// so the real service reads both.
fn cents<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => {
            n.as_i64().ok_or_else(|| D::Error::custom("Amount must be a whole number of cents"))
        }
        serde_json::Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map_err(|_| D::Error::custom("Amount is too large"))
        }
        other => Err(D::Error::custom(format!("Amount must be a whole number of cents, not {other}"))),
    }
}

fn too_long(name: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.filter(|v| v.chars().count() > max).map(|_| format!("{name} dépasse {max} caractères"))
}

/// What is wrong with the body, in French.
fn invalid(b: &InitBody) -> Option<String> {
    if b.amount <= 0 || b.amount > MAX_AMOUNT_CENTS {
        return Some(format!("Amount doit être un nombre entier de centimes entre 1 et {MAX_AMOUNT_CENTS}"));
    }
    if b.client_order_id.trim().is_empty() {
        return Some("ClientOrderId est obligatoire".into());
    }
    if let Some(url) = b.redirect_url_after_payment.as_deref().filter(|u| !u.is_empty()) {
        let absolute = url.starts_with("http://") || url.starts_with("https://");
        if !absolute || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Some("RedirectUrlAfterPayment doit être une URL http(s) absolue".into());
        }
    }
    too_long("ClientOrderId", Some(&b.client_order_id), MAX_CLIENT_ORDER_ID)
        .or_else(|| too_long("Message", b.message.as_deref(), MAX_MESSAGE))
        .or_else(|| too_long("CallbackParameters", b.callback_parameters.as_deref(), MAX_CALLBACK_PARAMETERS))
        .or_else(|| too_long("RedirectUrlAfterPayment", b.redirect_url_after_payment.as_deref(), MAX_URL))
}

pub async fn init(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let partner = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match media_type(&headers) {
        Some(m) if ACCEPTED_CONTENT_TYPES.contains(&m.as_str()) => {}
        _ => return bad_request(&format!("Content-Type doit être {CONTENT_TYPE}")),
    }
    let b: InitBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad_request(&format!("Corps de requête invalide : {e}")),
    };
    if let Some(m) = invalid(&b) {
        return bad_request(&m);
    }
    let redirect = b.redirect_url_after_payment.filter(|u| !u.is_empty());
    let page_token = token(32);
    let created = now_rfc3339();
    let expires = now_ms() + st.token_ttl.as_millis() as i64;
    let software = b.software.map(|s| s.to_string());
    let stored = st.db.tx(|tx| {
        let paid: Option<i64> = tx
            .query_row(
                "SELECT id FROM web_payments WHERE app_identifier = ?1 AND client_order_id = ?2 AND status = ?3",
                params![partner.app_identifier, b.client_order_id, status::COMPLETED],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = paid {
            return Ok(Err(id));
        }
        let id_transaction: i64 =
            tx.query_row("SELECT COALESCE(MAX(id_transaction), 59300) + 1 FROM web_payments", [], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO web_payments(token, app_identifier, client_order_id, amount_cents, message, callback_parameters, \
             redirect_url, software, status, created, id_transaction, expires_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                page_token,
                partner.app_identifier,
                b.client_order_id,
                b.amount,
                b.message,
                b.callback_parameters,
                redirect,
                software,
                status::WAITING,
                created,
                id_transaction,
                expires
            ],
        )?;
        Ok::<_, rusqlite::Error>(Ok(super::record::fetch(tx, tx.last_insert_rowid())?.expect("just inserted")))
    });
    let p = match stored {
        Err(e) => return internal(e),
        Ok(Err(paid)) => {
            return xerror(
                StatusCode::CONFLICT,
                codes::ORDER_ALREADY_PAID,
                &format!("ClientOrderId déjà payé (opération {paid})"),
            )
        }
        Ok(Ok(p)) => p,
    };
    json(
        StatusCode::OK,
        CONTENT_TYPE,
        &json!({
            "PaymentAuthorizationUrl": format!("{}{}", st.base_url, p.page_path()),
            "OperationSMoney": {
                "Id": p.id, "IdTransactionDebitIzly": p.id_transaction, "Amount": euros_text(p.amount_cents),
                "Date": french_date(&p.created), "Status": p.status, "Message": p.message,
                "ClientOrderId": p.client_order_id, "CallbackParameters": p.callback_parameters,
            },
            "Beneficiary": {"Id": partner.beneficiary_id, "AppIdentifier": partner.app_identifier},
        }),
    )
}

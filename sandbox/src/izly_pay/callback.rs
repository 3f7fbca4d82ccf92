//! The callback (specs 002 §d "Appel du callback du site web partenaire"): a `POST` with
//! `Content-Type: application/json` to the partner's "URL de callback" (the fixture's
//! `callback_url`), body `OperationSMoney` {Id, IdTransactionDebitIzly, Amount, Date, Message,
//! ClientOrderId, Status, CallbackParameters}, `Beneficiary` {Id, ClientId}, `User` {Id, Email,
//! ClientCode, NumeroAffectation}, `Error` {Code (0 on success), Message}. "Xpollens s'attend à
//! recevoir une réponse avec un statut http 200", else the `Error` object {Code, ErrorMessage}.
//!
//! The sandbox's choices where the spec is silent:
//! * `CallbackParameters` ("que Xpollens va concaténer à l'url de callback") are appended to the
//!   URL's query (`?` or `&`, a leading `?`/`&` of theirs dropped), and repeated in the body;
//! * the callback is sent while the "Valider" POST is processed, before the browser is
//!   redirected, with [`CALLBACK_TIMEOUT`] for the whole exchange (connect included), no retry;
//! * its fate is stored (URL, HTTP status, the answer's first [`MAX_ANSWER_KEPT`] characters, or
//!   why there was none) and shown by `GET /sandbox/izly/web-payments`; a callback that fails
//!   (not 200, no answer, unreachable) changes nothing else: the payment stays what it is (the
//!   money has moved), `GET /api/Izly/WebPayments/{Id}` shows its true status, and
//!   `POST /sandbox/izly/web-payments/{Id}/callback` sends it again;
//! * a callback URL written as a path (`/sandbox/izly/callback`, the demo partner's) is on the
//!   sandbox itself: [`demo_callback`] reads the body with core's parser and answers as core does;
//! * `User.Id` is the account's `id_izly`, `User.ClientCode` its `code_client`; `Amount` is the
//!   euros string and `Date` the creation date `dd/MM/yyyy HH:mm:ss` (UTC), as in the init answer.

use super::record::{self, french_date, Payment};
use crate::fixtures::{IzlyAccount, IzlyPartner};
use crate::util::{euros_text, now_rfc3339};
use crate::AppState;
use rusqlite::params;
use serde_json::{json, Value};
use std::sync::OnceLock;
use std::time::Duration;

/// How long the partner's callback URL has to answer (connect included).
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of the partner's answer is kept.
pub const MAX_ANSWER_KEPT: usize = 2000;

/// What became of one callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub url: String,
    /// The partner's HTTP status, when it answered.
    pub status: Option<u16>,
    pub answer: Option<String>,
    /// Why there was no answer (timeout, refused connection, no partner).
    pub error: Option<String>,
}

impl Delivery {
    /// Taken into account by the partner: HTTP 200.
    pub fn accepted(&self) -> bool {
        self.status == Some(200)
    }
}

/// `$callbackUrl` with `CallbackParameters` appended to its query.
pub fn callback_url(base: &str, parameters: Option<&str>) -> String {
    match parameters.map(|p| p.trim().trim_start_matches(['?', '&'])).filter(|p| !p.is_empty()) {
        None => base.to_owned(),
        Some(p) => format!("{base}{}{p}", if base.contains('?') { '&' } else { '?' }),
    }
}

/// The callback body.
pub fn body(p: &Payment, partner: &IzlyPartner, account: Option<&IzlyAccount>) -> Value {
    json!({
        "OperationSMoney": {
            "Id": p.id, "IdTransactionDebitIzly": p.id_transaction, "Amount": euros_text(p.amount_cents),
            "Date": french_date(&p.created), "Message": p.message, "ClientOrderId": p.client_order_id,
            "Status": p.status, "CallbackParameters": p.callback_parameters,
        },
        "Beneficiary": {"Id": partner.beneficiary_id, "ClientId": partner.app_identifier},
        "User": account.map(|a| json!({
            "Id": a.id_izly, "Email": a.email, "ClientCode": a.code_client, "NumeroAffectation": a.numero_affectation,
        })),
        "Error": {"Code": p.error_code, "Message": p.error_message},
    })
}

/// One client for every callback; no idle connection kept (each callback opens its own on the
/// runtime that sends it: tests start one runtime per test).
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(CALLBACK_TIMEOUT)
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("a plain HTTP client builds")
    })
}

async fn send(url: String, body: &Value) -> Delivery {
    let sent = client()
        .post(&url)
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(body).expect("JSON values serialize"))
        .send()
        .await;
    let (status, answer, error) = match sent {
        Ok(r) => {
            let status = r.status().as_u16();
            match r.bytes().await {
                Ok(b) => {
                    (Some(status), Some(String::from_utf8_lossy(&b).chars().take(MAX_ANSWER_KEPT).collect()), None)
                }
                Err(e) if e.is_timeout() => (Some(status), None, Some("réponse incomplète dans le délai".to_owned())),
                Err(e) => (Some(status), None, Some(format!("réponse illisible : {e}"))),
            }
        }
        Err(e) if e.is_timeout() => (None, None, Some(format!("pas de réponse en {} s", CALLBACK_TIMEOUT.as_secs()))),
        Err(e) if e.is_builder() => (None, None, Some("URL de callback invalide".to_owned())),
        Err(e) if e.is_connect() => (None, None, Some("connexion refusée".to_owned())),
        Err(e) => (None, None, Some(e.to_string())),
    };
    Delivery { url, status, answer, error }
}

/// Sends the callback of payment `id` and stores what became of it; `None` for an unknown id.
pub async fn deliver(st: &AppState, id: i64) -> rusqlite::Result<Option<Delivery>> {
    let Some(p) = st.db.tx(|tx| record::fetch(tx, id))? else { return Ok(None) };
    let fixtures = st.fixtures();
    let account = p.id_izly.as_deref().and_then(|i| fixtures.izly.accounts.iter().find(|a| a.id_izly == i));
    let delivery = match fixtures.partner_by_app(&p.app_identifier) {
        Some(partner) => {
            let base = crate::izly_connect::on_this_sandbox(&st.base_url, &partner.callback_url);
            send(callback_url(&base, p.callback_parameters.as_deref()), &body(&p, partner, account)).await
        }
        None => Delivery {
            url: String::new(),
            status: None,
            answer: None,
            error: Some("partenaire absent des fixtures".into()),
        },
    };
    st.db.tx(|tx| {
        tx.execute(
            "UPDATE web_payments SET callback_url = ?2, callback_status = ?3, callback_answer = ?4, callback_error = ?5, \
             callback_at = ?6 WHERE id = ?1",
            params![id, delivery.url, delivery.status, delivery.answer, delivery.error, now_rfc3339()],
        )
    })?;
    Ok(Some(delivery))
}

/// `POST /sandbox/izly/callback`: the demo partner's callback URL, read as specs 002 describes
/// it: a JSON body (`Content-Type: application/json`) holding an `OperationSMoney` object. Answers
/// as the spec asks: 200 with `{"Code": 0, "ErrorMessage": ""}`, else 400 with a non-zero `Code`
/// and the reason.
pub fn demo_callback(headers: &axum::http::HeaderMap, body: &[u8]) -> axum::response::Response {
    let json_body = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    let refusal = if !json_body {
        Some("Content-Type doit être application/json".to_owned())
    } else {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v) if v.get("OperationSMoney").is_some_and(serde_json::Value::is_object) => None,
            Ok(_) => Some("OperationSMoney manquant".to_owned()),
            Err(e) => Some(format!("corps illisible : {e}")),
        }
    };
    let (status, answer) = match refusal {
        None => (axum::http::StatusCode::OK, serde_json::json!({"Code": 0, "ErrorMessage": ""})),
        Some(why) => (axum::http::StatusCode::BAD_REQUEST, serde_json::json!({"Code": 1, "ErrorMessage": why})),
    };
    axum::response::IntoResponse::into_response((
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        answer.to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_join_the_query() {
        assert_eq!(callback_url("http://h/cb", Some("order=1")), "http://h/cb?order=1");
        assert_eq!(callback_url("http://h/cb?x=1", Some("&order=1")), "http://h/cb?x=1&order=1");
        assert_eq!(callback_url("http://h/cb", Some(" ")), "http://h/cb");
        assert_eq!(callback_url("http://h/cb", None), "http://h/cb");
    }
}

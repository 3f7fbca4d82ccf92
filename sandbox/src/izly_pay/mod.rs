//! IzlyPay web payments as specs 002/003 describe them (read with the sandbox's own `wire`):
//! `POST /api/Izly/WebPayments` (init), the hosted payment page at the answer's
//! `PaymentAuthorizationUrl`, the server-to-server callback, `GET /api/Izly/WebPayments/{OperationId}`
//! and `POST /api/Izly/WebPayments/{OperationId}/Refund?clientOrderId=…`.
//!
//! Every API call carries `Authorization: Basic <clé d'API>` (a partner's `api_key`, verbatim)
//! and `AppIdentifier` (that partner's `app_identifier`); init also `Content-Type:
//! application/vnd.Xpollens.v1+json` (`application/vnd.s-money.v1+json`, which public clients
//! send, and `application/json` are accepted). Errors are the Xpollens object `{Code,
//! ErrorMessage, Title, Priority}` with the statuses core's `izly_pay::error_from_response`
//! types (codes in [`codes`]).
//!
//! The operation's life (`OperationStatus`): `Waiting` at init; then `Completed` (paid),
//! `Canceled` ("L'utilisateur clique sur Annuler : le paiement sera annulé"), `Failed` (account
//! blocked or balance too low: "Vérifier … le statut du compte de l'utilisateur … Vérification de
//! solde du compte de l'Ad"), `Expired` (page older than `Config::token_ttl`); a refund turns
//! `Completed` into `Refund` (the spec's example). The spec names `Waiting`, `Completed` and
//! `Refund`; `Canceled`, `Failed` and `Expired` are the sandbox's names.
//!
//! The sandbox's choices where the spec is silent (core's side is in docs/api-choices.md):
//! * init answers 200; `Amount` 1 to [`init::MAX_AMOUNT_CENTS`] cents; `ClientOrderId` 1 to 100
//!   characters; a `ClientOrderId` the partner already has a `Completed` payment for is refused
//!   (409, code 357) so that one order is never paid twice; a failed or cancelled order may be
//!   started again ("l'AD devra régénérer un paiement côté site partenaire");
//! * the page's URL is `/api/Izly/WebPayments/{Id}/Authorize?token=…[&software=…]` (the spec's
//!   example); the random token is required, a wrong one is a 404 page;
//! * a wrong identifiant or mot de passe shows the form again (401), the payment stays `Waiting`
//!   and may be retried; "Valider" then checks the account (blocked: `Failed`, code 202), the
//!   order (already paid: `Failed`, 357) and the balance (`Failed`, 201), else debits the
//!   account's Izly balance (the table Izly POS debits) in the same transaction;
//! * the callback is sent on `Completed` and `Failed` (the spec: "pour notifier le partenaire de
//!   la réalisation ou de l'échec du paiement"), not on `Canceled` nor `Expired`; see
//!   [`callback`] for its URL, body, timeout and what a failed callback changes (nothing);
//! * after `Completed` the browser is redirected (303) to `RedirectUrlAfterPayment` when given;
//!   otherwise, and after every other outcome, to the page itself, which shows the outcome
//!   ("Paiement effectué avec Izly", "Paiement avec Izly annulé"...) with a link back to the
//!   partner's `RedirectUrlAfterPayment`;
//! * details and refund of another partner's operation answer 356 like an unknown one;
//! * refund: only of a `Completed` payment (else 409, code 360; `Refund` already: 409, 361), a
//!   `clientOrderId` that is not the operation's is 422 (362); the amount is credited back to
//!   the account in the same transaction.

pub(crate) mod callback;
mod details;
mod init;
mod page;
mod record;
mod refund;

pub use callback::{demo_callback, CALLBACK_TIMEOUT};
pub use init::MAX_AMOUNT_CENTS;
pub use record::list;

use crate::fixtures::IzlyPartner;
use crate::izly_pos::xerror;
use crate::util::header_str;
use crate::wire::{CODE_OPERATION_NOT_FOUND, H_APP_IDENTIFIER, PATH_WEB_PAYMENTS};
use crate::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

/// The Xpollens codes IzlyPay answers with (356 is the spec's; the others are the sandbox's,
/// shared with Izly POS where the meaning is the same).
pub mod codes {
    use crate::izly_pos::codes as pos;
    pub const UNAUTHORIZED: i64 = pos::UNAUTHORIZED;
    pub const BAD_REQUEST: i64 = pos::BAD_REQUEST;
    /// `AppIdentifier` is not the key's partner.
    pub const OTHER_PARTNER: i64 = pos::OTHER_POINT_OF_SALE;
    pub const INSUFFICIENT_BALANCE: i64 = pos::INSUFFICIENT_BALANCE;
    pub const ACCOUNT_BLOCKED: i64 = pos::ACCOUNT_BLOCKED;
    pub const CANCELLED: i64 = 203;
    pub const PAGE_EXPIRED: i64 = 204;
    pub const OPERATION_NOT_FOUND: i64 = crate::wire::CODE_OPERATION_NOT_FOUND;
    pub const ORDER_ALREADY_PAID: i64 = pos::REFERENCE_REUSED;
    pub const NOT_REFUNDABLE: i64 = 360;
    pub const ALREADY_REFUNDED: i64 = 361;
    pub const ORDER_MISMATCH: i64 = 362;
    pub const INTERNAL: i64 = pos::INTERNAL;
}

/// `OperationStatus` values.
pub mod status {
    pub const WAITING: &str = "Waiting";
    pub const COMPLETED: &str = "Completed";
    pub const REFUNDED: &str = "Refund";
    pub const CANCELED: &str = "Canceled";
    pub const FAILED: &str = "Failed";
    pub const EXPIRED: &str = "Expired";
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH_WEB_PAYMENTS, post(init::init))
        .route(&format!("{PATH_WEB_PAYMENTS}/{{id}}"), get(details::details))
        .route(&format!("{PATH_WEB_PAYMENTS}/{{id}}/Authorize"), get(page::show).post(page::submit))
        .route(&format!("{PATH_WEB_PAYMENTS}/{{id}}/Refund"), post(refund::refund))
}

fn internal(e: impl std::fmt::Display) -> Response {
    xerror(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, &format!("sandbox storage error: {e}"))
}

fn bad_request(message: &str) -> Response {
    xerror(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
}

fn not_found() -> Response {
    xerror(StatusCode::NOT_FOUND, CODE_OPERATION_NOT_FOUND, "Opération introuvable")
}

/// The partner behind `Authorization: Basic <api key>` and `AppIdentifier`, or 401 / 403.
fn authorized(st: &AppState, headers: &HeaderMap) -> Result<IzlyPartner, Response> {
    let key = header_str(headers, "authorization").and_then(|v| v.strip_prefix("Basic ")).map(str::trim);
    let fixtures = st.fixtures();
    let Some(partner) = key.and_then(|k| fixtures.partner_by_key(k)) else {
        return Err(xerror(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, "Clé d'API inconnue"));
    };
    if header_str(headers, H_APP_IDENTIFIER) != Some(partner.app_identifier.as_str()) {
        return Err(xerror(
            StatusCode::FORBIDDEN,
            codes::OTHER_PARTNER,
            "AppIdentifier absent ou différent de l'application de la clé",
        ));
    }
    Ok(partner.clone())
}

/// An `OperationId` from the path (digits only; anything else is an unknown operation).
fn operation_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|n| *n > 0 && n.to_string() == text)
}

/// `POST /sandbox/izly/web-payments/{id}/callback`: sends the callback of a `Completed` or
/// `Failed` payment again; `Err((status, why))` when there is none to send.
pub async fn resend_callback(
    st: &AppState,
    id: &str,
) -> rusqlite::Result<Result<callback::Delivery, (StatusCode, String)>> {
    let Some(id) = operation_id(id) else { return Ok(Err((StatusCode::NOT_FOUND, format!("no web payment {id:?}")))) };
    match st.db.tx(|tx| record::load(tx, id))? {
        None => Ok(Err((StatusCode::NOT_FOUND, format!("no web payment {id}")))),
        Some(p) if p.status != status::COMPLETED && p.status != status::FAILED => Ok(Err((
            StatusCode::CONFLICT,
            format!("payment {id} is {}: only a Completed or Failed payment has a callback", p.status),
        ))),
        Some(_) => Ok(callback::deliver(st, id).await?.ok_or((StatusCode::NOT_FOUND, format!("no web payment {id}")))),
    }
}

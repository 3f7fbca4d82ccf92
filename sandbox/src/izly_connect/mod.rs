//! IzlyConnect as specs 002/003 describe it (`wire::izly_connect`): the
//! login page `GET /oauth/Home/Authorize`, the code for tokens and the refresh at
//! `POST /oauth/Home/Token`, the right holder's details at `GET /api/izly/users`.
//!
//! From the spec: "Après la validation du login et du mot de passe de l'Ayant droit, l'utilisateur
//! est redirigé automatiquement vers le site de connexion avec un code généré"; the token call
//! carries "Basic + la clé API récupéré depuis le BO" (the partner's `api_key`, verbatim); the
//! token JSON is `access_token`, `token_type` "Bearer", `expires_in`, `refresh_token`, `scope`.
//!
//! The sandbox's choices where the spec is silent (core's side is in docs/api-choices.md):
//! * an unknown `client_id`, a `response_type` other than `code`, or a `redirect_uri` that is not
//!   one of the partner's `redirect_uris` get an HTML error page, never a redirect; without
//!   `redirect_uri` the partner's first one is used;
//! * `scope` is taken as given (`1`, `16385`...) and the tokens get the partner's fixture `scope`,
//!   as in the spec's example (asked `scope=1`, granted `users_details payments izly pay`);
//! * the login is the account's `login` (case-insensitive), the password exact; a wrong pair shows
//!   the form again (401) and creates nothing; a blocked account may not log in (403): the spec's
//!   payment page checks "le statut du compte de l'utilisateur s'il est éligible de
//!   s'authentifier", and the sandbox applies that to the login page too;
//! * "Annuler" sends the browser back with `error=access_denied` (RFC 6749 §4.1.2.1), the
//!   fixtures having no separate cancel URL;
//! * a code lives `Config::code_ttl` and is single-use; an access token lives `Config::token_ttl`;
//!   a refresh token lives [`REFRESH_TTL`] and is single-use (each refresh returns a new one);
//!   a code presented with another partner's key is refused and stays usable by its own; a code
//!   presented twice is refused, the tokens it gave the first time staying valid;
//! * errors are OAuth2's `{"error", "error_description"}` (RFC 6749 §5.2, RFC 6750 §3): 400
//!   `invalid_request`, `unsupported_grant_type`, `invalid_grant`; 401 `invalid_client` (wrong
//!   Basic key) and `invalid_token` (bad, expired or missing Bearer); 403 `insufficient_scope`;
//! * users: the fixture account's fields, `null` where the fixtures hold nothing (RneComposante,
//!   CodeEtu, Ine, TypeClient, Id), `""` for AnneeUniv and Employeur as in the spec's example.

mod authorize;
pub(crate) mod html;
pub(crate) mod params;
mod token;
mod users;

use crate::util::{json, now_ms};
use crate::wire::izly_connect::{PATH_AUTHORIZE, PATH_TOKEN, PATH_USERS};
use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use serde_json::{json, Value};
use std::time::Duration;

/// Lifetime of a refresh token (single-use in any case).
pub const REFRESH_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// The page the login forms link to for "Mot de passe oublié ?".
pub const PATH_FORGOTTEN_PASSWORD: &str = "/oauth/Home/ForgottenPassword";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH_AUTHORIZE, get(authorize::show).post(authorize::submit))
        .route(PATH_FORGOTTEN_PASSWORD, get(authorize::forgotten_password))
        .route(PATH_TOKEN, post(token::token))
        .route(PATH_USERS, get(users::users))
}

/// An OAuth2 error answer (RFC 6749 §5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = json(status, "application/json", &json!({"error": error, "error_description": description}));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn internal(e: impl std::fmt::Display) -> Response {
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", &format!("sandbox storage error: {e}"))
}

/// A code or token shaped like the spec's examples: standard base64 (with `+`, `/`, `=`, which
/// exercises the clients' URL encoding).
fn secret() -> String {
    let bytes: Vec<u8> = (0..32).map(|_| fastrand::u8(..)).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Codes and tokens handed out, for `GET /sandbox/izly/oauth`.
pub fn grants(st: &AppState) -> rusqlite::Result<Value> {
    let now = now_ms();
    st.db.tx(|tx| {
        let mut s = tx.prepare("SELECT code, client_id, id_izly, scope, expires_ms, used FROM oauth_codes ORDER BY rowid")?;
        let codes = s
            .query_map([], |r| {
                Ok(json!({
                    "code": r.get::<_, String>(0)?, "client_id": r.get::<_, String>(1)?, "id_izly": r.get::<_, String>(2)?,
                    "scope": r.get::<_, String>(3)?, "expired": r.get::<_, i64>(4)? <= now, "used": r.get::<_, bool>(5)?,
                }))
            })?
            .collect::<rusqlite::Result<Vec<Value>>>()?;
        let mut s = tx.prepare(
            "SELECT token, kind, client_id, id_izly, scope, expires_ms, revoked FROM oauth_tokens ORDER BY rowid",
        )?;
        let tokens = s
            .query_map([], |r| {
                Ok(json!({
                    "token": r.get::<_, String>(0)?, "kind": r.get::<_, String>(1)?, "client_id": r.get::<_, String>(2)?,
                    "id_izly": r.get::<_, String>(3)?, "scope": r.get::<_, String>(4)?,
                    "expired": r.get::<_, i64>(5)? <= now, "revoked": r.get::<_, bool>(6)?,
                }))
            })?
            .collect::<rusqlite::Result<Vec<Value>>>()?;
        Ok(json!({"codes": codes, "tokens": tokens}))
    })
}

/// A fixture URL written as a path (`/sandbox/izly/...`, the demo partner's choice) is on this
/// sandbox, whose port is known only once it listens.
pub(crate) fn on_this_sandbox(base_url: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base_url}{url}")
    } else {
        url.to_owned()
    }
}

/// `GET /sandbox/izly/connect-return`: the demo partner's redirect URI. Shows the code (or the
/// error) IzlyConnect sent back, so that the login can be tried in a browser without a shop.
pub fn demo_return(query: Option<&str>) -> Response {
    let p = params::Params::from_query(query).unwrap_or_default();
    let value = |name: &str| p.get(name).ok().flatten().map(html::escape);
    let body = match (value("code"), value("error")) {
        (Some(code), _) => format!(
            "<p>Code reçu : <code>{code}</code></p>\n<p>État (state) : <code>{}</code></p>\n\
             <p>Échangez-le (usage unique, durée limitée) : \
             <code>POST {PATH_TOKEN}?grant_type=authorization_code&amp;code=…</code> \
             avec <code>Authorization: Basic &lt;clé d'API&gt;</code>.</p>",
            value("state").unwrap_or_default(),
        ),
        (None, Some(error)) => format!(
            "<p class=\"message\">Erreur : <code>{error}</code> {}</p>",
            value("error_description").unwrap_or_default()
        ),
        (None, None) => "<p>Aucun code ni erreur dans l'adresse.</p>".to_owned(),
    };
    html::page(StatusCode::OK, "Retour IzlyConnect (site partenaire de démonstration)", &body)
}

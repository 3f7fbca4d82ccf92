//! `POST /oauth/Home/Token?grant_type=authorization_code&code=…` and
//! `?grant_type=refresh_token&refresh_token=…`, with `Authorization: Basic <clé d'API>` (specs
//! 002: "Entêtes (Basic + la clé API récupéré depuis le BO)"). The parameters are read from the
//! query, as core sends them, and also from a form body (RFC 6749 §4.1.3).

use super::params::{Params, FORM};
use super::{internal, oauth_error, secret, REFRESH_TTL};
use crate::fixtures::IzlyPartner;
use crate::util::{header_str, json, media_type, now_ms};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::json;

/// Why a grant is refused: `invalid_grant` with this description.
type Refusal = &'static str;

/// Spends a code or a refresh token of a partner and issues tokens, or says why not.
type Spend = fn(&AppState, &Transaction<'_>, &str, &str) -> rusqlite::Result<Result<Response, Refusal>>;

fn invalid_client() -> Response {
    let mut r = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "clé d'API absente ou inconnue (Basic <clé>)");
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"IzlyConnect\""));
    r
}

fn invalid_request(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// The partner behind `Authorization: Basic <api key>`.
fn partner<'f>(fixtures: &'f crate::Fixtures, headers: &HeaderMap) -> Option<&'f IzlyPartner> {
    let key = header_str(headers, "authorization")?.strip_prefix("Basic ")?.trim();
    fixtures.partner_by_key(key)
}

/// An access token and a new refresh token for `id_izly`, stored.
fn issue(
    st: &AppState,
    tx: &Transaction<'_>,
    client_id: &str,
    id_izly: &str,
    scope: &str,
) -> rusqlite::Result<Response> {
    let (access, refresh) = (secret(), secret());
    let now = now_ms();
    let insert =
        "INSERT INTO oauth_tokens(token, kind, client_id, id_izly, scope, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    tx.execute(insert, params![access, "access", client_id, id_izly, scope, now + st.token_ttl.as_millis() as i64])?;
    tx.execute(insert, params![refresh, "refresh", client_id, id_izly, scope, now + REFRESH_TTL.as_millis() as i64])?;
    let body = json!({
        "access_token": access, "token_type": "Bearer", "expires_in": st.token_ttl.as_secs(),
        "refresh_token": refresh, "scope": scope,
    });
    let mut r = json(StatusCode::OK, "application/json", &body);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// Spends a code: single-use, unexpired, issued to this partner.
fn from_code(
    st: &AppState,
    tx: &Transaction<'_>,
    client_id: &str,
    code: &str,
) -> rusqlite::Result<Result<Response, Refusal>> {
    let row: Option<(String, String, String, i64, bool)> = tx
        .query_row("SELECT client_id, id_izly, scope, expires_ms, used FROM oauth_codes WHERE code = ?1", [code], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((owner, id_izly, scope, expires_ms, used)) = row else { return Ok(Err("code inconnu")) };
    if owner != client_id {
        return Ok(Err("code émis pour une autre application"));
    }
    if used {
        return Ok(Err("code déjà utilisé"));
    }
    if expires_ms <= now_ms() {
        return Ok(Err("code expiré"));
    }
    tx.execute("UPDATE oauth_codes SET used = 1 WHERE code = ?1", [code])?;
    issue(st, tx, client_id, &id_izly, &scope).map(Ok)
}

/// Spends a refresh token: single-use (rotated), unexpired, issued to this partner.
fn from_refresh(
    st: &AppState,
    tx: &Transaction<'_>,
    client_id: &str,
    token: &str,
) -> rusqlite::Result<Result<Response, Refusal>> {
    let row: Option<(String, String, String, i64, bool)> = tx
        .query_row(
            "SELECT client_id, id_izly, scope, expires_ms, revoked FROM oauth_tokens WHERE token = ?1 AND kind = 'refresh'",
            [token],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((owner, id_izly, scope, expires_ms, revoked)) = row else { return Ok(Err("refresh_token inconnu")) };
    if owner != client_id {
        return Ok(Err("refresh_token émis pour une autre application"));
    }
    if revoked {
        return Ok(Err("refresh_token déjà utilisé"));
    }
    if expires_ms <= now_ms() {
        return Ok(Err("refresh_token expiré"));
    }
    tx.execute("UPDATE oauth_tokens SET revoked = 1 WHERE token = ?1", [token])?;
    issue(st, tx, client_id, &id_izly, &scope).map(Ok)
}

pub async fn token(State(st): State<AppState>, RawQuery(q): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let fixtures = st.fixtures();
    let Some(partner) = partner(&fixtures, &headers) else { return invalid_client() };
    let mut p = match Params::from_query(q.as_deref()) {
        Ok(p) => p,
        Err(m) => return invalid_request(&m),
    };
    if !body.is_empty() && media_type(&headers).as_deref() == Some(FORM) {
        match Params::from_form(&headers, &body) {
            Ok(b) => p.extend(b),
            Err(m) => return invalid_request(&m),
        }
    }
    let grant_type = match p.non_empty("grant_type") {
        Ok(Some(g)) => g,
        Ok(None) => return invalid_request("grant_type manquant"),
        Err(m) => return invalid_request(&m),
    };
    let (param, spend): (&str, Spend) = match grant_type {
        "authorization_code" => ("code", from_code),
        "refresh_token" => ("refresh_token", from_refresh),
        other => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("grant_type « {other} » non pris en charge (authorization_code, refresh_token)"),
            )
        }
    };
    let value = match p.non_empty(param) {
        Ok(Some(v)) => v.to_owned(),
        Ok(None) => return invalid_request(&format!("{param} manquant")),
        Err(m) => return invalid_request(&m),
    };
    match st.db.tx(|tx| spend(&st, tx, &partner.app_identifier, &value)) {
        Err(e) => internal(e),
        Ok(Ok(r)) => r,
        Ok(Err(why)) => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", why),
    }
}

//! The Crous API (VEM) as specs 001 and public-facts.md describe it, read with the sandbox's own
//! literals (`crate::wire`; core's Crous ticket rules, `check_ticket`, judge tickets): authenticate with a
//! point of sale's installation key, the caisse, the reference resources, and tickets checked
//! with core's `check_ticket` and refused as duplicates by idTicketEntete.
//!
//! Errors use the shape `{"errors":[{"code","message","field"}]}` (our choice, docs/api-choices.md): 400 bad request,
//! 401 no or expired token, 403 another point of sale's key or path, 404 unknown resource,
//! 409 duplicate ticket, 422 ticket failing the checks.

use crate::util::{header_str, json, media_type, now_ms, now_rfc3339, token};
use crate::wire::{self, percent_decode, CrousResource as Resource, PointOfSale, CROUS_ENV_PREPRODUCTION};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use crous_till_core::checks::check_ticket;
use crous_till_core::ticket::Ticket;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

const JSON: &str = "application/json";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vem/v1/authenticate", post(authenticate))
        .route("/vem/v1/{id_crous}/remontee-caisse/caisse/{c}/{g}/{r}/{d}/{k}", get(caisse))
        .route("/vem/v1/{id_crous}/remontee-caisse/tickets/{c}/{g}/{r}/{d}/{k}", post(tickets))
        .route("/vem/v1/{id_crous}/{resource}", get(reference))
}

/// `{"errors":[{"code","message","field"}]}` with `status`.
pub fn error(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    errors(status, vec![json!({"code": code, "message": message, "field": field})])
}

fn errors(status: StatusCode, list: Vec<Value>) -> Response {
    json(status, JSON, &json!({ "errors": list }))
}

fn internal(e: impl std::fmt::Display) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &format!("sandbox storage error: {e}"), None)
}

fn bad_request(message: &str, field: Option<&str>) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", message, field)
}

fn query_pairs(q: &Option<String>) -> Vec<(String, String)> {
    q.as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

async fn authenticate(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if media_type(&headers).as_deref() != Some(JSON) {
        return bad_request("Content-Type must be application/json", None);
    }
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(&format!("body is not JSON: {e}"), None),
    };
    let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    let (Some(env), Some(app_id), Some(secret)) = (text("env"), text("appId"), text("appSecret")) else {
        return bad_request("env, appId and appSecret are mandatory strings", None);
    };
    if env != CROUS_ENV_PREPRODUCTION {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_env",
            "the sandbox is a preproduction environment: env must be PPD",
            Some("env"),
        );
    }
    let Ok(pos) = app_id.parse::<PointOfSale>() else {
        return error(StatusCode::BAD_REQUEST, "bad_app_id", "appId must be crous-ug-ru-ud-caisse", Some("appId"));
    };
    let fixtures = st.fixtures();
    let Some(till) = fixtures.till(&pos) else {
        return error(StatusCode::UNAUTHORIZED, "unknown_point_of_sale", "unknown point of sale", Some("appId"));
    };
    if till.installation_key != secret {
        if fixtures.tills().any(|t| t.installation_key == secret) {
            return error(
                StatusCode::FORBIDDEN,
                "key_of_another_point_of_sale",
                "this installation key belongs to another point of sale",
                Some("appSecret"),
            );
        }
        return error(StatusCode::UNAUTHORIZED, "bad_key", "wrong installation key", Some("appSecret"));
    }
    let tok = format!("Bearer sbx.{}", token(40));
    let exp = now_ms() + st.token_ttl.as_millis() as i64;
    let stored = st.db.tx(|tx| {
        tx.execute("DELETE FROM crous_tokens WHERE expires_ms < ?1", [now_ms()])?;
        tx.execute(
            "INSERT INTO crous_tokens(token, pos, expires_ms) VALUES (?1, ?2, ?3)",
            params![tok, pos.app_id(), exp],
        )
    });
    if let Err(e) = stored {
        return internal(e);
    }
    let mut r = json(StatusCode::OK, JSON, &json!({"appId": pos.app_id(), "expiresIn": st.token_ttl.as_secs()}));
    r.headers_mut().insert("authorization", HeaderValue::from_str(&tok).expect("a header-safe token"));
    r
}

/// The point of sale behind the request's token, or the 401.
fn authorized(st: &AppState, headers: &HeaderMap) -> Result<PointOfSale, Response> {
    let unauthorized = || {
        error(StatusCode::UNAUTHORIZED, "unauthorized", "missing, unknown or expired token: authenticate again", None)
    };
    let tok = header_str(headers, "authorization").ok_or_else(unauthorized)?;
    let found: Option<(String, i64)> = st
        .db
        .tx(|tx| {
            tx.query_row("SELECT pos, expires_ms FROM crous_tokens WHERE token = ?1", [tok], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
        })
        .map_err(internal)?;
    match found {
        Some((pos, exp)) if exp > now_ms() => pos.parse().map_err(|_| unauthorized()),
        _ => Err(unauthorized()),
    }
}

fn same_crous(pos: &PointOfSale, id_crous: &str) -> Result<(), Response> {
    if id_crous == pos.id_crous.to_string() {
        Ok(())
    } else {
        Err(error(StatusCode::FORBIDDEN, "other_crous", "this token is not valid for that Crous", None))
    }
}

fn path_pos(id_crous: &str, parts: (String, String, String, String, String)) -> Result<PointOfSale, Response> {
    let (c, g, r, d, k) = parts;
    let p = format!("{c}-{g}-{r}-{d}-{k}")
        .parse::<PointOfSale>()
        .map_err(|_| error(StatusCode::NOT_FOUND, "not_found", "no such point of sale", None))?;
    if id_crous != c {
        return Err(error(StatusCode::BAD_REQUEST, "bad_path", "the two idCrous of the path differ", None));
    }
    Ok(p)
}

/// Requires the path's point of sale to be the token's own.
fn own(token_pos: &PointOfSale, path: &PointOfSale) -> Result<(), Response> {
    if token_pos == path {
        Ok(())
    } else {
        Err(error(StatusCode::FORBIDDEN, "other_point_of_sale", "this token belongs to another point of sale", None))
    }
}

/// The point of sale named in the path, once the token is checked and shown to be that till's own.
fn till_in_path(
    st: &AppState,
    headers: &HeaderMap,
    id_crous: &str,
    parts: (String, String, String, String, String),
) -> Result<PointOfSale, Response> {
    let pos = authorized(st, headers)?;
    let path = path_pos(id_crous, parts)?;
    own(&pos, &path)?;
    Ok(path)
}

async fn caisse(
    State(st): State<AppState>,
    Path((id_crous, c, g, r, d, k)): Path<(String, String, String, String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let path = match till_in_path(&st, &headers, &id_crous, (c, g, r, d, k)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let fixtures = st.fixtures();
    let Some(till) = fixtures.till(&path) else {
        return error(StatusCode::NOT_FOUND, "not_found", "no such caisse", None);
    };
    json(
        StatusCode::OK,
        JSON,
        &json!({
            "idCrous": path.id_crous, "idUg": path.id_ug, "idRu": path.id_ru, "idUd": path.id_ud, "idCaisse": path.id_caisse,
            "libelle": till.libelle, "cleAuthentificationIzly": till.izly_key,
        }),
    )
}

fn resource(segment: &str) -> Option<Resource> {
    Resource::from_segment(segment)
}

async fn reference(
    State(st): State<AppState>,
    Path((id_crous, segment)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    let pos = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(res) = resource(&segment) else {
        return error(StatusCode::NOT_FOUND, "not_found", &format!("no resource {segment:?}"), None);
    };
    if let Err(r) = same_crous(&pos, &id_crous) {
        return r;
    }
    let pairs = query_pairs(&q);
    let vers_bornes = param(&pairs, "versBornesPrepaiement") == Some("1");
    let fixtures = st.fixtures();
    let data = &fixtures.crous.reference;
    let fixture_rows = |name: &str| data.get(name).and_then(Value::as_array).cloned().unwrap_or_default();
    let number = |row: &Value, name: &str| row.get(name).and_then(Value::as_u64);
    let at_kiosks = |article: &Value| article.get("versBornesPrepaiement") == Some(&Value::Bool(true));
    // Articles sold at the prepayment kiosks, for versBornesPrepaiement=1.
    let bornes: Vec<u64> =
        fixture_rows("articles").iter().filter(|a| at_kiosks(a)).filter_map(|a| number(a, "codeArticle")).collect();
    let rows: Vec<Value> = match res {
        Resource::Tva => fixture_rows("tva"),
        Resource::Articles => fixture_rows("articles").into_iter().filter(|a| !vers_bornes || at_kiosks(a)).collect(),
        Resource::Societes => fixture_rows("societes"),
        Resource::SocietesTarifs => fixture_rows("societesTarifs"),
        Resource::Periodes => fixture_rows("periodes"),
        Resource::SocietesTarifsPeriode => fixture_rows("societesTarifsPeriodes"),
        Resource::ArticlesSocietesTarifsPeriodes => {
            let societes: Option<Vec<u64>> = match param(&pairs, "codesSocietes") {
                None => None,
                Some(list) => match list.split(',').map(|s| s.trim().parse::<u64>()).collect() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        return bad_request("codesSocietes must be numbers joined by commas", Some("codesSocietes"))
                    }
                },
            };
            fixture_rows("articlesSocietesTarifsPeriodes")
                .into_iter()
                .filter(|p| societes.as_ref().is_none_or(|s| number(p, "codeSociete").is_some_and(|c| s.contains(&c))))
                .filter(|p| !vers_bornes || number(p, "codeArticle").is_some_and(|c| bornes.contains(&c)))
                .collect()
        }
        Resource::DroitsEntree => fixture_rows("droitsEntree"),
        Resource::Subventions => fixture_rows("subventions"),
        Resource::DroitsEntreeTypes => fixture_rows("droitsEntreeTypes"),
    };
    json(StatusCode::OK, JSON, &Value::Array(rows))
}

async fn tickets(
    State(st): State<AppState>,
    Path((id_crous, c, g, r, d, k)): Path<(String, String, String, String, String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = match till_in_path(&st, &headers, &id_crous, (c, g, r, d, k)) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let pairs = query_pairs(&q);
    let Some(software) = param(&pairs, "use").filter(|s| !s.trim().is_empty()) else {
        return bad_request("the use parameter (the till software) is mandatory", Some("use"));
    };
    let vers_cel = match param(&pairs, "versCommandeEnLigne") {
        None | Some("0") => false,
        Some("1") => true,
        Some(_) => return bad_request("versCommandeEnLigne must be 0 or 1", Some("versCommandeEnLigne")),
    };
    if media_type(&headers).as_deref() != Some(JSON) {
        return bad_request("Content-Type must be application/json", None);
    }
    let raw: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(&format!("the body is not JSON: {e}"), None),
    };
    // The spec's names first, read by the sandbox; only then core's coherence checks.
    let misnamed = wire::ticket::name_errors(&raw);
    if !misnamed.is_empty() {
        let list = misnamed.iter().map(|(f, m)| json!({"code": "-9", "message": m, "field": f})).collect();
        return errors(StatusCode::BAD_REQUEST, list);
    }
    let ticket: Ticket = match serde_json::from_value(raw) {
        Ok(t) => t,
        Err(e) => return bad_request(&format!("the body is not a ticket: {e}"), None),
    };
    let fixtures = st.fixtures();
    let report = check_ticket(&ticket, Some(&fixtures.crous.ticket_rules()));
    if !report.is_valid() {
        let list = report
            .violations
            .iter()
            .map(|v| json!({"code": v.code.as_str(), "message": v.message, "field": v.path}))
            .collect();
        return errors(StatusCode::UNPROCESSABLE_ENTITY, list);
    }
    let id = ticket.id_ticket_entete.clone().unwrap_or_default();
    let stored = String::from_utf8_lossy(&body).into_owned();
    let outcome = st.db.tx(|tx| {
        let exists: Option<i64> = tx
            .query_row("SELECT seq FROM tickets WHERE pos = ?1 AND id_ticket_entete = ?2", params![path.app_id(), id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Ok::<bool, rusqlite::Error>(false);
        }
        tx.execute(
            "INSERT INTO tickets(pos, id_ticket_entete, software, vers_commande_en_ligne, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![path.app_id(), id, software, vers_cel, stored, now_rfc3339()],
        )?;
        Ok(true)
    });
    match outcome {
        Ok(true) => json(StatusCode::CREATED, JSON, &json!({"idTicketEntete": id})),
        Ok(false) => error(
            StatusCode::CONFLICT,
            "duplicate_ticket",
            &format!("ticket {id} was already received for this point of sale"),
            Some("idTicketEntete"),
        ),
        Err(e) => internal(e),
    }
}

/// What `GET /sandbox/tickets` lists: every stored ticket, oldest first.
pub fn stored_tickets(st: &AppState, pos: Option<&str>) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let mut s = tx.prepare(
            "SELECT pos, id_ticket_entete, software, vers_commande_en_ligne, body, received_at FROM tickets \
             WHERE ?1 IS NULL OR pos = ?1 ORDER BY seq",
        )?;
        let rows = s.query_map([pos], |r| {
            let body: String = r.get(4)?;
            Ok(json!({
                "pointOfSale": r.get::<_, String>(0)?, "idTicketEntete": r.get::<_, String>(1)?,
                "use": r.get::<_, Option<String>>(2)?, "versCommandeEnLigne": r.get::<_, bool>(3)?,
                "ticket": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null), "receivedAt": r.get::<_, String>(5)?,
            }))
        })?;
        rows.collect()
    })
}

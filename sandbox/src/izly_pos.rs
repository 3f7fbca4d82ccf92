//! Izly POS payments as specs 001 and docs/api-choices.md describe them (`wire::izly_pos`): searchQRCode, the
//! card look-up (`GET /api/rightolders/searchCard?idSupport=…&numeroApplicatif=…`, our choice,
//! docs/api-choices.md), debit by QR code or card idSupport, and the look-up of a debit by its
//! reference.
//!
//! Both right-holder look-ups refuse a blocked account (423, code 202) and a right holder whose
//! `DateFinValidite` is past (422, code -8: the Crous right-holder API's "due date past",
//! public-facts.md); an unknown card, or a numeroApplicatif that is not the card's, is 404 (105).
//! Debits do not look at the right's end: the wallet stays spendable, only the profile lapses.
//!
//! Authentication: `Authorization: Basic <cleAuthentificationIzly>` of a till, and
//! `AppIdentifier` = that till's `crous-ug-ru-ud-caisse`. Errors are the Xpollens object
//! `{Code, ErrorMessage, Title, Priority}` with the statuses of core's `izly_pos::error`
//! (the codes are the sandbox's, listed in [`codes`]).

use crate::izly_qr::QrRefusal;
use crate::util::{euros, header_str, json, media_type, now_ms, now_rfc3339};
use crate::wire::izly_pos as wire;
use crate::wire::{percent_decode, PointOfSale, CODE_OPERATION_NOT_FOUND};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{json, Value};

/// The Xpollens codes the sandbox answers with.
pub mod codes {
    pub const BAD_REQUEST: i64 = 2;
    pub const UNAUTHORIZED: i64 = 1;
    pub const OTHER_POINT_OF_SALE: i64 = 3;
    pub const UNKNOWN_QR_CODE: i64 = 101;
    pub const QR_CODE_EXPIRED: i64 = 102;
    pub const QR_CODE_USED: i64 = 103;
    pub const QR_CODE_INVALID: i64 = 104;
    /// The QR code's ECDSA signature does not verify.
    pub const QR_CODE_BAD_SIGNATURE: i64 = 105;
    /// The QR code's HMAC matches no one-time code of the account.
    pub const QR_CODE_BAD_HMAC: i64 = 106;
    pub const UNKNOWN_SUPPORT: i64 = 105;
    /// The Crous right-holder API's "due date in the past" (public-facts.md).
    pub const RIGHT_EXPIRED: i64 = -8;
    pub const CARD_MISMATCH: i64 = 106;
    pub const INSUFFICIENT_BALANCE: i64 = 201;
    pub const ACCOUNT_BLOCKED: i64 = 202;
    pub const REFERENCE_REUSED: i64 = 357;
    pub const INTERNAL: i64 = 500;
}

/// Content types accepted on a request body (public clients send vnd.s-money, the spec vnd.Xpollens).
pub const ACCEPTED_CONTENT_TYPES: &[&str] =
    &["application/vnd.xpollens.v1+json", "application/vnd.s-money.v1+json", "application/json"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(wire::PATH_SEARCH_QR_CODE, get(search_qr_code))
        .route(wire::PATH_SEARCH_CARD, get(search_card))
        .route(wire::PATH_DEBIT_BY_REFERENCE, get(lookup))
        .route(wire::PATH_DEBIT, post(debit))
}

/// The Xpollens error object with `status`.
pub fn xerror(status: StatusCode, code: i64, message: &str) -> Response {
    let title = if status.is_server_error() { "Erreur technique" } else { "L'opération ne peut pas aboutir" };
    json(status, wire::CONTENT_TYPE, &json!({"Code": code, "ErrorMessage": message, "Title": title, "Priority": 2}))
}

fn internal(e: impl std::fmt::Display) -> Response {
    xerror(StatusCode::INTERNAL_SERVER_ERROR, codes::INTERNAL, &format!("sandbox storage error: {e}"))
}

/// The till behind the key, or 401 / 403.
fn authorized(st: &AppState, headers: &HeaderMap) -> Result<PointOfSale, Response> {
    let key = header_str(headers, wire::H_AUTHORIZATION).and_then(|v| v.strip_prefix(wire::AUTH_SCHEME)).map(str::trim);
    let fixtures = st.fixtures();
    let Some(till) = key.and_then(|k| fixtures.till_by_izly_key(k)) else {
        return Err(xerror(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, "Clé d'authentification inconnue"));
    };
    if header_str(headers, wire::H_APP_IDENTIFIER) != Some(till.point_of_sale.app_id().as_str()) {
        return Err(xerror(
            StatusCode::FORBIDDEN,
            codes::OTHER_POINT_OF_SALE,
            "AppIdentifier absent ou différent du point de vente de la clé",
        ));
    }
    Ok(till.point_of_sale)
}

fn decode_qr(b64: &str) -> Result<String, Response> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| xerror(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, "Le QR code doit être encodé en base 64"))?;
    String::from_utf8(bytes)
        .map_err(|_| xerror(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, "Le QR code n'est pas du texte"))
}

/// The account behind a QR text, and the counter it pays with. A code listed in the fixtures is
/// checked as listed (single use, expiry); any other is verified by the public algorithm
/// ([`crate::izly_qr`]): its signature, its HMAC, its counter above the last one paid with, its date.
fn qr_account(
    tx: &Transaction<'_>,
    text: &str,
    max_age: std::time::Duration,
) -> rusqlite::Result<Result<(String, Option<u64>), Response>> {
    let row: Option<(String, Option<i64>, bool)> = tx
        .query_row("SELECT id_izly, expires_ms, used FROM izly_qr_codes WHERE text = ?1", [text], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some(listed) = row {
        return Ok(match listed {
            (_, _, true) => Err(xerror(StatusCode::GONE, codes::QR_CODE_USED, "QR code déjà utilisé")),
            (_, Some(exp), _) if exp <= now_ms() => {
                Err(xerror(StatusCode::GONE, codes::QR_CODE_EXPIRED, "QR code expiré"))
            }
            (id, _, _) => Ok((id, None)),
        });
    }
    let mut last = None;
    if let Some(id) = text.split(';').nth(1) {
        if account_state(tx, id)?.is_some() {
            last = Some(qr_counters(tx, id)?.1);
        }
    }
    let max_age = chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::MAX);
    Ok(match crate::izly_qr::verify(text, |_| last, chrono::Utc::now(), max_age) {
        Ok(code) => Ok((code.id_izly, Some(code.counter))),
        Err(refusal) => Err(qr_refused(refusal)),
    })
}

/// A refused QR code as Izly would answer it.
fn qr_refused(refusal: QrRefusal) -> Response {
    let (status, code, message) = match refusal {
        QrRefusal::Unreadable => (StatusCode::GONE, codes::QR_CODE_INVALID, "QR code illisible"),
        QrRefusal::UnknownAccount => (StatusCode::NOT_FOUND, codes::UNKNOWN_QR_CODE, "QR code inconnu"),
        QrRefusal::BadSignature => (StatusCode::GONE, codes::QR_CODE_BAD_SIGNATURE, "QR code mal signé"),
        QrRefusal::BadHmac => (StatusCode::GONE, codes::QR_CODE_BAD_HMAC, "QR code falsifié"),
        QrRefusal::Replayed => (StatusCode::GONE, codes::QR_CODE_USED, "QR code déjà utilisé"),
        QrRefusal::Stale => (StatusCode::GONE, codes::QR_CODE_EXPIRED, "QR code expiré"),
    };
    xerror(status, code, message)
}

/// An account's QR counters: the last minted, the last paid with.
fn qr_counters(tx: &Transaction<'_>, id_izly: &str) -> rusqlite::Result<(u64, u64)> {
    let row: Option<(i64, i64)> = tx
        .query_row("SELECT minted, used FROM izly_qr_counters WHERE id_izly = ?1", [id_izly], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (minted, used) = row.unwrap_or((0, 0));
    Ok((minted.max(0) as u64, used.max(0) as u64))
}

fn account_state(tx: &Transaction<'_>, id_izly: &str) -> rusqlite::Result<Option<(i64, bool)>> {
    tx.query_row("SELECT balance_cents, blocked FROM izly_accounts WHERE id_izly = ?1", [id_izly], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

async fn search_qr_code(State(st): State<AppState>, RawQuery(q): RawQuery, headers: HeaderMap) -> Response {
    if let Err(r) = authorized(&st, &headers) {
        return r;
    }
    let b64 = query_param(q.as_deref(), wire::Q_QR_CODE);
    let Some(b64) = b64.filter(|s| !s.is_empty()) else {
        return xerror(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, "Paramètre qrCode obligatoire");
    };
    let text = match decode_qr(&b64) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let found = st.db.tx(|tx| {
        let id = match qr_account(tx, &text, st.code_ttl)? {
            Ok((id, _)) => id,
            Err(r) => return Ok(Err(r)),
        };
        Ok::<_, rusqlite::Error>(Ok((id.clone(), account_state(tx, &id)?)))
    });
    let (id, state) = match found {
        Err(e) => return internal(e),
        Ok(Err(r)) => return r,
        Ok(Ok(v)) => v,
    };
    right_holder_answer(&st, &id, state)
}

/// The query parameter `name`, percent-decoded.
fn query_param(q: Option<&str>, name: &str) -> Option<String> {
    q.unwrap_or("").split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k == name).then(|| percent_decode(v, true)).flatten()
    })
}

async fn search_card(State(st): State<AppState>, RawQuery(q): RawQuery, headers: HeaderMap) -> Response {
    if let Err(r) = authorized(&st, &headers) {
        return r;
    }
    let (Some(id_support), Some(numero)) =
        (query_param(q.as_deref(), "idSupport"), query_param(q.as_deref(), "numeroApplicatif"))
    else {
        return xerror(
            StatusCode::BAD_REQUEST,
            codes::BAD_REQUEST,
            "Paramètres idSupport et numeroApplicatif obligatoires",
        );
    };
    let found = st.db.tx(|tx| {
        let card: Option<(String, String)> = tx
            .query_row("SELECT id_izly, numero_applicatif FROM izly_cards WHERE id_support = ?1", [&id_support], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        Ok::<_, rusqlite::Error>(match card {
            Some((id, n)) if n == numero => Some((id.clone(), account_state(tx, &id)?)),
            _ => None,
        })
    });
    match found {
        Err(e) => internal(e),
        Ok(None) => xerror(StatusCode::NOT_FOUND, codes::UNKNOWN_SUPPORT, "Support inconnu"),
        Ok(Some((id, state))) => right_holder_answer(&st, &id, state),
    }
}

/// The right holder of account `id_izly`, or why the till may not use their profile.
fn right_holder_answer(st: &AppState, id_izly: &str, state: Option<(i64, bool)>) -> Response {
    let fixtures = st.fixtures();
    let (Some(acc), Some((balance, blocked))) = (fixtures.izly.accounts.iter().find(|a| a.id_izly == id_izly), state)
    else {
        return xerror(StatusCode::NOT_FOUND, codes::UNKNOWN_QR_CODE, "Ayant droit inconnu");
    };
    if blocked {
        return xerror(StatusCode::LOCKED, codes::ACCOUNT_BLOCKED, "Compte Izly bloqué");
    }
    let expired = acc.date_fin_validite.as_deref().and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
    if expired.is_some_and(|end| end.timestamp_millis() < now_ms()) {
        return xerror(StatusCode::UNPROCESSABLE_ENTITY, codes::RIGHT_EXPIRED, "Droits de l'ayant droit expirés");
    }
    json(
        StatusCode::OK,
        wire::CONTENT_TYPE,
        &json!({
            "RightHolderId": acc.right_holder_id, "IdIzly": acc.id_izly, "CodeClient": acc.code_client,
            "Societe": acc.societe, "Tarif": acc.tarif, "Balance": euros(balance), "Nom": acc.nom, "Prenom": acc.prenom,
            "Email": acc.email, "CodeCrous": acc.code_crous, "RneEtablissement": acc.rne_etablissement,
            "NumeroAffectation": acc.numero_affectation, "DateFinValidite": acc.date_fin_validite,
        }),
    )
}

struct DebitRow {
    id: i64,
    reference: String,
    pos: String,
    kind: String,
    code: String,
    id_ticket_entete: String,
    amount_cents: i64,
    balance_after_cents: i64,
    date: String,
    code_client: String,
}

impl DebitRow {
    fn answer(&self, status: StatusCode) -> Response {
        json(
            status,
            wire::CONTENT_TYPE,
            &json!({
                "IdTransactionIzly": self.id.to_string(), "Reference": self.reference, "Amount": euros(self.amount_cents),
                "Balance": euros(self.balance_after_cents), "Date": self.date, "CodeClient": self.code_client,
            }),
        )
    }
}

fn debit_by_reference(st: &AppState, tx: &Transaction<'_>, reference: &str) -> rusqlite::Result<Option<DebitRow>> {
    let row = tx
        .query_row(
            "SELECT id, reference, pos, kind, code, id_ticket_entete, id_izly, amount_cents, balance_after_cents, date \
             FROM izly_debits WHERE reference = ?1",
            [reference],
            |r| {
                Ok((
                    DebitRow {
                        id: r.get(0)?,
                        reference: r.get(1)?,
                        pos: r.get(2)?,
                        kind: r.get(3)?,
                        code: r.get(4)?,
                        id_ticket_entete: r.get(5)?,
                        amount_cents: r.get(7)?,
                        balance_after_cents: r.get(8)?,
                        date: r.get(9)?,
                        code_client: String::new(),
                    },
                    r.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(|(mut d, id_izly)| {
        d.code_client = st
            .fixtures()
            .izly
            .accounts
            .iter()
            .find(|a| a.id_izly == id_izly)
            .map(|a| a.code_client.clone())
            .unwrap_or_default();
        d
    }))
}

async fn lookup(State(st): State<AppState>, Path(reference): Path<String>, headers: HeaderMap) -> Response {
    let pos = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match st.db.tx(|tx| debit_by_reference(&st, tx, &reference)) {
        Err(e) => internal(e),
        Ok(Some(d)) if d.pos == pos.app_id() => d.answer(StatusCode::OK),
        Ok(_) => xerror(StatusCode::NOT_FOUND, CODE_OPERATION_NOT_FOUND, "Opération introuvable"),
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DebitBody {
    amount: i64,
    reference: String,
    point_of_sale: String,
    id_ticket_entete: String,
    #[serde(default)]
    numero_applicatif: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    sam: Option<String>,
}

fn bad(message: &str) -> Response {
    xerror(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
}

async fn debit(
    State(st): State<AppState>,
    Path((kind, code)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pos = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    match media_type(&headers) {
        Some(m) if ACCEPTED_CONTENT_TYPES.contains(&m.as_str()) => {}
        _ => return bad("Content-Type doit être application/vnd.Xpollens.v1+json"),
    }
    let b: DebitBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad(&format!("Corps de requête invalide : {e}")),
    };
    if b.amount <= 0 {
        return bad("Amount doit être un nombre de centimes positif");
    }
    if b.reference.trim().is_empty() || b.reference.len() > 200 || b.id_ticket_entete.trim().is_empty() {
        return bad("Reference et IdTicketEntete sont obligatoires");
    }
    if b.point_of_sale != pos.app_id() {
        return xerror(StatusCode::FORBIDDEN, codes::OTHER_POINT_OF_SALE, "PointOfSale différent de celui de la clé");
    }
    if let Some(k) = header_str(&headers, wire::H_IDEMPOTENCY_KEY) {
        if k != b.reference {
            return bad("Idempotency-Key différent de Reference");
        }
    }
    let target = match kind.as_str() {
        wire::TYPE_QR_CODE => match decode_qr(&code) {
            Ok(t) => t,
            Err(r) => return r,
        },
        wire::TYPE_CARD => {
            if b.numero_applicatif.as_deref().is_none_or(|n| n.trim().is_empty()) {
                return bad("NumeroApplicatif obligatoire pour un débit par carte");
            }
            code.clone()
        }
        _ => return bad("type de débit inconnu (qrcode ou card)"),
    };
    let outcome = st.db.tx(|tx| {
        if let Some(d) = debit_by_reference(&st, tx, &b.reference)? {
            let same = d.pos == pos.app_id()
                && d.kind == kind
                && d.code == target
                && d.amount_cents == b.amount
                && d.id_ticket_entete == b.id_ticket_entete;
            return Ok::<_, rusqlite::Error>(if same {
                d.answer(StatusCode::OK)
            } else {
                xerror(StatusCode::CONFLICT, codes::REFERENCE_REUSED, "Référence déjà utilisée pour un autre débit")
            });
        }
        let mut qr_counter = None;
        let id_izly = if kind == wire::TYPE_QR_CODE {
            match qr_account(tx, &target, st.code_ttl)? {
                Ok((id, counter)) => {
                    qr_counter = counter;
                    id
                }
                Err(r) => return Ok(r),
            }
        } else {
            let card: Option<(String, String)> = tx
                .query_row("SELECT id_izly, numero_applicatif FROM izly_cards WHERE id_support = ?1", [&target], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            match card {
                None => return Ok(xerror(StatusCode::NOT_FOUND, codes::UNKNOWN_SUPPORT, "Support inconnu")),
                Some((_, num)) if Some(num.as_str()) != b.numero_applicatif.as_deref() => {
                    return Ok(xerror(StatusCode::UNPROCESSABLE_ENTITY, codes::CARD_MISMATCH, "NumeroApplicatif ne correspond pas au support"))
                }
                Some((id, _)) => id,
            }
        };
        let Some((balance, blocked)) = account_state(tx, &id_izly)? else {
            return Ok(xerror(StatusCode::NOT_FOUND, codes::UNKNOWN_SUPPORT, "Compte inconnu"));
        };
        if blocked {
            return Ok(xerror(StatusCode::LOCKED, codes::ACCOUNT_BLOCKED, "Compte Izly bloqué"));
        }
        if balance < b.amount {
            return Ok(xerror(StatusCode::PAYMENT_REQUIRED, codes::INSUFFICIENT_BALANCE, "Solde insuffisant"));
        }
        let after = balance - b.amount;
        tx.execute("UPDATE izly_accounts SET balance_cents = ?1 WHERE id_izly = ?2", params![after, id_izly])?;
        if kind == wire::TYPE_QR_CODE {
            tx.execute("UPDATE izly_qr_codes SET used = 1 WHERE text = ?1", [&target])?;
        }
        if let Some(counter) = qr_counter {
            // Paid with: this code and every older one are spent.
            tx.execute(
                "INSERT INTO izly_qr_counters(id_izly, minted, used) VALUES (?1, ?2, ?2) \
                 ON CONFLICT(id_izly) DO UPDATE SET used = MAX(used, excluded.used), minted = MAX(minted, excluded.used)",
                params![id_izly, counter as i64],
            )?;
        }
        tx.execute(
            "INSERT INTO izly_debits(reference, pos, kind, code, id_ticket_entete, id_izly, amount_cents, balance_after_cents, date) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![b.reference, pos.app_id(), kind, target, b.id_ticket_entete, id_izly, b.amount, after, now_rfc3339()],
        )?;
        let d = debit_by_reference(&st, tx, &b.reference)?.expect("just inserted");
        Ok(d.answer(StatusCode::CREATED))
    });
    outcome.unwrap_or_else(internal)
}

/// Balances and debits, for `GET /sandbox/izly/accounts` and `GET /sandbox/izly/debits`.
pub fn accounts(st: &AppState) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let mut s = tx.prepare("SELECT id_izly, balance_cents, blocked FROM izly_accounts ORDER BY id_izly")?;
        let rows = s.query_map([], |r| {
            Ok(json!({"IdIzly": r.get::<_, String>(0)?, "BalanceCents": r.get::<_, i64>(1)?, "Blocked": r.get::<_, bool>(2)?}))
        })?;
        rows.collect()
    })
}

pub fn debits(st: &AppState) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let mut s = tx.prepare(
            "SELECT id, reference, pos, kind, id_ticket_entete, id_izly, amount_cents, balance_after_cents, date FROM izly_debits ORDER BY id",
        )?;
        let rows = s.query_map([], |r| {
            Ok(json!({
                "IdTransactionIzly": r.get::<_, i64>(0)?.to_string(), "Reference": r.get::<_, String>(1)?,
                "PointOfSale": r.get::<_, String>(2)?, "Type": r.get::<_, String>(3)?, "IdTicketEntete": r.get::<_, String>(4)?,
                "IdIzly": r.get::<_, String>(5)?, "AmountCents": r.get::<_, i64>(6)?, "BalanceAfterCents": r.get::<_, i64>(7)?,
                "Date": r.get::<_, String>(8)?,
            }))
        })?;
        rows.collect()
    })
}

/// Mints a fresh QR code for an account (`POST /sandbox/izly/qrcodes`), as the Izly app does
/// ([`crate::izly_qr::mint`], the account's next counter). It lives `ttl_ms` (at most the
/// sandbox's code lifetime): the code is dated so that it goes stale then, and a negative `ttl_ms`
/// gives one already stale.
pub fn mint_qr_code(st: &AppState, id_izly: &str, ttl_ms: i64) -> rusqlite::Result<Option<(String, String)>> {
    let lifetime = st.code_ttl.as_millis() as i64;
    let now = chrono::Utc::now();
    let date = now - chrono::Duration::milliseconds(lifetime - ttl_ms.min(lifetime));
    st.db.tx(|tx| {
        if account_state(tx, id_izly)?.is_none() {
            return Ok(None);
        }
        let (minted, used) = qr_counters(tx, id_izly)?;
        let counter = minted.max(used) + 1;
        tx.execute(
            "INSERT INTO izly_qr_counters(id_izly, minted, used) VALUES (?1, ?2, ?3) \
             ON CONFLICT(id_izly) DO UPDATE SET minted = excluded.minted",
            params![id_izly, counter as i64, used as i64],
        )?;
        let text = crate::izly_qr::mint(id_izly, counter, date);
        let expires =
            (date + chrono::Duration::milliseconds(lifetime)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(Some((text, expires)))
    })
}

//! `GET /api/izly/users` with `Authorization: Bearer <access_token>`: the right holder's details,
//! names and JSON types as in specs 003's example (`RightHolderId`, `IdIzly`, `NumeroAffectation`
//! and `Id` numbers, `CodeClient` a string...).

use super::{internal, oauth_error};
use crate::fixtures::IzlyAccount;
use crate::util::{header_str, json, now_ms};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use rusqlite::OptionalExtension;
use serde_json::{json, Value};

/// The scope a token needs to read the user's details.
pub const SCOPE_USERS: &str = "users_details";

fn invalid_token(description: &str) -> Response {
    let mut r = oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", description);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"IzlyConnect\", error=\"invalid_token\""),
    );
    r
}

/// A digits-only identifier as a JSON number (as the example shows them), anything else as text.
fn number_or_text(text: &str) -> Value {
    match text.parse::<u64>() {
        Ok(n) if n.to_string() == text => Value::from(n),
        _ => Value::from(text),
    }
}

fn user_json(a: &IzlyAccount) -> Value {
    json!({
        "RightHolderId": a.right_holder_id,
        "IdIzly": number_or_text(&a.id_izly),
        "Societe": a.societe,
        "Tarif": a.tarif,
        "AnneeUniv": "",
        "Employeur": "",
        "RneEtablissement": a.rne_etablissement,
        "RneComposante": null,
        "CodeEtu": null,
        "Ine": null,
        "CodeClient": a.code_client,
        "TypeClient": null,
        "NumeroAffectation": a.numero_affectation.as_deref().map(number_or_text),
        "Id": null,
    })
}

pub async fn users(State(st): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = header_str(&headers, "authorization").and_then(|v| v.strip_prefix("Bearer ")).map(str::trim)
    else {
        return invalid_token("en-tête Authorization: Bearer <access_token> manquant");
    };
    let row = st.db.tx(|tx| {
        tx.query_row(
            "SELECT id_izly, scope, expires_ms, revoked FROM oauth_tokens WHERE token = ?1 AND kind = 'access'",
            [token],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, bool>(3)?)),
        )
        .optional()
    });
    let (id_izly, scope) = match row {
        Err(e) => return internal(e),
        Ok(None) => return invalid_token("access_token inconnu"),
        Ok(Some((_, _, _, true))) => return invalid_token("access_token révoqué"),
        Ok(Some((_, _, exp, _))) if exp <= now_ms() => return invalid_token("access_token expiré"),
        Ok(Some((id, scope, _, _))) => (id, scope),
    };
    if !scope.split_whitespace().any(|s| s == SCOPE_USERS) {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            &format!("le jeton n'a pas la portée {SCOPE_USERS}"),
        );
    }
    let fixtures = st.fixtures();
    match fixtures.izly.accounts.iter().find(|a| a.id_izly == id_izly) {
        Some(a) => json(StatusCode::OK, "application/json", &user_json(a)),
        None => invalid_token("le compte de ce jeton n'existe plus"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_their_example_types() {
        assert_eq!(number_or_text("6000001265"), json!(6000001265u64));
        assert_eq!(number_or_text("0751717J"), json!("0751717J"));
        assert_eq!(number_or_text("0123"), json!("0123"));
    }
}

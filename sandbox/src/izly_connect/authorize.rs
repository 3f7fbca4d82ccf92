//! `GET /oauth/Home/Authorize`: the login page ("Connectez-vous à votre compte Izly", identifiant,
//! mot de passe, "Mot de passe oublié ?", Annuler / Se connecter). Its form POSTs back to the same
//! path; a right login sends the browser to the partner's redirect URI with `?code=…[&state=…]`.

use super::html::{self, escape, hidden, see_other};
use super::params::Params;
use super::{internal, on_this_sandbox, secret, PATH_FORGOTTEN_PASSWORD};
use crate::fixtures::{Fixtures, IzlyPartner};
use crate::util::now_ms;
use crate::wire::encode_component;
use crate::wire::izly_connect::PATH_AUTHORIZE;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::{params, OptionalExtension};

/// Longest `state` accepted (it travels back in a URL).
const MAX_STATE: usize = 500;

/// A checked authorization request.
struct AuthorizeRequest<'f> {
    partner: &'f IzlyPartner,
    redirect_uri: String,
    scope: String,
    state: Option<String>,
}

fn error_page(status: StatusCode, message: &str) -> Response {
    html::page(
        status,
        "Connexion avec Izly impossible",
        &format!(
            "<p class=\"message\" role=\"alert\">{}</p>\n<p>Aucune redirection n'a été faite.</p>",
            escape(message)
        ),
    )
}

/// The client, redirect URI, scope and state, or the error page (never a redirect: the redirect
/// URI is not trusted before this succeeds).
fn read_request<'f>(fixtures: &'f Fixtures, base_url: &str, p: &Params) -> Result<AuthorizeRequest<'f>, Response> {
    let bad = |m: String| error_page(StatusCode::BAD_REQUEST, &m);
    let client_id = p.non_empty("client_id").map_err(bad)?.ok_or_else(|| bad("client_id manquant".into()))?;
    let Some(partner) = fixtures.partner_by_app(client_id) else {
        return Err(bad(format!("Application inconnue : {client_id}")));
    };
    match p.non_empty("response_type").map_err(bad)? {
        Some("code") => {}
        None => return Err(bad("response_type manquant (seul « code » est pris en charge)".into())),
        Some(other) => return Err(bad(format!("response_type « {other} » non pris en charge (seul « code » l'est)"))),
    }
    let registered = |u: &String| on_this_sandbox(base_url, u);
    let redirect_uri = match p.non_empty("redirect_uri").map_err(bad)? {
        Some(uri) if partner.redirect_uris.iter().any(|u| u == uri || registered(u) == uri) => {
            on_this_sandbox(base_url, uri)
        }
        Some(uri) => return Err(bad(format!("redirect_uri non enregistrée pour cette application : {uri}"))),
        None => partner
            .redirect_uris
            .first()
            .map(registered)
            .ok_or_else(|| bad("aucune URL de redirection n'est enregistrée pour cette application".into()))?,
    };
    let scope = p.get("scope").map_err(bad)?.unwrap_or("").to_owned();
    let state = p.get("state").map_err(bad)?.map(str::to_owned);
    if state.as_ref().is_some_and(|s| s.len() > MAX_STATE) {
        return Err(bad(format!("state dépasse {MAX_STATE} caractères")));
    }
    Ok(AuthorizeRequest { partner, redirect_uri, scope, state })
}

/// The login form, with `message` (wrong password...) and the login typed before.
fn form(status: StatusCode, r: &AuthorizeRequest<'_>, message: Option<&str>, login: &str) -> Response {
    let mut hiddens = hidden("response_type", "code")
        + &hidden("client_id", &r.partner.app_identifier)
        + &hidden("scope", &r.scope)
        + &hidden("redirect_uri", &r.redirect_uri);
    if let Some(s) = &r.state {
        hiddens += &hidden("state", s);
    }
    let body = format!(
        "<p>Pour pouvoir régler votre achat avec votre compte Izly, merci d'indiquer votre identifiant et votre \
         mot de passe Izly.</p>\n<p>Site : <strong>{site}</strong></p>\n{msg}\
         <form method=\"post\" action=\"{PATH_AUTHORIZE}\">\n{hiddens}\
         <label>Identifiant <input type=\"text\" name=\"login\" value=\"{login}\" autocomplete=\"username\" required></label>\n\
         <label>Mot de passe <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n\
         <p><a href=\"{PATH_FORGOTTEN_PASSWORD}\">Mot de passe oublié ?</a></p>\n\
         <div class=\"buttons\"><button type=\"submit\" name=\"action\" value=\"connect\">Se connecter</button>\
         <button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Annuler</button></div>\n</form>",
        site = escape(&r.partner.site_name),
        msg = html::message(message),
        login = escape(login),
    );
    html::page(status, "Connectez-vous à votre compte Izly", &body)
}

/// `uri` with `pairs` added to its query (before any fragment).
pub(crate) fn with_params(uri: &str, pairs: &[(&str, &str)]) -> String {
    let (base, fragment) = uri.split_once('#').map_or((uri, None), |(b, f)| (b, Some(f)));
    let mut out = base.to_owned();
    for (k, v) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&format!("{}={}", encode_component(k), encode_component(v)));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

pub async fn show(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = match Params::from_query(q.as_deref()) {
        Ok(p) => p,
        Err(m) => return error_page(StatusCode::BAD_REQUEST, &m),
    };
    let fixtures = st.fixtures();
    match read_request(&fixtures, &st.base_url, &p) {
        Ok(r) => form(StatusCode::OK, &r, None, ""),
        Err(page) => page,
    }
}

pub async fn submit(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let p = match Params::from_form(&headers, &body) {
        Ok(p) => p,
        Err(m) => return error_page(StatusCode::BAD_REQUEST, &m),
    };
    let fixtures = st.fixtures();
    let r = match read_request(&fixtures, &st.base_url, &p) {
        Ok(r) => r,
        Err(page) => return page,
    };
    let field = |name: &str| p.get(name).map(|v| v.unwrap_or("").to_owned());
    let (action, login, password) = match (field("action"), field("login"), field("password")) {
        (Ok(a), Ok(l), Ok(pw)) => (a, l.trim().to_owned(), pw),
        (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => return error_page(StatusCode::BAD_REQUEST, &m),
    };
    let state = r.state.as_deref();
    match action.as_str() {
        "cancel" => {
            let mut pairs =
                vec![("error", "access_denied"), ("error_description", "connexion annulée par l'utilisateur")];
            pairs.extend(state.map(|s| ("state", s)));
            return see_other(&with_params(&r.redirect_uri, &pairs));
        }
        "" | "connect" => {}
        other => return error_page(StatusCode::BAD_REQUEST, &format!("action inconnue : {other}")),
    }
    let Some(account) =
        fixtures.izly.accounts.iter().find(|a| a.login.eq_ignore_ascii_case(&login) && a.password == password)
    else {
        return form(StatusCode::UNAUTHORIZED, &r, Some("Identifiant ou mot de passe incorrect."), &login);
    };
    let code = secret();
    let expires = now_ms() + st.code_ttl.as_millis() as i64;
    let created = st.db.tx(|tx| {
        let blocked: Option<bool> = tx
            .query_row("SELECT blocked FROM izly_accounts WHERE id_izly = ?1", [&account.id_izly], |row| row.get(0))
            .optional()?;
        if blocked != Some(false) {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO oauth_codes(code, client_id, id_izly, scope, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code, r.partner.app_identifier, account.id_izly, r.partner.scope, expires],
        )?;
        Ok::<_, rusqlite::Error>(true)
    });
    match created {
        Err(e) => internal(e),
        Ok(false) => form(StatusCode::FORBIDDEN, &r, Some("Compte Izly bloqué : connexion impossible."), &login),
        Ok(true) => {
            let mut pairs = vec![("code", code.as_str())];
            pairs.extend(state.map(|s| ("state", s)));
            see_other(&with_params(&r.redirect_uri, &pairs))
        }
    }
}

/// "Mot de passe oublié ?": the recovery itself is not simulated.
pub async fn forgotten_password() -> Response {
    html::page(
        StatusCode::OK,
        "Mot de passe oublié",
        "<p>Le bac à sable ne simule pas la récupération du mot de passe : les identifiants et mots de passe \
         des comptes de test sont dans les fixtures (<code>GET /sandbox/fixtures</code>).</p>\n\
         <p>Après récupération de votre mot de passe, vous devrez régénérer un paiement côté site partenaire.</p>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_params_before_the_fragment() {
        assert_eq!(
            with_params("http://h/r", &[("code", "a+b="), ("state", "x y")]),
            "http://h/r?code=a%2Bb%3D&state=x%20y"
        );
        assert_eq!(with_params("http://h/r?x=1#f", &[("code", "c")]), "http://h/r?x=1&code=c#f");
    }
}

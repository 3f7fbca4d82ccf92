//! The hosted payment page (specs 002 §c "Autorisation du paiement avec identifiant et mot de
//! passe"): "Le nom du site web partenaire", "Le montant à payer", "Champ identifiant et mot de
//! passe avec un lien pour mot de passe oublié", "Bouton pour annuler", "Bouton pour autoriser le
//! paiement". Its form POSTs back to the page's own URL with `action=valider` or `annuler`.
//! After the POST the page (GET) shows the outcome, with "Revenir sur le site marchand".

use super::callback;
use super::record::{self, Payment};
use super::{codes, status};
use crate::fixtures::Fixtures;
use crate::izly_connect::html::{self, escape, euros_fr, see_other};
use crate::izly_connect::params::Params;
use crate::izly_connect::PATH_FORGOTTEN_PASSWORD;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rusqlite::{params, OptionalExtension, Transaction};

fn site_name(fixtures: &Fixtures, p: &Payment) -> String {
    fixtures.partner_by_app(&p.app_identifier).map_or_else(|| p.app_identifier.clone(), |x| x.site_name.clone())
}

fn unknown_page() -> Response {
    html::page(
        StatusCode::NOT_FOUND,
        "Paiement introuvable",
        "<p class=\"message\" role=\"alert\">Ce lien de paiement est inconnu ou incomplet.</p>",
    )
}

fn storage_error(e: impl std::fmt::Display) -> Response {
    html::page(StatusCode::INTERNAL_SERVER_ERROR, "Erreur technique", &format!("<p>{}</p>", escape(&e.to_string())))
}

/// The payment of this page URL (id and token), its expiry applied.
fn payment_of_page(st: &AppState, id: &str, query: Option<&str>) -> Result<Payment, Response> {
    let Some(id) = super::operation_id(id) else { return Err(unknown_page()) };
    let token = Params::from_query(query).ok().and_then(|p| p.get("token").ok().flatten().map(str::to_owned));
    match st.db.tx(|tx| record::load(tx, id)) {
        Err(e) => Err(storage_error(e)),
        Ok(Some(p)) if Some(&p.token) == token.as_ref() => Ok(p),
        Ok(_) => Err(unknown_page()),
    }
}

/// "Revenir sur le site marchand", when the partner gave where.
fn back_link(p: &Payment) -> String {
    p.redirect_url
        .as_deref()
        .map(|u| format!("<p><a href=\"{}\">Revenir sur le site marchand</a></p>", escape(u)))
        .unwrap_or_default()
}

/// The form ("Payer avec Izly"), with `message` after a refused attempt.
fn form(status: StatusCode, site: &str, p: &Payment, message: Option<&str>, login: &str) -> Response {
    let body = format!(
        "<p>Pour pouvoir régler votre achat avec votre compte Izly, merci d'indiquer votre identifiant et votre \
         mot de passe Izly.</p>\n<p>Site marchand : <strong>{site}</strong></p>\n\
         <p>Montant : <strong>{amount}</strong></p>\n{motif}{msg}\
         <form method=\"post\" action=\"{action}\">\n\
         <label>Identifiant <input type=\"text\" name=\"login\" value=\"{login}\" autocomplete=\"username\" required></label>\n\
         <label>Mot de passe <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n\
         <p><a href=\"{PATH_FORGOTTEN_PASSWORD}\">Mot de passe oublié ?</a></p>\n\
         <div class=\"buttons\"><button type=\"submit\" name=\"action\" value=\"valider\">Valider</button>\
         <button type=\"submit\" name=\"action\" value=\"annuler\" formnovalidate>Annuler</button></div>\n</form>",
        site = escape(site),
        amount = euros_fr(p.amount_cents),
        motif = p.message.as_deref().map(|m| format!("<p>Motif : {}</p>\n", escape(m))).unwrap_or_default(),
        msg = html::message(message),
        action = escape(&p.page_path()),
        login = escape(login),
    );
    html::page(status, "Payer avec Izly", &body)
}

/// The page of a payment that is no longer waiting: its outcome. `status` for a GET is 200
/// (410 for an expired page); a POST on it answers 409 (410).
fn outcome(status: StatusCode, site: &str, p: &Payment) -> Response {
    let amount = euros_fr(p.amount_cents);
    let (site, link) = (escape(site), back_link(p));
    let (title, text, status) = match p.status.as_str() {
        status::COMPLETED => (
            "Paiement effectué avec Izly",
            format!("Votre paiement de {amount} à destination de {site} a bien été effectué."),
            status,
        ),
        status::CANCELED => (
            "Paiement avec Izly annulé",
            format!("Votre paiement de {amount} à destination de {site} a été annulé."),
            status,
        ),
        status::FAILED => (
            "Paiement avec Izly refusé",
            format!(
                "Votre paiement de {amount} à destination de {site} n'a pas pu être effectué : {}.",
                escape(&p.error_message)
            ),
            status,
        ),
        status::REFUNDED => (
            "Paiement avec Izly remboursé",
            format!("Votre paiement de {amount} à destination de {site} a été remboursé."),
            status,
        ),
        _ => (
            "Page de paiement expirée",
            format!(
                "Le paiement de {amount} à destination de {site} n'est plus possible : la page a expiré. \
                 Régénérez un paiement sur le site marchand."
            ),
            StatusCode::GONE,
        ),
    };
    html::page(status, title, &format!("<p>{text}</p>\n{link}"))
}

pub async fn show(State(st): State<AppState>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let p = match payment_of_page(&st, &id, q.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let site = site_name(&st.fixtures(), &p);
    if p.status == status::WAITING {
        form(StatusCode::OK, &site, &p, None, "")
    } else {
        outcome(StatusCode::OK, &site, &p)
    }
}

/// What "Valider" did.
enum Validated {
    Paid,
    Failed,
    /// The payment stopped waiting meanwhile (paid or cancelled in another tab, expired).
    NotWaiting(Box<Payment>),
}

/// Checks the account and the order, then debits, in one transaction.
fn validate(tx: &Transaction<'_>, id: i64, id_izly: &str) -> rusqlite::Result<Validated> {
    let Some(p) = record::load(tx, id)? else { return Ok(Validated::Failed) };
    if p.status != status::WAITING {
        return Ok(Validated::NotWaiting(Box::new(p)));
    }
    let fail = |code: i64, message: &str| {
        record::set_outcome(tx, id, status::FAILED, Some(id_izly), code, message).map(|_| Validated::Failed)
    };
    let account: Option<(i64, bool)> = tx
        .query_row("SELECT balance_cents, blocked FROM izly_accounts WHERE id_izly = ?1", [id_izly], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((balance, blocked)) = account else { return fail(codes::ACCOUNT_BLOCKED, "compte Izly inconnu") };
    if blocked {
        return fail(codes::ACCOUNT_BLOCKED, "compte Izly bloqué (impayés à régulariser)");
    }
    let paid_before: Option<i64> = tx
        .query_row(
            "SELECT id FROM web_payments WHERE app_identifier = ?1 AND client_order_id = ?2 AND status = ?3 AND id <> ?4",
            params![p.app_identifier, p.client_order_id, status::COMPLETED, id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = paid_before {
        return fail(codes::ORDER_ALREADY_PAID, &format!("commande déjà payée (opération {other})"));
    }
    if balance < p.amount_cents {
        return fail(codes::INSUFFICIENT_BALANCE, "solde insuffisant");
    }
    tx.execute(
        "UPDATE izly_accounts SET balance_cents = balance_cents - ?1 WHERE id_izly = ?2",
        params![p.amount_cents, id_izly],
    )?;
    record::set_outcome(tx, id, status::COMPLETED, Some(id_izly), 0, "")?;
    Ok(Validated::Paid)
}

pub async fn submit(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let p = match payment_of_page(&st, &id, q.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let fixtures = st.fixtures();
    let site = site_name(&fixtures, &p);
    if p.status != status::WAITING {
        return outcome(StatusCode::CONFLICT, &site, &p);
    }
    let page_url = format!("{}{}", st.base_url, p.page_path());
    let f = match Params::from_form(&headers, &body) {
        Ok(f) => f,
        Err(m) => return form(StatusCode::BAD_REQUEST, &site, &p, Some(&format!("Formulaire invalide : {m}")), ""),
    };
    let field = |name: &str| f.get(name).map(|v| v.unwrap_or("").to_owned());
    let (action, login, password) = match (field("action"), field("login"), field("password")) {
        (Ok(a), Ok(l), Ok(pw)) => (a, l.trim().to_owned(), pw),
        (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => {
            return form(StatusCode::BAD_REQUEST, &site, &p, Some(&format!("Formulaire invalide : {m}")), "")
        }
    };
    match action.as_str() {
        "annuler" => {
            let cancelled = st.db.tx(|tx| {
                record::set_outcome(
                    tx,
                    p.id,
                    status::CANCELED,
                    None,
                    codes::CANCELLED,
                    "paiement annulé par l'utilisateur",
                )
            });
            return match cancelled {
                Err(e) => storage_error(e),
                Ok(_) => see_other(&page_url),
            };
        }
        "" | "valider" => {}
        other => return form(StatusCode::BAD_REQUEST, &site, &p, Some(&format!("Action inconnue : {other}")), &login),
    }
    let Some(account) =
        fixtures.izly.accounts.iter().find(|a| a.login.eq_ignore_ascii_case(&login) && a.password == password)
    else {
        return form(StatusCode::UNAUTHORIZED, &site, &p, Some("Identifiant ou mot de passe incorrect."), &login);
    };
    let validated = match st.db.tx(|tx| validate(tx, p.id, &account.id_izly)) {
        Ok(v) => v,
        Err(e) => return storage_error(e),
    };
    match validated {
        Validated::NotWaiting(now) => return outcome(StatusCode::CONFLICT, &site, &now),
        Validated::Paid | Validated::Failed => {}
    }
    // The money has moved (or the refusal is final) whatever the callback's fate: it is stored.
    if let Err(e) = callback::deliver(&st, p.id).await {
        return storage_error(e);
    }
    match (&validated, &p.redirect_url) {
        (Validated::Paid, Some(url)) => see_other(url),
        _ => see_other(&page_url),
    }
}

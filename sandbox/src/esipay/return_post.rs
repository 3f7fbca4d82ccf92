//! The POST to the enterprise's return URL after a payment (specs 004): "le service appelle l'URL
//! de retour par la méthode POST avec les données suivantes : type, amount, transaction, cid" and
//! "L'URL de retour doit retourner le statut HTTP 200. Si ce n'est pas le cas la transaction sera
//! annulée."
//!
//! Our choices where the spec is silent (listed with the others in `super`): the fields are
//! sent `application/x-www-form-urlencoded` (what core's `esipay::parse_return` reads by
//! default), `amount` with '.' and two decimals; only 200 counts (a 204 or a redirect cancels);
//! the whole exchange (connect + answer) must end within [`RETURN_URL_TIMEOUT`], else the
//! transaction is cancelled; no retry.

use crate::util::euros_text;
use crate::wire::encode_component;
use std::sync::OnceLock;
use std::time::Duration;

/// How long the return URL has to answer (connect included) before the payment is cancelled.
pub const RETURN_URL_TIMEOUT: Duration = Duration::from_secs(5);

/// How the return URL answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnOutcome {
    /// Answered this status (200: the transaction stands).
    Status(u16),
    /// No answer within [`RETURN_URL_TIMEOUT`].
    TimedOut,
    /// Not reachable (connection refused, bad URL...).
    Unreachable(String),
}

impl ReturnOutcome {
    pub fn accepted(&self) -> bool {
        *self == ReturnOutcome::Status(200)
    }

    /// The status to store, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            ReturnOutcome::Status(s) => Some(*s),
            _ => None,
        }
    }

    /// Why the transaction was cancelled, in French, for the 500 answer.
    pub fn reason(&self) -> String {
        match self {
            ReturnOutcome::Status(s) => format!("l'URL de retour a répondu {s} au lieu de 200"),
            ReturnOutcome::TimedOut => {
                format!("l'URL de retour n'a pas répondu en {} s", RETURN_URL_TIMEOUT.as_secs())
            }
            ReturnOutcome::Unreachable(e) => format!("l'URL de retour est injoignable ({e})"),
        }
    }
}

/// `type=card&amount=12.50&transaction=...&cid=...`.
pub fn form_body(amount_cents: i64, transaction: &str, cid: &str) -> String {
    format!(
        "type=card&amount={}&transaction={}&cid={}",
        euros_text(amount_cents),
        encode_component(transaction),
        encode_component(cid)
    )
}

/// One client for every return POST. No idle connection is kept: each POST opens its own, on the
/// runtime that sends it (tests start one runtime per test).
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(RETURN_URL_TIMEOUT)
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("a plain HTTP client builds")
    })
}

/// POSTs the notification and reports how the URL answered.
pub async fn notify(url: &str, amount_cents: i64, transaction: &str, cid: &str) -> ReturnOutcome {
    let sent = client()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form_body(amount_cents, transaction, cid))
        .send()
        .await;
    match sent {
        Ok(r) => ReturnOutcome::Status(r.status().as_u16()),
        Err(e) if e.is_timeout() => ReturnOutcome::TimedOut,
        Err(e) if e.is_builder() => ReturnOutcome::Unreachable("URL invalide".into()),
        Err(e) if e.is_connect() => ReturnOutcome::Unreachable("connexion refusée".into()),
        Err(e) => ReturnOutcome::Unreachable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::parse_form;

    #[test]
    fn the_body_is_the_four_fields_of_specs_004() {
        // "type: type de paiement (uniquement 'card'), amount : montant réel, transaction :
        // identifiant unique de la transaction, cid : identifiant paiement coté entreprise".
        let body = form_body(1250, "T 1", "order 7&x=y");
        let fields = parse_form(&body).unwrap();
        let expected = [("type", "card"), ("amount", "12.50"), ("transaction", "T 1"), ("cid", "order 7&x=y")];
        assert_eq!(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(), expected);
    }
}

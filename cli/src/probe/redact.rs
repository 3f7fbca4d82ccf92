//! What the exchanges file may show: the shapes of the answers, never a secret, a card number, a
//! token or the test right holder's identity. Secrets given in the configuration (and learnt on
//! the way: the Crous token, the caisse's Izly key) are replaced wherever they appear; JSON
//! values under names that carry a secret or a person are replaced by `<redacted>`, keeping the
//! names so a vendor can share the file to show a shape.

use crous_till_core::api::card_number::mask_card_numbers;
use crous_till_core::api::request::is_secret_header;
use serde_json::Value;

/// JSON names whose values are secrets or personal data.
const REDACTED_KEYS: [&str; 14] = [
    "appSecret",
    "cleAuthentificationIzly",
    "access_token",
    "refresh_token",
    "PaymentAuthorizationUrl",
    "Nom",
    "Prenom",
    "Email",
    "CodeClient",
    "IdIzly",
    "RightHolderId",
    "CustomerEmail",
    "CustomerClientCode",
    "CustomerSmoneyId",
];

/// Query parameters that carry a QR code or a card.
const REDACTED_QUERY: [&str; 3] = ["qrCode", "idSupport", "numeroApplicatif"];

pub const REDACTED: &str = "<redacted>";

#[derive(Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub fn new(secrets: Vec<String>) -> Self {
        let mut r = Redactor::default();
        secrets.into_iter().for_each(|s| r.add(s));
        r
    }

    /// A secret learnt during the run (a token, a key read from an answer).
    pub fn add(&mut self, secret: String) {
        if secret.len() >= 4 && !self.secrets.contains(&secret) {
            self.secrets.push(secret);
        }
    }

    fn text(&self, text: &str) -> String {
        let mut out = mask_card_numbers(text);
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), REDACTED);
        }
        out
    }

    pub fn url(&self, url: &str) -> String {
        let Some((path, query)) = url.split_once('?') else { return self.text(url) };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if REDACTED_QUERY.contains(&name) => format!("{name}={REDACTED}"),
                _ => pair.to_owned(),
            })
            .collect();
        self.text(&format!("{path}?{}", pairs.join("&")))
    }

    pub fn headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        let shown = |(n, v): &(String, String)| match is_secret_header(n) {
            true => (n.clone(), REDACTED.to_owned()),
            false => (n.clone(), self.text(v)),
        };
        headers.iter().map(shown).collect()
    }

    pub fn body(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        match serde_json::from_str::<Value>(&text) {
            Ok(mut value) => {
                redact_keys(&mut value);
                self.text(&value.to_string())
            }
            Err(_) => self.text(&text),
        }
    }

    /// Whether `written` still holds a secret (checked before the file is written).
    pub fn leaks(&self, written: &str) -> bool {
        self.secrets.iter().any(|s| written.contains(s.as_str()))
    }
}

fn redact_keys(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(redact_keys),
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if REDACTED_KEYS.contains(&key.as_str()) && !v.is_null() {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_keys(v);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_cards_queries_and_people_are_redacted() {
        let r = Redactor::new(vec!["sandbox-install-key".into()]);
        assert_eq!(r.url("http://h/a?qrCode=abc&x=1"), "http://h/a?qrCode=<redacted>&x=1");
        let body =
            r.body(br#"{"appSecret":"sandbox-install-key","Nom":"Dupont","Societe":10,"card":"4970100000000014"}"#);
        assert!(
            !body.contains("sandbox-install-key") && !body.contains("Dupont") && !body.contains("4970100000000014"),
            "{body}"
        );
        assert!(body.contains("\"Societe\":10"));
        let headers = r.headers(&[("Authorization".into(), "Bearer t".into())]);
        assert_eq!(headers[0].1, REDACTED);
        assert!(r.leaks("x sandbox-install-key"));
    }
}

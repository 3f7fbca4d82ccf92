//! Altered shapes, for testing a client against a service that does not answer as we chose
//! (`crous-till sandbox --shapes FILE`; what `crous-till probe` must report as contradicted):
//! per route, rename JSON fields, answer amounts in cents, write dates in another format, or
//! answer an HTML page. Applied to the services' answers after they are made (never to
//! `/sandbox/*`), so the services and their fixtures stay as they are.
//!
//! File: `{"rules":[{"path_prefix":"/api/rightolders/","rename":{"DateFinValidite":"DateFin"}},
//! {"path_prefix":"/api/Izly/WebPayments","cents":["Amount"]},
//! {"path_prefix":"/vem/v1/5/periodes","dates":{"dateDebut":"%d/%m/%Y"}},
//! {"path_prefix":"/api/rightolders/searchCard","html":true}]}`. Every rule whose method and path
//! prefix match applies, in order. A key is matched at any depth of the JSON answer.

use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeRule {
    /// `GET` or `POST`; absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Matches paths starting with it.
    pub path_prefix: String,
    /// JSON keys renamed, `from` → `to`.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Keys whose amount in euros (a number or a string) becomes a whole number of cents, of the
    /// same JSON type.
    #[serde(default)]
    pub cents: Vec<String>,
    /// Keys whose date is rewritten with this chrono format (`%d/%m/%Y`).
    #[serde(default)]
    pub dates: BTreeMap<String, String>,
    /// Answer `200 text/html` (a login portal, a proxy's page) instead of the service.
    #[serde(default)]
    pub html: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeSet {
    pub rules: Vec<ShapeRule>,
}

impl ShapeSet {
    /// Reads a shapes file's text.
    pub fn from_json(text: &str) -> Result<ShapeSet, String> {
        let set: ShapeSet = serde_json::from_str(text).map_err(|e| e.to_string())?;
        for rule in &set.rules {
            crate::util::check_route(rule.method.as_deref(), &rule.path_prefix)?;
        }
        Ok(set)
    }

    fn matching<'a>(&'a self, method: &'a str, path: &'a str) -> impl Iterator<Item = &'a ShapeRule> + 'a {
        self.rules.iter().filter(move |r| crate::util::on_route(r.method.as_deref(), &r.path_prefix, method, path))
    }
}

const PORTAL: &str = "<!doctype html><html><head><title>Portail d'authentification</title></head>\
                      <body><form action=\"/login\"><input name=\"user\"></form></body></html>";

/// The layer: the service answers, then the matching rules rewrite its JSON.
pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (method, path) = (req.method().as_str().to_owned(), req.uri().path().to_owned());
    let rules: Vec<ShapeRule> = st.shapes.matching(&method, &path).cloned().collect();
    if rules.is_empty() {
        return next.run(req).await;
    }
    if rules.iter().any(|r| r.html) {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], PORTAL).into_response();
    }
    let response = next.run(req).await;
    let is_json =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
    if !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    for rule in &rules {
        rewrite(&mut value, rule);
    }
    let text = serde_json::to_vec(&value).expect("a JSON value serializes");
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    Response::from_parts(parts, Body::from(text))
}

fn rewrite(value: &mut Value, rule: &ShapeRule) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, rule)),
        Value::Object(map) => {
            let old = std::mem::take(map);
            let mut fresh = Map::new();
            for (key, mut v) in old {
                rewrite(&mut v, rule);
                if rule.cents.contains(&key) {
                    v = in_cents(v);
                }
                if let Some(format) = rule.dates.get(&key) {
                    v = redated(v, format);
                }
                fresh.insert(rule.rename.get(&key).cloned().unwrap_or(key), v);
            }
            *map = fresh;
        }
        _ => {}
    }
}

/// `3.30` → `330`, `"0.01"` → `"1"`.
fn in_cents(v: Value) -> Value {
    let euros = match &v {
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        Value::String(s) => Decimal::from_str(s).ok(),
        _ => None,
    };
    let Some(cents) = euros.map(|e| (e * Decimal::ONE_HUNDRED).round()) else { return v };
    match v {
        Value::String(_) => Value::String(cents.to_string()),
        _ => cents.to_string().parse::<i64>().map(Value::from).unwrap_or(v),
    }
}

/// A date re-read from the formats the services write, then written with `format`.
fn redated(v: Value, format: &str) -> Value {
    let Value::String(text) = &v else { return v };
    let parsed = DateTime::parse_from_rfc3339(text)
        .map(|d| d.naive_local())
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%d/%m/%Y %H:%M:%S"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d").map(|d| d.and_hms_opt(0, 0, 0).expect("midnight")));
    match parsed {
        Ok(at) => Value::String(at.format(format).to_string()),
        Err(_) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renames_cents_and_dates_at_any_depth() {
        let rule = ShapeRule {
            path_prefix: "/x".into(),
            rename: [("Nom".to_owned(), "LastName".to_owned())].into(),
            cents: vec!["Amount".into()],
            dates: [("Date".to_owned(), "%d/%m/%Y".to_owned())].into(),
            ..ShapeRule::default()
        };
        let mut v = json!({"OperationSMoney": {"Amount": "0.01", "Date": "23/11/2026 12:05:00"}, "rows": [{"Nom": "A", "Amount": 3.3}]});
        rewrite(&mut v, &rule);
        assert_eq!(
            v,
            json!({"OperationSMoney": {"Amount": "1", "Date": "23/11/2026"}, "rows": [{"LastName": "A", "Amount": 330}]})
        );
    }

    #[test]
    fn a_rule_on_the_sandbox_s_own_routes_is_refused() {
        assert!(ShapeSet::from_json(r#"{"rules":[{"path_prefix":"/sandbox/tickets","html":true}]}"#).is_err());
        assert!(ShapeSet::from_json(r#"{"rules":[{"path_prefix":"/api/","renames":{}}]}"#).is_err());
    }
}

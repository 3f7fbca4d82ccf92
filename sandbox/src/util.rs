//! Small helpers shared by the services: clocks, money, tokens, JSON answers, and the routes
//! faults and altered shapes apply to.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::str::FromStr;

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// RFC 3339 in UTC with seconds, `2025-11-20T11:01:02+00:00`.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A random token of `n` lowercase hex digits.
pub fn token(n: usize) -> String {
    (0..n).map(|_| char::from_digit(fastrand::u32(0..16), 16).unwrap()).collect()
}

/// Cents as a JSON number in euros with two decimals (`3.30`), exact.
pub fn euros(cents: i64) -> serde_json::Value {
    serde_json::Value::Number(serde_json::Number::from_str(&euros_text(cents)).expect("a decimal number"))
}

/// Cents as text in euros with two decimals (`3.30`).
pub fn euros_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// A JSON answer with `content_type`.
pub fn json(status: StatusCode, content_type: &'static str, value: &serde_json::Value) -> Response {
    let mut r = (status, serde_json::to_vec(value).expect("JSON values serialize")).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

pub fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// The media type of a request (lowercase, parameters dropped).
pub fn media_type(h: &HeaderMap) -> Option<String> {
    header_str(h, "content-type").map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Checks a fault's or a shape's route: `GET`, `POST` or any method, and a path prefix of the
/// services (never `/sandbox`).
pub fn check_route(method: Option<&str>, path_prefix: &str) -> Result<(), String> {
    if !path_prefix.starts_with('/') || path_prefix.starts_with("/sandbox") {
        return Err("path_prefix must start with / and not be a /sandbox route".into());
    }
    match method {
        Some(m) if m != "GET" && m != "POST" => Err("method is GET or POST".into()),
        _ => Ok(()),
    }
}

/// Whether a request is on a fault's or a shape's route.
pub fn on_route(method: Option<&str>, path_prefix: &str, request_method: &str, path: &str) -> bool {
    path.starts_with(path_prefix) && method.is_none_or(|m| m == request_method)
}

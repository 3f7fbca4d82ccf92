//! Shared by the integration tests: a sandbox on 127.0.0.1:0, core's native executor, and plain
//! HTTP helpers for the `/sandbox` routes. Nothing here talks to any other host.
#![allow(dead_code)]

use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::Environment;
use crous_till_core::api::RetryPolicy;
use crous_till_sandbox::{start, Config, Fixtures, Sandbox};
use serde_json::Value;
use std::time::Duration;

pub async fn sandbox() -> Sandbox {
    start(Config::default()).await.expect("the sandbox starts")
}

pub fn env(s: &Sandbox) -> Environment {
    Environment::Custom(s.base_url())
}

pub fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(1),
        timeout: Duration::from_secs(10),
    }
}

pub fn executor() -> NativeExecutor {
    NativeExecutor::new(policy()).unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub async fn get_json(s: &Sandbox, path: &str) -> Value {
    let r = client().get(format!("{}{path}", s.base_url())).send().await.unwrap();
    assert!(r.status().is_success(), "GET {path}: {}", r.status());
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

pub async fn post_json(s: &Sandbox, path: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(format!("{}{path}", s.base_url()))
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let bytes = r.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

pub async fn fixtures(s: &Sandbox) -> Fixtures {
    serde_json::from_value(get_json(s, "/sandbox/fixtures").await).unwrap()
}

/// The balance of an Izly account, in cents.
pub async fn balance(s: &Sandbox, id_izly: &str) -> i64 {
    let accounts = get_json(s, "/sandbox/izly/accounts").await;
    accounts.as_array().unwrap().iter().find(|a| a["IdIzly"] == id_izly).unwrap()["BalanceCents"].as_i64().unwrap()
}

/// A fresh QR code for `id_izly`, valid `ttl` seconds.
pub async fn qr_code(s: &Sandbox, id_izly: &str, ttl: i64) -> String {
    let (status, v) =
        post_json(s, "/sandbox/izly/qrcodes", serde_json::json!({"id_izly": id_izly, "ttl_seconds": ttl})).await;
    assert_eq!(status, 201, "{v}");
    v["text"].as_str().unwrap().to_owned()
}

/// The action and the hidden inputs of the first form of a page (the sandbox's own HTML).
pub fn form_of(html: &str) -> (String, Vec<(String, String)>) {
    fn attr(tag: &str, name: &str) -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = start + tag[start..].find('"')?;
        Some(html_unescape(&tag[start..end]))
    }
    let form = &html[html.find("<form").expect("a form")..];
    let action = attr(&form[..form.find('>').unwrap()], "action").expect("a form action");
    let mut hidden = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find("<input ") {
        let tag = &rest[i..i + rest[i..].find('>').unwrap()];
        if attr(tag, "type").as_deref() == Some("hidden") {
            hidden.push((attr(tag, "name").unwrap(), attr(tag, "value").unwrap_or_default()));
        }
        rest = &rest[i + tag.len()..];
    }
    (action, hidden)
}

pub fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// POSTs `pairs` as `application/x-www-form-urlencoded`, redirects not followed.
pub async fn post_form(url: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    use crous_till_sandbox::wire::encode_component;
    let body: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
    client()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.join("&"))
        .send()
        .await
        .unwrap()
}

/// The `Location` of a redirect.
pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").expect("a Location header").to_str().unwrap().to_owned()
}

/// The value of query parameter `name` in `url`, decoded.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    crous_till_sandbox::wire::parse_form(query)?.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

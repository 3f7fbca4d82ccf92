//! Every path and method that `GET /sandbox/openapi.json` documents is one the router serves:
//! each is called over HTTP with placeholder path parameters, and the answer must come from a
//! handler (any status), not from the router's own 404/405, which carry `x-sandbox-fallback`.
//! The document is read at run time, so rows added by any service are checked as they come.

mod common;

use common::*;
use crous_till_sandbox::FALLBACK_HEADER;
use std::time::Duration;

/// `/a/{x}/b/{y}` → `/a/1/b/1`.
fn with_placeholders(path: &str) -> String {
    path.split('/').map(|s| if s.starts_with('{') && s.ends_with('}') { "1" } else { s }).collect::<Vec<_>>().join("/")
}

async fn call(s: &crous_till_sandbox::Sandbox, method: &str, path: &str) -> reqwest::Response {
    let m = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("an HTTP method");
    client()
        .request(m, format!("{}{path}", s.base_url()))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

#[tokio::test]
async fn every_documented_route_reaches_a_handler() {
    let s = sandbox().await;
    // The fallbacks are told apart: an unknown path, and a known path with a method it lacks.
    let r = call(&s, "get", "/no/such/route").await;
    assert_eq!((r.status().as_u16(), r.headers().get(FALLBACK_HEADER).unwrap().to_str().unwrap()), (404, "no-route"));
    let r = call(&s, "delete", "/sandbox/openapi.json").await;
    assert_eq!(
        (r.status().as_u16(), r.headers().get(FALLBACK_HEADER).unwrap().to_str().unwrap()),
        (405, "method-not-allowed")
    );

    let r = call(&s, "get", "/vem/v1/authenticate").await;
    assert_eq!(
        (r.status().as_u16(), r.headers().get(FALLBACK_HEADER).unwrap().to_str().unwrap()),
        (405, "method-not-allowed")
    );

    let doc = get_json(&s, "/sandbox/openapi.json").await;
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    let mut unknown = Vec::new();
    for (path, ops) in paths {
        for method in ops.as_object().expect("operations").keys() {
            let url = with_placeholders(path);
            let r = call(&s, method, &url).await;
            if let Some(kind) = r.headers().get(FALLBACK_HEADER) {
                unknown.push(format!("{method} {path} ({url}): {} {kind:?}", r.status()));
            }
            checked += 1;
        }
    }
    assert!(unknown.is_empty(), "documented but not routed:\n{}", unknown.join("\n"));
    // At least the rows present when this test was written (Crous, Izly POS, esipay, /sandbox).
    assert!(checked >= 21, "only {checked} operations documented");
    s.shutdown().await;
}

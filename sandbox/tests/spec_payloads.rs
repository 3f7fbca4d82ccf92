//! Payloads printed in the specs (`tests/spec-corpus/`, shared with core's `tests/spec_corpus.rs`),
//! replayed against the sandbox over HTTP as the documents show them, without core: the sandbox
//! is held to the documents, not to core's builders.

mod common;

use common::*;
use crous_till_sandbox::wire::{encode_component, parse_form};
use serde_json::{json, Value};

const APP: &str = "sandbox-shop";
const KEY: &str = "sandbox-izly-api-key";

/// A call of specs 002 with the three headers of its tables, verbatim.
async fn izlypay(
    s: &crous_till_sandbox::Sandbox,
    method: reqwest::Method,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, Value) {
    let r = client()
        .request(method, format!("{}{path}", s.base_url()))
        .header("Authorization", format!("Basic {KEY}"))
        .header("Content-type", content_type)
        .header("AppIdentifier", APP)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, serde_json::from_slice(&r.bytes().await.unwrap()).unwrap_or(Value::Null))
}

/// Specs 002, "Initialisation du paiement".
async fn izlypay_init(s: &crous_till_sandbox::Sandbox, content_type: &str, body: &str) -> (u16, Value) {
    izlypay(s, reqwest::Method::POST, "/api/Izly/WebPayments", content_type, body).await
}

/// Specs 003's POSTMAN example of an initialisation in preproduction: `"Amount": "100"` (OCR'd as
/// `"lea"`; its answer says `"Amount": "1.00"`), a string, answered with a `Waiting` operation.
const SPEC_003_INIT: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlypay_init_request.json"));

#[tokio::test]
async fn the_initialisation_example_of_specs_003_is_answered_as_the_spec_shows() {
    let s = sandbox().await;
    let (status, answer) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", SPEC_003_INIT).await;
    assert_eq!(status, 200, "{answer}");
    let op = &answer["OperationSMoney"];
    assert_eq!(op["Status"], "Waiting");
    assert_eq!(op["Amount"], "1.00", "answered in euros, as a string, as in the example");
    assert_eq!(op["ClientOrderId"], "CAAFFB42-2543-4A8A-B280-BE19F4028Y39");
    assert_eq!(op["Message"], "Paiement sur le site roxico");
    assert!(op["Id"].is_number() && op["IdTransactionDebitIzly"].is_number(), "{op}");
    let date = op["Date"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(date, "%d/%m/%Y %H:%M:%S").is_ok(),
        "03/05/2021 15:37:30 style: {date}"
    );
    let url = answer["PaymentAuthorizationUrl"].as_str().unwrap();
    assert!(url.contains("/api/Izly/WebPayments/") && url.contains("/Authorize?token="), "{url}");
    assert!(answer["Beneficiary"]["Id"].is_string());
    // The example answer's objects and keys, as specs 003 prints them.
    let spec: Value = serde_json::from_str(SPEC_003_INIT_ANSWER).unwrap();
    for path in ["", "/OperationSMoney", "/Beneficiary"] {
        assert_eq!(
            keys(&answer.pointer(path).unwrap().to_string()),
            keys(&spec.pointer(path).unwrap().to_string()),
            "{path}"
        );
    }
}

/// Specs 003's answer to that initialisation.
const SPEC_003_INIT_ANSWER: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlypay_init_answer.json"));

#[tokio::test]
async fn the_amount_is_read_as_an_integer_or_a_string_of_digits_and_nothing_else() {
    let s = sandbox().await;
    let body = |amount: Value| json!({"Amount": amount, "ClientOrderId": format!("A-{amount}")}).to_string();
    // Public clients send S-money's media type (public-facts.md): the same service.
    for (amount, content_type) in
        [(json!(250), "application/vnd.Xpollens.v1+json"), (json!("250"), "application/vnd.s-money.v1+json")]
    {
        let (status, answer) = izlypay_init(&s, content_type, &body(amount)).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["OperationSMoney"]["Amount"], "2.50");
    }
    for amount in [json!("2.50"), json!(2.5), json!(""), json!("-1"), json!(null), json!([100])] {
        let (status, answer) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", &body(amount.clone())).await;
        assert_eq!(status, 400, "{amount}: {answer}");
    }
}

/// A details or refund call of specs 002 (no body).
async fn izlypay_call(s: &crous_till_sandbox::Sandbox, method: reqwest::Method, path: &str) -> (u16, Value) {
    izlypay(s, method, path, "application/vnd.Xpollens.v1+json", "").await
}

/// The keys of an example object printed in the spec, in the spec's order.
fn keys(example: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(example).unwrap();
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// Specs 002, "Récupérer le détail d'un paiement": the example answer, verbatim.
const SPEC_002_DETAILS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlypay_details.json"));

/// Specs 002 and 003: the error object when the operation does not exist, verbatim.
const SPEC_002_ERROR_356: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/xpollens_error_356.json"));

#[tokio::test]
async fn details_answer_the_keys_and_types_of_the_specs_example() {
    let s = sandbox().await;
    let (_, init) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", SPEC_003_INIT).await;
    let id = init["OperationSMoney"]["Id"].as_i64().unwrap();
    let (status, details) = izlypay_call(&s, reqwest::Method::GET, &format!("/api/Izly/WebPayments/{id}")).await;
    assert_eq!(status, 200, "{details}");
    assert_eq!(keys(&details.to_string()), keys(SPEC_002_DETAILS));
    assert_eq!(details["OperationId"], id);
    assert!(details["IdTransactionDebitIzly"].is_number() && details["Amount"].is_number(), "{details}");
    assert_eq!(details["Amount"].as_f64(), Some(1.0));
    assert_eq!(details["OperationStatus"], "Waiting", "not paid yet");
    assert_eq!(details["OrderId"], "CAAFFB42-2543-4A8A-B280-BE19F4028Y39");
}

#[tokio::test]
async fn an_operation_that_does_not_exist_is_the_specs_error_356() {
    let s = sandbox().await;
    let spec: Value = serde_json::from_str(SPEC_002_ERROR_356).unwrap();
    for (method, path) in [
        (reqwest::Method::GET, "/api/Izly/WebPayments/999999"),
        (reqwest::Method::POST, "/api/Izly/WebPayments/999999/Refund?clientOrderId=100003685"),
    ] {
        let (status, answer) = izlypay_call(&s, method, path).await;
        assert_eq!(status, 404, "{path}: {answer}");
        assert_eq!(answer, spec, "{path}");
    }
}

/// Specs 002, "Remboursement d'un paiement": the example answer, verbatim.
const SPEC_002_REFUND: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlypay_refund.json"));

#[tokio::test]
async fn a_refund_answers_the_keys_of_the_specs_example() {
    let s = sandbox().await;
    let (_, init) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", SPEC_003_INIT).await;
    let id = init["OperationSMoney"]["Id"].as_i64().unwrap();
    let order = "CAAFFB42-2543-4A8A-B280-BE19F4028Y39";
    let refund = format!("/api/Izly/WebPayments/{id}/Refund?clientOrderId={order}");
    // Not paid: refused with an Xpollens error object, and nothing changes.
    let (status, refused) = izlypay_call(&s, reqwest::Method::POST, &refund).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(keys(&refused.to_string()), keys(SPEC_002_ERROR_356));
    // Paid through the sandbox's hosted page, then refunded.
    pay_operation(&s, &init).await;
    let (status, answer) = izlypay_call(&s, reqwest::Method::POST, &refund).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(keys(&answer.to_string()), keys(SPEC_002_REFUND));
    assert_eq!((answer["OperationStatus"].as_str(), answer["ClientOrderId"].as_str()), (Some("Refund"), Some(order)));
    assert_eq!(answer["Amount"].as_f64(), Some(1.0));
}

/// Pays an initialised operation on the sandbox's hosted page, as Camille (15.25 €).
async fn pay_operation(s: &crous_till_sandbox::Sandbox, init: &Value) {
    let page_url = init["PaymentAuthorizationUrl"].as_str().unwrap();
    let page = client().get(page_url).send().await.unwrap();
    assert_eq!(page.status(), 200, "{page_url}");
    let (action, _) = form_of(&page.text().await.unwrap());
    let paid = post_form(
        &format!("{}{action}", s.base_url()),
        &[("login", "camille.martin@example.invalid"), ("password", "sandbox"), ("action", "valider")],
    )
    .await;
    assert!(paid.status().is_redirection() || paid.status().is_success(), "{}", paid.status());
}

/// What the partner's callback URL received: its headers and JSON body.
type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, Value)>>>;

/// A partner server on 127.0.0.1 that answers 200 with specs 003's success object.
async fn partner() -> (String, Received) {
    use axum::routing::post;
    let got = Received::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/callback",
        post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let seen = seen.clone();
            async move {
                let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                seen.lock().unwrap().push((ct, serde_json::from_slice(&body).unwrap_or(Value::Null)));
                // "Code 0, ErrorMessage vide" on success (specs 003).
                ([("content-type", "application/json")], r#"{"Code":0,"ErrorMessage":""}"#)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test]
async fn the_callback_is_the_post_specs_003_describes() {
    let (url, got) = partner().await;
    let mut fixtures = crous_till_sandbox::Fixtures::demo();
    fixtures.izly.partners[0].callback_url = url;
    let s = crous_till_sandbox::start(crous_till_sandbox::Config { fixtures: Some(fixtures), ..Default::default() })
        .await
        .unwrap();
    let body = r#"{"Amount": 100, "ClientOrderId": "100003685", "Message": "test 1", "CallbackParameters": "order=100003685"}"#;
    let (_, init) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", body).await;
    pay_operation(&s, &init).await;
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one callback for the completed payment");
    let (content_type, cb) = &received[0];
    assert!(content_type.starts_with("application/json"), "{content_type}");
    fn object_keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        k
    }
    // The four objects of the table and, in each, the properties it lists.
    assert_eq!(object_keys(cb), ["Beneficiary", "Error", "OperationSMoney", "User"]);
    let op = &cb["OperationSMoney"];
    assert_eq!(
        object_keys(op),
        ["Amount", "CallbackParameters", "ClientOrderId", "Date", "Id", "IdTransactionDebitIzly", "Message", "Status"]
    );
    assert_eq!((op["Status"].as_str(), op["ClientOrderId"].as_str()), (Some("Completed"), Some("100003685")));
    assert_eq!(op["CallbackParameters"], "order=100003685");
    assert_eq!(object_keys(&cb["Beneficiary"]), ["ClientId", "Id"]);
    assert_eq!(object_keys(&cb["User"]), ["ClientCode", "Email", "Id", "NumeroAffectation"]);
    assert_eq!(object_keys(&cb["Error"]), ["Code", "Message"]);
    assert_eq!(cb["Error"]["Code"], 0, "0 en cas de succès");
}

/// Specs 003's token answer and users answer (`tests/spec-corpus/`).
const SPEC_003_TOKEN: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlyconnect_token.json"));
const SPEC_003_USERS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/spec-corpus/izlyconnect_users.json"));

/// Specs 002's IzlyConnect steps, as its curl lines show them: the Authorize page (logged in as
/// Camille), the code for a token with `authorization: Basic`, the users resource with `Bearer`.
#[tokio::test]
async fn the_izlyconnect_steps_of_specs_002_answer_as_specs_003_shows() {
    let s = sandbox().await;
    let authorize = format!("{}/oauth/Home/Authorize?response_type=code&client_id={APP}&scope=1", s.base_url());
    let page = client().get(&authorize).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let (action, hidden) = form_of(&page.text().await.unwrap());
    let mut pairs: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.extend([("login", "camille.martin@example.invalid"), ("password", "sandbox"), ("action", "connect")]);
    let logged = post_form(&format!("{}{action}", s.base_url()), &pairs).await;
    let code = query_param(&location(&logged), "code").expect("a code in the redirect");

    let token = client()
        .post(format!(
            "{}/oauth/Home/Token?grant_type=authorization_code&code={}",
            s.base_url(),
            encode_component(&code)
        ))
        .header("authorization", format!("Basic {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 200);
    let token: Value = serde_json::from_slice(&token.bytes().await.unwrap()).unwrap();
    assert_eq!(keys(&token.to_string()), keys(SPEC_003_TOKEN));
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["expires_in"].is_u64());

    let access = token["access_token"].as_str().unwrap();
    let user = client()
        .get(format!("{}/api/izly/users", s.base_url()))
        .header("authorization", format!("Bearer {access}"))
        .send()
        .await
        .unwrap();
    assert_eq!(user.status(), 200);
    let user: Value = serde_json::from_slice(&user.bytes().await.unwrap()).unwrap();
    assert_eq!(keys(&user.to_string()), keys(SPEC_003_USERS));
    assert_eq!(user["IdIzly"], 6000001265u64, "a number, as the example prints it");

    // The refresh, as specs 002's curl line sends it.
    let refresh = token["refresh_token"].as_str().unwrap();
    let again = client()
        .post(format!(
            "{}/oauth/Home/Token?grant_type=refresh_token&refresh_token={}",
            s.base_url(),
            encode_component(refresh)
        ))
        .header("authorization", format!("Basic {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let again: Value = serde_json::from_slice(&again.bytes().await.unwrap()).unwrap();
    assert_eq!(keys(&again.to_string()), keys(SPEC_003_TOKEN));
}

/// Specs 004: a card payment at `/cardpay/uuid/cid/cardnumber/cardmonth/cardyear/amount` (amount
/// "réel, séparateur : ."), and the return URL POSTed "type, amount, transaction, cid" before the
/// 200; a refund at `/cardpay/uuid/transaction`.
#[tokio::test]
async fn an_esipay_payment_is_the_exchange_specs_004_describes() {
    use axum::routing::post;
    let got: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/return",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                seen.lock().unwrap().push((ct, body));
                "OK"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let return_url = format!("http://{}/return", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let mut fixtures = crous_till_sandbox::Fixtures::demo();
    fixtures.esipay.enterprises[0].return_url = return_url;
    let uuid = fixtures.esipay.enterprises[0].uuid.clone();
    let card = fixtures.esipay.cards[0].number.clone();
    let s = crous_till_sandbox::start(crous_till_sandbox::Config { fixtures: Some(fixtures), ..Default::default() })
        .await
        .unwrap();
    let paid =
        client().post(format!("{}/cardpay/{uuid}/order-7/{card}/12/2030/8.30", s.base_url())).send().await.unwrap();
    assert_eq!(paid.status(), 200);
    let received = got.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (content_type, body) = &received[0];
    assert!(content_type.starts_with("application/x-www-form-urlencoded"), "{content_type}");
    let fields = parse_form(body).expect("a form body");
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["type", "amount", "transaction", "cid"]);
    assert_eq!((fields[0].1.as_str(), fields[1].1.as_str(), fields[3].1.as_str()), ("card", "8.30", "order-7"));
    let refund = client().post(format!("{}/cardpay/{uuid}/{}", s.base_url(), fields[2].1)).send().await.unwrap();
    assert_eq!(refund.status(), 200);
    // A comma as the separator is not the spec's: refused before anything is charged.
    let comma =
        client().post(format!("{}/cardpay/{uuid}/order-8/{card}/12/2030/8,30", s.base_url())).send().await.unwrap();
    assert_eq!(comma.status(), 400);
}

//! IzlyPay over real HTTP on 127.0.0.1: init with core's builder, the hosted page driven by plain
//! form posts (wrong then right password, cancel, insufficient balance, blocked account, expired
//! page), the callback received by a partner server the test runs and read with core's parser and
//! verifier, details and refunds with core's parsers, and every refusal changing nothing.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use common::*;
use crous_till_core::api::executor::CallError;
use crous_till_core::api::izly_connect::IzlyApiKey;
use crous_till_core::api::izly_pay::{
    self, CallbackNotification, CallbackVerification, InitPayment, InitPaymentError, InitResponse, IzlyPayApi,
    IzlyPayError, PaymentStatus, WebPaymentDetails,
};
use crous_till_sandbox::fixtures::IzlyPartner;
use crous_till_sandbox::{start, Config, Fixtures, Sandbox};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const APP: &str = "sandbox-shop";
const KEY: &str = "sandbox-izly-api-key";
const OTHER_APP: &str = "other-shop";
const OTHER_KEY: &str = "other-key";
const SITE: &str = "Boutique du Crous de démonstration";
const AFTER: &str = "http://127.0.0.1:9/shop/after-payment?order=A1";
const CAMILLE: (&str, &str) = ("camille.martin@example.invalid", "6000001265"); // 15.25 €
const INES: (&str, &str) = ("ines.petit@example.invalid", "6000001301"); // 1.00 €
const LEO: (&str, &str) = ("leo.bernard@example.invalid", "6000001302"); // blocked, 50.00 €
const PASSWORD: &str = "sandbox";

/// One callback as the partner's server received it.
#[derive(Clone, Debug)]
struct Received {
    uri: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The partner's callback URL: records every POST and answers `status` the way core builds the
/// answer (0: never answers).
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

impl Receiver {
    fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Every callback, read by core's parser.
    fn notifications(&self) -> Vec<CallbackNotification> {
        self.received().iter().map(|r| izly_pay::parse_callback(&r.headers, &r.body).expect("core reads it")).collect()
    }
}

async fn receive(State(r): State<Receiver>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let h = headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned())).collect();
    r.got.lock().unwrap().push(Received { uri: uri.to_string(), headers: h, body: body.to_vec() });
    let answer = match r.status.load(Ordering::SeqCst) {
        0 => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            izly_pay::callback_ok_answer()
        }
        200 => izly_pay::callback_ok_answer(),
        s => izly_pay::callback_error_answer(s, 17, "Commande inconnue"),
    };
    (StatusCode::from_u16(answer.status).unwrap(), [("content-type", "application/json")], answer.body).into_response()
}

/// A callback server on 127.0.0.1 answering `status`.
async fn receiver(status: u16) -> (String, Receiver) {
    let r = Receiver::default();
    r.answer(status);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/izlypay/callback", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/izlypay/callback", post(receive)).with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

/// The demo fixtures with the partner's callback at `callback_url`, and a second partner.
fn fixtures_with(callback_url: &str) -> Fixtures {
    let mut f = Fixtures::demo();
    f.izly.partners[0].callback_url = callback_url.to_owned();
    f.izly.partners.push(IzlyPartner {
        site_name: "Cafétéria en ligne".into(),
        app_identifier: OTHER_APP.into(),
        api_key: OTHER_KEY.into(),
        beneficiary_id: "49916".into(),
        callback_url: callback_url.to_owned(),
        redirect_uris: vec![],
        scope: "payments".into(),
    });
    f
}

/// A sandbox whose partner's callback answers `status`.
async fn setup_with(status: u16, config: Config) -> (Sandbox, Receiver) {
    let (url, r) = receiver(status).await;
    let s = start(Config { fixtures: Some(fixtures_with(&url)), ..config }).await.unwrap();
    (s, r)
}

async fn setup() -> (Sandbox, Receiver) {
    setup_with(200, Config::default()).await
}

fn pay_api(s: &Sandbox, app: &str, key: &str) -> IzlyPayApi {
    IzlyPayApi::new(&env(s), app, IzlyApiKey::new(key)).unwrap()
}

fn eur(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn order(amount: &str, id: &str) -> InitPayment {
    InitPayment {
        amount: eur(amount),
        client_order_id: id.into(),
        callback_parameters: Some(format!("order={id}")),
        redirect_url_after_payment: Some(AFTER.into()),
        message: Some(format!("Commande {id}")),
        software: Some(39),
    }
}

async fn init(s: &Sandbox, p: &InitPayment) -> InitResponse {
    let req = pay_api(s, APP, KEY).init_payment(p).unwrap();
    executor().call(&req, izly_pay::parse_init).await.unwrap().value
}

async fn details(s: &Sandbox, id: &str) -> WebPaymentDetails {
    executor().call(&pay_api(s, APP, KEY).payment_details(id), izly_pay::parse_payment_details).await.unwrap().value
}

fn api_err<T: std::fmt::Debug>(r: Result<T, CallError<IzlyPayError>>) -> IzlyPayError {
    match r {
        Err(CallError::Api { error, .. }) => error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// The Xpollens code of a refusal.
fn code(e: &IzlyPayError) -> i64 {
    e.xpollens().unwrap_or_else(|| panic!("no Xpollens error in {e:?}")).code
}

/// Opens the payment page and submits its form.
async fn submit(page_url: &str, login: &str, password: &str, action: &str) -> reqwest::Response {
    let page = client().get(page_url).send().await.unwrap();
    assert_eq!(page.status(), 200, "{page_url}");
    let (action_path, _) = form_of(&page.text().await.unwrap());
    let base = page_url.split("/api/").next().unwrap();
    post_form(&format!("{base}{action_path}"), &[("login", login), ("password", password), ("action", action)]).await
}

async fn page_text(url: &str) -> (u16, String) {
    let r = client().get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn web_payments(s: &Sandbox) -> Vec<Value> {
    get_json(s, "/sandbox/izly/web-payments").await.as_array().unwrap().clone()
}

#[tokio::test]
async fn wrong_then_right_password_pays_notifies_and_refunds_once() {
    let (s, rx) = setup().await;
    let ex = executor();
    let api = pay_api(&s, APP, KEY);
    let started = init(&s, &order("3.30", "A1")).await;
    let op = started.operation.clone();
    let url = started.payment_authorization_url.clone();
    assert!(url.starts_with(&format!("{}/api/Izly/WebPayments/{}/Authorize?token=", s.base_url(), op.id)), "{url}");
    assert!(url.ends_with("&software=39"), "{url}");
    assert_eq!(op.amount, eur("3.30"));
    assert_eq!(op.status.as_deref(), Some("Waiting"));
    assert!(op.date.is_some());
    assert!(op.id_transaction_debit_izly.is_some());
    assert_eq!(op.client_order_id.as_deref(), Some("A1"));
    assert_eq!(op.callback_parameters.as_deref(), Some("order=A1"));
    assert_eq!(op.message.as_deref(), Some("Commande A1"));
    let b = started.beneficiary.unwrap();
    assert_eq!((b.id.as_deref(), b.client_id.as_deref()), (Some("49915"), Some(APP)));
    let d = details(&s, &op.id).await;
    assert_eq!((d.status(), d.error_text()), (PaymentStatus::Waiting, None));

    // The page: site, amount, identifiant, mot de passe, Annuler / Valider, mot de passe oublié.
    let (status, html) = page_text(&url).await;
    assert_eq!(status, 200);
    for text in [
        SITE,
        "3,30\u{a0}€",
        "Identifiant",
        "Mot de passe",
        "Annuler",
        "Valider",
        "Mot de passe oublié ?",
        "Commande A1",
    ] {
        assert!(html.contains(text), "{text} missing from the page");
    }

    // Wrong password: the form again, nothing paid, nothing sent.
    let r = submit(&url, CAMILLE.0, "wrong", "valider").await;
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert!(html.contains("Identifiant ou mot de passe incorrect.") && html.contains("<form"), "{html}");
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    assert_eq!(details(&s, &op.id).await.status(), PaymentStatus::Waiting);
    assert!(rx.received().is_empty());

    // Right password: debited, the callback sent, the browser sent to RedirectUrlAfterPayment.
    let r = submit(&url, CAMILLE.0, PASSWORD, "valider").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), AFTER);
    assert_eq!(balance(&s, CAMILLE.1).await, 1195);
    let got = rx.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].uri.ends_with("/izlypay/callback?order=A1"), "{}", got[0].uri);
    let n = &rx.notifications()[0];
    assert!(n.reports_success());
    assert_eq!(n.operation.id, op.id);
    assert_eq!(n.operation.amount, eur("3.30"));
    assert_eq!(n.operation.status.as_deref(), Some("Completed"));
    assert_eq!(n.operation.callback_parameters.as_deref(), Some("order=A1"));
    assert_eq!(n.operation.id_transaction_debit_izly, op.id_transaction_debit_izly);
    let user = n.user.as_ref().unwrap();
    assert_eq!((user.id.as_deref(), user.client_code.as_deref()), (Some(CAMILLE.1), Some("6000050617")));
    assert_eq!(user.email.as_deref(), Some(CAMILLE.0));
    assert_eq!(n.beneficiary.as_ref().unwrap().client_id.as_deref(), Some(APP));
    // The partner checks the callback against the details, as core's verifier does.
    let d = details(&s, &op.id).await;
    assert_eq!(n.verify(&d, "A1", eur("3.30")), Ok(()));
    assert_eq!(d.customer_client_code.as_deref(), Some("6000050617"));
    assert_eq!(d.customer_smoney_id.as_deref(), Some(CAMILLE.1));
    assert_eq!(d.order_id.as_deref(), Some("A1"));
    assert_eq!(d.client_parameters, Some(json!("order=A1")));
    assert!(d.payment_date.is_some());
    assert!(matches!(n.verify(&d, "A2", eur("3.30")), Err(CallbackVerification::OrderMismatch { .. })));
    // The sandbox stored the callback's status and core's answer.
    let listed = &web_payments(&s).await[0];
    assert_eq!(listed["Status"], "Completed");
    assert_eq!(listed["CallbackStatus"], 200);
    assert_eq!(listed["CallbackAnswer"], r#"{"Code":0,"ErrorMessage":""}"#);
    // The page now shows the outcome; a second "Valider" changes nothing.
    let (status, html) = page_text(&url).await;
    assert_eq!(status, 200);
    assert!(html.contains("Paiement effectué avec Izly") && html.contains("Revenir sur le site marchand"), "{html}");
    let base = s.base_url();
    let path = url.strip_prefix(&base).unwrap();
    let r = post_form(&format!("{base}{path}"), &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "valider")])
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(balance(&s, CAMILLE.1).await, 1195);
    assert_eq!(rx.received().len(), 1);
    // The same order cannot be started again once paid.
    let again = api_err(ex.call(&api.init_payment(&order("3.30", "A1")).unwrap(), izly_pay::parse_init).await);
    assert!(matches!(again, IzlyPayError::Refused { status: 409, .. }), "{again:?}");
    assert_eq!(code(&again), 357);

    // Refund: with the wrong clientOrderId refused; then once; a second time refused.
    let wrong = api_err(ex.call(&api.refund(&op.id, "A2"), izly_pay::parse_refund).await);
    assert!(matches!(wrong, IzlyPayError::Refused { status: 422, .. }), "{wrong:?}");
    assert_eq!(code(&wrong), 362);
    assert_eq!(balance(&s, CAMILLE.1).await, 1195);
    let refund = ex.call(&api.refund(&op.id, "A1"), izly_pay::parse_refund).await.unwrap().value;
    assert_eq!(refund.operation_id, op.id);
    assert_eq!(refund.amount, eur("3.30"));
    assert_eq!(refund.operation_status, "Refund");
    assert_eq!(refund.client_order_id.as_deref(), Some("A1"));
    assert!(refund.refund_date.is_some());
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    assert_eq!(details(&s, &op.id).await.status(), PaymentStatus::Refunded);
    let twice = api_err(ex.call(&api.refund(&op.id, "A1"), izly_pay::parse_refund).await);
    assert!(matches!(twice, IzlyPayError::Refused { status: 409, .. }), "{twice:?}");
    assert_eq!(code(&twice), 361);
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    // Another partner can neither see nor refund it.
    let other = pay_api(&s, OTHER_APP, OTHER_KEY);
    let e = api_err(ex.call(&other.payment_details(&op.id), izly_pay::parse_payment_details).await);
    assert!(matches!(e, IzlyPayError::OperationNotFound(_)), "{e:?}");
    let e = api_err(ex.call(&other.refund(&op.id, "A1"), izly_pay::parse_refund).await);
    assert!(matches!(e, IzlyPayError::OperationNotFound(_)), "{e:?}");
    s.shutdown().await;
}

#[tokio::test]
async fn cancel_pays_nothing_sends_nothing_and_cannot_be_refunded() {
    let (s, rx) = setup().await;
    let ex = executor();
    let api = pay_api(&s, APP, KEY);
    let started = init(&s, &order("3.30", "C1")).await;
    let url = started.payment_authorization_url;
    let r = submit(&url, "", "", "annuler").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), url, "back to the page, which shows the outcome");
    let (status, html) = page_text(&url).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Paiement avec Izly annulé") && html.contains("3,30\u{a0}€") && html.contains(SITE),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"{}\"", AFTER.replace('&', "&amp;"))), "link back to the shop: {html}");
    let d = details(&s, &started.operation.id).await;
    assert_eq!(d.status(), PaymentStatus::Other("Canceled".into()));
    assert!(d.error_text().is_some());
    assert!(rx.received().is_empty());
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    let e = api_err(ex.call(&api.refund(&started.operation.id, "C1"), izly_pay::parse_refund).await);
    assert!(matches!(e, IzlyPayError::Refused { status: 409, .. }), "{e:?}");
    assert_eq!(code(&e), 360);
    // "Valider" after the cancel changes nothing.
    let base = s.base_url();
    let path = url.strip_prefix(&base).unwrap();
    let r = post_form(&format!("{base}{path}"), &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "valider")])
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    // The order may be started again ("l'AD devra régénérer un paiement").
    let again = init(&s, &order("3.30", "C1")).await;
    assert_ne!(again.operation.id, started.operation.id);
    s.shutdown().await;
}

#[tokio::test]
async fn a_waiting_payment_cannot_be_refunded() {
    let (s, _rx) = setup().await;
    let ex = executor();
    let started = init(&s, &order("1.00", "W1")).await;
    let e = api_err(ex.call(&pay_api(&s, APP, KEY).refund(&started.operation.id, "W1"), izly_pay::parse_refund).await);
    assert!(matches!(e, IzlyPayError::Refused { status: 409, .. }), "{e:?}");
    assert_eq!(code(&e), 360);
    assert_eq!(details(&s, &started.operation.id).await.status(), PaymentStatus::Waiting);
    // A refund without clientOrderId is a bad request.
    let r = client()
        .post(format!("{}/api/Izly/WebPayments/{}/Refund", s.base_url(), started.operation.id))
        .header("Authorization", format!("Basic {KEY}"))
        .header("AppIdentifier", APP)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let e = izly_pay::parse_refund(status, &[], &r.bytes().await.unwrap()).unwrap_err();
    assert!(matches!(e, IzlyPayError::BadRequest(Some(_))), "{e:?}");
    s.shutdown().await;
}

/// Pays `order` as `who` and returns the page's answer and the payment's details.
async fn pay_as(s: &Sandbox, who: (&str, &str), p: &InitPayment) -> (reqwest::Response, InitResponse) {
    let started = init(s, p).await;
    let r = submit(&started.payment_authorization_url, who.0, PASSWORD, "valider").await;
    (r, started)
}

#[tokio::test]
async fn insufficient_balance_fails_notifies_and_debits_nothing() {
    let (s, rx) = setup().await;
    let (r, started) = pay_as(&s, INES, &order("3.30", "I1")).await;
    assert_eq!(r.status(), 303);
    let url = started.payment_authorization_url;
    assert_eq!(location(&r), url, "a refusal stays on Izly's page");
    let (_, html) = page_text(&url).await;
    assert!(html.contains("Paiement avec Izly refusé") && html.contains("solde insuffisant"), "{html}");
    assert_eq!(balance(&s, INES.1).await, 100);
    let d = details(&s, &started.operation.id).await;
    assert_eq!(d.status(), PaymentStatus::Other("Failed".into()));
    assert!(d.error_text().unwrap().starts_with("201"), "{:?}", d.error_text());
    let n = rx.notifications();
    assert_eq!(n.len(), 1);
    assert!(!n[0].reports_success());
    assert_eq!(n[0].error.as_ref().unwrap().code, 201);
    assert_eq!(n[0].operation.status.as_deref(), Some("Failed"));
    assert!(matches!(n[0].verify(&d, "I1", eur("3.30")), Err(CallbackVerification::ReportedError(_))));
    // An amount within the balance goes through.
    let (r, _) = pay_as(&s, INES, &order("1.00", "I2")).await;
    assert_eq!(location(&r), AFTER);
    assert_eq!(balance(&s, INES.1).await, 0);
    s.shutdown().await;
}

#[tokio::test]
async fn a_blocked_account_fails_notifies_and_debits_nothing() {
    let (s, rx) = setup().await;
    let (r, started) = pay_as(&s, LEO, &order("3.30", "L1")).await;
    assert_eq!(r.status(), 303);
    let (_, html) = page_text(&started.payment_authorization_url).await;
    assert!(html.contains("compte Izly bloqué"), "{html}");
    assert_eq!(balance(&s, LEO.1).await, 5000);
    let d = details(&s, &started.operation.id).await;
    assert_eq!(d.status(), PaymentStatus::Other("Failed".into()));
    assert!(d.error_text().unwrap().starts_with("202"));
    let n = rx.notifications();
    assert_eq!((n.len(), n[0].error.as_ref().unwrap().code), (1, 202));
    s.shutdown().await;
}

#[tokio::test]
async fn an_expired_page_takes_no_payment() {
    let (s, rx) = setup_with(200, Config { token_ttl: Duration::ZERO, ..Config::default() }).await;
    let started = init(&s, &order("1.00", "E1")).await;
    assert_eq!(started.operation.status.as_deref(), Some("Waiting"));
    let url = started.payment_authorization_url;
    let (status, html) = page_text(&url).await;
    assert_eq!(status, 410);
    assert!(html.contains("Page de paiement expirée") && !html.contains("<form"), "{html}");
    let base = s.base_url();
    let path = url.strip_prefix(&base).unwrap();
    let r = post_form(&format!("{base}{path}"), &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "valider")])
        .await;
    assert_eq!(r.status(), 410);
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    let d = details(&s, &started.operation.id).await;
    assert_eq!(d.status(), PaymentStatus::Other("Expired".into()));
    assert!(d.error_text().unwrap().starts_with("204"));
    assert!(rx.received().is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn a_callback_answered_500_is_stored_and_the_payment_stands() {
    let (s, rx) = setup_with(500, Config::default()).await;
    let (r, started) = pay_as(&s, CAMILLE, &order("2.00", "F1")).await;
    assert_eq!(location(&r), AFTER, "the browser goes on");
    let id = started.operation.id;
    assert_eq!(balance(&s, CAMILLE.1).await, 1325);
    assert_eq!(details(&s, &id).await.status(), PaymentStatus::Completed);
    let listed = &web_payments(&s).await[0];
    assert_eq!(listed["CallbackStatus"], 500);
    let answer: Value = serde_json::from_str(listed["CallbackAnswer"].as_str().unwrap()).unwrap();
    assert_eq!(answer, json!({"Code": 17, "ErrorMessage": "Commande inconnue"}));
    // Sent again once the partner is fixed.
    rx.answer(200);
    let (status, v) = post_json(&s, &format!("/sandbox/izly/web-payments/{id}/callback"), json!({})).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!((v["status"].as_u64(), v["accepted"].as_bool()), (Some(200), Some(true)));
    assert_eq!(web_payments(&s).await[0]["CallbackStatus"], 200);
    assert_eq!(rx.notifications().len(), 2);
    assert_eq!(rx.notifications()[1].operation.id, id);
    assert_eq!(balance(&s, CAMILLE.1).await, 1325, "a resent callback moves no money");
    // Nothing to resend for a waiting payment or an unknown one.
    let waiting = init(&s, &order("1.00", "F2")).await;
    let (status, _) =
        post_json(&s, &format!("/sandbox/izly/web-payments/{}/callback", waiting.operation.id), json!({})).await;
    assert_eq!(status, 409);
    let (status, _) = post_json(&s, "/sandbox/izly/web-payments/999999/callback", json!({})).await;
    assert_eq!(status, 404);
    s.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_callback_does_not_stop_the_payment() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/izlypay/callback", l.local_addr().unwrap())
    };
    let s = start(Config { fixtures: Some(fixtures_with(&closed)), ..Config::default() }).await.unwrap();
    let (r, started) = pay_as(&s, CAMILLE, &order("1.00", "U1")).await;
    assert_eq!(location(&r), AFTER);
    assert_eq!(details(&s, &started.operation.id).await.status(), PaymentStatus::Completed);
    let listed = &web_payments(&s).await[0];
    assert_eq!(listed["CallbackStatus"], Value::Null);
    assert_eq!(listed["CallbackError"], "connexion refusée");
    s.shutdown().await;
}

#[tokio::test]
async fn a_silent_callback_is_given_up_after_its_timeout() {
    let (s, rx) = setup_with(0, Config::default()).await;
    let started = init(&s, &order("1.00", "S1")).await;
    let page = client().get(&started.payment_authorization_url).send().await.unwrap().text().await.unwrap();
    let (action, _) = form_of(&page);
    // The partner never answers (it would hold the request 60 s): the page still answers.
    let patient = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(crous_till_sandbox::izly_pay::CALLBACK_TIMEOUT * 4)
        .build()
        .unwrap();
    let r = patient
        .post(format!("{}{action}", s.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("login={}&password={PASSWORD}&action=valider", CAMILLE.0))
        .send()
        .await
        .expect("the page answers before the partner does");
    assert_eq!(location(&r), AFTER);
    assert_eq!(rx.received().len(), 1);
    let listed = &web_payments(&s).await[0];
    assert_eq!((listed["Status"].as_str(), listed["CallbackStatus"].as_u64()), (Some("Completed"), None));
    assert!(listed["CallbackError"].as_str().unwrap().contains("pas de réponse"), "{listed}");
    s.shutdown().await;
}

/// Sends an init with a raw body and headers; returns the status and core's reading of it.
async fn raw_init(
    s: &Sandbox,
    key: Option<&str>,
    app: Option<&str>,
    content_type: Option<&str>,
    body: &str,
) -> (u16, Result<InitResponse, IzlyPayError>) {
    let mut req = client().post(format!("{}/api/Izly/WebPayments", s.base_url())).body(body.to_owned());
    if let Some(k) = key {
        req = req.header("Authorization", format!("Basic {k}"));
    }
    if let Some(a) = app {
        req = req.header("AppIdentifier", a);
    }
    if let Some(c) = content_type {
        req = req.header("Content-Type", c);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap();
    (status, izly_pay::parse_init(status, &[], &body))
}

#[tokio::test]
async fn init_errors_are_xpollens_errors_and_store_nothing() {
    let (s, _rx) = setup().await;
    let xp = Some("application/vnd.Xpollens.v1+json");
    let bad_bodies = [
        r#"{"Amount": 0, "ClientOrderId": "X"}"#,
        r#"{"Amount": -100, "ClientOrderId": "X"}"#,
        r#"{"Amount": 1.5, "ClientOrderId": "X"}"#,
        // A string is read when it holds digits only (specs 003's example sends "100").
        r#"{"Amount": "1.00", "ClientOrderId": "X"}"#,
        r#"{"Amount": "100001", "ClientOrderId": "X"}"#,
        r#"{"Amount": 100001, "ClientOrderId": "X"}"#,
        r#"{"Amount": 99999999999999999999, "ClientOrderId": "X"}"#,
        r#"{"ClientOrderId": "X"}"#,
        r#"{"Amount": 100}"#,
        r#"{"Amount": 100, "ClientOrderId": "  "}"#,
        r#"{"Amount": 100, "ClientOrderId": "X", "RedirectUrlAfterPayment": "javascript:alert(1)"}"#,
        r#"{"Amount": 100, "ClientOrderId": "X", "Software": -1}"#,
        r#"{"Amount": 100, "ClientOrderId": "X""#,
        "not json",
        "",
    ];
    for body in bad_bodies {
        let (status, parsed) = raw_init(&s, Some(KEY), Some(APP), xp, body).await;
        assert_eq!(status, 400, "{body}");
        let e = parsed.unwrap_err();
        assert!(
            matches!(e, IzlyPayError::BadRequest(Some(ref x)) if x.code == 2 && x.title.is_some()),
            "{body}: {e:?}"
        );
    }
    let long = format!(r#"{{"Amount": 100, "ClientOrderId": "{}"}}"#, "x".repeat(101));
    assert_eq!(raw_init(&s, Some(KEY), Some(APP), xp, &long).await.0, 400);
    let long = format!(r#"{{"Amount": 100, "ClientOrderId": "X", "Message": "{}"}}"#, "m".repeat(501));
    assert_eq!(raw_init(&s, Some(KEY), Some(APP), xp, &long).await.0, 400);
    let ok = r#"{"Amount": 100, "ClientOrderId": "X"}"#;
    for ct in [Some("text/plain"), None] {
        assert!(matches!(
            raw_init(&s, Some(KEY), Some(APP), ct, ok).await,
            (400, Err(IzlyPayError::BadRequest(Some(_))))
        ));
    }
    assert!(matches!(
        raw_init(&s, Some("nope"), Some(APP), xp, ok).await,
        (401, Err(IzlyPayError::Unauthorized(Some(_))))
    ));
    assert!(matches!(raw_init(&s, None, Some(APP), xp, ok).await, (401, Err(IzlyPayError::Unauthorized(Some(_))))));
    assert!(matches!(raw_init(&s, Some(KEY), None, xp, ok).await, (403, Err(IzlyPayError::Forbidden(Some(_))))));
    assert!(matches!(
        raw_init(&s, Some(KEY), Some(OTHER_APP), xp, ok).await,
        (403, Err(IzlyPayError::Forbidden(Some(_))))
    ));
    assert!(web_payments(&s).await.is_empty(), "nothing stored by a refused init");
    // Core's builder refuses what is not whole positive cents before sending anything.
    let mut p = order("1.005", "X");
    assert_eq!(pay_api(&s, APP, KEY).init_payment(&p).unwrap_err(), InitPaymentError::InvalidAmount(p.amount));
    p.amount = eur("0");
    assert!(pay_api(&s, APP, KEY).init_payment(&p).is_err());
    // The public clients' content type and a minimal body are accepted.
    let (status, parsed) = raw_init(&s, Some(KEY), Some(APP), Some("application/vnd.s-money.v1+json"), ok).await;
    assert_eq!(status, 200);
    let started = parsed.unwrap();
    assert_eq!(started.operation.amount, eur("1.00"));
    assert_eq!(started.operation.callback_parameters, None);
    assert!(!started.payment_authorization_url.contains("software"));
    assert_eq!(web_payments(&s).await.len(), 1);
    s.shutdown().await;
}

#[tokio::test]
async fn unknown_operations_are_356() {
    let (s, _rx) = setup().await;
    let ex = executor();
    let api = pay_api(&s, APP, KEY);
    for id in ["999999", "abc", "0", "-1"] {
        let e = api_err(ex.call(&api.payment_details(id), izly_pay::parse_payment_details).await);
        assert!(
            matches!(e, IzlyPayError::OperationNotFound(ref x) if x.error_message == "Opération introuvable"),
            "{id}: {e:?}"
        );
        let e = api_err(ex.call(&api.refund(id, "X"), izly_pay::parse_refund).await);
        assert!(matches!(e, IzlyPayError::OperationNotFound(_)), "{id}: {e:?}");
    }
    let r = client()
        .get(format!("{}/api/Izly/WebPayments/999999", s.base_url()))
        .header("Authorization", format!("Basic {KEY}"))
        .header("AppIdentifier", APP)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Unknown page, wrong or missing token: a 404 page.
    let started = init(&s, &order("1.00", "P1")).await;
    let id = &started.operation.id;
    for path in [format!("{id}/Authorize?token=0000"), format!("{id}/Authorize"), "999999/Authorize?token=x".into()] {
        let (status, html) = page_text(&format!("{}/api/Izly/WebPayments/{path}", s.base_url())).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Paiement introuvable"));
    }
    s.shutdown().await;
}

#[tokio::test]
async fn bad_form_posts_change_nothing() {
    let (s, rx) = setup().await;
    let started = init(&s, &order("1.00", "B1")).await;
    let url = &started.payment_authorization_url;
    let r = client().post(url).header("Content-Type", "application/json").body("{\"login\":1}").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Formulaire invalide"));
    let r =
        post_form(url, &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "valider"), ("action", "annuler")])
            .await;
    assert_eq!(r.status(), 400);
    let r = post_form(url, &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "payer-deux-fois")]).await;
    assert_eq!(r.status(), 400);
    let r = client()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("login=%zz&password=sandbox")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(details(&s, &started.operation.id).await.status(), PaymentStatus::Waiting);
    assert_eq!(balance(&s, CAMILLE.1).await, 1525);
    assert!(rx.received().is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn the_demo_partner_receives_its_callback_on_the_sandbox() {
    // The demo fixtures' callback_url is "/sandbox/izly/callback": the sandbox itself, which reads
    // the callback with core's parser and answers as core does.
    let s = sandbox().await;
    let (r, started) = pay_as(&s, CAMILLE, &order("1.00", "D1")).await;
    assert_eq!(location(&r), AFTER);
    let listed = &web_payments(&s).await[0];
    assert_eq!(listed["CallbackUrl"], format!("{}/sandbox/izly/callback?order=D1", s.base_url()));
    assert_eq!(listed["CallbackStatus"], 200);
    assert_eq!(listed["CallbackAnswer"], r#"{"Code":0,"ErrorMessage":""}"#);
    assert_eq!(details(&s, &started.operation.id).await.status(), PaymentStatus::Completed);
    // What is not a callback is refused there.
    let (status, v) = post_json(&s, "/sandbox/izly/callback", json!({"nope": 1})).await;
    assert_eq!(status, 400);
    assert_ne!(v["Code"], 0);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_valider_pays_once() {
    let (s, rx) = setup().await;
    let started = init(&s, &order("3.30", "K1")).await;
    let page = client().get(&started.payment_authorization_url).send().await.unwrap().text().await.unwrap();
    let (action, _) = form_of(&page);
    let url = format!("{}{action}", s.base_url());
    let posts = (0..8).map(|_| {
        let url = url.clone();
        async move { post_form(&url, &[("login", CAMILLE.0), ("password", PASSWORD), ("action", "valider")]).await }
    });
    let answers = futures_util::future::join_all(posts).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![303, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(balance(&s, CAMILLE.1).await, 1195);
    assert_eq!(rx.received().len(), 1);
    s.shutdown().await;
}

//! esipay v2 flows over real HTTP on loopback, sent with core's builders and read with core's
//! parsers: payments whose return URL answers 200, 500, nothing or too late; every 400; the 403
//! for a caller on 127.0.0.2; full and partial refunds never exceeding what was paid.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::*;
use crous_till_core::api::esipay::{self, EsipayApi, EsipayError, EsipayOk, PaymentType, ReturnNotification};
use crous_till_core::api::execution::ExecutorError;
use crous_till_core::api::executor::{CallError, NativeExecutor};
use crous_till_core::api::{ApiRequest, CardNumber, Method, RetryPolicy, Safety};
use crous_till_sandbox::fixtures::EsipayEnterprise;
use crous_till_sandbox::{start, Config, Fixtures, Sandbox};
use rust_decimal::Decimal;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const UUID: &str = "0b7f6a9e-3c1d-4e2f-9a8b-7c6d5e4f3a2b";
const OTHER_UUID: &str = "5d2c1b0a-9f8e-4d7c-b6a5-443322110099";
const CARD: &str = "4970100000000014"; // 1000.00 €
const EMPTY_CARD: &str = "4970100000000022"; // 0.00 €
const UNKNOWN_CARD: &str = "4970100000000030"; // Luhn-valid, not in the fixtures
const START: i64 = 100_000;

/// One POST the return URL received: headers and body.
type Post = (Vec<(String, String)>, Vec<u8>);

/// The enterprise's return URL: records every POST and answers `status` (0: never answers).
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Post>>>,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU64>,
}

impl Receiver {
    fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Answers only after `d`.
    fn slow(&self, d: Duration) {
        self.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    fn received(&self) -> Vec<Post> {
        self.got.lock().unwrap().clone()
    }

    /// Every POST, read by core's return-URL parser.
    fn notifications(&self) -> Vec<ReturnNotification> {
        self.received().iter().map(|(h, b)| esipay::parse_return(h, b).expect("core reads the return POST")).collect()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned())).collect();
    r.got.lock().unwrap().push((h, body.to_vec()));
    tokio::time::sleep(Duration::from_millis(r.delay_ms.load(Ordering::SeqCst))).await;
    match r.status.load(Ordering::SeqCst) {
        0 => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::OK
        }
        s => StatusCode::from_u16(s).unwrap(),
    }
}

/// A return URL on 127.0.0.1 answering 200.
async fn receiver() -> (String, Receiver) {
    let r = Receiver::default();
    r.answer(200);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/esipay/return", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/esipay/return", post(receive)).with_state(r.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

/// A loopback URL where nothing listens (the port was bound, then freed).
fn closed_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}/esipay/return", l.local_addr().unwrap())
}

/// The demo fixtures with the demo enterprise's return URL set to `return_url`, plus a second
/// enterprise (to refund across enterprises).
async fn sandbox_returning_to(return_url: &str) -> Sandbox {
    let mut f = Fixtures::demo();
    f.esipay.enterprises[0].return_url = return_url.to_owned();
    f.esipay.enterprises.push(EsipayEnterprise {
        uuid: OTHER_UUID.into(),
        name: "Autre entreprise".into(),
        allowed_ips: vec!["127.0.0.1".into()],
        return_url: return_url.to_owned(),
    });
    start(Config { fixtures: Some(f), ..Config::default() }).await.unwrap()
}

fn api(s: &Sandbox, uuid: &str) -> EsipayApi {
    EsipayApi::new(&env(s), uuid).unwrap()
}

fn eur(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn card(n: &str) -> CardNumber {
    CardNumber::parse(n).unwrap()
}

fn pay_req(s: &Sandbox, cid: &str, number: &str, amount: &str) -> ApiRequest {
    api(s, UUID).pay(cid, &card(number), 12, 2030, eur(amount)).unwrap()
}

/// A POST to a path core would not build (malformed parameters), read with core's parser.
fn raw(s: &Sandbox, path: &str) -> ApiRequest {
    let mut r = ApiRequest::new("esipay.raw", Method::Post, format!("{}{path}", s.base_url()))
        .with_safety(Safety::unsafe_op("raw"));
    r.body = Some(Vec::new());
    r
}

async fn send(req: &ApiRequest) -> Result<EsipayOk, EsipayError> {
    match executor().call(req, esipay::parse_status).await {
        Ok(c) => Ok(c.value),
        Err(CallError::Api { error, .. }) => Err(error),
        Err(e) => panic!("transport error: {e}"),
    }
}

/// The 400 body's code (`<code>: <message>`).
fn code_400(r: Result<EsipayOk, EsipayError>) -> String {
    match r {
        Err(EsipayError::InvalidParameters { body }) => body.split(':').next().unwrap().to_owned(),
        other => panic!("expected a 400, got {other:?}"),
    }
}

async fn card_balance(s: &Sandbox, number: &str) -> i64 {
    let cards = get_json(s, "/sandbox/esipay/cards").await;
    cards.as_array().unwrap().iter().find(|c| c["number"] == number).unwrap()["balance_cents"].as_i64().unwrap()
}

async fn transactions(s: &Sandbox) -> Vec<Value> {
    get_json(s, "/sandbox/esipay/transactions").await.as_array().unwrap().clone()
}

/// Pays `amount` from [`CARD`] and returns the transaction id the return URL received.
async fn paid(s: &Sandbox, r: &Receiver, cid: &str, amount: &str) -> String {
    send(&pay_req(s, cid, CARD, amount)).await.expect("payment accepted");
    let n = r.notifications().into_iter().rfind(|n| n.cid == cid).expect("the return URL was called");
    assert_eq!(n.amount, eur(amount));
    n.transaction
}

#[tokio::test]
async fn a_payment_stands_when_the_return_url_answers_200() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    let ok = send(&pay_req(&s, "order 7", CARD, "12.50")).await.unwrap();
    assert_eq!(ok.body, "OK");

    // The return URL got one form POST that core's parser reads: type, amount, transaction, cid.
    let got = r.received();
    assert_eq!(got.len(), 1);
    let ct = got[0].0.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str());
    assert_eq!(ct, Some("application/x-www-form-urlencoded"));
    let n = &r.notifications()[0];
    assert_eq!(n.payment_type, PaymentType::Card);
    assert_eq!(n.amount, eur("12.50"));
    assert_eq!(n.amount.to_string(), "12.50");
    assert_eq!(n.cid, "order 7");
    assert!(!n.transaction.is_empty());

    assert_eq!(card_balance(&s, CARD).await, START - 1250);
    let t = transactions(&s).await;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["transaction"], n.transaction.as_str());
    assert_eq!((t[0]["status"].as_str(), t[0]["return_status"].as_i64()), (Some("accepted"), Some(200)));
    assert_eq!(t[0]["amount_cents"], 1250);
    assert_eq!(t[0]["card"], "************0014");
    assert_eq!(t[0]["uuid"], UUID);

    // A second payment is a second transaction, with its own id.
    let second = paid(&s, &r, "order 8", "0.01").await;
    assert_ne!(second, n.transaction);
    assert_eq!(card_balance(&s, CARD).await, START - 1251);
    s.shutdown().await;
}

#[tokio::test]
async fn a_return_url_answering_500_cancels_the_payment() {
    let (url, r) = receiver().await;
    r.answer(500);
    let s = sandbox_returning_to(&url).await;
    let e = send(&pay_req(&s, "order 9", CARD, "20.00")).await.unwrap_err();
    assert!(
        matches!(&e, EsipayError::ServiceError { body } if body.starts_with("return_url_failed:") && body.contains("500")),
        "{e:?}"
    );
    // The return URL was called (and said no): the transaction is cancelled, the card re-credited.
    let n = r.notifications();
    assert_eq!(n.len(), 1);
    assert_eq!(card_balance(&s, CARD).await, START);
    let t = transactions(&s).await;
    assert_eq!((t[0]["status"].as_str(), t[0]["return_status"].as_i64()), (Some("cancelled"), Some(500)));
    // A cancelled transaction cannot be refunded.
    let refund = api(&s, UUID).refund(&n[0].transaction).unwrap();
    assert_eq!(code_400(send(&refund).await), "transaction_cancelled");
    let partial = api(&s, UUID).partial_refund(&n[0].transaction, eur("1.00")).unwrap();
    assert_eq!(code_400(send(&partial).await), "transaction_cancelled");
    // Any status but 200 cancels too (204 included).
    r.answer(204);
    assert!(matches!(send(&pay_req(&s, "order 10", CARD, "1.00")).await, Err(EsipayError::ServiceError { .. })));
    assert_eq!(card_balance(&s, CARD).await, START);
    s.shutdown().await;
}

#[tokio::test]
async fn a_return_url_not_listening_cancels_the_payment() {
    let s = sandbox_returning_to(&closed_url()).await;
    let e = send(&pay_req(&s, "order 11", CARD, "5.00")).await.unwrap_err();
    assert!(matches!(&e, EsipayError::ServiceError { body } if body.starts_with("return_url_failed:")), "{e:?}");
    assert_eq!(card_balance(&s, CARD).await, START);
    let t = transactions(&s).await;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["status"], "cancelled");
    assert!(t[0]["return_status"].is_null());
    s.shutdown().await;
}

#[tokio::test]
async fn a_return_url_too_slow_cancels_the_payment() {
    let (url, r) = receiver().await;
    r.answer(0);
    let s = sandbox_returning_to(&url).await;
    let began = Instant::now();
    let pay = tokio::spawn({
        let req = pay_req(&s, "order 12", CARD, "7.30");
        async move { send(&req).await }
    });
    // While the return URL keeps it waiting, the card is debited and the transaction pending.
    while r.received().is_empty() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(card_balance(&s, CARD).await, START - 730);
    let t = transactions(&s).await;
    assert_eq!(t[0]["status"], "pending");
    let pending = r.notifications()[0].transaction.clone();
    let refund = api(&s, UUID).refund(&pending).unwrap();
    assert_eq!(code_400(send(&refund).await), "transaction_pending");

    let e = pay.await.unwrap().unwrap_err();
    assert!(matches!(&e, EsipayError::ServiceError { body } if body.starts_with("return_url_failed:")), "{e:?}");
    assert!(began.elapsed() >= crous_till_sandbox::esipay::RETURN_URL_TIMEOUT);
    assert_eq!(card_balance(&s, CARD).await, START);
    assert_eq!(transactions(&s).await[0]["status"], "cancelled");
    s.shutdown().await;
}

#[tokio::test]
async fn a_caller_that_hangs_up_still_leaves_a_settled_transaction() {
    let (url, r) = receiver().await;
    r.slow(Duration::from_millis(1500));
    let s = sandbox_returning_to(&url).await;
    // The till gives up after 0.3 s: core reports "outcome unknown" and does not resend.
    let impatient = NativeExecutor::new(RetryPolicy { timeout: Duration::from_millis(300), ..policy() }).unwrap();
    let e = impatient.call(&pay_req(&s, "order 50", CARD, "2.50"), esipay::parse_status).await.unwrap_err();
    assert!(matches!(e, CallError::Executor(ExecutorError::OutcomeUnknown { .. })), "{e:?}");
    // The sandbox still finishes: the return URL answers 200, the transaction stands, once.
    let deadline = Instant::now() + Duration::from_secs(10);
    while transactions(&s).await[0]["status"] == "pending" {
        assert!(Instant::now() < deadline, "still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(transactions(&s).await[0]["status"], "accepted");
    assert_eq!(card_balance(&s, CARD).await, START - 250);
    let n = r.notifications();
    assert_eq!((n.len(), n[0].cid.as_str()), (1, "order 50"));
    s.shutdown().await;
}

#[tokio::test]
async fn bad_parameters_are_400_and_change_nothing() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    let a = api(&s, UUID);
    // Built by core, refused by the sandbox.
    let luhn = a.pay("c1", &card("4970100000000015"), 12, 2030, eur("1.00")).unwrap();
    assert_eq!(code_400(send(&luhn).await), "invalid_card_number");
    assert_eq!(code_400(send(&pay_req(&s, "c2", UNKNOWN_CARD, "1.00")).await), "unknown_card");
    let expired = a.pay("c3", &card(CARD), 1, 2020, eur("1.00")).unwrap();
    assert_eq!(code_400(send(&expired).await), "card_expired");
    let unknown_uuid = api(&s, "no-such-enterprise").pay("c4", &card(CARD), 12, 2030, eur("1.00")).unwrap();
    assert_eq!(code_400(send(&unknown_uuid).await), "unknown_enterprise");
    // Insufficient balance: 400 as well (the spec has no "declined" status).
    assert_eq!(code_400(send(&pay_req(&s, "c5", EMPTY_CARD, "0.01")).await), "insufficient_funds");
    assert_eq!(code_400(send(&pay_req(&s, "c6", CARD, "1000.01")).await), "insufficient_funds");
    // Paths core would never build.
    let p = |rest: &str| format!("/cardpay/{UUID}/{rest}");
    for (path, code) in [
        (p("c/4970100000000014/13/2030/1.00"), "invalid_card_month"),
        (p("c/4970100000000014/0/2030/1.00"), "invalid_card_month"),
        (p("c/4970100000000014/12/30/1.00"), "invalid_card_year"),
        (p("c/4970100000000014/12/2030/1,50"), "invalid_amount"),
        (p("c/4970100000000014/12/2030/0.00"), "invalid_amount"),
        (p("c/4970100000000014/12/2030/-1.00"), "invalid_amount"),
        (p("c/4970100000000014/12/2030/1.001"), "invalid_amount"),
        (p("c/4970100000000014/12/2030/abc"), "invalid_amount"),
        (p("c/4970%20100/12/2030/1.00"), "invalid_card_number"),
        (p("%20/4970100000000014/12/2030/1.00"), "invalid_parameter"),
        (p("c/4970100000000014/12/2030/%FF"), "invalid_path"),
    ] {
        assert_eq!(code_400(send(&raw(&s, &path)).await), code, "{path}");
    }
    // Refunds: unknown transaction, bad amounts.
    assert_eq!(code_400(send(&a.refund("nope").unwrap()).await), "unknown_transaction");
    assert_eq!(code_400(send(&a.partial_refund("nope", eur("1.00")).unwrap()).await), "unknown_transaction");
    assert_eq!(code_400(send(&raw(&s, &p("nope/1,00"))).await), "invalid_amount");
    assert_eq!(code_400(send(&raw(&s, &p("nope/0"))).await), "invalid_amount");
    // Nothing moved, nothing was stored, the return URL was never called.
    assert_eq!(card_balance(&s, CARD).await, START);
    assert_eq!(card_balance(&s, EMPTY_CARD).await, 0);
    assert!(transactions(&s).await.is_empty());
    assert!(r.received().is_empty());
    s.shutdown().await;
}

/// A client whose sockets leave from 127.0.0.2 (a loopback address, but not the registered one).
fn client_from(ip: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder().local_address(IpAddr::V4(ip)).no_proxy().build().unwrap()
}

/// Sends a core-built request with `client` and reads the answer with core's parser.
async fn send_with(client: &reqwest::Client, req: &ApiRequest) -> Result<EsipayOk, EsipayError> {
    assert_eq!(req.method, Method::Post);
    let r = client.post(req.url()).body(req.body.clone().unwrap_or_default()).send().await.unwrap();
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap();
    esipay::parse_status(status, &[], &body)
}

#[tokio::test]
async fn a_caller_from_another_address_is_403() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    let transaction = paid(&s, &r, "order 13", "4.00").await;
    let a = api(&s, UUID);
    let stranger = client_from(Ipv4Addr::new(127, 0, 0, 2));
    // Payment, refund and partial refund, each otherwise valid: 403.
    for req in [
        pay_req(&s, "order 14", CARD, "1.00"),
        a.refund(&transaction).unwrap(),
        a.partial_refund(&transaction, eur("1.00")).unwrap(),
    ] {
        assert_eq!(send_with(&stranger, &req).await, Err(EsipayError::CallerIpRefused), "{}", req.endpoint);
    }
    // The IP check comes before the parameters: even a bad amount gets 403 from there.
    assert_eq!(
        send_with(&stranger, &raw(&s, &format!("/cardpay/{UUID}/x/1,00"))).await,
        Err(EsipayError::CallerIpRefused)
    );
    assert_eq!(card_balance(&s, CARD).await, START - 400);
    assert_eq!(r.received().len(), 1);
    // The same refund from the registered address (127.0.0.1) goes through.
    let local = client_from(Ipv4Addr::LOCALHOST);
    assert!(send_with(&local, &a.partial_refund(&transaction, eur("1.00")).unwrap()).await.is_ok());
    assert_eq!(card_balance(&s, CARD).await, START - 300);
    s.shutdown().await;
}

#[tokio::test]
async fn refunds_never_exceed_what_remains() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    let a = api(&s, UUID);
    let t = paid(&s, &r, "order 20", "10.00").await;
    assert_eq!(card_balance(&s, CARD).await, START - 1000);
    // Partial refunds up to the remainder, then one beyond it refused.
    send(&a.partial_refund(&t, eur("3.00")).unwrap()).await.unwrap();
    send(&a.partial_refund(&t, eur("5.00")).unwrap()).await.unwrap();
    assert_eq!(code_400(send(&a.partial_refund(&t, eur("2.01")).unwrap()).await), "amount_exceeds_remaining");
    assert_eq!(card_balance(&s, CARD).await, START - 200);
    send(&a.partial_refund(&t, eur("2.00")).unwrap()).await.unwrap();
    assert_eq!(card_balance(&s, CARD).await, START);
    let row = transactions(&s).await.into_iter().find(|x| x["transaction"] == t.as_str()).unwrap();
    assert_eq!(
        (row["status"].as_str(), row["refunded_cents"].as_i64(), row["remaining_cents"].as_i64()),
        (Some("refunded"), Some(1000), Some(0))
    );
    // Nothing left: a full or partial refund is refused.
    assert_eq!(code_400(send(&a.refund(&t).unwrap()).await), "nothing_left_to_refund");
    assert_eq!(code_400(send(&a.partial_refund(&t, eur("0.01")).unwrap()).await), "nothing_left_to_refund");

    // A full refund refunds what remains, once.
    let t2 = paid(&s, &r, "order 21", "6.40").await;
    send(&a.partial_refund(&t2, eur("1.40")).unwrap()).await.unwrap();
    send(&a.refund(&t2).unwrap()).await.unwrap();
    assert_eq!(card_balance(&s, CARD).await, START);
    assert_eq!(code_400(send(&a.refund(&t2).unwrap()).await), "nothing_left_to_refund");
    // Another enterprise cannot refund it; the refund POSTs nothing to the return URL.
    let t3 = paid(&s, &r, "order 22", "2.00").await;
    assert_eq!(code_400(send(&api(&s, OTHER_UUID).refund(&t3).unwrap()).await), "unknown_transaction");
    assert_eq!(r.received().len(), 3);
    assert_eq!(card_balance(&s, CARD).await, START - 200);
    s.shutdown().await;
}

#[tokio::test]
async fn concurrent_refunds_never_refund_twice() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    let t = paid(&s, &r, "order 30", "1.00").await;
    let a = Arc::new(api(&s, UUID));
    // Ten partial refunds of 0.30 € at once on 1.00 €: exactly three go through.
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let req = a.partial_refund(&t, eur("0.30")).unwrap();
            tokio::spawn(async move { send(&req).await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert!(matches!(e, EsipayError::InvalidParameters { .. }), "{e:?}"),
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(card_balance(&s, CARD).await, START - 10);
    // Two full refunds at once: one goes through.
    let t2 = paid(&s, &r, "order 31", "3.00").await;
    let (r1, r2) = (a.refund(&t2).unwrap(), a.refund(&t2).unwrap());
    let (x, y) = tokio::join!(send(&r1), send(&r2));
    assert_eq!(u8::from(x.is_ok()) + u8::from(y.is_ok()), 1, "{x:?} {y:?}");
    assert_eq!(card_balance(&s, CARD).await, START - 10);
    s.shutdown().await;
}

#[tokio::test]
async fn a_reset_restores_cards_and_forgets_transactions() {
    let (url, r) = receiver().await;
    let s = sandbox_returning_to(&url).await;
    paid(&s, &r, "order 40", "9.99").await;
    assert_eq!(card_balance(&s, CARD).await, START - 999);
    let (status, _) = post_json(&s, "/sandbox/reset", serde_json::json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(card_balance(&s, CARD).await, START);
    assert!(transactions(&s).await.is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn demo_payments_return_to_the_sandbox_itself() {
    // The demo fixtures' return URL is `/sandbox/esipay/return`: the sandbox reads its own POST
    // with its own form reader and answers 200, so the payment stands.
    let s = sandbox().await;
    assert_eq!(fixtures(&s).await.esipay.enterprises[0].return_url, "/sandbox/esipay/return");
    send(&pay_req(&s, "demo 1", CARD, "3.30")).await.unwrap();
    assert_eq!(card_balance(&s, CARD).await, START - 330);
    let t = transactions(&s).await;
    assert_eq!((t[0]["status"].as_str(), t[0]["return_status"].as_i64()), (Some("accepted"), Some(200)));
    // What it would not read, it refuses (and a payment would then be cancelled).
    let r = client()
        .post(format!("{}/sandbox/esipay/return", s.base_url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("type=card&amount=1%2C50&transaction=t&cid=c")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().starts_with("invalid_return:"));
    s.shutdown().await;
}

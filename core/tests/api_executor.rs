//! The native executor against a local HTTP server on 127.0.0.1 that fails, stalls and answers
//! 429 / 500 on purpose. Shows: no debit made twice, the attempt counts, the final typed errors.
//! Only loopback is ever contacted; every request loop is bounded by the retry policy.

use crous_till_core::api::crous::{parse_tva, CrousApi, CrousError, CrousToken};
use crous_till_core::api::esipay::{parse_status, EsipayApi, EsipayError};
use crous_till_core::api::executor::{CallError, ExecutorError, NativeExecutor};
use crous_till_core::api::izly_connect::IzlyApiKey;
use crous_till_core::api::izly_pay::{parse_refund, IzlyPayApi};
use crous_till_core::api::izly_pos::{parse_debit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosKey};
use crous_till_core::api::{CardNumber, Environment, RetryPolicy};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::Decimal;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// A scriptable HTTP/1.1 server on 127.0.0.1.

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

enum Action {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Read the request, then hold the connection without answering (longer than any client
    /// timeout here), then close it.
    Stall,
    /// Read the request, then close the connection without answering.
    Drop,
}

fn respond(status: u16, body: &[u8]) -> Action {
    Action::Respond { status, headers: vec![], body: body.to_vec() }
}

/// What the server saw and did, shared with the test.
#[derive(Default)]
struct State {
    /// Requests per "METHOD path-without-query".
    hits: HashMap<String, u32>,
    /// Debits actually made, by reference.
    debits: HashMap<String, u32>,
    /// Refunds actually made, by operation.
    refunds: HashMap<String, u32>,
}

type Handler = Arc<dyn Fn(&Request, u32, &mut State) -> Action + Send + Sync>;

struct Server {
    base: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    async fn start(handler: Handler) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (h, st) = (handler.clone(), st.clone());
                tokio::spawn(async move { serve(stream, h, st).await });
            }
        });
        Server { base: format!("http://{addr}"), state }
    }

    fn hits(&self, key: &str) -> u32 {
        self.state.lock().unwrap().hits.get(key).copied().unwrap_or(0)
    }

    fn debits(&self) -> HashMap<String, u32> {
        self.state.lock().unwrap().debits.clone()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))).collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let path = target.split('?').next().unwrap_or("").to_owned();
    Some(Request { method, path, headers, body })
}

async fn serve(mut stream: TcpStream, handler: Handler, state: Arc<Mutex<State>>) {
    let Some(req) = read_request(&mut stream).await else { return };
    let action = {
        let mut st = state.lock().unwrap();
        let key = format!("{} {}", req.method, req.path);
        let n = {
            let c = st.hits.entry(key).or_insert(0);
            *c += 1;
            *c
        };
        handler(&req, n, &mut st)
    };
    match action {
        Action::Respond { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (n, v) in headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Action::Stall => {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        Action::Drop => {}
    }
}

// ---------------------------------------------------------------------------------------------

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
        timeout: Duration::from_millis(400),
    }
}

fn executor() -> NativeExecutor {
    NativeExecutor::new(policy()).unwrap()
}

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const NOT_FOUND_356: &[u8] = br#"{"Code":356,"ErrorMessage":"Op\u00e9ration introuvable","Title":"L'op\u00e9ration ne peut pas aboutir","Priority":2}"#;

fn debit_json(reference: &str) -> Vec<u8> {
    format!(r#"{{"IdTransactionIzly": "63535", "Reference": "{reference}", "Amount": 3.30, "Balance": 11.95}}"#)
        .into_bytes()
}

/// An Izly POS server: debits are recorded by their Idempotency-Key; `on_debit` decides, per
/// debit request number, whether the debit is made and what the client gets back.
fn izly_pos_handler(on_debit: fn(u32) -> (bool, Option<u16>)) -> Handler {
    Arc::new(move |req, n, st| {
        if req.method == "POST" && req.path.starts_with("/api/payments/debit/qrcode/") {
            let reference = req.header("Idempotency-Key").unwrap_or_default().to_owned();
            if !String::from_utf8_lossy(&req.body).contains(&format!(r#""Reference":"{reference}""#)) {
                return respond(400, b"the body must carry the reference");
            }
            let (make, answer) = on_debit(n);
            if make {
                *st.debits.entry(reference.clone()).or_insert(0) += 1;
            }
            return match answer {
                Some(200) => respond(200, &debit_json(&reference)),
                Some(429) => Action::Respond { status: 429, headers: vec![("Retry-After", "0".into())], body: vec![] },
                Some(status) => respond(status, b""),
                None if make => Action::Stall,
                None => Action::Drop,
            };
        }
        if req.method == "GET" {
            if let Some(reference) = req.path.strip_prefix("/api/payments/debit/reference/") {
                return if st.debits.contains_key(reference) {
                    respond(200, &debit_json(reference))
                } else {
                    respond(404, NOT_FOUND_356)
                };
            }
        }
        respond(404, b"")
    })
}

fn debit_request(base: &str) -> (crous_till_core::api::ApiRequest, DebitReference) {
    let api = IzlyPosApi::new(&Environment::Custom(base.into()), IzlyPosKey::new("k"), POS).unwrap();
    let reference = DebitReference::for_ticket(&POS, "140000011", 1);
    let req = api
        .debit(
            &DebitTarget::QrCode("AIZ;u;2025-11-20 10:00:00;3;ab;cd".into()),
            Decimal::new(330, 2),
            "140000011",
            &reference,
        )
        .unwrap();
    (req, reference)
}

#[tokio::test]
async fn a_stalled_debit_is_reconciled_not_resent() {
    // The debit is made, then the answer never comes: the client times out.
    let server = Server::start(izly_pos_handler(|_| (true, None))).await;
    let (req, reference) = debit_request(&server.base);
    let called = executor().call(&req, parse_debit).await.unwrap();
    assert!(called.reconciled);
    assert_eq!(called.attempts, 1);
    assert_eq!(called.value.id_transaction_izly, "63535");
    assert_eq!(called.value.amount.to_string(), "3.30");
    assert_eq!(server.debits().get(reference.as_str()), Some(&1), "made exactly once");
    assert_eq!(server.debits().len(), 1);
    assert_eq!(server.hits(&format!("GET /api/payments/debit/reference/{reference}")), 1);
}

#[tokio::test]
async fn a_debit_lost_before_processing_is_resent_once_after_checking() {
    // First try: connection dropped before the debit is made. Second try: made and answered.
    let server = Server::start(izly_pos_handler(|n| if n == 1 { (false, None) } else { (true, Some(200)) })).await;
    let (req, reference) = debit_request(&server.base);
    let called = executor().call(&req, parse_debit).await.unwrap();
    assert!(!called.reconciled);
    assert_eq!(called.attempts, 2);
    assert_eq!(server.debits().get(reference.as_str()), Some(&1), "made exactly once");
    assert_eq!(server.hits(&format!("GET /api/payments/debit/reference/{reference}")), 1, "checked before resending");
}

#[tokio::test]
async fn a_debit_refused_with_429_is_resent_after_retry_after() {
    let server = Server::start(izly_pos_handler(|n| if n == 1 { (false, Some(429)) } else { (true, Some(200)) })).await;
    let (req, reference) = debit_request(&server.base);
    let called = executor().call(&req, parse_debit).await.unwrap();
    assert_eq!(called.attempts, 2);
    assert_eq!(server.debits().get(reference.as_str()), Some(&1));
}

#[tokio::test]
async fn a_debit_that_keeps_failing_is_never_made_twice() {
    // Every try is made and answered 500: the executor asks, finds it made, and stops there.
    let server = Server::start(izly_pos_handler(|_| (true, Some(500)))).await;
    let (req, reference) = debit_request(&server.base);
    let called = executor().call(&req, parse_debit).await.unwrap();
    assert!(called.reconciled);
    assert_eq!(called.attempts, 1);
    assert_eq!(server.debits().get(reference.as_str()), Some(&1));
}

#[tokio::test]
async fn an_unreachable_lookup_leaves_the_outcome_unknown() {
    // The debit stalls and the look-up answers a bare 404 (no such route): nothing settles it.
    let handler: Handler = Arc::new(|req, _, st| {
        if req.method == "POST" {
            *st.debits.entry("x".into()).or_insert(0) += 1;
            Action::Stall
        } else {
            respond(404, b"")
        }
    });
    let server = Server::start(handler).await;
    let (req, reference) = debit_request(&server.base);
    let err = executor().call(&req, parse_debit).await.unwrap_err();
    match &err {
        CallError::Executor(ExecutorError::OutcomeUnknown { attempts, reference: r, .. }) => {
            assert_eq!(*attempts, 1);
            assert_eq!(r, reference.as_str());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.debits().get("x"), Some(&1), "sent once, never again");
}

#[tokio::test]
async fn a_safe_read_retries_429_and_500_then_succeeds() {
    let handler: Handler = Arc::new(|_, n, _| match n {
        1 => Action::Respond { status: 429, headers: vec![("Retry-After", "1".into())], body: vec![] },
        2 => respond(500, b"oops"),
        _ => respond(200, br#"[{"codeTva": 1, "taux": 10.0}]"#),
    });
    let server = Server::start(handler).await;
    let api = CrousApi::new(&Environment::Custom(server.base.clone()), POS, "crous-till").unwrap();
    let started = Instant::now();
    let called = executor().call(&api.tva(&CrousToken::new("tok")), parse_tva).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After honoured");
    assert_eq!(called.attempts, 3);
    assert_eq!(called.value[0].taux.to_string(), "10.0");
    assert_eq!(server.hits("GET /vem/v1/5/tva"), 3);
}

#[tokio::test]
async fn a_read_that_keeps_failing_ends_in_the_typed_error_with_its_attempts() {
    let server = Server::start(Arc::new(|_, _, _| respond(503, b"down"))).await;
    let api = CrousApi::new(&Environment::Custom(server.base.clone()), POS, "crous-till").unwrap();
    let err = executor().call(&api.tva(&CrousToken::new("tok")), parse_tva).await.unwrap_err();
    assert!(matches!(&err, CallError::Api { error: CrousError::Server { status: 503, .. }, attempts: 3 }), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.hits("GET /vem/v1/5/tva"), 3);
}

#[tokio::test]
async fn a_read_that_always_stalls_times_out_after_every_attempt() {
    let server = Server::start(Arc::new(|_, _, _| Action::Stall)).await;
    let api = CrousApi::new(&Environment::Custom(server.base.clone()), POS, "crous-till").unwrap();
    let err = executor().call(&api.tva(&CrousToken::new("tok")), parse_tva).await.unwrap_err();
    assert_eq!(err, CallError::Executor(ExecutorError::Timeout { endpoint: "crous.tva", attempts: 3 }));
}

#[tokio::test]
async fn a_stalled_card_payment_is_sent_once_and_reported_unknown_without_the_card_number() {
    let server = Server::start(Arc::new(|_, _, _| Action::Stall)).await;
    let api = EsipayApi::new(&Environment::Custom(server.base.clone()), "ent-42").unwrap();
    let card = CardNumber::parse("4970101234567890").unwrap();
    let req = api.pay("order-7", &card, 3, 2027, Decimal::new(1250, 2)).unwrap();
    let err = executor().call(&req, parse_status).await.unwrap_err();
    match &err {
        CallError::Executor(ExecutorError::OutcomeUnknown { attempts: 1, reference, .. }) => {
            assert_eq!(reference, "order-7")
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} {err:?}");
    assert!(!text.contains("4970101234567890"), "{text}");
    let total: u32 = server.state.lock().unwrap().hits.values().sum();
    assert_eq!(total, 1, "never resent");
}

#[tokio::test]
async fn a_card_payment_answered_500_is_the_typed_service_error_at_once() {
    let server = Server::start(Arc::new(|_, _, _| respond(500, b"erreur"))).await;
    let api = EsipayApi::new(&Environment::Custom(server.base.clone()), "ent-42").unwrap();
    let card = CardNumber::parse("4970101234567890").unwrap();
    let err =
        executor().call(&api.pay("order-8", &card, 3, 2027, Decimal::ONE).unwrap(), parse_status).await.unwrap_err();
    assert!(matches!(err, CallError::Api { error: EsipayError::ServiceError { .. }, attempts: 1 }), "{err:?}");
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported_with_its_attempts() {
    // A port nobody listens on (bound, then released).
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let api = EsipayApi::new(&Environment::Custom(format!("http://127.0.0.1:{port}")), "ent-42").unwrap();
    let card = CardNumber::parse("4970101234567890").unwrap();
    // Even a payment may be retried when it provably never left.
    let err =
        executor().call(&api.pay("order-9", &card, 3, 2027, Decimal::ONE).unwrap(), parse_status).await.unwrap_err();
    match &err {
        CallError::Executor(ExecutorError::Connection { attempts: 3, message, .. }) => {
            assert!(!message.contains("4970101234567890"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refund_answered_500_is_checked_and_not_made_twice() {
    let handler: Handler = Arc::new(|req, _, st| {
        if req.method == "POST" && req.path == "/api/Izly/WebPayments/52795/Refund" {
            *st.refunds.entry("52795".into()).or_insert(0) += 1;
            return respond(500, b"");
        }
        if req.method == "GET" && req.path == "/api/Izly/WebPayments/52795" {
            let status = if st.refunds.contains_key("52795") { "Refund" } else { "Completed" };
            let body = format!(
                r#"{{"OperationId": 52795, "IdTransactionDebitIzly": 63535, "Amount": 1.00, "OperationStatus": "{status}", "Error": "", "PaymentDate": "2021-12-09T18:53:34", "OrderId": "100003685"}}"#
            );
            return respond(200, body.as_bytes());
        }
        respond(404, NOT_FOUND_356)
    });
    let server = Server::start(handler).await;
    let api =
        IzlyPayApi::new(&Environment::Custom(server.base.clone()), "Paris-78-78-78-78", IzlyApiKey::new("k")).unwrap();
    let called = executor().call(&api.refund("52795", "100003685"), parse_refund).await.unwrap();
    assert!(called.reconciled);
    assert_eq!(called.value.operation_status, "Refund");
    assert_eq!(called.value.amount.to_string(), "1.00");
    assert_eq!(server.state.lock().unwrap().refunds.get("52795"), Some(&1));
    assert_eq!(server.hits("POST /api/Izly/WebPayments/52795/Refund"), 1);
}

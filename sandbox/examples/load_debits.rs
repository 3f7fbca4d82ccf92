//! A bounded load run against an in-process sandbox on 127.0.0.1, over real HTTP, with core's
//! builders, executor and parsers.
//!
//! `cargo run --release -p crous-till-sandbox --example load_debits -- [REQUESTS] [CONCURRENCY] [izly|esipay|both]`
//! (defaults 4000, 16, both).
//!
//! * izly: Izly POS card debits of 0.01 € on one account; one in ten is sent a second time with
//!   the same reference (often while the first is in flight). At the end the account must have
//!   lost exactly the distinct debits' amount and the sandbox must hold each distinct debit once.
//! * esipay: card payments of 0.01 €, each ending with the sandbox's POST to a return URL served
//!   here on 127.0.0.1 (which answers 200). At the end every payment must have reached the return
//!   URL once (read with core's `parse_return`), the card must have lost exactly the sum, and every
//!   transaction must stand.
//!
//! Prints requests/s, p50, p99 and max latency per phase, and exits 1 on any mismatch. It stops by
//! itself: a fixed number of requests, and a 120 s limit per phase.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use crous_till_core::api::esipay::{self, EsipayApi};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pos::{self, CardDebit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosKey};
use crous_till_core::api::{CardNumber, Environment, RetryPolicy};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_sandbox::{start, Config, Fixtures, Sandbox};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const START_BALANCE: i64 = 100_000_000;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let requests = numbers.first().copied().unwrap_or(4000).clamp(1, 100_000);
    let concurrency = numbers.get(1).copied().unwrap_or(16).clamp(1, 256);
    let phase = args.iter().find(|a| a.parse::<usize>().is_err()).map_or("both", String::as_str);
    if !["izly", "esipay", "both"].contains(&phase) {
        eprintln!("usage: load_debits [REQUESTS] [CONCURRENCY] [izly|esipay|both]");
        std::process::exit(2);
    }
    let (return_url, received) = return_url_receiver().await;
    let mut fixtures = Fixtures::demo();
    fixtures.izly.accounts[0].balance_cents = START_BALANCE;
    fixtures.esipay.cards[0].balance_cents = START_BALANCE;
    fixtures.esipay.enterprises[0].return_url = return_url;
    let sandbox = start(Config { fixtures: Some(fixtures.clone()), ..Config::default() }).await.expect("sandbox");
    let ex = Arc::new(
        NativeExecutor::new(RetryPolicy { timeout: Duration::from_secs(10), ..RetryPolicy::default() }).unwrap(),
    );
    println!(
        "{} cores, {requests} requests per phase, concurrency {concurrency}, client and sandbox in one process",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut sound = true;
    if phase != "esipay" {
        sound &= izly(&sandbox, &fixtures, ex.clone(), requests, concurrency).await;
    }
    if phase != "izly" {
        sound &= esipay_payments(&sandbox, &fixtures, ex, &received, requests, concurrency).await;
    }
    sandbox.shutdown().await;
    if !sound {
        std::process::exit(1);
    }
}

/// Runs `requests` calls of `one(i)` from `concurrency` workers; returns the latencies of the
/// successes, the failures and the elapsed time.
async fn drive<F, Fut>(requests: usize, concurrency: usize, one: F) -> (Vec<Duration>, usize, Duration)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let one = Arc::new(one);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(120);
    let began = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (one, next) = (one.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failures = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests || Instant::now() > deadline {
                    break;
                }
                let t = Instant::now();
                match one(i).await {
                    Ok(()) => lat.push(t.elapsed()),
                    Err(e) => {
                        failures += 1;
                        eprintln!("{e}");
                    }
                }
            }
            (lat, failures)
        }));
    }
    let mut lat = Vec::new();
    let mut failures = 0;
    for w in workers {
        let (l, f) = w.await.unwrap();
        lat.extend(l);
        failures += f;
    }
    let elapsed = began.elapsed();
    lat.sort();
    (lat, failures, elapsed)
}

fn report(what: &str, lat: &[Duration], failures: usize, elapsed: Duration) {
    let sent = lat.len() + failures;
    println!("{what}: {sent} requests ({} ok, {failures} failed) in {:.2} s", lat.len(), elapsed.as_secs_f64());
    println!("  throughput: {:.0} requests/s", sent as f64 / elapsed.as_secs_f64());
    if !lat.is_empty() {
        let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).saturating_sub(1).min(lat.len() - 1)];
        println!("  latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", ms(pct(0.50)), ms(pct(0.99)), ms(pct(1.0)));
    }
}

fn verdict(sound: bool, what: &str) -> bool {
    println!(
        "  {}",
        if sound { format!("no lost and no doubled {what}") } else { format!("MISMATCH: lost or doubled {what}") }
    );
    sound
}

async fn izly(
    sandbox: &Sandbox,
    fixtures: &Fixtures,
    ex: Arc<NativeExecutor>,
    requests: usize,
    concurrency: usize,
) -> bool {
    let account = &fixtures.izly.accounts[0];
    let till = fixtures.tills().next().unwrap().clone();
    let pos: PointOfSale = till.point_of_sale.app_id().parse().unwrap();
    let api = Arc::new(
        IzlyPosApi::new(&Environment::Custom(sandbox.base_url()), IzlyPosKey::new(till.izly_key), pos).unwrap(),
    );
    let card = account.cards[0].clone();
    let target = Arc::new(DebitTarget::Card(CardDebit {
        id_support: card.id_support,
        numero_applicatif: card.numero_applicatif,
        sam: None,
    }));
    let (lat, failures, elapsed) = drive(requests, concurrency, move |i| {
        let (api, ex, target) = (api.clone(), ex.clone(), target.clone());
        async move {
            // Every tenth request repeats the previous debit (same reference).
            let n = if i % 10 == 9 { i - 1 } else { i };
            let id = format!("L{n}");
            let req = api.debit(&target, Decimal::new(1, 2), &id, &DebitReference::for_ticket(&pos, &id, 1)).unwrap();
            ex.call(&req, izly_pos::parse_debit).await.map(|_| ()).map_err(|e| e.to_string())
        }
    })
    .await;
    report("izly POS card debits", &lat, failures, elapsed);
    // The indices sent are 0..sent: the counter only grows, and a worker stops right after taking one.
    let sent = lat.len() + failures;
    let distinct = (0..sent).filter(|i| i % 10 != 9).count() as i64;
    let accounts = sandbox_json(sandbox, "/sandbox/izly/accounts").await;
    let balance = accounts.as_array().unwrap().iter().find(|a| a["IdIzly"] == account.id_izly.as_str()).unwrap()
        ["BalanceCents"]
        .as_i64()
        .unwrap();
    let recorded = sandbox_json(sandbox, "/sandbox/izly/debits").await.as_array().unwrap().len() as i64;
    println!("  distinct debits {distinct}, recorded {recorded}, balance lost {} cents", START_BALANCE - balance);
    verdict(failures == 0 && recorded == distinct && START_BALANCE - balance == distinct, "debit")
}

async fn esipay_payments(
    sandbox: &Sandbox,
    fixtures: &Fixtures,
    ex: Arc<NativeExecutor>,
    received: &Received,
    requests: usize,
    concurrency: usize,
) -> bool {
    let ent = &fixtures.esipay.enterprises[0];
    let number = fixtures.esipay.cards[0].number.clone();
    let api = Arc::new(EsipayApi::new(&Environment::Custom(sandbox.base_url()), ent.uuid.clone()).unwrap());
    let card = Arc::new(CardNumber::parse(&number).unwrap());
    let (lat, failures, elapsed) = drive(requests, concurrency, move |i| {
        let (api, ex, card) = (api.clone(), ex.clone(), card.clone());
        async move {
            let req = api.pay(&format!("P{i}"), &card, 12, 2099, Decimal::new(1, 2)).unwrap();
            ex.call(&req, esipay::parse_status).await.map(|_| ()).map_err(|e| e.to_string())
        }
    })
    .await;
    report("esipay card payments (each with its return-URL POST)", &lat, failures, elapsed);
    let ok = lat.len();
    let notes = received.lock().unwrap().clone();
    let cids: HashSet<&str> = notes.iter().map(|(cid, _, _)| cid.as_str()).collect();
    let transactions: HashSet<&str> = notes.iter().map(|(_, t, _)| t.as_str()).collect();
    let cents_notified: i64 = notes.iter().map(|(_, _, c)| c).sum();
    let cards = sandbox_json(sandbox, "/sandbox/esipay/cards").await;
    let balance = cards.as_array().unwrap().iter().find(|c| c["number"] == number.as_str()).unwrap()["balance_cents"]
        .as_i64()
        .unwrap();
    let stored = sandbox_json(sandbox, "/sandbox/esipay/transactions").await;
    let accepted = stored.as_array().unwrap().iter().filter(|t| t["status"] == "accepted").count();
    println!(
        "  payments ok {ok}, return POSTs {} ({} distinct cids, {} distinct transactions, {cents_notified} cents), \
         transactions standing {accepted}, card lost {} cents",
        notes.len(),
        cids.len(),
        transactions.len(),
        START_BALANCE - balance
    );
    let n = ok as i64;
    verdict(
        failures == 0
            && notes.len() == ok
            && cids.len() == ok
            && transactions.len() == ok
            && cents_notified == n
            && accepted == ok
            && START_BALANCE - balance == n,
        "payment",
    )
}

/// What the return URL received: (cid, transaction, amount in cents), read by core's parser.
type Received = Arc<Mutex<Vec<(String, String, i64)>>>;

async fn receive(State(got): State<Received>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned())).collect();
    match esipay::parse_return(&h, &body) {
        Ok(n) => {
            let c = n.amount * Decimal::ONE_HUNDRED;
            let cents = if c.fract().is_zero() { i64::try_from(c).unwrap_or(-1) } else { -1 };
            got.lock().unwrap().push((n.cid, n.transaction, cents));
            StatusCode::OK
        }
        Err(e) => {
            eprintln!("return POST unreadable: {e}");
            StatusCode::BAD_REQUEST
        }
    }
}

/// The enterprise's return URL, on 127.0.0.1.
async fn return_url_receiver() -> (String, Received) {
    let got = Received::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/esipay/return", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/esipay/return", axum::routing::post(receive)).with_state(got.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

async fn sandbox_json(sandbox: &Sandbox, path: &str) -> serde_json::Value {
    let r = reqwest::Client::new().get(format!("{}{path}", sandbox.base_url())).send().await.unwrap();
    serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

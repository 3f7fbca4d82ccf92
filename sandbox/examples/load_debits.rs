//! A bounded load run of Izly POS debits against an in-process sandbox on 127.0.0.1.
//!
//! `cargo run --release -p crous-till-sandbox --example load_debits -- [REQUESTS] [CONCURRENCY]`
//! (defaults 4000 and 16). One in ten debits is sent a second time with the same reference. At
//! the end it checks that the account lost exactly the distinct debits' amount and that the
//! sandbox recorded each distinct debit once; it prints requests/s, p50 and p99. It stops by
//! itself: a fixed number of requests, and a 120 s limit.

use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pos::{self, CardDebit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosKey};
use crous_till_core::api::{Environment, RetryPolicy};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_sandbox::{start, Config, Fixtures};
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let requests = args.first().copied().unwrap_or(4000).clamp(1, 100_000);
    let concurrency = args.get(1).copied().unwrap_or(16).clamp(1, 256);
    let start_balance = 100_000_000i64;
    let mut fixtures = Fixtures::demo();
    fixtures.izly.accounts[0].balance_cents = start_balance;
    let id_izly = fixtures.izly.accounts[0].id_izly.clone();
    let card = fixtures.izly.accounts[0].cards[0].clone();
    let till = fixtures.tills().next().unwrap().clone();
    let sandbox = start(Config { fixtures: Some(fixtures), ..Config::default() }).await.expect("sandbox");
    let pos: PointOfSale = till.point_of_sale;
    let api = Arc::new(
        IzlyPosApi::new(&Environment::Custom(sandbox.base_url()), IzlyPosKey::new(till.izly_key), pos).unwrap(),
    );
    let ex = Arc::new(
        NativeExecutor::new(RetryPolicy { timeout: Duration::from_secs(10), ..RetryPolicy::default() }).unwrap(),
    );
    let target = Arc::new(DebitTarget::Card(CardDebit {
        id_support: card.id_support,
        numero_applicatif: card.numero_applicatif,
        sam: None,
    }));
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(120);
    let began = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (api, ex, target, next) = (api.clone(), ex.clone(), target.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failures = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= requests || Instant::now() > deadline {
                    break;
                }
                // Every tenth request repeats the previous debit (same reference).
                let n = if i % 10 == 9 { i - 1 } else { i };
                let id = format!("L{n}");
                let req =
                    api.debit(&target, Decimal::new(1, 2), &id, &DebitReference::for_ticket(&pos, &id, 1)).unwrap();
                let t = Instant::now();
                match ex.call(&req, izly_pos::parse_debit).await {
                    Ok(_) => lat.push(t.elapsed()),
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
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).saturating_sub(1).min(lat.len() - 1)];
    let sent = lat.len() + failures;
    let distinct = (0..sent).filter(|i| i % 10 != 9).count() as i64;
    let client = reqwest::Client::new();
    let accounts: serde_json::Value = serde_json::from_slice(
        &client
            .get(format!("{}/sandbox/izly/accounts", sandbox.base_url()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    let balance = accounts.as_array().unwrap().iter().find(|a| a["IdIzly"] == id_izly.as_str()).unwrap()
        ["BalanceCents"]
        .as_i64()
        .unwrap();
    let debits: serde_json::Value = serde_json::from_slice(
        &client.get(format!("{}/sandbox/izly/debits", sandbox.base_url())).send().await.unwrap().bytes().await.unwrap(),
    )
    .unwrap();
    let recorded = debits.as_array().unwrap().len() as i64;
    println!(
        "requests: {sent} ({} ok, {failures} failed), concurrency {concurrency}, {:.2} s",
        lat.len(),
        elapsed.as_secs_f64()
    );
    println!("throughput: {:.0} requests/s", sent as f64 / elapsed.as_secs_f64());
    println!("latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", ms(pct(0.50)), ms(pct(0.99)), ms(pct(1.0)));
    println!("distinct debits {distinct}, recorded {recorded}, balance lost {} cents", start_balance - balance);
    sandbox.shutdown().await;
    let sound = failures == 0 && recorded == distinct && start_balance - balance == distinct;
    println!("{}", if sound { "no lost and no doubled debit" } else { "MISMATCH: lost or doubled debits" });
    if !sound {
        std::process::exit(1);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

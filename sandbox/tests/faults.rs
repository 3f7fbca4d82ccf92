//! Fault injection (`POST /sandbox/faults`) driving core's native executor: 500s retried, dropped
//! connections reconciled through the debit look-up, delays turned into timeouts.

mod common;

use common::*;
use crous_till_core::api::crous::{self, CrousApi, InstallationKey};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pos::{self, CardDebit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosKey};
use crous_till_core::point_of_sale::PointOfSale;
use rust_decimal::Decimal;
use serde_json::json;
use std::time::Duration;

const TILL: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);

fn card() -> DebitTarget {
    DebitTarget::Card(CardDebit { id_support: "04A1B2C3D4E5F6".into(), numero_applicatif: "1000001".into(), sam: None })
}

#[tokio::test]
async fn injected_500s_are_retried_on_idempotent_requests() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    let (st, _) = post_json(
        &s,
        "/sandbox/faults",
        json!({"rules": [{"path_prefix": "/vem/v1/authenticate", "error_rate": 1.0, "times": 2}]}),
    )
    .await;
    assert_eq!(st, 200);
    let api = CrousApi::new(&env(&s), TILL, "t").unwrap();
    let key = InstallationKey::new(f.till(&TILL).unwrap().installation_key.clone());
    let called = executor().call(&api.authenticate(&key), crous::parse_authenticate).await.unwrap();
    assert_eq!(called.attempts, 3);
    // The rule is used up.
    assert!(get_json(&s, "/sandbox/faults").await["rules"].as_array().unwrap().is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn a_debit_whose_answer_is_lost_is_reconciled_not_doubled() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    let api = IzlyPosApi::new(&env(&s), IzlyPosKey::new(f.till(&TILL).unwrap().izly_key.clone()), TILL).unwrap();
    let ex = executor();
    // Processed, then the connection is dropped: the executor asks the look-up, which finds it.
    post_json(
        &s,
        "/sandbox/faults",
        json!({"rules": [{"method": "POST", "path_prefix": "/api/payments/debit/", "drop_rate": 1.0, "times": 1}]}),
    )
    .await;
    let r1 = DebitReference::for_ticket(&TILL, "d1", 1);
    let called =
        ex.call(&api.debit(&card(), Decimal::new(330, 2), "d1", &r1).unwrap(), izly_pos::parse_debit).await.unwrap();
    assert!(called.reconciled, "{called:?}");
    assert_eq!(balance(&s, "6000001265").await, 1525 - 330);
    // Dropped before processing: the look-up says 356, the debit is sent again, once.
    post_json(
        &s,
        "/sandbox/faults",
        json!({"rules": [{"method": "POST", "path_prefix": "/api/payments/debit/", "drop_rate": 1.0, "drop_after_processing": false, "times": 1}]}),
    )
    .await;
    let r2 = DebitReference::for_ticket(&TILL, "d2", 1);
    let called =
        ex.call(&api.debit(&card(), Decimal::new(100, 2), "d2", &r2).unwrap(), izly_pos::parse_debit).await.unwrap();
    assert_eq!(called.attempts, 2);
    assert_eq!(balance(&s, "6000001265").await, 1525 - 430);
    assert_eq!(get_json(&s, "/sandbox/izly/debits").await.as_array().unwrap().len(), 2);
    s.shutdown().await;
}

#[tokio::test]
async fn delays_become_timeouts_and_bad_rules_are_refused() {
    let s = sandbox().await;
    let f = fixtures(&s).await;
    post_json(
        &s,
        "/sandbox/faults",
        json!({"rules": [{"method": "POST", "path_prefix": "/vem/", "delay_ms": 1500, "times": 1}]}),
    )
    .await;
    let policy = crous_till_core::api::RetryPolicy { timeout: Duration::from_millis(500), ..policy() };
    let api = CrousApi::new(&env(&s), TILL, "t").unwrap();
    let key = InstallationKey::new(f.till(&TILL).unwrap().installation_key.clone());
    let called =
        NativeExecutor::new(policy).unwrap().call(&api.authenticate(&key), crous::parse_authenticate).await.unwrap();
    assert_eq!(called.attempts, 2);
    for bad in [
        json!({"rules": [{"path_prefix": "/x", "error_rate": 1.5}]}),
        json!({"rules": [{"path_prefix": "/sandbox/reset", "error_rate": 1.0}]}),
        json!({"rules": [{"path_prefix": "/x", "error_rate": 0.6, "drop_rate": 0.6}]}),
        json!({"rules": [{"path": "/x"}]}),
    ] {
        let (st, v) = post_json(&s, "/sandbox/faults", bad).await;
        assert_eq!(st, 400);
        assert!(v["error"].is_string());
    }
    // A reset removes the faults.
    post_json(&s, "/sandbox/faults", json!({"rules": [{"path_prefix": "/", "error_rate": 1.0}]})).await;
    post_json(&s, "/sandbox/reset", json!({})).await;
    assert!(get_json(&s, "/sandbox/faults").await["rules"].as_array().unwrap().is_empty());
    s.shutdown().await;
}

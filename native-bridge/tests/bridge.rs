//! End-to-end tests through a REAL pcscd with the vpcd driver: virtual cards of each technology
//! are inserted in "Virtual PCD 00 00" (a virtual SAM in "Virtual PCD 00 01") and the bridge is
//! driven by real WebSocket clients on 127.0.0.1.
//!
//! Requires scripts/install-pcscd.sh (pcscd, libpcsclite-dev, vsmartcard-vpcd).

mod support;

use std::time::Duration;

use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::virtual_card::sam::VirtualSam;
use crous_till_native_bridge::virtual_card::vpcd::{Fault, Inserted, CARD_PORT, CARD_READER, SAM_PORT, SAM_READER};
use crous_till_native_bridge::virtual_card::{make_card, Technology, TestIdentity};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use support::*;
use tokio_tungstenite::tungstenite::Message;

fn insert(technology: Technology, identity: &TestIdentity, fault: Fault) -> Inserted {
    let card = make_card(technology, &CardProfile::test_cards(), identity);
    Inserted::insert(CARD_PORT, card, fault, TIMEOUT).expect("vpcd accepts the card")
}

/// The profile's test card `name` (the sandbox's demo customers).
fn named(name: &str) -> TestIdentity {
    CardProfile::test_cards().test_card(name).expect("a test card of the profile").identity()
}

/// Camille's card (sandbox: idSupport 04A1B2C3D4E5F6, numeroApplicatif 1000001).
fn izly_identity() -> TestIdentity {
    named("camille-desfire-ev2")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_technology_events_reach_two_pages_and_read_card_returns_the_ids() {
    let _pcscd = Pcscd::acquire();
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page_a = connect(bridge.port).await;
    let mut page_b = connect(bridge.port).await;
    for page in [&mut page_a, &mut page_b] {
        let answer = request(page, 1, "subscribe", json!({})).await;
        assert_eq!(answer["type"], "result", "{answer}");
        let readers = answer["result"]["readers"].as_array().unwrap();
        assert!(readers.iter().any(|r| r["name"] == CARD_READER));
        assert!(!readers.iter().any(|r| r["name"] == SAM_READER), "the SAM reader is never listed");
    }
    let cases = [
        (Technology::DesfireEv1, "desfire-ev1", "desfire", named("camille-desfire-ev1")),
        (Technology::DesfireEv2, "desfire-ev2", "desfire", named("camille-desfire-ev2")),
        (Technology::Calypso, "calypso", "calypso", named("camille-calypso")),
        (Technology::Classic1k, "classic-1k", "classic-1k", named("camille-classic-1k")),
        (Technology::Classic4k, "classic-4k", "classic-4k", named("camille-classic-4k")),
        (Technology::UltralightC, "ultralight-c", "ultralight-c", named("camille-ultralight-c")),
    ];
    for (n, (technology, read_type, atr_type, identity)) in cases.into_iter().enumerate() {
        let card = insert(technology, &identity, Fault::default());
        for page in [&mut page_a, &mut page_b] {
            let inserted = event(page, "cardInserted", CARD_READER).await;
            assert_eq!(inserted["cardType"], atr_type, "{inserted}");
        }
        let answer = request(&mut page_a, 100 + n as u64, "readCard", json!({"reader": CARD_READER})).await;
        assert_eq!(answer["type"], "result", "{answer}");
        let expected = json!({
            "cardType": read_type,
            "uid": crous_till_native_bridge::apdu::hex_upper(&identity.uid),
            "idSupport": identity.zdc.id_support,
            "numeroApplicatif": identity.zdc.numero_applicatif,
        });
        assert_eq!(answer["result"], expected);
        card.remove();
        for page in [&mut page_a, &mut page_b] {
            event(page, "cardRemoved", CARD_READER).await;
        }
    }
    // No card: a clean error.
    let answer = request(&mut page_b, 200, "readCard", json!({})).await;
    assert_eq!(answer["code"], "noCard", "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_pulled_mid_read_gives_a_clean_error_and_the_bridge_keeps_serving() {
    let _pcscd = Pcscd::acquire();
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    // The card leaves the field when asked for ReadData (after authentication).
    let fault = Fault { pull_on_prefix: Some(vec![0x90, 0xBD]) };
    let card = insert(Technology::DesfireEv1, &izly_identity(), fault);
    event(&mut page, "cardInserted", CARD_READER).await;
    // The answer and the removal event may come in either order.
    send(&mut page, json!({"id": 2, "type": "readCard"})).await;
    let (mut answer, mut removed) = (None, false);
    while answer.is_none() || !removed {
        let message = next_matching(&mut page, "answer and cardRemoved", |v| {
            v["id"] == 2 || (v["event"] == "cardRemoved" && v["reader"] == CARD_READER)
        })
        .await;
        if message["id"] == 2 {
            answer = Some(message);
        } else {
            removed = true;
        }
    }
    let answer = answer.unwrap();
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(answer["code"], "cardRemoved", "a removal, not a crash: {answer}");
    assert!(!card.is_present());
    drop(card);
    // The bridge still serves: a good card reads.
    let card = insert(Technology::DesfireEv1, &izly_identity(), Fault::default());
    event(&mut page, "cardInserted", CARD_READER).await;
    let answer = request(&mut page, 3, "readCard", json!({})).await;
    assert_eq!(answer["result"]["idSupport"], "04A1B2C3D4E5F6", "{answer}");
    card.remove();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desfire_key_held_by_the_sam_in_the_second_slot() {
    let _pcscd = Pcscd::acquire();
    let mut profile = CardProfile::test_cards();
    let key = profile.desfire.as_mut().unwrap().key.take().unwrap();
    let bridge = start_bridge(profile, true).await;
    let sam = Inserted::insert(SAM_PORT, Box::new(VirtualSam::new(&[(32, 0, key)])), Fault::default(), TIMEOUT)
        .expect("SAM inserted");
    tokio::task::block_in_place(|| wait_card_present(SAM_READER));
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let card = insert(Technology::DesfireEv2, &izly_identity(), Fault::default());
    event(&mut page, "cardInserted", CARD_READER).await;
    // The SAM slot gives no events and is never reachable.
    let answer = request(&mut page, 2, "readCard", json!({"reader": SAM_READER})).await;
    assert_eq!(answer["code"], "forbiddenReader", "{answer}");
    let answer = request(&mut page, 3, "readCard", json!({})).await;
    assert_eq!(answer["result"]["cardType"], "desfire-ev2", "{answer}");
    assert_eq!(answer["result"]["numeroApplicatif"], "1000001");
    card.remove();
    sam.remove();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_origin_or_host_is_refused_with_403() {
    let _pcscd = Pcscd::acquire();
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let port = bridge.port;
    let cases = [
        (None, None),
        (Some("https://evil.example"), None),
        (Some("https://till.test.evil.example"), None),
        (Some("null"), None),
        (Some(ORIGIN), Some(format!("evil.example:{port}"))),
        (Some(ORIGIN), Some("127.0.0.1:1".to_string())),
        (Some(ORIGIN), Some("127.0.0.1".to_string())),
    ];
    for (origin, host) in cases {
        match connect_with(port, origin, host.as_deref()).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 403, "{origin:?} {host:?}");
            }
            Err(other) => panic!("{origin:?} {host:?}: expected 403, got {other}"),
            Ok(_) => panic!("{origin:?} {host:?}: upgrade accepted"),
        }
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}")] {
        let mut ws = connect_with(port, Some(ORIGIN), Some(&host)).await.expect("allowed");
        assert_eq!(request(&mut ws, 1, "listReaders", json!({})).await["type"], "result");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_malformed_and_disabled_requests_are_refused_without_effect() {
    let _pcscd = Pcscd::acquire();
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page = connect(bridge.port).await;
    let card = insert(Technology::DesfireEv1, &izly_identity(), Fault::default());
    let apdus_before = card.apdu_count();

    // 9 KiB request: refused before it is parsed, so the read inside never happens.
    let padding = "x".repeat(9 * 1024);
    send(&mut page, json!({"id": 1, "type": "readCard", "pad": padding})).await;
    let answer = next_matching(&mut page, "refusal", |v| v["type"] == "error").await;
    assert_eq!(answer["code"], "messageTooLarge", "{answer}");
    send_text(&mut page, "{not json").await;
    let answer = next_matching(&mut page, "refusal", |v| v["type"] == "error").await;
    assert_eq!(answer["code"], "badRequest");
    send_text(&mut page, r#"{"type": "readCard"}"#).await;
    assert_eq!(next_matching(&mut page, "refusal", |v| v["type"] == "error").await["code"], "badRequest");
    assert_eq!(request(&mut page, 2, "format", json!({})).await["code"], "unknownType");
    let answer = request(&mut page, 3, "transmit", json!({"apdu": "FFCA000000"})).await;
    assert_eq!(answer["code"], "rawApduDisabled");
    // Without --simulated, a page cannot tap test cards.
    let answer = request(&mut page, 4, "simulateTap", json!({"card": "camille-desfire-ev2"})).await;
    assert_eq!(answer["code"], "simulationDisabled", "{answer}");
    assert_eq!(request(&mut page, 5, "simulateRemove", json!({})).await["code"], "simulationDisabled");
    assert_eq!(card.apdu_count(), apdus_before, "no refused request reached the card");

    // Rate limit: a burst beyond the allowance is refused, the connection stays.
    for i in 0..40u64 {
        send(&mut page, json!({"id": 1000 + i, "type": "listReaders"})).await;
    }
    let limited = next_matching(&mut page, "rateLimited", |v| v["code"] == "rateLimited").await;
    assert_eq!(limited["type"], "error");

    // A frame above the hard limit closes that connection only.
    let mut big = connect(bridge.port).await;
    let _ = big.send(Message::text("y".repeat(100 * 1024))).await;
    let closed = tokio::time::timeout(TIMEOUT, async {
        while let Some(Ok(message)) = big.next().await {
            if message.is_close() {
                break;
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "oversized frame closes the connection");

    tokio::time::sleep(Duration::from_millis(1100)).await; // refill the rate limit
    let mut fresh = connect(bridge.port).await;
    let answer = request(&mut fresh, 5, "readCard", json!({})).await;
    assert_eq!(answer["result"]["idSupport"], "04A1B2C3D4E5F6", "{answer}");
    card.remove();
}

async fn send_text(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text.to_string())).await.expect("send");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_survives_a_pcscd_restart() {
    let mut pcscd = Pcscd::acquire();
    if !pcscd.owned() {
        eprintln!("pcscd was already running (not ours): restart not tested");
        return;
    }
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    tokio::task::block_in_place(|| pcscd.stop());
    event(&mut page, "readerRemoved", CARD_READER).await;
    tokio::task::block_in_place(|| pcscd.start());
    event(&mut page, "readerAdded", CARD_READER).await;
    let card = insert(Technology::Calypso, &izly_identity(), Fault::default());
    event(&mut page, "cardInserted", CARD_READER).await;
    let answer = request(&mut page, 2, "readCard", json!({})).await;
    assert_eq!(answer["result"]["cardType"], "calypso", "{answer}");
    card.remove();
}

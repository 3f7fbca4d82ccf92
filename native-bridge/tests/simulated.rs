//! The in-process simulated reader (`--simulated`) over real WebSocket clients on 127.0.0.1: no
//! pcscd. A page taps the profile's named test cards; the bridge answers as with a PC/SC reader.

mod support;

use std::time::Duration;

use crous_till_native_bridge::config::Config;
use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::reader_access;
use crous_till_native_bridge::server;
use crous_till_native_bridge::simulated::SIMULATED_READER;
use serde_json::{json, Value};
use support::*;

/// Everything the page received within `wait` (nothing more should come).
async fn drain(ws: &mut Ws, wait: Duration) -> Vec<Value> {
    use futures_util::StreamExt;
    let mut seen = Vec::new();
    while let Ok(Some(Ok(message))) = tokio::time::timeout(wait, ws.next()).await {
        if let Ok(text) = message.to_text() {
            seen.push(serde_json::from_str(text).expect("JSON"));
        }
    }
    seen
}

/// Sends a request that makes the reader emit `event_name`; returns the answer and the event,
/// which may come in either order.
async fn request_with_event(ws: &mut Ws, id: u64, kind: &str, extra: Value, event_name: &str) -> (Value, Value) {
    let mut message = json!({"id": id, "type": kind});
    for (k, v) in extra.as_object().expect("object") {
        message[k] = v.clone();
    }
    send(ws, message).await;
    let (mut answer, mut event) = (None, None);
    while answer.is_none() || event.is_none() {
        let got =
            next_matching(ws, kind, |v| v["id"] == id || (v["event"] == event_name && v["reader"] == SIMULATED_READER))
                .await;
        if got["id"] == id {
            assert_eq!(got["type"], "result", "{got}");
            answer = Some(got);
        } else {
            event = Some(got);
        }
    }
    (answer.unwrap(), event.unwrap())
}

#[tokio::test]
async fn tap_reaches_two_pages_read_card_returns_the_sandbox_ids_and_remove_is_seen() {
    let profile = CardProfile::test_cards();
    let bridge = start_simulated_bridge(profile.clone()).await;
    let mut till = connect(bridge.port).await;
    let mut other = connect(bridge.port).await;
    for page in [&mut till, &mut other] {
        let answer = request(page, 1, "subscribe", json!({})).await;
        assert_eq!(answer["result"]["readers"], json!([{"name": SIMULATED_READER, "cardPresent": false}]));
    }
    let listed = request(&mut till, 2, "listTestCards", json!({})).await;
    assert_eq!(listed["result"]["simulated"], true, "{listed}");
    let names: Vec<&str> =
        listed["result"]["cards"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"camille-desfire-ev2") && names.contains(&"leo-desfire-ev2"), "{names:?}");

    // Every named card, every technology: tap, read, remove.
    for (n, spec) in profile.test_cards.iter().enumerate() {
        let id = 100 + 10 * n as u64;
        let (tapped, inserted) =
            request_with_event(&mut till, id, "simulateTap", json!({"card": spec.name}), "cardInserted").await;
        assert_eq!(tapped["result"]["card"], spec.name.as_str(), "{tapped}");
        assert_eq!(inserted["cardType"], tapped["result"]["cardType"]);
        let inserted = event(&mut other, "cardInserted", SIMULATED_READER).await;
        assert_eq!(inserted["cardType"], tapped["result"]["cardType"]);
        let read = request(&mut other, id + 1, "readCard", json!({})).await;
        let expected = json!({
            "cardType": spec.technology.as_str(),
            "uid": crous_till_native_bridge::apdu::hex_upper(&spec.uid),
            "idSupport": spec.id_support,
            "numeroApplicatif": spec.numero_applicatif,
        });
        assert_eq!(read["result"], expected, "{}", spec.name);
        let (removed, _) = request_with_event(&mut till, id + 2, "simulateRemove", json!({}), "cardRemoved").await;
        assert_eq!(removed["result"]["card"], spec.name.as_str());
        event(&mut other, "cardRemoved", SIMULATED_READER).await;
    }
    // The sandbox's ids, exactly (sandbox/fixtures/demo.json).
    request(&mut till, 300, "simulateTap", json!({"card": "ines-desfire-ev2"})).await;
    let read = request(&mut till, 301, "readCard", json!({"reader": SIMULATED_READER})).await;
    assert_eq!(
        (&read["result"]["idSupport"], &read["result"]["numeroApplicatif"]),
        (&json!("04C0FFEE000001"), &json!("1000002"))
    );
    // Tapping another card lifts the first: cardRemoved then cardInserted.
    request(&mut till, 302, "simulateTap", json!({"card": "leo-desfire-ev2"})).await;
    event(&mut other, "cardInserted", SIMULATED_READER).await;
    event(&mut other, "cardRemoved", SIMULATED_READER).await;
    event(&mut other, "cardInserted", SIMULATED_READER).await;
    let read = request(&mut till, 303, "readCard", json!({})).await;
    assert_eq!(
        (&read["result"]["idSupport"], &read["result"]["numeroApplicatif"]),
        (&json!("04B10C4ED00001"), &json!("1000003"))
    );
    request(&mut till, 304, "simulateRemove", json!({})).await;
    assert_eq!(request(&mut till, 305, "readCard", json!({})).await["code"], "noCard");
}

#[tokio::test]
async fn bad_simulation_requests_get_typed_errors_and_change_nothing() {
    let bridge = start_simulated_bridge(CardProfile::test_cards()).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    request_with_event(&mut page, 2, "simulateTap", json!({"card": "camille-desfire-ev2"}), "cardInserted").await;

    let answer = request(&mut page, 3, "simulateTap", json!({"card": "nobody-desfire-ev2"})).await;
    assert_eq!(
        (answer["type"].as_str(), answer["code"].as_str()),
        (Some("error"), Some("unknownTestCard")),
        "{answer}"
    );
    let answer = request(&mut page, 4, "simulateTap", json!({})).await;
    assert_eq!(answer["code"], "badRequest", "{answer}");
    let answer =
        request(&mut page, 5, "simulateTap", json!({"card": "leo-desfire-ev2", "reader": "Virtual PCD 00 00"})).await;
    assert_eq!(answer["code"], "unknownReader", "{answer}");
    let answer = request(&mut page, 6, "simulateRemove", json!({"reader": "Virtual PCD 00 00"})).await;
    assert_eq!(answer["code"], "unknownReader", "{answer}");
    let answer = request(&mut page, 7, "readCard", json!({"reader": "Virtual PCD 00 00"})).await;
    assert_eq!(answer["code"], "unknownReader", "{answer}");

    // Nothing changed: no event came, Camille's card is still on the reader and reads.
    let seen = drain(&mut page, Duration::from_millis(300)).await;
    assert!(seen.is_empty(), "no event after refused requests: {seen:?}");
    let listed = request(&mut page, 8, "listTestCards", json!({})).await;
    assert_eq!(listed["result"]["cardOnReader"], "camille-desfire-ev2");
    let read = request(&mut page, 9, "readCard", json!({})).await;
    assert_eq!(read["result"]["idSupport"], "04A1B2C3D4E5F6", "{read}");

    request_with_event(&mut page, 10, "simulateRemove", json!({}), "cardRemoved").await;
    let answer = request(&mut page, 11, "simulateRemove", json!({})).await;
    assert_eq!(answer["code"], "noCard", "{answer}");
    assert!(drain(&mut page, Duration::from_millis(300)).await.is_empty());
}

#[tokio::test]
async fn pcsc_mode_refuses_simulation_and_changes_nothing() {
    // A bridge in PC/SC mode (pcscd need not run for these answers).
    let config = Config { port: 0, allowed_origins: vec![ORIGIN.into()], ..Config::default() };
    let profile = CardProfile::test_cards();
    let (watcher, readers) = reader_access::open(false, Vec::new(), &profile).expect("PC/SC access");
    let (listener, bridge) = server::bind(config, profile, watcher.clone(), readers).await.expect("bind");
    let port = bridge.port();
    let task = tokio::spawn(server::serve(listener, bridge));
    let mut page = connect(port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let answer = request(&mut page, 2, "simulateTap", json!({"card": "camille-desfire-ev2"})).await;
    assert_eq!(
        (answer["type"].as_str(), answer["code"].as_str()),
        (Some("error"), Some("simulationDisabled")),
        "{answer}"
    );
    let answer = request(&mut page, 3, "simulateRemove", json!({})).await;
    assert_eq!(answer["code"], "simulationDisabled", "{answer}");
    let answer = request(&mut page, 4, "listTestCards", json!({})).await;
    assert_eq!(answer["result"], json!({"simulated": false, "cards": []}));
    // No simulated reader appeared, no event names it.
    let seen = drain(&mut page, Duration::from_millis(300)).await;
    assert!(!seen.iter().any(|v| v["reader"] == SIMULATED_READER), "{seen:?}");
    assert!(!watcher.readers().iter().any(|r| r.name == SIMULATED_READER));
    task.abort();
}

#[tokio::test]
async fn the_simulated_bridge_keeps_the_origin_check() {
    let bridge = start_simulated_bridge(CardProfile::test_cards()).await;
    match connect_with(bridge.port, Some("https://evil.example"), None).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
}

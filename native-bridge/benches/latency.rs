//! Native bridge latency and APDU counts (issue 5), through a REAL pcscd with the vpcd driver:
//!
//! 1. card insertion → `cardInserted` on a subscribed WebSocket page, paired with pcscd's own
//!    latency for the same insertion (a thread waiting in `SCardGetStatusChange` with the `pcsc`
//!    crate directly); the same for removal → `cardRemoved`;
//! 2. APDUs per `readCard` per technology, counted by the virtual card (and by the SAM), and the
//!    `readCard` round trip over the WebSocket;
//! 3. the in-process simulated reader (`--simulated`): `simulateTap` → `cardInserted`, `readCard`.
//!
//! `cargo bench -p crous-till-native-bridge --bench latency` (starts its own `pcscd --foreground`
//! like the tests, or uses the running one; needs scripts/install-pcscd.sh). Prints Markdown
//! tables for BENCHMARKS.md. `LATENCY_SAMPLES` sets the number of insertions (default 30).

#[path = "../tests/support/mod.rs"]
mod support;

use std::ffi::CString;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::read::read_counted;
use crous_till_native_bridge::simulated::SIMULATED_READER;
use crous_till_native_bridge::virtual_card::sam::VirtualSam;
use crous_till_native_bridge::virtual_card::vpcd::{Fault, Inserted, CARD_PORT, CARD_READER, SAM_PORT, SAM_READER};
use crous_till_native_bridge::virtual_card::{make_card, Direct, Technology, TestIdentity};
use pcsc::{Context, ReaderState, Scope, State};
use serde_json::{json, Value};
use support::*;

/// readCard round trips per technology.
const READS: usize = 10;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this once as a smoke test,
    // with two samples, so CI checks that the benchmark still works without paying for it.
    let full = std::env::args().any(|a| a == "--bench");
    let default_samples = if full { 30 } else { 2 };
    let samples: usize = std::env::var("LATENCY_SAMPLES").ok().and_then(|s| s.parse().ok()).unwrap_or(default_samples);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let _pcscd = Pcscd::acquire();
    runtime.block_on(async {
        insertion_latency(samples).await;
        read_card_per_technology().await;
        simulated(samples).await;
    });
}

/// Median, 90th percentile, min, max, in ms with `decimals` decimals (Markdown cells).
fn stats(values: Vec<Duration>, decimals: usize) -> String {
    stats_ms(values.iter().map(|d| d.as_secs_f64() * 1000.0).collect(), decimals)
}

fn stats_ms(mut ms: Vec<f64>, decimals: usize) -> String {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    [at(0.5), at(0.9), at(0.0), at(1.0)].map(|v| format!("{v:.decimals$}")).join(" | ")
}

/// `a[i] − b[i]` in ms (the bridge's own share of a paired measurement).
fn differences(a: &[Duration], b: &[Duration]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| (a.as_secs_f64() - b.as_secs_f64()) * 1000.0).collect()
}

/// A thread blocked in `SCardGetStatusChange` on the card reader until the card is `present` (or
/// not); it returns when the call returned. `ready` is signalled just before it starts waiting.
fn pcscd_waiter(present: bool) -> std::thread::JoinHandle<Instant> {
    let (ready, started) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let ctx = Context::establish(Scope::User).expect("pcscd");
        let mut states = vec![ReaderState::new(CString::new(CARD_READER).unwrap(), State::UNAWARE)];
        ctx.get_status_change(Duration::from_secs(5), &mut states).expect("reader state");
        assert_ne!(states[0].event_state().contains(State::PRESENT), present, "already in the awaited state");
        states[0].sync_current_state();
        ready.send(()).unwrap();
        loop {
            ctx.get_status_change(Duration::from_secs(20), &mut states).expect("status change");
            let now = Instant::now();
            if states[0].event_state().contains(State::PRESENT) == present {
                return now;
            }
            states[0].sync_current_state();
        }
    });
    started.recv().expect("waiter ready");
    std::thread::sleep(Duration::from_millis(50)); // it is inside SCardGetStatusChange now
    thread
}

fn camille(technology: &str) -> TestIdentity {
    let profile = CardProfile::test_cards();
    profile.test_card(&format!("camille-{technology}")).expect("test card").identity()
}

fn insert(technology: Technology, identity: &TestIdentity) -> Inserted {
    let card = make_card(technology, &CardProfile::test_cards(), identity);
    Inserted::insert(CARD_PORT, card, Fault::default(), TIMEOUT).expect("vpcd accepts the card")
}

async fn insertion_latency(samples: usize) {
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let identity = camille("desfire-ev2");
    let (mut pcscd_in, mut bridge_in, mut pcscd_out, mut bridge_out) = (vec![], vec![], vec![], vec![]);
    for _ in 0..samples {
        let waiter = tokio::task::block_in_place(|| pcscd_waiter(true));
        let t0 = Instant::now();
        let card = tokio::task::block_in_place(|| insert(Technology::DesfireEv2, &identity));
        event(&mut page, "cardInserted", CARD_READER).await;
        bridge_in.push(t0.elapsed());
        pcscd_in.push(waiter.join().expect("waiter") - t0);

        let waiter = tokio::task::block_in_place(|| pcscd_waiter(false));
        let t0 = Instant::now();
        tokio::task::block_in_place(|| card.remove());
        event(&mut page, "cardRemoved", CARD_READER).await;
        bridge_out.push(t0.elapsed());
        pcscd_out.push(waiter.join().expect("waiter") - t0);
    }
    println!("### Card insertion / removal → event ({samples} insertions of a DESFire EV2 card through vpcd)\n");
    println!("| from the vpcd insertion (TCP connect) / removal (close) to | median ms | p90 ms | min ms | max ms |");
    println!("|---|---|---|---|---|");
    println!(
        "| `SCardGetStatusChange` returns PRESENT (pcsc crate, pcscd's own latency) | {} |",
        stats(pcscd_in.clone(), 1)
    );
    println!("| `cardInserted` received on the WebSocket (bridge) | {} |", stats(bridge_in.clone(), 1));
    let added_in = stats_ms(differences(&bridge_in, &pcscd_in), 2);
    println!("| bridge's own share: `cardInserted` − pcscd, same insertion | {added_in} |");
    println!("| `SCardGetStatusChange` returns EMPTY (pcscd) | {} |", stats(pcscd_out.clone(), 1));
    println!("| `cardRemoved` received on the WebSocket (bridge) | {} |", stats(bridge_out.clone(), 1));
    let added_out = stats_ms(differences(&bridge_out, &pcscd_out), 2);
    println!("| bridge's own share: `cardRemoved` − pcscd, same removal | {added_out} |");
    println!();
}

async fn read_card_per_technology() {
    println!("### readCard per technology (through pcscd + vpcd; {READS} reads each)\n");
    println!(
        "| card (test card) | APDUs to the card | APDUs to the SAM | in-process count \
         | readCard median ms | p90 ms | min ms | max ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let bridge = start_bridge(CardProfile::test_cards(), false).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let mut id = 10;
    for (technology, name) in [
        (Technology::DesfireEv1, "desfire-ev1"),
        (Technology::DesfireEv2, "desfire-ev2"),
        (Technology::Calypso, "calypso"),
        (Technology::Classic1k, "classic-1k"),
        (Technology::Classic4k, "classic-4k"),
        (Technology::UltralightC, "ultralight-c"),
    ] {
        let identity = camille(name);
        let card = tokio::task::block_in_place(|| insert(technology, &identity));
        event(&mut page, "cardInserted", CARD_READER).await;
        let (times, apdus) = timed_reads(&mut page, &mut id, &card, &identity).await;
        tokio::task::block_in_place(|| card.remove());
        event(&mut page, "cardRemoved", CARD_READER).await;
        println!(
            "| {name} (camille-{name}) | {apdus} | 0 | {} | {} |",
            in_process_apdus(technology, &identity),
            stats(times, 2)
        );
    }
    drop(page);
    drop(bridge);

    // DESFire with the key in the SAM (production shape): the SAM relays the authentication.
    let mut profile = CardProfile::test_cards();
    let key = profile.desfire.as_mut().unwrap().key.take().unwrap();
    let bridge = start_bridge(profile, true).await;
    let sam = tokio::task::block_in_place(|| {
        Inserted::insert(SAM_PORT, Box::new(VirtualSam::new(&[(32, 0, key)])), Fault::default(), TIMEOUT)
    })
    .expect("SAM inserted");
    tokio::task::block_in_place(|| wait_card_present(SAM_READER));
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let identity = camille("desfire-ev2");
    let card = tokio::task::block_in_place(|| insert(Technology::DesfireEv2, &identity));
    event(&mut page, "cardInserted", CARD_READER).await;
    let (times, apdus) = timed_reads(&mut page, &mut id, &card, &identity).await;
    let sam_apdus = sam.apdu_count() / READS;
    tokio::task::block_in_place(|| card.remove());
    tokio::task::block_in_place(|| sam.remove());
    let times = stats(times, 2);
    println!("| desfire-ev2, key in the SAM (camille-desfire-ev2) | {apdus} | {sam_apdus} | – | {times} |");
    println!();
}

/// `READS` readCard round trips; returns their times and the APDUs one read sent to the card.
async fn timed_reads(page: &mut Ws, id: &mut u64, card: &Inserted, identity: &TestIdentity) -> (Vec<Duration>, usize) {
    let before = card.apdu_count();
    let mut times = Vec::new();
    for _ in 0..READS {
        *id += 1;
        let t0 = Instant::now();
        let answer = request(page, *id, "readCard", json!({})).await;
        times.push(t0.elapsed());
        assert_eq!(answer["result"]["idSupport"], identity.zdc.id_support.as_str(), "{answer}");
    }
    let apdus = card.apdu_count() - before;
    assert_eq!(apdus % READS, 0, "every read sends the same APDUs");
    (times, apdus / READS)
}

/// The same read in process (no pcscd), counted by the reading code.
fn in_process_apdus(technology: Technology, identity: &TestIdentity) -> usize {
    let profile = CardProfile::test_cards();
    let card = make_card(technology, &profile, identity);
    let atr = card.atr();
    read_counted(&mut Direct(card), None, &atr, &profile).expect("reads").apdus
}

async fn simulated(samples: usize) {
    let bridge = start_simulated_bridge(CardProfile::test_cards()).await;
    let mut page = connect(bridge.port).await;
    request(&mut page, 1, "subscribe", json!({})).await;
    let (mut taps, mut reads) = (vec![], vec![]);
    let mut id = 10;
    for _ in 0..samples {
        id += 1;
        let t0 = Instant::now();
        send(&mut page, json!({"id": id, "type": "simulateTap", "card": "camille-desfire-ev2"})).await;
        // The answer and the event come in either order; the event is timed.
        let (mut answered, mut inserted) = (false, false);
        while !(answered && inserted) {
            let got = next_matching(&mut page, "tap answer and cardInserted", |v: &Value| {
                v["id"] == id || v["event"] == "cardInserted"
            })
            .await;
            if got["id"] == id {
                answered = true;
            } else {
                taps.push(t0.elapsed());
                inserted = true;
            }
        }
        id += 1;
        let t0 = Instant::now();
        let answer = request(&mut page, id, "readCard", json!({"reader": SIMULATED_READER})).await;
        reads.push(t0.elapsed());
        assert_eq!(answer["result"]["idSupport"], "04A1B2C3D4E5F6", "{answer}");
        id += 1;
        send(&mut page, json!({"id": id, "type": "simulateRemove"})).await;
        next_matching(&mut page, "remove answer", |v: &Value| v["id"] == id).await;
        // Three messages per round: stay under the per-connection rate (10/s).
        tokio::time::sleep(Duration::from_millis(350)).await;
    }
    println!("### Simulated reader (`--simulated`, in process, no pcscd; {samples} taps)\n");
    println!("| what | median ms | p90 ms | min ms | max ms |");
    println!("|---|---|---|---|---|");
    println!("| `simulateTap` sent → `cardInserted` received (same page) | {} |", stats(taps, 2));
    println!("| `readCard` round trip, DESFire EV2 | {} |", stats(reads, 2));
    println!();
}

//! The technical event journal as the outbox records it ([`super::events`]), and signed closures.

use super::shared_tests::Shared;
use super::tests::tickets;
use super::*;
use crate::journal::{Chain, EventKind, Finding, Period, TillKey};
use crate::point_of_sale::PointOfSale;

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const T0: u64 = 1_795_000_000_000;

fn start(store: MemoryStore, now: u64) -> DurableOutbox<MemoryStore> {
    DurableOutbox::start(store, POS, OutboxPolicy::default(), now, "tests").unwrap()
}

fn kinds(store: &MemoryStore) -> Vec<EventKind> {
    store.load(POS).unwrap().events.iter().map(|e| e.kind().unwrap()).collect()
}

fn with_sales(n: usize) -> DurableOutbox<MemoryStore> {
    let mut outbox = start(MemoryStore::new(), T0);
    for t in tickets("2026-11-23", n) {
        outbox.enqueue(t, T0).unwrap();
    }
    outbox
}

#[test]
fn a_run_records_its_start_and_stop_and_the_next_start_tells_a_run_without_stop() {
    let mut outbox = start(MemoryStore::new(), T0);
    outbox.stop(T0 + 1).unwrap();
    let outbox = start(outbox.into_store(), T0 + 2);
    let outbox = start(outbox.into_store(), T0 + 3); // the previous run was killed
    let stored = outbox.store().load(POS).unwrap();
    assert_eq!(kinds(outbox.store()), [EventKind::Start, EventKind::Stop, EventKind::Start, EventKind::Start]);
    assert_eq!(stored.events[2].detail, "tests");
    assert_eq!(stored.events[3].detail, "tests; the previous run ended without a stop");
    let head = stored.head.unwrap();
    assert_eq!((head.event_count, head.last_event_hash.as_str()), (4, stored.events[3].hash.as_str()));
}

#[test]
fn a_clock_set_back_is_recorded_before_the_event_it_dates() {
    let outbox = start(MemoryStore::new(), T0);
    let outbox = start(outbox.into_store(), T0 - 60_000);
    let stored = outbox.store().load(POS).unwrap();
    assert_eq!(kinds(outbox.store()), [EventKind::Start, EventKind::ClockBackwards, EventKind::Start]);
    assert!(stored.events[1].detail.contains("60000 ms before"), "{}", stored.events[1].detail);
}

#[test]
fn the_first_send_lost_for_want_of_a_connection_is_an_offline_start_once_per_run() {
    let mut outbox = with_sales(2);
    let offline = || SendOutcome::RetryLater {
        failure: Failure::new("network.unreachable", "no route", None),
        retry_after: None,
    };
    let d = outbox.begin_send(T0).unwrap().unwrap();
    outbox.record(&d, &offline(), T0, 0.5).unwrap();
    let d = outbox.begin_send(u64::MAX / 2).unwrap().unwrap();
    outbox.record(&d, &offline(), T0 + 1, 0.5).unwrap();
    assert_eq!(kinds(outbox.store()), [EventKind::Start, EventKind::OfflineStart]);
    // A run that reached the Crous first (a 503 is an answer) records no offline start.
    let mut outbox = start(outbox.into_store(), T0 + 2);
    let d = outbox.begin_send(u64::MAX / 2).unwrap().unwrap();
    outbox.record(&d, &SendOutcome::from_response(503, &[], b"down"), T0 + 2, 0.5).unwrap();
    let d = outbox.begin_send(u64::MAX / 2).unwrap().unwrap();
    outbox.record(&d, &offline(), T0 + 3, 0.5).unwrap();
    assert_eq!(kinds(outbox.store()).last(), Some(&EventKind::Start));
}

#[test]
fn a_journal_broken_at_open_is_recorded_as_an_integrity_defect_and_refused() {
    let shared = Shared::default();
    let mut outbox = DurableOutbox::start(shared.process(0), POS, OutboxPolicy::default(), T0, "tests").unwrap();
    for t in tickets("2026-11-23", 2) {
        outbox.enqueue(t, T0).unwrap();
    }
    shared.memory().journal_mut(POS).pop();
    let refused = DurableOutbox::start(shared.process(1), POS, OutboxPolicy::default(), T0 + 5, "tests");
    let Err(OutboxError::JournalBroken(finding)) = refused.map(drop) else { panic!("not refused as broken") };
    let events = shared.load(POS).unwrap().events;
    assert_eq!(
        events.iter().map(|e| e.kind().unwrap()).collect::<Vec<_>>(),
        [EventKind::Start, EventKind::IntegrityDefect]
    );
    assert_eq!(events[1].detail, finding);
    assert!(finding.contains("truncated"), "{finding}");
    // The evidence is left as found: the head still counts the entry that is gone.
    assert_eq!(shared.load(POS).unwrap().head.unwrap().entry_count, 2);
}

#[test]
fn closing_records_its_start_and_its_closure_and_signs_it() {
    let mut outbox = with_sales(3);
    let key = TillKey::from_seed([9; 32]);
    let day: Period = "2026-11-23".parse().unwrap();
    outbox.close(day, Some(&key), T0 + 10).unwrap();
    assert_eq!(kinds(outbox.store()), [EventKind::Start, EventKind::ClosingStart, EventKind::PeriodClosure]);
    let closure = &outbox.store().load(POS).unwrap().closures[0];
    assert!(crate::journal::check_closure_signature(&key.public_key(), closure).is_ok());
    // A period that cannot close records nothing.
    assert!(outbox.close(day, Some(&key), T0 + 11).is_err());
    assert_eq!(kinds(outbox.store()).len(), 3);
    outbox.close("2026-11".parse().unwrap(), Some(&key), T0 + 12).unwrap();
    outbox.close("2026".parse().unwrap(), Some(&key), T0 + 13).unwrap();
    assert_eq!(kinds(outbox.store()).last(), Some(&EventKind::YearClosure));
}

#[test]
fn the_archive_holds_the_events_and_its_export_and_names_each_tampering() {
    let mut outbox = with_sales(3);
    let key = TillKey::from_seed([9; 32]);
    outbox.close("2026-11-23".parse().unwrap(), Some(&key), T0 + 10).unwrap();
    let archive = outbox.export_archive(&key, T0 + 20).unwrap();
    assert_eq!(archive.format_version, 2);
    let export = archive.events.last().unwrap();
    assert_eq!(export.kind(), Some(EventKind::Export));
    assert!(export.detail.contains(&key.public_key_hex()));
    let report = archive.verify(Some(&key.public_key()));
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!((report.events_verified, report.closures_unsigned), (4, 0));

    let mut deleted = archive.clone();
    deleted.events.remove(1);
    assert!(matches!(deleted.verify(None).first(), Some(Finding::Deleted { chain: Chain::Events, .. })));
    let mut cut = archive.clone();
    cut.events.pop();
    assert!(matches!(cut.verify(None).first(), Some(Finding::TruncatedTail { chain: Chain::Events, .. })));
    let mut altered = archive.clone();
    altered.events[0].detail = "another program".into();
    assert!(matches!(altered.verify(None).first(), Some(Finding::Altered { chain: Chain::Events, .. })));
    let mut resigned = archive.clone();
    resigned.closures[0].signature = Some(TillKey::from_seed([1; 32]).sign_closure(&archive.closures[0]));
    let findings = resigned.verify(None).findings;
    assert!(matches!(findings[..], [Finding::ClosureSignatureInvalid { sequence: 1, .. }]), "{findings:?}");
}

#[test]
fn an_archive_of_format_1_still_verifies() {
    let mut journal = crate::journal::Journal::new(POS);
    for t in tickets("2026-11-23", 2) {
        journal.append(t).unwrap();
    }
    let key = TillKey::from_seed([3; 32]);
    let mut value = serde_json::to_value(journal.export(&key).unwrap()).unwrap();
    // What version 1 wrote: no events, a head without event count, signed under "/1".
    value["formatVersion"] = 1.into();
    value.as_object_mut().unwrap().remove("events");
    let head: crate::journal::Head = serde_json::from_value(value["head"].clone()).unwrap();
    let signature = key.sign_head_as(&head, 1).unwrap();
    value["signature"] = serde_json::to_value(signature).unwrap();
    let archive = crate::journal::Archive::from_json(&value.to_string()).unwrap();
    let report = archive.verify(Some(&key.public_key()));
    assert!(report.is_ok(), "{:?}", report.findings);
}

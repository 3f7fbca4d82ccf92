//! Unit tests of the outbox, rule by rule, over the in-memory store.

use super::*;
use crate::builder::{build_ticket, Payment, SaleContext};
use crate::journal::{verify, AppendError, Period};
use crate::numbering::NumberingState;
use crate::outbox::TillJournal;
use crate::point_of_sale::PointOfSale;
use crate::pricing::{price_cart, CartItem};
use crate::reference::{CustomerProfile, ReferenceData};
use crate::ticket::{Ticket, TypeDistribution};
use std::time::Duration;

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const T0: u64 = 1_795_000_000_000;

/// One article at visitor price (also the client tests' reference).
pub(crate) fn reference() -> ReferenceData {
    serde_json::from_str(
        r#"{"tva": [{"codeTva": 1, "taux": 10}],
            "articles": [{"codeArticle": 101, "libelle": "Entrée", "codeTva": 1}],
            "periodes": [{"idPeriode": 1, "dateDebut": "2026-08-24"}],
            "articlesSocietesTarifsPeriodes": [
                {"codeArticle": 101, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": 1.10}]}"#,
    )
    .unwrap()
}

/// `n` finished tickets of one till, 1 to `n`, on `day` (YYYY-MM-DD).
pub(crate) fn tickets(day: &str, n: usize) -> Vec<Ticket> {
    let reference = reference();
    let mut numbering = NumberingState::default();
    (0..n)
        .map(|i| {
            let at = format!("{day}T12:{:02}:00.000+01:00", i % 60);
            let sale = SaleContext {
                version_logiciel: "outbox-tests".into(),
                id_logiciel: 39,
                type_distribution: TypeDistribution::SurPlace,
                sold_at: chrono::DateTime::parse_from_rfc3339(&at).unwrap(),
            };
            let priced = price_cart(
                &reference,
                &[CartItem::new(101, 1 + i as u32)],
                CustomerProfile::HOTE_DE_PASSAGE,
                sale.sold_at.date_naive(),
            )
            .unwrap();
            let built = build_ticket(&reference, &numbering, &sale, &priced, None, &Payment::CarteBancaire).unwrap();
            numbering = built.numbering;
            built.ticket
        })
        .collect()
}

fn open(store: MemoryStore) -> DurableOutbox<MemoryStore> {
    DurableOutbox::open(store, POS, OutboxPolicy::default()).unwrap()
}

fn with_tickets(n: usize) -> (DurableOutbox<MemoryStore>, Vec<Ticket>) {
    let tickets = tickets("2026-11-23", n);
    let mut outbox = open(MemoryStore::new());
    for t in &tickets {
        outbox.enqueue(t.clone(), T0).unwrap();
    }
    (outbox, tickets)
}

fn server_error() -> SendOutcome {
    SendOutcome::from_response(503, &[], b"down")
}

#[test]
fn enqueue_is_one_commit_of_journal_entry_head_and_row() {
    let ticket = tickets("2026-11-23", 1).remove(0);
    let outbox = Outbox::new(POS, OutboxPolicy::default());
    let commit = outbox.enqueue(ticket.clone(), T0).unwrap();
    let ops: Vec<&str> = commit
        .writes()
        .iter()
        .map(|w| match w {
            Write::AppendJournalEntry { .. } => "journal",
            Write::PutHead { .. } => "head",
            Write::InsertEntry { .. } => "row",
            _ => "other",
        })
        .collect();
    assert_eq!(ops, ["journal", "head", "row"]);
    // Planned, not applied: nothing to send yet.
    assert_eq!(outbox.next_to_send(T0), Next::Idle);
    let json = serde_json::to_value(&commit.writes()[2]).unwrap();
    assert_eq!(json["op"], "insertEntry");
    assert_eq!(json["entry"]["idTicketEntete"], "1");
    assert_eq!(json["entry"]["status"], "pending");
    assert_eq!(json["entry"]["nextAttemptAt"], T0);
    let mut outbox = outbox;
    assert_eq!(outbox.apply(commit).unwrap(), None);
    assert!(matches!(outbox.next_to_send(T0), Next::Due(e) if e.sequence == 1 && e.ticket == ticket));
    assert_eq!(outbox.head().entry_count, 1);
}

#[test]
fn a_row_round_trips_through_json() {
    let (outbox, _) = with_tickets(1);
    let row = outbox.outbox().entries().next().unwrap().clone();
    let text = serde_json::to_string(&row).unwrap();
    assert!(text.contains(r#""pointOfSale":{"idCrous":5"#), "{text}");
    assert_eq!(serde_json::from_str::<OutboxEntry>(&text).unwrap(), row);
}

#[test]
fn an_identical_ticket_is_enqueued_once_and_a_different_one_under_the_same_id_is_refused() {
    let (mut outbox, tickets) = with_tickets(2);
    let commits = outbox.store().commits();
    assert_eq!(outbox.enqueue(tickets[0].clone(), T0 + 5).unwrap(), Enqueued::AlreadyQueued { sequence: 1 });
    assert_eq!(outbox.store().commits(), commits, "nothing written");
    let mut other = tickets[0].clone();
    other.numero_ticket = Some("2611239".into());
    assert_eq!(outbox.enqueue(other, T0).unwrap_err(), OutboxError::ConflictingTicket { id: "1".into() });
    let mut t = tickets[1].clone();
    t.id_ticket_entete = None;
    assert_eq!(outbox.enqueue(t.clone(), T0).unwrap_err(), OutboxError::MissingTicketId);
    t.id_ticket_entete = Some("A12".into());
    assert_eq!(outbox.enqueue(t, T0).unwrap_err(), OutboxError::InvalidTicketId("A12".into()));
    assert_eq!(outbox.store().load(POS).unwrap().journal.len(), 2);
}

#[test]
fn a_number_not_above_the_last_is_refused() {
    let tickets = tickets("2026-11-23", 3);
    let mut outbox = open(MemoryStore::new());
    outbox.enqueue(tickets[0].clone(), T0).unwrap();
    outbox.enqueue(tickets[2].clone(), T0).unwrap();
    assert_eq!(
        outbox.enqueue(tickets[1].clone(), T0).unwrap_err(),
        OutboxError::TicketIdNotAfterLast { id: "2".into(), last: 3 }
    );
}

#[test]
fn an_unjournalable_ticket_is_not_queued() {
    let mut ticket = tickets("2026-11-23", 1).remove(0);
    ticket.date = None;
    let mut outbox = open(MemoryStore::new());
    assert_eq!(outbox.enqueue(ticket, T0).unwrap_err(), OutboxError::Journal(AppendError::NoBusinessDay));
    assert_eq!(outbox.store().commits(), 0);
    assert_eq!(outbox.outbox().next_to_send(T0), Next::Idle);
}

#[test]
fn accepted_and_duplicate_answers_deliver_for_good() {
    let (mut outbox, _) = with_tickets(2);
    let mark = outbox.outbox().begin_send(T0).unwrap();
    let json = serde_json::to_value(mark.writes()).unwrap();
    assert_eq!(json[0]["op"], "updateEntry");
    assert_eq!(json[0]["expectedRevision"], 1);
    assert_eq!(
        (json[0]["entry"]["status"].as_str(), json[0]["entry"]["revision"].as_u64()),
        (Some("sending"), Some(2))
    );
    assert_eq!(serde_json::from_value::<Vec<Write>>(json).unwrap(), mark.writes());
    let first = outbox.begin_send(T0).unwrap().unwrap();
    assert_eq!((first.sequence, first.attempt), (1, 1));
    assert!(matches!(outbox.outbox().next_to_send(T0), Next::InFlight(e) if e.sequence == 1));
    assert_eq!(outbox.begin_send(T0).unwrap(), None, "one ticket in flight at a time");
    outbox.record(&first, &SendOutcome::from_response(201, &[], b""), T0 + 1, 0.5).unwrap();
    let second = outbox.begin_send(T0 + 2).unwrap().unwrap();
    assert_eq!(second.id_ticket_entete, "2");
    outbox.record(&second, &SendOutcome::from_response(409, &[], b""), T0 + 3, 0.5).unwrap();
    assert_eq!(outbox.outbox().next_to_send(T0 + 10), Next::Idle);
    let rows: Vec<_> = outbox.outbox().entries().map(|e| (e.status, e.delivery, e.delivered_at)).collect();
    assert_eq!(
        rows,
        [
            (Status::Delivered, Some(Delivery::Accepted), Some(T0 + 1)),
            (Status::Delivered, Some(Delivery::AlreadyReceived), Some(T0 + 3))
        ]
    );
    // Recording again, or for a send that is over, is refused.
    assert_eq!(
        outbox.record(&first, &SendOutcome::Accepted, T0, 0.5).unwrap_err(),
        OutboxError::NotInFlight { sequence: 1 }
    );
    let view = outbox.view(T0);
    assert_eq!((view.pending, view.sending, view.delivered, view.refused), (0, 0, 2, 0));
    assert_eq!(view.oldest_pending, None);
}

#[test]
fn a_failing_ticket_holds_later_ones_back_until_its_backoff_ends() {
    let (mut outbox, _) = with_tickets(2);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    outbox.record(&d, &server_error(), T0, 1.0).unwrap();
    let wait_until = T0 + 5_000;
    match outbox.outbox().next_to_send(T0 + 4_999) {
        Next::WaitUntil { at, entry } => assert_eq!((at, entry.sequence), (wait_until, 1)),
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.begin_send(T0 + 4_999).unwrap(), None, "ticket 2 does not overtake ticket 1");
    let view = outbox.view(T0 + 1);
    assert_eq!(view.next_attempt_at, Some(wait_until));
    assert_eq!(view.last_error.as_ref().map(|e| (e.code.as_str(), e.status)), Some(("crous.server_error", Some(503))));
    assert_eq!(view.oldest_pending.as_ref().map(|e| e.attempts), Some(1));
    let again = outbox.begin_send(wait_until).unwrap().unwrap();
    assert_eq!((again.sequence, again.attempt), (1, 2));
    // The second failure waits twice as long; a 429's Retry-After is honoured when longer.
    outbox.record(&again, &server_error(), wait_until, 1.0).unwrap();
    assert!(matches!(outbox.outbox().next_to_send(0), Next::WaitUntil { at, .. } if at == wait_until + 10_000));
    let third = outbox.begin_send(wait_until + 10_000).unwrap().unwrap();
    let h = vec![("Retry-After".to_string(), "120".to_string())];
    outbox.record(&third, &SendOutcome::from_response(429, &h, b""), wait_until + 10_000, 1.0).unwrap();
    assert!(matches!(outbox.outbox().next_to_send(0), Next::WaitUntil { at, .. } if at == wait_until + 130_000));
}

#[test]
fn a_timeout_is_retried_like_a_server_error() {
    let (mut outbox, _) = with_tickets(1);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    let timeout = crate::api::execution::ExecutorError::Timeout { endpoint: "crous.tickets", attempts: 3 };
    outbox.record(&d, &SendOutcome::from_executor_error(&timeout), T0, 0.0).unwrap();
    let row = outbox.outbox().entry("1").unwrap();
    assert_eq!((row.status, row.next_attempt_at), (Status::Pending, T0 + 2_500));
    assert_eq!(row.last_error.as_ref().unwrap().code, "network.timeout");
}

#[test]
fn a_refused_ticket_is_parked_shown_and_can_be_requeued() {
    let (mut outbox, _) = with_tickets(2);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    let body = br#"{"errors":[{"code":"-9","message":"support inconnu","field":"idSupport"}]}"#;
    outbox.record(&d, &SendOutcome::from_response(422, &[], body), T0 + 1, 0.5).unwrap();
    // The queue goes on with ticket 2.
    let next = outbox.begin_send(T0 + 1).unwrap().unwrap();
    assert_eq!(next.sequence, 2);
    outbox.record(&next, &SendOutcome::Accepted, T0 + 2, 0.5).unwrap();
    let view = outbox.view(T0 + 3);
    assert_eq!((view.pending, view.delivered, view.refused), (0, 1, 1));
    assert_eq!(view.refused_tickets.len(), 1);
    let refused = &view.refused_tickets[0];
    assert_eq!((refused.id_ticket_entete.as_str(), refused.status), ("1", Status::Refused));
    assert_eq!(refused.last_error.as_ref().unwrap().code, "crous.unprocessable");
    assert!(refused.last_error.as_ref().unwrap().message.contains("idSupport"));
    assert_eq!(view.last_error.as_ref().unwrap().code, "crous.unprocessable");
    assert_eq!(outbox.outbox().next_to_send(T0 + 3), Next::Idle);
    // Requeued once its cause is fixed: back first in line, attempts reset.
    assert_eq!(outbox.requeue_refused("2", T0).unwrap_err(), OutboxError::NotRefused { id: "2".into() });
    assert_eq!(outbox.requeue_refused("9", T0).unwrap_err(), OutboxError::UnknownTicket { id: "9".into() });
    outbox.requeue_refused("1", T0 + 4).unwrap();
    let again = outbox.begin_send(T0 + 4).unwrap().unwrap();
    assert_eq!((again.sequence, again.attempt), (1, 1));
}

#[test]
fn a_401_stops_the_queue_until_authenticated_and_is_not_an_attempt() {
    let (mut outbox, _) = with_tickets(1);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    outbox.record(&d, &SendOutcome::from_response(401, &[], b""), T0, 0.5).unwrap();
    assert_eq!(outbox.outbox().next_to_send(T0), Next::Authenticate);
    assert!(outbox.view(T0).needs_authentication);
    assert_eq!(outbox.begin_send(T0).unwrap(), None);
    outbox.authenticated();
    let again = outbox.begin_send(T0).unwrap().unwrap();
    assert_eq!(again.attempt, 1, "the 401 did not count");
    // A second 401 in a row: authenticate again, and wait a backoff so a bad key cannot spin.
    outbox.record(&again, &SendOutcome::Unauthorized, T0, 1.0).unwrap();
    outbox.authenticated();
    assert!(matches!(outbox.outbox().next_to_send(T0), Next::WaitUntil { at, .. } if at == T0 + 5_000));
}

#[test]
fn a_crash_after_the_sending_mark_resends_on_restart() {
    let (mut outbox, tickets) = with_tickets(2);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    assert_eq!(outbox.outbox().entry("1").unwrap().status, Status::Sending);
    // The process dies with the request out: only the store survives.
    let mut outbox = open(outbox.into_store());
    assert!(matches!(outbox.outbox().next_to_send(0), Next::Due(e) if e.sequence == 1 && e.status == Status::Sending));
    // The old dispatch is void.
    assert_eq!(
        outbox.record(&d, &SendOutcome::Accepted, T0, 0.5).unwrap_err(),
        OutboxError::NotInFlight { sequence: 1 }
    );
    let again = outbox.begin_send(T0 + 1).unwrap().unwrap();
    assert_eq!((again.sequence, again.attempt, &again.ticket), (1, 2, &tickets[0]));
    outbox.record(&again, &SendOutcome::AlreadyReceived, T0 + 2, 0.5).unwrap();
    assert_eq!(outbox.begin_send(T0 + 2).unwrap().unwrap().sequence, 2);
}

#[test]
fn a_failed_store_write_changes_nothing() {
    let (mut outbox, tickets) = with_tickets(1);
    let before = (outbox.view(T0), outbox.store().load(POS).unwrap());
    outbox.store_mut().fail_next_commit(StoreError::Failed("quota exceeded".into()));
    let more = super::tests::tickets("2026-11-23", 2).remove(1);
    assert_eq!(
        outbox.enqueue(more.clone(), T0).unwrap_err(),
        OutboxError::Store(StoreError::Failed("quota exceeded".into()))
    );
    outbox.store_mut().fail_next_commit(StoreError::Failed("disk".into()));
    assert!(outbox.begin_send(T0).is_err());
    assert_eq!((outbox.view(T0), outbox.store().load(POS).unwrap()), before);
    // Nothing was handed out: the ticket is still due, and goes once the store works.
    assert_eq!(outbox.begin_send(T0).unwrap().unwrap().ticket, tickets[0]);
    assert_eq!(outbox.enqueue(more, T0).unwrap(), Enqueued::Queued { sequence: 2 });
}

#[test]
fn a_commit_is_applied_once_and_in_order() {
    let t = tickets("2026-11-23", 2);
    let mut outbox = Outbox::new(POS, OutboxPolicy::default());
    let first = outbox.enqueue(t[0].clone(), T0).unwrap();
    let stale = outbox.enqueue(t[0].clone(), T0).unwrap();
    outbox.apply(first.clone()).unwrap();
    assert_eq!(outbox.apply(stale).unwrap_err(), OutboxError::StaleCommit);
    assert_eq!(outbox.apply(first).unwrap_err(), OutboxError::StaleCommit);
    assert_eq!(outbox.entries().count(), 1);
}

#[test]
fn a_second_writer_cannot_overwrite_a_newer_row() {
    let (mut outbox, _) = with_tickets(1);
    let d = outbox.begin_send(T0).unwrap().unwrap();
    // Another tab delivered it meanwhile.
    let mut theirs = outbox.outbox().entry("1").unwrap().clone();
    theirs.status = Status::Delivered;
    theirs.revision += 1;
    outbox.store_mut().overwrite_row(theirs.clone());
    assert!(matches!(outbox.record(&d, &server_error(), T0, 0.5), Err(OutboxError::Store(StoreError::Conflict(_)))));
    let reopened = open(outbox.into_store());
    assert_eq!(reopened.outbox().entry("1").unwrap(), &theirs);
    assert_eq!(reopened.outbox().next_to_send(T0), Next::Idle);
}

#[test]
fn the_journal_holds_the_queued_tickets_and_closes_through_the_outbox() {
    let (mut outbox, tickets) = with_tickets(3);
    let day = Period::Day(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let journal = outbox.store().load(POS).unwrap().journal;
    assert_eq!(
        outbox.outbox().plan_closure(day, &journal[1..]).unwrap_err(),
        OutboxError::ClosureEntries { from: 1, to: 3 }
    );
    outbox.close(day, None, T0).unwrap();
    let stored = outbox.store().load(POS).unwrap();
    assert_eq!(stored.journal.iter().map(|e| &e.ticket).collect::<Vec<_>>(), tickets.iter().collect::<Vec<_>>());
    assert_eq!(stored.closures.len(), 1);
    let report = verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref());
    assert!(report.is_ok(), "{:?}", report.findings);
    // A sale dated in the closed day is refused, and nothing is queued.
    let late = super::tests::tickets("2026-11-23", 4).remove(3);
    assert!(matches!(outbox.enqueue(late, T0), Err(OutboxError::Journal(AppendError::PeriodClosed { .. }))));
    // The next day's sales go on after a restart.
    let mut outbox = open(outbox.into_store());
    let mut next_day = super::tests::tickets("2026-11-24", 5).remove(4);
    next_day.id_ticket_entete = Some("4".into());
    assert_eq!(outbox.enqueue(next_day, T0).unwrap(), Enqueued::Queued { sequence: 4 });
    let stored = outbox.store().load(POS).unwrap();
    assert!(verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref()).is_ok());
}

#[test]
fn restoring_refuses_rows_that_disagree_with_the_journal() {
    let (outbox, _) = with_tickets(2);
    let store = outbox.into_store();
    let mut forged = store.load(POS).unwrap().rows[1].clone();
    forged.ticket.numero_ticket = Some("999".into());
    let mut bad = store.clone();
    bad.overwrite_row(forged);
    assert!(matches!(DurableOutbox::open(bad, POS, OutboxPolicy::default()), Err(OutboxError::Corrupt(_))));
    let mut beyond = store.load(POS).unwrap().rows[1].clone();
    beyond.sequence = 7;
    let mut bad = store.clone();
    bad.overwrite_row(beyond);
    assert!(matches!(DurableOutbox::open(bad, POS, OutboxPolicy::default()), Err(OutboxError::Corrupt(_))));
    // Rows past the journal's end are refused.
    let snapshot = store.load(POS).unwrap();
    let r = Outbox::restore(
        POS,
        OutboxPolicy::default(),
        snapshot.rows,
        crate::journal::EntryTip::genesis(POS),
        crate::journal::ClosureState::genesis(POS),
    );
    assert!(matches!(r, Err(OutboxError::Corrupt(_))));
    // A journal cut short is caught by the head marker: nothing is sent from it.
    let mut cut = store.clone();
    cut.journal_mut(POS).pop();
    match DurableOutbox::open(cut, POS, OutboxPolicy::default()) {
        Err(OutboxError::JournalBroken(finding)) => assert!(finding.contains("truncated"), "{finding}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_policy_default_matches_its_doc() {
    assert_eq!(OutboxPolicy::default().delay(1, None, 1.0), Duration::from_secs(5));
}

#[test]
fn errors_have_stable_codes() {
    use crate::error_code::ErrorCode;
    let cases: Vec<(OutboxError, &str)> = vec![
        (OutboxError::ConflictingTicket { id: "1".into() }, "outbox.conflicting_ticket"),
        (OutboxError::TicketIdNotAfterLast { id: "1".into(), last: 2 }, "outbox.ticket_id_not_after_last"),
        (OutboxError::Journal(AppendError::NoBusinessDay), "journal.no_business_day"),
        (OutboxError::NotInFlight { sequence: 1 }, "outbox.not_in_flight"),
        (OutboxError::Store(StoreError::Conflict("x".into())), "outbox.store_conflict"),
        (OutboxError::Store(StoreError::Failed("x".into())), "outbox.store_failed"),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code, "{error}");
    }
}

#[test]
fn delivered_rows_are_pruned_but_never_journaled_or_sent_again() {
    let (mut outbox, tickets) = with_tickets(4);
    for at in [T0, T0 + 10, T0 + 20] {
        let d = outbox.begin_send(at).unwrap().unwrap();
        outbox.record(&d, &SendOutcome::Accepted, at, 0.5).unwrap();
    }
    // Rows 1 and 2 were delivered before T0 + 15; 3 after; 4 is pending.
    assert_eq!(outbox.prune_delivered(T0 + 15).unwrap(), 2);
    assert_eq!(outbox.prune_delivered(T0 + 15).unwrap(), 0);
    let view = outbox.view(T0);
    assert_eq!((view.delivered, view.pending), (1, 1));
    assert_eq!(
        outbox.enqueue(tickets[0].clone(), T0).unwrap_err(),
        OutboxError::TicketIdNotAfterLast { id: "1".into(), last: 4 }
    );
    let stored = outbox.store().load(POS).unwrap();
    assert_eq!((stored.rows.len(), stored.journal.len()), (2, 4), "the journal keeps every ticket");
    // After a restart the queue goes on where it was.
    let mut outbox = open(outbox.into_store());
    let d = outbox.begin_send(T0 + 30).unwrap().unwrap();
    assert_eq!(d.sequence, 4);
    outbox.record(&d, &SendOutcome::Accepted, T0 + 30, 0.5).unwrap();
    // The newest row stays, even delivered, so its number still bars older ones.
    assert_eq!(outbox.prune_delivered(u64::MAX).unwrap(), 1);
    assert_eq!(outbox.outbox().entries().map(|e| e.sequence).collect::<Vec<_>>(), [4]);
    assert_eq!(outbox.enqueue(tickets[3].clone(), T0).unwrap(), Enqueued::AlreadyQueued { sequence: 4 });
    assert!(matches!(outbox.enqueue(tickets[2].clone(), T0), Err(OutboxError::TicketIdNotAfterLast { .. })));
    assert_eq!(outbox.outbox().next_to_send(u64::MAX), Next::Idle);
}

#[test]
fn the_stored_journal_exports_as_a_signed_archive_and_a_broken_one_does_not() {
    let (mut outbox, _) = with_tickets(3);
    let key = crate::journal::TillKey::from_seed([7; 32]);
    outbox.close("2026-11-23".parse().unwrap(), Some(&key), T0).unwrap();
    let archive = outbox.export_archive(&key, T0).unwrap();
    assert_eq!((archive.entries.len(), archive.closures.len()), (3, 1));
    let reports = z_reports(POS, outbox.store().load(POS).unwrap()).unwrap();
    assert_eq!((reports.len(), &reports[0].totals), (1, &archive.closures[0].totals));
    assert!(archive.verify(Some(&key.public_key())).is_ok());
    // An amount changed in the store: the journal no longer verifies, nothing is signed.
    let payments = outbox.store_mut().journal_mut(POS)[1].ticket.liste_reglements.as_mut().unwrap();
    payments[0].montant = Some(crate::Decimal::ONE);
    assert!(matches!(outbox.export_archive(&key, T0), Err(OutboxError::JournalBroken(_))));
}

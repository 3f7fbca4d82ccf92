//! The journal's chains: every kind of tampering with entries and closures is named, and the
//! rules of appending and closing hold.

mod journal_common;

use crous_till_core::journal::{
    AppendError, Chain, CloseError, ClosureKind, Finding, Journal, Period, Witness, GENESIS_HASH,
};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::ticket::{LigneTicket, Reglement, Ticket};
use crous_till_core::Decimal;
use journal_common::*;

fn first(
    journal_entries: &[crous_till_core::journal::JournalEntry],
    closures: &[crous_till_core::journal::Closure],
    head: Option<&crous_till_core::journal::Head>,
) -> Option<Finding> {
    crous_till_core::journal::verify(&POS, journal_entries, closures, head).first().cloned()
}

#[test]
fn an_untouched_journal_verifies() {
    let j = sample_journal();
    assert_eq!(j.entries().len(), 5);
    assert_eq!(j.closures().len(), 5);
    let report = j.verify(Some(&j.head()));
    assert!(report.is_ok(), "{:?}", report.findings);
    assert_eq!((report.entries_verified, report.closures_verified), (5, 5));
    assert_eq!(j.entries()[0].previous_hash, GENESIS_HASH);
    assert_eq!(j.entries()[1].previous_hash, j.entries()[0].hash);
}

#[test]
fn an_altered_entry_is_named() {
    let j = sample_journal();
    let mut entries = j.entries().to_vec();
    entries[2].ticket.liste_lignes.as_mut().unwrap()[0].total_ttc = Some(d(1));
    match first(&entries, j.closures(), Some(&j.head())) {
        Some(Finding::Altered { chain: Chain::Entries, sequence: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deleted_entry_is_named() {
    let j = sample_journal();
    let mut entries = j.entries().to_vec();
    entries.remove(1);
    let f = first(&entries, j.closures(), Some(&j.head())).unwrap();
    assert_eq!(f, Finding::Deleted { chain: Chain::Entries, position: 1, missing_from: 2, missing_to: 2 });
    assert_eq!(f.to_string(), "entry 2 was deleted (sequence gap)");
}

#[test]
fn reordered_entries_are_named() {
    let j = sample_journal();
    let mut entries = j.entries().to_vec();
    entries.swap(0, 1);
    assert_eq!(
        first(&entries, j.closures(), Some(&j.head())),
        Some(Finding::Reordered { chain: Chain::Entries, position: 0, expected: 1, found: 2 })
    );
    // Moving one entry to the end is a reorder too, not a deletion.
    let mut entries = j.entries().to_vec();
    let moved = entries.remove(2);
    entries.push(moved);
    assert_eq!(
        first(&entries, j.closures(), None),
        Some(Finding::Reordered { chain: Chain::Entries, position: 2, expected: 3, found: 4 })
    );
}

#[test]
fn a_truncated_entry_tail_is_named_by_the_head_marker() {
    let mut j = sample_journal();
    let mut till = Till::new(standard_reference());
    till.numbering = crous_till_core::numbering::NumberingState::starting_at(100);
    j.append(till.sell("2027-01-03T12:00:00.000+01:00", &[(0, Decimal::ONE)], 4)).unwrap();
    let head = j.head();
    let entries = &j.entries()[..5];
    assert_eq!(
        first(entries, j.closures(), Some(&head)),
        Some(Finding::TruncatedTail {
            chain: Chain::Entries,
            expected_count: 6,
            found_count: 5,
            witness: Witness::Head
        })
    );
    // Without the head marker, a tail after the last closure cannot be seen missing: that is
    // why the head is kept apart.
    assert_eq!(first(entries, j.closures(), None), None);
}

#[test]
fn a_truncated_entry_tail_is_named_by_the_closure_that_sealed_it() {
    let j = sample_journal();
    let entries = &j.entries()[..3];
    assert_eq!(
        first(entries, j.closures(), None),
        Some(Finding::TruncatedTail {
            chain: Chain::Entries,
            expected_count: 5,
            found_count: 3,
            witness: Witness::Closure { sequence: 5 }
        })
    );
}

#[test]
fn a_replaced_and_rehashed_entry_breaks_the_next_link() {
    let j = sample_journal();
    let mut entries = j.entries().to_vec();
    entries[2].ticket.liste_reglements.as_mut().unwrap()[0].code_reglement = Some(4);
    entries[2].hash = entries[2].compute_hash().unwrap();
    assert_eq!(first(&entries, j.closures(), None), Some(Finding::Relinked { chain: Chain::Entries, sequence: 4 }));
}

#[test]
fn a_rehashed_chain_is_caught_by_its_witnesses() {
    let j = sample_journal();
    // Re-hash from entry 4 to the end: the chain is consistent again, but closure 5 sealed entry 5.
    let mut entries = j.entries().to_vec();
    entries[3].ticket.numero_ticket = Some("999".into());
    for i in 3..entries.len() {
        entries[i].previous_hash = entries[i - 1].hash.clone();
        entries[i].hash = entries[i].compute_hash().unwrap();
    }
    assert_eq!(
        first(&entries, j.closures(), Some(&j.head())),
        Some(Finding::Rewritten { chain: Chain::Entries, sequence: 5, witness: Witness::Closure { sequence: 5 } })
    );
    // An unclosed last entry re-hashed: only the head marker knows.
    let mut j = sample_journal();
    let mut till = Till::new(standard_reference());
    till.numbering = crous_till_core::numbering::NumberingState::starting_at(100);
    j.append(till.sell("2027-01-03T12:00:00.000+01:00", &[(0, Decimal::ONE)], 4)).unwrap();
    let mut entries = j.entries().to_vec();
    entries[5].ticket.liste_lignes.as_mut().unwrap()[0].total_ttc = Some(d(1));
    entries[5].hash = entries[5].compute_hash().unwrap();
    assert_eq!(
        first(&entries, j.closures(), Some(&j.head())),
        Some(Finding::Rewritten { chain: Chain::Entries, sequence: 6, witness: Witness::Head })
    );
}

#[test]
fn another_tills_journal_is_foreign() {
    let j = sample_journal();
    let other = PointOfSale::new(5, 1, 9, 8, 15);
    let report = crous_till_core::journal::verify(&other, j.entries(), j.closures(), None);
    assert_eq!(report.first(), Some(&Finding::ForeignPointOfSale { chain: Chain::Entries, sequence: 1, found: POS }));
}

#[test]
fn an_altered_closure_is_named() {
    let j = sample_journal();
    let mut closures = j.closures().to_vec();
    closures[1].totals.total_ttc += d(100);
    match first(j.entries(), &closures, Some(&j.head())) {
        Some(Finding::Altered { chain: Chain::Closures, sequence: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deleted_closure_is_named() {
    let j = sample_journal();
    let mut closures = j.closures().to_vec();
    closures.remove(2);
    assert_eq!(
        first(j.entries(), &closures, Some(&j.head())),
        Some(Finding::Deleted { chain: Chain::Closures, position: 2, missing_from: 3, missing_to: 3 })
    );
}

#[test]
fn reordered_closures_are_named() {
    let j = sample_journal();
    let mut closures = j.closures().to_vec();
    closures.swap(2, 3);
    assert_eq!(
        first(j.entries(), &closures, Some(&j.head())),
        Some(Finding::Reordered { chain: Chain::Closures, position: 2, expected: 3, found: 4 })
    );
}

#[test]
fn a_truncated_closure_tail_is_named() {
    let j = sample_journal();
    let closures = &j.closures()[..3];
    let f = first(j.entries(), closures, Some(&j.head())).unwrap();
    assert_eq!(
        f,
        Finding::TruncatedTail { chain: Chain::Closures, expected_count: 5, found_count: 3, witness: Witness::Head }
    );
    assert_eq!(f.to_string(), "truncated tail: the head marker proves at least 5 closures, only 3 remain");
}

#[test]
fn forged_totals_in_a_rehashed_closure_chain_do_not_add_up() {
    let j = sample_journal();
    let mut closures = j.closures().to_vec();
    // Month 2026-12 (closure 3) claims 1 € less, and the closure chain is re-hashed from there.
    closures[2].totals.total_ttc -= d(100);
    for i in 2..closures.len() {
        closures[i].previous_hash = closures[i - 1].hash.clone();
        closures[i].hash = closures[i].compute_hash().unwrap();
    }
    match first(j.entries(), &closures, None) {
        Some(Finding::ClosureMismatch { sequence: 3, field, .. }) => assert_eq!(field, "totals"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn appending_keeps_days_in_order_and_closed_periods_closed() {
    let mut j = sample_journal();
    let mut till = Till::new(standard_reference());
    let one = Decimal::ONE;
    assert_eq!(
        j.append(till.sell("2027-01-01T12:00:00.000+01:00", &[(0, one)], 4)).unwrap_err(),
        AppendError::DateBeforePrevious { previous: day("2027-01-02"), day: day("2027-01-01") }
    );
    assert_eq!(
        j.append(till.sell("2027-01-02T18:00:00.000+01:00", &[(0, one)], 4)).unwrap_err(),
        AppendError::PeriodClosed { closed_through: day("2027-01-02"), day: day("2027-01-02") }
    );
    let mut fresh = Journal::new(POS);
    assert_eq!(fresh.append(Ticket::default()).unwrap_err(), AppendError::NoBusinessDay);
    let incomplete = Ticket {
        date: Some("2027-01-05T12:00:00+01:00".into()),
        liste_lignes: Some(vec![LigneTicket { code_tva: Some(1), total_ttc: Some(d(100)), ..LigneTicket::default() }]),
        liste_reglements: Some(vec![Reglement::default()]),
        ..Ticket::default()
    };
    assert_eq!(fresh.append(incomplete).unwrap_err(), AppendError::Incomplete("listeLignes[0].totalHt".into()));
    assert!(fresh.entries().is_empty(), "a refused ticket leaves no entry");
}

#[test]
fn closing_goes_in_order_and_months_need_their_days() {
    let mut till = Till::new(standard_reference());
    let one = Decimal::ONE;
    let mut j = Journal::new(POS);
    j.append(till.sell("2027-03-01T12:00:00.000+01:00", &[(0, one)], 4)).unwrap();
    j.append(till.sell("2027-03-02T12:00:00.000+01:00", &[(1, one)], 9)).unwrap();
    assert_eq!(
        j.close(Period::Day(day("2027-03-02"))).unwrap_err(),
        CloseError::EarlierPeriodOpen {
            kind: ClosureKind::Day,
            sequence: 1,
            day: day("2027-03-01"),
            open: Period::Day(day("2027-03-01"))
        }
    );
    j.close(Period::Day(day("2027-03-01"))).unwrap();
    assert_eq!(
        j.close(Period::month(2027, 3).unwrap()).unwrap_err(),
        CloseError::FinerNotClosed {
            finer: ClosureKind::Day,
            sequence: 2,
            day: day("2027-03-02"),
            open: Period::Day(day("2027-03-02"))
        }
    );
    assert!(matches!(j.close(Period::Day(day("2027-03-01"))), Err(CloseError::AlreadyClosed { .. })));
    j.close(Period::Day(day("2027-03-02"))).unwrap();
    assert_eq!(
        j.close(Period::Year(2027)).unwrap_err(),
        CloseError::FinerNotClosed {
            finer: ClosureKind::Month,
            sequence: 1,
            day: day("2027-03-01"),
            open: Period::month(2027, 3).unwrap()
        }
    );
    j.close(Period::month(2027, 3).unwrap()).unwrap();
    assert_eq!(
        j.close(Period::Day(day("2027-03-20"))).unwrap_err(),
        CloseError::InsideClosedPeriod {
            period: Period::Day(day("2027-03-20")),
            closed: Period::month(2027, 3).unwrap()
        }
    );
    // A day without sales closes with zero totals and seals the same entry as the day before.
    let empty = j.close(Period::Day(day("2027-04-01"))).unwrap().clone();
    assert_eq!(empty.totals.ticket_count, 0);
    assert_eq!(empty.totals.total_ttc, Decimal::ZERO);
    assert_eq!((empty.first_sequence, empty.through_sequence), (3, 2));
    assert_eq!(empty.through_hash, j.entries()[1].hash);
    assert_eq!(empty.grand_total.total_ttc, d(330 + 55));
    assert!(j.verify(Some(&j.head())).is_ok());
}

#[test]
fn closures_total_per_vat_code_and_payment_method() {
    let j = sample_journal();
    let c = &j.closures();
    // Day 2026-12-30: 3.30 (code 1) + 2 × 0.55 (code 2) paid Izly; 1.20 (code 3) paid CB.
    assert_eq!((c[0].kind, c[0].period.to_string()), (ClosureKind::Day, "2026-12-30".to_owned()));
    assert_eq!(c[0].totals.total_ttc, d(330 + 110 + 120));
    let vat: Vec<(u32, Decimal)> = c[0].totals.vat.iter().map(|v| (v.code_tva, v.total_ttc)).collect();
    assert_eq!(vat, vec![(1, d(330)), (2, d(110)), (3, d(120))]);
    let pay: Vec<(u32, u64, Decimal)> =
        c[0].totals.payments.iter().map(|p| (p.code_reglement, p.count, p.montant)).collect();
    assert_eq!(pay, vec![(4, 1, d(120)), (9, 1, d(440))]);
    for v in &c[0].totals.vat {
        assert_eq!(v.total_ht + v.total_tva, v.total_ttc);
    }
    // 2026-12-31 23:59 +01:00 is still the 31st; month and year are the sum of both days.
    assert_eq!(c[1].totals.total_ttc, d(60));
    assert_eq!(c[2].totals, c[0].totals.add(&c[1].totals).unwrap());
    assert_eq!(c[3].totals, c[2].totals);
    // Perpetual grand total runs on across the year end.
    assert_eq!(c[4].grand_total.total_ttc, d(560 + 60 + 330 + 55 + 120));
    assert_eq!(c[4].grand_total.ticket_count, 5);
}

#[test]
fn restore_continues_a_sound_journal_and_refuses_a_broken_one() {
    let j = sample_journal();
    let head = j.head();
    let mut restored =
        Journal::restore(POS, j.entries().to_vec(), j.closures().to_vec(), Vec::new(), Some(&head)).unwrap();
    let mut till = Till::new(standard_reference());
    till.numbering = crous_till_core::numbering::NumberingState::starting_at(100);
    let e = restored.append(till.sell("2027-01-03T12:00:00.000+01:00", &[(0, Decimal::ONE)], 4)).unwrap();
    assert_eq!((e.sequence, e.previous_hash.clone()), (6, head.last_entry_hash.clone()));

    let mut entries = j.entries().to_vec();
    entries.pop();
    let report = Journal::restore(POS, entries, j.closures().to_vec(), Vec::new(), Some(&head)).unwrap_err();
    assert!(matches!(report.first(), Some(Finding::TruncatedTail { .. })));
}

#[test]
fn the_canonical_body_is_the_documented_one() {
    let ticket = Ticket {
        id_ticket_entete: Some("1".into()),
        date: Some("2027-01-02T11:30:00.000+01:00".into()),
        liste_lignes: Some(vec![LigneTicket {
            numero_ligne: Some(1),
            code_tva: Some(1),
            quantite: Some(Decimal::new(100, 2)),
            total_ht: Some(d(300)),
            total_ttc: Some(d(330)),
            ..LigneTicket::default()
        }]),
        liste_reglements: Some(vec![Reglement {
            code_reglement: Some(4),
            montant: Some(d(330)),
            ..Reglement::default()
        }]),
        ..Ticket::default()
    };
    let mut j = Journal::new(POS);
    let entry = j.append(ticket).unwrap().clone();
    assert_eq!(
        entry.canonical_body().unwrap(),
        concat!(
            r#"{"formatVersion":1,"pointOfSale":{"idCaisse":14,"idCrous":5,"idRu":9,"idUd":8,"idUg":1},"sequence":1,"#,
            r#""ticket":{"date":"2027-01-02T11:30:00.000+01:00","idTicketEntete":"1","#,
            r#""listeLignes":[{"codeTva":1,"numeroLigne":1,"quantite":1,"totalHt":3,"totalTtc":3.3}],"#,
            r#""listeReglements":[{"codeReglement":4,"montant":3.3}]}}"#
        )
    );
    // SHA-256 of 64 zeros followed by the text above (checked with Python's hashlib): pinned, so
    // a format change cannot slip in.
    assert_eq!(entry.hash, "2b56b498014c8faa42a713344e786c7b7889022d4481ffa4b0abb54786dce819");
}

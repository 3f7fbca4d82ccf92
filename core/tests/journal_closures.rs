//! Property: over random sales (carts, prices, quantities, payment methods, days across a month
//! and a year end), closures add up to the tickets to the cent: per VAT code, per payment
//! method, per day, month and year, and the perpetual grand total.

mod journal_common;

use chrono::{Datelike, Duration, NaiveDate};
use crous_till_core::journal::{ClosureKind, Journal, Period, Totals};
use crous_till_core::money::is_whole_cents;
use crous_till_core::ticket::Ticket;
use crous_till_core::Decimal;
use journal_common::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Totals computed here, straight from tickets, independently of the journal's code.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sums {
    count: u64,
    ht: Decimal,
    ttc: Decimal,
    vat: BTreeMap<u32, (Decimal, Decimal)>,
    pay: BTreeMap<u32, (u64, Decimal)>,
}

impl Sums {
    fn of_tickets<'a>(tickets: impl IntoIterator<Item = &'a Ticket>) -> Sums {
        let mut s = Sums::default();
        for t in tickets {
            s.count += 1;
            for l in t.liste_lignes.iter().flatten() {
                let (ht, ttc) = (l.total_ht.unwrap(), l.total_ttc.unwrap());
                s.ht += ht;
                s.ttc += ttc;
                let v = s.vat.entry(l.code_tva.unwrap()).or_default();
                *v = (v.0 + ht, v.1 + ttc);
            }
            for r in t.liste_reglements.iter().flatten() {
                let p = s.pay.entry(r.code_reglement.unwrap()).or_default();
                *p = (p.0 + 1, p.1 + r.montant.unwrap());
            }
        }
        s
    }

    fn of_totals(t: &Totals) -> Sums {
        Sums {
            count: t.ticket_count,
            ht: t.total_ht,
            ttc: t.total_ttc,
            vat: t.vat.iter().map(|v| (v.code_tva, (v.total_ht, v.total_ttc))).collect(),
            pay: t.payments.iter().map(|p| (p.code_reglement, (p.count, p.montant))).collect(),
        }
    }

    fn plus(&self, o: &Sums) -> Sums {
        let mut s = self.clone();
        s.count += o.count;
        s.ht += o.ht;
        s.ttc += o.ttc;
        for (k, v) in &o.vat {
            let e = s.vat.entry(*k).or_default();
            *e = (e.0 + v.0, e.1 + v.1);
        }
        for (k, v) in &o.pay {
            let e = s.pay.entry(*k).or_default();
            *e = (e.0 + v.0, e.1 + v.1);
        }
        s
    }
}

#[derive(Debug, Clone)]
struct Sale {
    day: u32,
    minute: u32,
    items: Vec<(usize, Decimal)>,
    code_reglement: u32,
}

const ARTICLES: usize = 6;

fn quantity() -> impl Strategy<Value = Decimal> {
    prop_oneof![Just(Decimal::ONE), Just(Decimal::TWO), Just(Decimal::from(3)), Just(Decimal::new(5, 1))]
}

fn sale() -> impl Strategy<Value = Sale> {
    (
        0u32..75,
        0u32..1440,
        prop::collection::vec((0..ARTICLES, quantity()), 1..4),
        prop::sample::select(vec![4u32, 9, 12]),
    )
        .prop_map(|(day, minute, items, code_reglement)| Sale { day, minute, items, code_reglement })
}

fn total_check(t: &Totals) {
    let vat_ttc: Decimal = t.vat.iter().map(|v| v.total_ttc).sum();
    assert_eq!(vat_ttc, t.total_ttc, "Σ per-rate TTC = total TTC");
    let pay: Decimal = t.payments.iter().map(|p| p.montant).sum();
    assert_eq!(pay, t.total_ttc, "Σ payments = total TTC (each ticket is paid in full)");
    assert_eq!(t.total_ht + t.total_tva, t.total_ttc);
    for v in &t.vat {
        assert_eq!(v.total_ht + v.total_tva, v.total_ttc);
        assert!(is_whole_cents(v.total_ttc) && is_whole_cents(v.total_ht));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn closures_add_up_to_the_tickets(
        prices in prop::collection::vec(1u32..1500, ARTICLES),
        mut sales in prop::collection::vec(sale(), 1..40),
    ) {
        sales.sort_by_key(|s| (s.day, s.minute));
        let start = day("2026-12-01");
        let mut till = Till::new(reference(&prices));
        let mut journal = Journal::new(POS);
        let mut tickets: Vec<Ticket> = Vec::new();
        let last_day = start + Duration::days(sales.last().unwrap().day as i64);
        let mut next = sales.iter().peekable();
        let mut date = start;
        while date <= last_day {
            while let Some(s) = next.peek().filter(|s| start + Duration::days(s.day as i64) == date) {
                let at = format!("{}T{:02}:{:02}:00.000+01:00", date, s.minute / 60, s.minute % 60);
                let ticket = till.sell(&at, &s.items, s.code_reglement);
                journal.append(ticket.clone()).unwrap();
                tickets.push(ticket);
                next.next();
            }
            journal.close(Period::Day(date)).unwrap();
            let tomorrow = date.succ_opt().unwrap();
            if tomorrow.month() != date.month() || date == last_day {
                journal.close(Period::of(ClosureKind::Month, date)).unwrap();
            }
            if tomorrow.year() != date.year() || date == last_day {
                journal.close(Period::Year(date.year())).unwrap();
            }
            date = tomorrow;
        }

        let report = journal.verify(Some(&journal.head()));
        prop_assert!(report.is_ok(), "{:?}", report.findings);

        let on = |p: &Period| Sums::of_tickets(tickets.iter().filter(|t| {
            p.contains(NaiveDate::parse_from_str(&t.date.as_ref().unwrap()[..10], "%Y-%m-%d").unwrap())
        }));
        let mut running = Sums::default();
        let mut by_kind: BTreeMap<ClosureKind, Vec<(Period, Sums)>> = BTreeMap::new();
        for c in journal.closures() {
            total_check(&c.totals);
            total_check(&c.grand_total);
            let sums = Sums::of_totals(&c.totals);
            // Every closure equals the tickets dated in its period, to the cent.
            prop_assert_eq!(&sums, &on(&c.period));
            if c.kind == ClosureKind::Day {
                running = running.plus(&sums);
                prop_assert_eq!(&Sums::of_totals(&c.grand_total), &running, "perpetual grand total");
            }
            by_kind.entry(c.kind).or_default().push((c.period, sums));
        }
        // Monthly = Σ daily, yearly = Σ monthly.
        for (coarse, fine) in [(ClosureKind::Month, ClosureKind::Day), (ClosureKind::Year, ClosureKind::Month)] {
            for (period, sums) in &by_kind[&coarse] {
                let sum = by_kind[&fine].iter().filter(|(p, _)| period.contains(p.start()))
                    .fold(Sums::default(), |acc, (_, s)| acc.plus(s));
                prop_assert_eq!(sums, &sum, "{} = Σ its {}s", period, fine);
            }
        }
        // Grand total = all tickets = Σ of all days, at every level's last closure.
        let all = Sums::of_tickets(&tickets);
        prop_assert_eq!(&running, &all);
        for kind in ClosureKind::ALL {
            let last = journal.closures().iter().rev().find(|c| c.kind == kind).unwrap();
            prop_assert_eq!(&Sums::of_totals(&last.grand_total), &all);
            prop_assert_eq!(last.through_sequence, tickets.len() as u64);
        }
    }
}

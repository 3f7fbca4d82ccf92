//! Prices, builds and checks a 10-line ticket; and checks one parsed from JSON text, as the
//! sandbox and `crous-till ticket check` do.
//! Run: `cargo bench -p crous-till-core --bench ticket`; results go to BENCHMARKS.md.

use chrono::DateTime;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use crous_till_core::builder::{build_ticket, IzlyCustomer, Payment, SaleContext};
use crous_till_core::checks::check_ticket;
use crous_till_core::numbering::NumberingState;
use crous_till_core::pricing::{price_cart, CartItem};
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::ticket::{Ticket, TypeDistribution};
use crous_till_core::Decimal;

fn ten_line_sale() -> (ReferenceData, Vec<CartItem>, SaleContext, IzlyCustomer, Payment) {
    let reference: ReferenceData = serde_json::from_str(include_str!("../tests/fixtures/reference.json")).unwrap();
    let codes = [100, 101, 102, 200, 201, 202, 100, 101, 201, 200];
    let cart = codes.iter().zip(1..).map(|(&c, q)| CartItem::new(c, q)).collect();
    let sale = SaleContext {
        version_logiciel: "bench".into(),
        id_logiciel: 39,
        type_distribution: TypeDistribution::SurPlace,
        sold_at: DateTime::parse_from_rfc3339("2026-11-23T11:45:02.123+01:00").unwrap(),
    };
    let customer = IzlyCustomer {
        code_client: Some("0000A11e3s".into()),
        solde_client: Some(Decimal::new(1525, 2)),
        ..IzlyCustomer::default()
    };
    let payment = Payment::IzlyQrCode {
        qr_code: "AIZ;6000050617;2026-11-23 10:45:02;3;8a1f;MEUCIQ==".into(),
        id_transaction_izly: "63535".into(),
    };
    (reference, cart, sale, customer, payment)
}

fn bench(c: &mut Criterion) {
    let (reference, cart, sale, customer, payment) = ten_line_sale();
    let numbering = NumberingState::starting_at(140000011);
    let day = sale.sold_at.date_naive();
    c.bench_function("price + build + check, 10 lines", |b| {
        b.iter(|| {
            let priced = price_cart(&reference, black_box(&cart), CustomerProfile::ETUDIANT, day).unwrap();
            build_ticket(&reference, &numbering, &sale, &priced, Some(&customer), &payment).unwrap()
        })
    });
    let priced = price_cart(&reference, &cart, CustomerProfile::ETUDIANT, day).unwrap();
    let ticket = build_ticket(&reference, &numbering, &sale, &priced, Some(&customer), &payment).unwrap().ticket;
    c.bench_function("check, 10 lines", |b| b.iter(|| check_ticket(black_box(&ticket), Some(&reference))));
    let text = serde_json::to_string(&ticket).unwrap();
    c.bench_function("parse JSON + check, 10 lines", |b| {
        b.iter(|| {
            let t: Ticket = serde_json::from_str(black_box(&text)).unwrap();
            check_ticket(&t, Some(&reference))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

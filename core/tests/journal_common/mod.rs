//! Shared fixtures of the journal tests: reference data with chosen prices, and sales made with
//! core's own pricing and builder, so journaled tickets are the ones a till really produces.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate};
use crous_till_core::builder::{build_ticket, IzlyCustomer, Payment, SaleContext};
use crous_till_core::journal::{Journal, Period};
use crous_till_core::numbering::NumberingState;
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::pricing::{price_cart, CartItem};
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::ticket::{Ticket, TypeDistribution};
use crous_till_core::Decimal;

pub const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);

/// Articles 100.. with VAT codes cycling over 1 (10 %), 2 (5.5 %), 3 (20 %), and the given
/// prices TTC in cents, valid from 2020 to 2099 for students (société 10, tarif 1).
pub fn reference(prices_cents: &[u32]) -> ReferenceData {
    let articles: Vec<String> = (0..prices_cents.len())
        .map(|i| format!(r#"{{"codeArticle": {}, "libelle": "Article {i}", "codeTva": {}}}"#, 100 + i, 1 + i % 3))
        .collect();
    let prices: Vec<String> = prices_cents
        .iter()
        .enumerate()
        .map(|(i, cents)| {
            format!(
                r#"{{"codeArticle": {}, "codeSociete": 10, "tarif": 1, "idPeriode": 1, "prixTtc": {}}}"#,
                100 + i,
                Decimal::new(*cents as i64, 2)
            )
        })
        .collect();
    let json = format!(
        r#"{{"tva": [{{"codeTva": 1, "taux": 10}}, {{"codeTva": 2, "taux": 5.5}}, {{"codeTva": 3, "taux": 20}}],
            "articles": [{}],
            "societes": [{{"codeSociete": 10, "libelle": "Étudiants"}}],
            "societesTarifs": [{{"codeSociete": 10, "tarif": 1, "libelle": "Étudiant"}}],
            "periodes": [{{"idPeriode": 1, "libelle": "Toujours", "dateDebut": "2020-01-01", "dateFin": "2099-12-31"}}],
            "articlesSocietesTarifsPeriodes": [{}]}}"#,
        articles.join(","),
        prices.join(",")
    );
    serde_json::from_str(&json).expect("fixture reference parses")
}

/// The fixed reference of the example-based tests: 3.30, 0.55, 1.20, 0.20 €.
pub fn standard_reference() -> ReferenceData {
    reference(&[330, 55, 120, 20])
}

pub fn payment(code: u32, n: usize) -> (Payment, Option<IzlyCustomer>) {
    match code {
        4 => (Payment::CarteBancaire, None),
        12 => (Payment::Fidelite, None),
        _ if n % 2 == 0 => (
            Payment::IzlyCard {
                id_support: format!("S{n}"),
                numero_applicatif: "42".into(),
                id_transaction_izly: format!("T{n}"),
            },
            None,
        ),
        _ => (
            Payment::IzlyQrCode { qr_code: format!("AIZ;{n}"), id_transaction_izly: format!("Q{n}") },
            Some(IzlyCustomer { code_client: Some(format!("C{n}")), ..IzlyCustomer::default() }),
        ),
    }
}

/// A till that sells: reference data and numbering state.
pub struct Till {
    pub reference: ReferenceData,
    pub numbering: NumberingState,
    sold: usize,
}

impl Till {
    pub fn new(reference: ReferenceData) -> Self {
        Till { reference, numbering: NumberingState::default(), sold: 0 }
    }

    /// Sells `items` (article index from 0, quantity) at `at` (RFC 3339), paid with `code_reglement`.
    pub fn sell(&mut self, at: &str, items: &[(usize, Decimal)], code_reglement: u32) -> Ticket {
        let sold_at = DateTime::parse_from_rfc3339(at).unwrap();
        let cart: Vec<CartItem> = items.iter().map(|&(i, q)| CartItem::new(100 + i as u64, q)).collect();
        let priced = price_cart(&self.reference, &cart, CustomerProfile::ETUDIANT, sold_at.date_naive()).unwrap();
        let sale = SaleContext {
            version_logiciel: "crous-till-tests".into(),
            id_logiciel: 39,
            type_distribution: TypeDistribution::SurPlace,
            sold_at,
        };
        self.sold += 1;
        let (payment, customer) = payment(code_reglement, self.sold);
        let built =
            build_ticket(&self.reference, &self.numbering, &sale, &priced, customer.as_ref(), &payment).unwrap();
        self.numbering = built.numbering;
        built.ticket
    }
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn d(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A journal of three days across a month and year end, every period closed:
/// 2026-12-30 (2 sales), 2026-12-31 (1 sale), 2027-01-02 (2 sales);
/// closures: day 30, day 31, month 2026-12, year 2026, day 2027-01-02.
pub fn sample_journal() -> Journal {
    let mut till = Till::new(standard_reference());
    let mut journal = Journal::new(POS);
    let one = Decimal::ONE;
    journal.append(till.sell("2026-12-30T11:45:00.000+01:00", &[(0, one), (1, Decimal::TWO)], 9)).unwrap();
    journal.append(till.sell("2026-12-30T12:10:00.000+01:00", &[(2, one)], 4)).unwrap();
    journal.close(Period::Day(day("2026-12-30"))).unwrap();
    journal.append(till.sell("2026-12-31T23:59:00.000+01:00", &[(3, Decimal::from(3))], 12)).unwrap();
    journal.close(Period::Day(day("2026-12-31"))).unwrap();
    journal.close(Period::month(2026, 12).unwrap()).unwrap();
    journal.close(Period::Year(2026)).unwrap();
    journal.append(till.sell("2027-01-02T11:30:00.000+01:00", &[(0, one)], 9)).unwrap();
    journal.append(till.sell("2027-01-02T11:31:00.000+01:00", &[(1, one), (2, one)], 4)).unwrap();
    journal.close(Period::Day(day("2027-01-02"))).unwrap();
    journal
}

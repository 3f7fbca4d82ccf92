//! Pricing by profile and period, VAT code resolution and the pricing errors.

mod common;

use chrono::NaiveDate;
use common::{dec, reference};
use crous_till_core::pricing::{price_cart, CartItem, PricingError};
use crous_till_core::reference::CustomerProfile;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn student_and_visitor_pay_their_own_prices() {
    let r = reference();
    let cart = [CartItem::new(100, 1), CartItem::new(101, 1)];
    let student = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-11-23")).unwrap();
    let visitor = price_cart(&r, &cart, CustomerProfile::HOTE_DE_PASSAGE, day("2026-11-23")).unwrap();
    assert_eq!(student.total_ttc, dec("2.10"));
    // 8.20 + 2.35, then the visitor's entry fee for the one meal (article 300, 1.00).
    assert_eq!(visitor.total_ttc, dec("11.55"));
    assert_eq!(visitor.lines[0].prix_unitaire_ttc, dec("8.20"));
    assert_eq!(visitor.lines[0].prix_unitaire_ht, dec("7.45"));
    assert_eq!((visitor.lines[2].code_article, visitor.lines[2].total_ttc), (300, dec("1.00")));
    assert_eq!(student.lines.len(), 2);
}

#[test]
fn the_period_containing_the_day_sets_the_price() {
    let r = reference();
    let cart = [CartItem::new(100, 1)];
    let old = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-08-23")).unwrap();
    let new = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-08-24")).unwrap();
    assert_eq!(old.total_ttc, dec("3.30"));
    assert_eq!(new.total_ttc, dec("1.00"));
}

#[test]
fn an_overlapping_later_period_overrides_the_standing_one() {
    let r = reference();
    let cart = [CartItem::new(100, 1)];
    let promo = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-10-15")).unwrap();
    let after = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-10-19")).unwrap();
    assert_eq!(promo.total_ttc, dec("0.50"));
    assert_eq!(after.total_ttc, dec("1.00"));
}

#[test]
fn two_periods_starting_the_same_day_are_ambiguous() {
    let mut r = reference();
    let mut twin = r.periodes[2].clone();
    twin.id_periode = 99;
    r.periodes.push(twin);
    let mut price = r.articles_societes_tarifs_periodes[3].clone();
    price.id_periode = 99;
    r.articles_societes_tarifs_periodes.push(price);
    let err = price_cart(&r, &[CartItem::new(100, 1)], CustomerProfile::ETUDIANT, day("2026-10-15")).unwrap_err();
    assert_eq!(err, PricingError::AmbiguousPrice { code_article: 100, code_societe: 10, tarif: 1 });
}

#[test]
fn the_profile_vat_code_overrides_the_article_one() {
    let r = reference();
    let cart = [CartItem::new(201, 1)];
    let student = price_cart(&r, &cart, CustomerProfile::ETUDIANT, day("2026-11-23")).unwrap();
    let visitor = price_cart(&r, &cart, CustomerProfile::HOTE_DE_PASSAGE, day("2026-11-23")).unwrap();
    assert_eq!((student.lines[0].code_tva, student.lines[0].taux_tva), (2, dec("5.5")));
    assert_eq!((visitor.lines[0].code_tva, visitor.lines[0].taux_tva), (1, dec("10")));
}

#[test]
fn a_period_vat_code_overrides_the_profile_one() {
    let mut r = reference();
    r.societes_tarifs_periodes[1].code_tva = Some(3);
    let visitor =
        price_cart(&r, &[CartItem::new(201, 1)], CustomerProfile::HOTE_DE_PASSAGE, day("2026-11-23")).unwrap();
    assert_eq!(visitor.lines[0].code_tva, 3);
    assert_eq!(visitor.lines[0].prix_unitaire_ht, dec("0.67"));
}

#[test]
fn sums_binary_floats_get_wrong_are_exact() {
    let r = reference();
    let d = day("2026-11-23");
    // 3 × 1.10: 3.3000000000000003 in f64.
    let p = price_cart(&r, &[CartItem::new(101, 3)], CustomerProfile::ETUDIANT, d).unwrap();
    assert_eq!(
        (p.lines[0].total_ttc, p.lines[0].prix_unitaire_ht, p.lines[0].total_ht),
        (dec("3.30"), dec("1.00"), dec("3.00"))
    );
    // 7 × 0.10: 0.7000000000000001 in f64.
    let p = price_cart(&r, &[CartItem::new(102, 7)], CustomerProfile::ETUDIANT, d).unwrap();
    assert_eq!(
        (p.lines[0].total_ttc, p.lines[0].prix_unitaire_ht, p.lines[0].total_ht),
        (dec("0.70"), dec("0.09"), dec("0.63"))
    );
    // 0.20 at 5.5 %: 0.20 / 1.055 = 0.18957… → 0.19 HT.
    let p = price_cart(&r, &[CartItem::new(201, 1)], CustomerProfile::ETUDIANT, d).unwrap();
    assert_eq!(p.lines[0].prix_unitaire_ht, dec("0.19"));
    assert_eq!(p.total_ttc.to_string(), "0.20");
}

#[test]
fn pricing_errors_are_typed() {
    let r = reference();
    let d = day("2026-11-23");
    let student = CustomerProfile::ETUDIANT;
    assert_eq!(price_cart(&r, &[], student, d), Err(PricingError::EmptyCart));
    assert_eq!(
        price_cart(&r, &[CartItem::new(999, 1)], student, d),
        Err(PricingError::UnknownArticle { code_article: 999 })
    );
    assert_eq!(
        price_cart(&r, &[CartItem::new(100, 0)], student, d),
        Err(PricingError::InvalidQuantity { code_article: 100, quantite: dec("0") })
    );
    assert_eq!(
        price_cart(&r, &[CartItem::new(300, 1)], student, d),
        Err(PricingError::NoPrice { code_article: 300, code_societe: 10, tarif: 1, day: d })
    );
    assert_eq!(
        price_cart(&r, &[CartItem::new(100, 1)], student, day("2025-01-01")),
        Err(PricingError::NoPrice { code_article: 100, code_societe: 10, tarif: 1, day: day("2025-01-01") })
    );
    let mut bad = r.clone();
    bad.articles_societes_tarifs_periodes[1].prix_ttc = dec("1.005");
    assert_eq!(
        price_cart(&bad, &[CartItem::new(100, 1)], student, d),
        Err(PricingError::InvalidPrice { code_article: 100, prix_ttc: dec("1.005") })
    );
    let mut bad = r.clone();
    bad.articles[0].code_tva = Some(77);
    assert_eq!(
        price_cart(&bad, &[CartItem::new(100, 1)], student, d),
        Err(PricingError::UnknownVatCode { code_tva: 77 })
    );
    let mut bad = r.clone();
    bad.articles[0].code_tva = None;
    assert_eq!(
        price_cart(&bad, &[CartItem::new(100, 1)], student, d),
        Err(PricingError::NoVatCode { code_article: 100, code_societe: 10, tarif: 1 })
    );
    assert_eq!(
        price_cart(&r, &[CartItem::new(100, crous_till_core::Decimal::MAX)], student, d),
        Err(PricingError::Overflow { code_article: 100 })
    );
}

#[test]
fn a_reference_file_with_only_tva_and_articles_parses() {
    let r: crous_till_core::reference::ReferenceData = serde_json::from_str(
        r#"{"tva": [{"codeTva": "2", "taux": "5.5"}], "articles": [{"codeArticle": 1, "libelle": "Café"}]}"#,
    )
    .unwrap();
    assert_eq!(r.vat_rate(2), Some(dec("5.5")));
    assert!(r.article(1).is_some());
    assert!(r.periodes.is_empty());
}

/// The sandbox's demo Crous (`crous.reference` of sandbox/fixtures/demo.json), as the front ends see it.
fn demo_reference() -> crous_till_core::reference::ReferenceData {
    let demo: serde_json::Value = serde_json::from_str(include_str!("../../sandbox/fixtures/demo.json")).unwrap();
    serde_json::from_value(demo["crous"]["reference"].clone()).unwrap()
}

#[test]
fn the_demo_crous_subsidises_scholarship_holders_and_charges_visitors_an_entry_fee() {
    let r = demo_reference();
    let meal = [CartItem::new(100, 1)];
    for (d, visitor_meal) in [(day("2026-03-10"), "8.10"), (day("2026-11-23"), "8.30")] {
        let boursier = price_cart(&r, &meal, CustomerProfile::new(10, 97), d).unwrap();
        assert_eq!((boursier.total_ttc, boursier.total_subventions), (dec("1.00"), dec("2.30")));
        assert_eq!(boursier.lines[0].subvention.as_ref().unwrap().prix_unitaire_avant_subvention_ttc, dec("3.30"));
        let student = price_cart(&r, &meal, CustomerProfile::ETUDIANT, d).unwrap();
        assert_eq!((student.total_ttc, student.lines.len()), (dec("3.30"), 1));
        let visitor = price_cart(&r, &meal, CustomerProfile::HOTE_DE_PASSAGE, d).unwrap();
        let lines: Vec<_> = visitor.lines.iter().map(|l| (l.code_article, l.total_ttc)).collect();
        assert_eq!(lines, [(100, dec(visitor_meal)), (900, dec("1.50"))]);
        assert_eq!(visitor.total_ttc, dec(visitor_meal) + dec("1.50"));
        let coffee = price_cart(&r, &[CartItem::new(200, 1)], CustomerProfile::HOTE_DE_PASSAGE, d).unwrap();
        assert_eq!(coffee.lines.len(), 1);
    }
}

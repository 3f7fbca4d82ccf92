//! One test per subsidy and entry-fee rule and per new error.

use super::*;
use crate::reference::{DroitEntree, DroitEntreeType, Subvention};
use rust_decimal_macros::dec;

const BOURSIER: CustomerProfile = CustomerProfile::new(10, 97);
const VISITOR: CustomerProfile = CustomerProfile::HOTE_DE_PASSAGE;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Periods 1 (2025-26) and 2 (2026-27); meal 100 at 3.30 (scholar) or 8.10/8.30 (visitor), coffee
/// 200, fee article 900; one subsidy and one fee per meal.
fn reference() -> ReferenceData {
    serde_json::from_str(
        r#"{
        "tva": [{"codeTva": 1, "taux": 10}, {"codeTva": 3, "taux": 20}],
        "articles": [{"codeArticle": 100, "libelle": "Repas", "codeTva": 1},
                     {"codeArticle": 200, "libelle": "Café", "codeTva": 1},
                     {"codeArticle": 900, "libelle": "Droit d'entrée", "codeTva": 1}],
        "societesTarifs": [{"codeSociete": 8000, "tarif": 1, "libelle": "Hôte"}],
        "periodes": [{"idPeriode": 1, "dateDebut": "2025-09-01", "dateFin": "2026-08-31"},
                     {"idPeriode": 2, "dateDebut": "2026-09-01"}],
        "societesTarifsPeriodes": [{"codeSociete": 8000, "tarif": 1, "idPeriode": 2, "codeTva": 3}],
        "articlesSocietesTarifsPeriodes": [
            {"codeArticle": 100, "codeSociete": 10, "tarif": 97, "idPeriode": 1, "prixTtc": "3.30"},
            {"codeArticle": 100, "codeSociete": 10, "tarif": 97, "idPeriode": 2, "prixTtc": "3.30"},
            {"codeArticle": 200, "codeSociete": 10, "tarif": 97, "idPeriode": 2, "prixTtc": "0.55"},
            {"codeArticle": 100, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": "8.10"},
            {"codeArticle": 100, "codeSociete": 8000, "tarif": 1, "idPeriode": 2, "prixTtc": "8.30"},
            {"codeArticle": 200, "codeSociete": 8000, "tarif": 1, "idPeriode": 2, "prixTtc": "1.30"},
            {"codeArticle": 900, "codeSociete": 8000, "tarif": 1, "idPeriode": 2, "prixTtc": "1.50"}],
        "droitsEntree": [{"codeDroitEntree": 1, "codeTypeDroitEntree": 1, "codeSociete": 8000, "tarif": 1,
                          "codeArticle": 900, "montant": "1.50", "codesArticlesRepas": [100]}],
        "droitsEntreeTypes": [{"codeTypeDroitEntree": 1, "libelle": "Droit d'entrée hôte"}],
        "subventions": [{"codeSubvention": 7, "libelle": "Repas boursier", "codeSociete": 10, "tarif": 97,
                         "codeArticle": 100, "montant": "2.30"}]
    }"#,
    )
    .unwrap()
}

fn price(r: &ReferenceData, cart: &[(u64, i64)], p: CustomerProfile) -> Result<PricedCart, PricingError> {
    let items: Vec<CartItem> = cart.iter().map(|&(a, q)| CartItem::new(a, q)).collect();
    price_cart(r, &items, p, day("2026-11-23"))
}

fn subvention(r: &mut ReferenceData) -> &mut Subvention {
    &mut r.subventions[0]
}

fn fee(r: &mut ReferenceData) -> &mut DroitEntree {
    &mut r.droits_entree[0]
}

#[test]
fn a_subsidy_lowers_the_unit_price_and_ht_follows_the_net_price() {
    let p = price(&reference(), &[(100, 2), (200, 1)], BOURSIER).unwrap();
    let meal = &p.lines[0];
    assert_eq!((meal.prix_unitaire_ttc, meal.prix_unitaire_ht, meal.total_ttc), (dec!(1.00), dec!(0.91), dec!(2.00)));
    let s = meal.subvention.as_ref().unwrap();
    assert_eq!((s.code_subvention, s.montant_unitaire, s.total), (7, dec!(2.30), dec!(4.60)));
    assert_eq!(s.prix_unitaire_avant_subvention_ttc, dec!(3.30));
    assert_eq!(p.lines[1].subvention, None);
    assert_eq!((p.total_ttc, p.total_subventions), (dec!(2.55), dec!(4.60)));
}

#[test]
fn a_subsidy_needs_its_article_profile_and_period() {
    let mut r = reference();
    subvention(&mut r).code_article = None; // reporting only
    assert_eq!(price(&r, &[(100, 1)], BOURSIER).unwrap().total_ttc, dec!(3.30));
    let r = reference();
    assert_eq!(price(&r, &[(100, 1)], VISITOR).unwrap().lines[0].subvention, None);
    let mut r = reference();
    subvention(&mut r).id_periode = Some(1);
    assert_eq!(price(&r, &[(100, 1)], BOURSIER).unwrap().total_subventions, dec!(0));
    let early = price_cart(&r, &[CartItem::new(100, 1)], BOURSIER, day("2026-01-05")).unwrap();
    assert_eq!(early.total_ttc, dec!(1.00));
    subvention(&mut r).id_periode = Some(42); // unknown period: contains no day
    assert_eq!(price(&r, &[(100, 1)], BOURSIER).unwrap().total_ttc, dec!(3.30));
}

#[test]
fn subsidy_errors() {
    let mut r = reference();
    let mut twin = r.subventions[0].clone();
    twin.code_subvention = 8;
    r.subventions.push(twin);
    assert_eq!(
        price(&r, &[(100, 1)], BOURSIER),
        Err(PricingError::AmbiguousSubvention { code_article: 100, code_societe: 10, tarif: 97 })
    );
    for bad in [dec!(-0.10), dec!(1.005), dec!(3.31)] {
        let mut r = reference();
        subvention(&mut r).montant = bad;
        assert_eq!(
            price(&r, &[(100, 1)], BOURSIER),
            Err(PricingError::InvalidSubvention { code_subvention: 7, montant: bad })
        );
    }
    let mut r = reference();
    subvention(&mut r).montant = dec!(3.30); // a free meal is allowed
    assert_eq!(price(&r, &[(100, 1)], BOURSIER).unwrap().total_ttc, dec!(0.00));
}

#[test]
fn a_fee_line_per_meal_follows_the_tray() {
    let p = price(&reference(), &[(200, 1), (100, 3)], VISITOR).unwrap();
    assert_eq!(p.lines.len(), 3);
    let f = &p.lines[2];
    assert_eq!((f.code_article, f.libelle.as_str(), f.quantite), (900, "Droit d'entrée", dec!(3)));
    assert_eq!(
        (f.prix_unitaire_ttc, f.total_ttc, f.code_tva, f.prix_unitaire_ht),
        (dec!(1.50), dec!(4.50), 3, dec!(1.25))
    );
    let d = f.droit_entree.as_ref().unwrap();
    assert_eq!((d.code_droit_entree, d.code_type_droit_entree, d.libelle.as_str()), (1, 1, "Droit d'entrée hôte"));
    assert_eq!(p.total_ttc, dec!(1.30) + dec!(24.90) + dec!(4.50));
    assert!(p.lines[..2].iter().all(|l| l.droit_entree.is_none()));
    // No meal, no fee; another profile, no fee.
    assert_eq!(price(&reference(), &[(200, 1)], VISITOR).unwrap().lines.len(), 1);
    assert_eq!(price(&reference(), &[(100, 1)], BOURSIER).unwrap().lines.len(), 1);
}

#[test]
fn fee_rules_without_meal_list_period_or_type() {
    let mut r = reference();
    fee(&mut r).codes_articles_repas = None; // one per ticket
    let p = price(&r, &[(200, 2), (100, 2)], VISITOR).unwrap();
    assert_eq!(p.lines[2].quantite, dec!(1));
    fee(&mut r).id_periode = Some(1); // not this year
    assert_eq!(price(&r, &[(100, 1)], VISITOR).unwrap().lines.len(), 1);
    let mut r = reference();
    r.droits_entree_types.clear();
    assert_eq!(
        price(&r, &[(100, 1)], VISITOR).unwrap().lines[1].droit_entree.as_ref().unwrap().libelle,
        "Droit d'entrée"
    );
}

#[test]
fn fees_come_in_code_order_and_use_the_profile_vat_fallbacks() {
    let mut r = reference();
    let mut second = r.droits_entree[0].clone();
    second.code_droit_entree = 0;
    second.code_type_droit_entree = 2;
    second.code_article = Some(200);
    second.montant = dec!(0.20);
    r.droits_entree.push(second);
    r.droits_entree_types.push(DroitEntreeType { code_type_droit_entree: 2, libelle: "Autre".into() });
    r.societes_tarifs_periodes.clear(); // no period row, no profile code: the article's codeTva
    let p = price(&r, &[(100, 1)], VISITOR).unwrap();
    let codes: Vec<_> = p.lines.iter().map(|l| (l.code_article, l.code_tva)).collect();
    assert_eq!(codes, [(100, 1), (200, 1), (900, 1)]);
    r.societes_tarifs[0].code_tva = Some(3);
    assert_eq!(price(&r, &[(100, 1)], VISITOR).unwrap().lines[2].code_tva, 3);
}

#[test]
fn a_fee_the_cashier_added_by_hand_is_not_charged_twice() {
    let p = price(&reference(), &[(100, 1), (900, 1)], VISITOR).unwrap();
    assert_eq!(p.lines.len(), 2);
    assert_eq!(p.total_ttc, dec!(9.80));
    assert!(p.lines.iter().all(|l| l.droit_entree.is_none()));
}

#[test]
fn fee_errors() {
    let mut r = reference();
    fee(&mut r).code_article = None;
    assert_eq!(price(&r, &[(100, 1)], VISITOR), Err(PricingError::FeeWithoutArticle { code_droit_entree: 1 }));
    for bad in [dec!(-1.50), dec!(0.015)] {
        let mut r = reference();
        fee(&mut r).montant = bad;
        assert_eq!(
            price(&r, &[(100, 1)], VISITOR),
            Err(PricingError::InvalidFee { code_droit_entree: 1, montant: bad })
        );
    }
    let mut r = reference();
    fee(&mut r).code_article = Some(901);
    assert_eq!(price(&r, &[(100, 1)], VISITOR), Err(PricingError::UnknownArticle { code_article: 901 }));
    // Checked even when no line would be added.
    assert_eq!(price(&r, &[(200, 1)], VISITOR), Err(PricingError::UnknownArticle { code_article: 901 }));
}

#[test]
fn priced_lines_serialize_the_new_fields_only_when_set() {
    let p = price(&reference(), &[(100, 1)], VISITOR).unwrap();
    let json = serde_json::to_value(&p).unwrap();
    assert!(json["lines"][0].get("subvention").is_none() && json["lines"][0].get("droitEntree").is_none());
    assert_eq!(json["lines"][1]["droitEntree"]["codeTypeDroitEntree"], 1);
    assert_eq!(json["totalSubventions"].to_string(), "0.00");
    let b = serde_json::to_value(price(&reference(), &[(100, 1)], BOURSIER).unwrap()).unwrap();
    assert_eq!(b["lines"][0]["subvention"]["prixUnitaireAvantSubventionTtc"].to_string(), "3.30");
    assert_eq!(b["totalSubventions"].to_string(), "2.30");
    // A cart written before these fields still reads.
    let mut old = json.clone();
    old.as_object_mut().unwrap().remove("totalSubventions");
    let back: PricedCart = serde_json::from_value(old).unwrap();
    assert_eq!(back.total_subventions, dec!(0));
    assert_eq!(serde_json::from_value::<PricedCart>(json).unwrap(), p);
}

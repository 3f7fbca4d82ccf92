//! Property tests of subsidies and entry fees: random reference data (several profiles and
//! periods, subsidies up to the price, fees per meal or per ticket), random trays and days; for
//! every profile × period the priced tray adds up, matches an independent oracle of the rules,
//! and becomes a ticket that passes every Crous check.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use crous_till_core::builder::{build_ticket, Payment, SaleContext};
use crous_till_core::checks::check_ticket;
use crous_till_core::numbering::NumberingState;
use crous_till_core::pricing::{price_cart, CartItem, PricedCart};
use crous_till_core::receipt::vat_totals;
use crous_till_core::reference::{
    Article, CustomerProfile, DroitEntree, DroitEntreeType, Periode, PrixArticle, ReferenceData, SocieteTarif,
    SocieteTarifPeriode, Subvention, Tva,
};
use crous_till_core::ticket::TypeDistribution;
use crous_till_core::Decimal;
use proptest::prelude::*;
use rust_decimal::RoundingStrategy;

const PROFILES: [CustomerProfile; 4] = [
    CustomerProfile::ETUDIANT,
    CustomerProfile::new(10, 97),
    CustomerProfile::HOTE_DE_PASSAGE,
    CustomerProfile::NON_ETUDIANT_COMMANDE_EN_LIGNE,
];
const PLAIN: u64 = 1000;
const FEE: u64 = 9000;

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

/// Takes bounded numbers from a pool proptest generates (and shrinks) element by element.
struct Draw<'a>(&'a [u32], usize);

impl Draw<'_> {
    fn below(&mut self, n: u32) -> u32 {
        self.1 += 1;
        self.0[self.1 % self.0.len()] % n
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// The random world: periods 1 = [day0, day0+len1), 2 = [day0+len1, ∞), 3 = a week inside 1.
struct World {
    r: ReferenceData,
    len1: i64,
    promo_start: i64,
}

fn world(rates: &[Decimal], n_plain: u64, n_fee: u64, len1: i64, pool: &[u32]) -> World {
    let mut d = Draw(pool, 0);
    let k = rates.len() as u32;
    let promo_start = 1 + i64::from(d.below((len1 - 8) as u32));
    let mut r = ReferenceData {
        tva: rates.iter().zip(1..).map(|(taux, code_tva)| Tva { code_tva, taux: *taux }).collect(),
        droits_entree_types: vec![DroitEntreeType { code_type_droit_entree: 1, libelle: "Droit repas".into() }],
        ..ReferenceData::default()
    };
    let span = |id, from: i64, to: Option<i64>| Periode {
        id_periode: id,
        libelle: format!("période {id}"),
        date_debut: day0() + Duration::days(from),
        date_fin: to.map(|t| day0() + Duration::days(t)),
    };
    r.periodes = vec![span(1, 0, Some(len1 - 1)), span(2, len1, None), span(3, promo_start, Some(promo_start + 6))];
    let codes: Vec<u64> = (0..n_plain).map(|i| PLAIN + i).chain((0..n_fee).map(|i| FEE + i)).collect();
    for &code_article in &codes {
        r.articles.push(Article {
            code_article,
            libelle: format!("article {code_article}"),
            code_tva: Some(1 + d.below(k)),
            vers_bornes_prepaiement: None,
        });
    }
    for p in PROFILES {
        let code_tva = d.chance(50).then(|| 1 + d.below(k));
        r.societes_tarifs.push(SocieteTarif {
            code_societe: p.code_societe,
            tarif: p.tarif,
            libelle: "p".into(),
            code_tva,
        });
        for id_periode in 1..=3 {
            if d.chance(60) {
                let code_tva = d.chance(50).then(|| 1 + d.below(k));
                r.societes_tarifs_periodes.push(SocieteTarifPeriode {
                    code_societe: p.code_societe,
                    tarif: p.tarif,
                    id_periode,
                    code_tva,
                });
            }
        }
        for &code_article in &codes {
            let cents: Vec<i64> = (0..3).map(|_| i64::from(d.below(500_000))).collect();
            for (id_periode, c) in (1..).zip(&cents) {
                let (code_societe, tarif, prix_ttc) = (p.code_societe, p.tarif, Decimal::new(*c, 2));
                r.articles_societes_tarifs_periodes.push(PrixArticle {
                    code_article,
                    code_societe,
                    tarif,
                    id_periode,
                    prix_ttc,
                });
            }
            if d.chance(40) {
                let max = *cents.iter().min().unwrap() as u32;
                r.subventions.push(Subvention {
                    code_subvention: r.subventions.len() as u32 + 1,
                    libelle: "subvention".into(),
                    code_societe: p.code_societe,
                    tarif: p.tarif,
                    code_article: (!d.chance(10)).then_some(code_article),
                    id_periode: d.chance(30).then(|| 1 + d.below(3)),
                    montant: Decimal::new(i64::from(d.below(max + 1)), 2),
                });
            }
        }
        for i in 0..d.below(3) {
            let meals = d.chance(70).then(|| (0..n_plain).filter(|_| d.chance(50)).map(|a| PLAIN + a).collect());
            r.droits_entree.push(DroitEntree {
                code_droit_entree: d.below(100) * 10 + i,
                code_type_droit_entree: 1 + d.below(2),
                code_societe: p.code_societe,
                tarif: p.tarif,
                code_article: Some(FEE + u64::from(d.below(n_fee as u32))),
                montant: Decimal::new(i64::from(d.below(1000)), 2),
                id_periode: d.chance(30).then(|| 1 + d.below(3)),
                codes_articles_repas: meals,
            });
        }
    }
    World { r, len1, promo_start }
}

fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        prop::sample::select(vec![Decimal::ZERO, Decimal::new(55, 1), Decimal::TEN, Decimal::from(20)]),
        (0i64..400).prop_map(|r| Decimal::new(r, 1)),
    ]
}

fn quantity() -> impl Strategy<Value = Decimal> {
    prop_oneof![3 => (1i64..=30).prop_map(Decimal::from), 1 => (1i64..=5000).prop_map(|g| Decimal::new(g, 3))]
}

fn cents(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn in_period(r: &ReferenceData, id: Option<u32>, day: NaiveDate) -> bool {
    id.is_none_or(|id| r.periode(id).is_some_and(|p| p.contains(day)))
}

/// Oracle: the gross price, from the latest-starting period containing the day.
fn gross_price(r: &ReferenceData, code_article: u64, p: CustomerProfile, day: NaiveDate) -> Decimal {
    r.articles_societes_tarifs_periodes
        .iter()
        .filter(|x| x.code_article == code_article && x.code_societe == p.code_societe && x.tarif == p.tarif)
        .filter_map(|x| r.periode(x.id_periode).filter(|per| per.contains(day)).map(|per| (per.date_debut, x.prix_ttc)))
        .max()
        .unwrap()
        .1
}

/// Oracle: (article, meals, unit TTC, codeDroitEntree) of the fee lines.
fn fee_lines(
    r: &ReferenceData,
    cart: &[CartItem],
    p: CustomerProfile,
    day: NaiveDate,
) -> Vec<(u64, Decimal, Decimal, u32)> {
    let mut rows: Vec<&DroitEntree> = r
        .droits_entree
        .iter()
        .filter(|f| f.code_societe == p.code_societe && f.tarif == p.tarif && in_period(r, f.id_periode, day))
        .collect();
    rows.sort_by_key(|f| f.code_droit_entree);
    rows.into_iter()
        .filter(|f| !cart.iter().any(|i| Some(i.code_article) == f.code_article))
        .map(|f| {
            let meals = match &f.codes_articles_repas {
                None => Decimal::ONE,
                Some(codes) => cart.iter().filter(|i| codes.contains(&i.code_article)).map(|i| i.quantite).sum(),
            };
            (f.code_article.unwrap(), meals, f.montant, f.code_droit_entree)
        })
        .filter(|(_, meals, _, _)| !meals.is_zero())
        .collect()
}

fn assert_priced(
    r: &ReferenceData,
    cart: &[CartItem],
    p: CustomerProfile,
    day: NaiveDate,
    priced: &PricedCart,
) -> Result<(), TestCaseError> {
    let fees = fee_lines(r, cart, p, day);
    prop_assert_eq!(priced.lines.len(), cart.len() + fees.len());
    for line in &priced.lines {
        for (unit, total) in [(line.prix_unitaire_ttc, line.total_ttc), (line.prix_unitaire_ht, line.total_ht)] {
            prop_assert_eq!(total, cents(unit * line.quantite));
            if line.quantite.fract().is_zero() {
                prop_assert_eq!(total, unit * line.quantite);
            }
        }
    }
    for (line, item) in priced.lines.iter().zip(cart) {
        prop_assert_eq!((line.code_article, line.quantite), (item.code_article, item.quantite));
        prop_assert!(line.droit_entree.is_none());
        let gross = gross_price(r, item.code_article, p, day);
        let expected = r.subventions.iter().find(|s| {
            s.code_article == Some(item.code_article)
                && s.code_societe == p.code_societe
                && s.tarif == p.tarif
                && in_period(r, s.id_periode, day)
        });
        match (&line.subvention, expected) {
            (None, None) => prop_assert_eq!(line.prix_unitaire_ttc, gross),
            (Some(s), Some(e)) => {
                prop_assert_eq!(s.code_subvention, e.code_subvention);
                prop_assert_eq!((s.prix_unitaire_avant_subvention_ttc, s.montant_unitaire), (gross, e.montant));
                prop_assert_eq!(line.prix_unitaire_ttc, gross - e.montant);
                prop_assert_eq!(s.total, cents(e.montant * item.quantite));
            }
            (got, want) => prop_assert!(false, "subsidy {:?}, expected {:?}", got, want),
        }
    }
    let got: Vec<_> = priced.lines[cart.len()..]
        .iter()
        .map(|l| (l.code_article, l.quantite, l.prix_unitaire_ttc, l.droit_entree.as_ref().unwrap().code_droit_entree))
        .collect();
    prop_assert_eq!(got, fees);
    prop_assert!(priced.lines[cart.len()..].iter().all(|l| l.subvention.is_none()));
    prop_assert_eq!(priced.total_ttc, priced.lines.iter().map(|l| l.total_ttc).sum::<Decimal>());
    let subsidies: Decimal = priced.lines.iter().filter_map(|l| l.subvention.as_ref()).map(|s| s.total).sum();
    prop_assert_eq!(priced.total_subventions, subsidies);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn subsidies_and_fees_price_every_profile_and_period_into_valid_tickets(
        rates in prop::collection::vec(rate(), 1..4),
        n_plain in 2u64..7,
        n_fee in 1u64..3,
        len1 in 20i64..200,
        pool in prop::collection::vec(any::<u32>(), 256),
        picks in prop::collection::vec((any::<prop::sample::Index>(), quantity()), 1..8),
        offsets in prop::collection::vec(0u32..400, 3),
    ) {
        let w = world(&rates, n_plain, n_fee, len1, &pool);
        let r = &w.r;
        let cart: Vec<CartItem> = picks.iter().map(|(i, q)| CartItem::new(r.articles[i.index(r.articles.len())].code_article, *q)).collect();
        let days = [
            day0() + Duration::days(i64::from(offsets[0]) % w.len1),
            day0() + Duration::days(w.len1 + i64::from(offsets[1])),
            day0() + Duration::days(w.promo_start + i64::from(offsets[2] % 7)),
        ];
        for profile in PROFILES {
            for day in days {
                let priced = price_cart(r, &cart, profile, day).unwrap();
                assert_priced(r, &cart, profile, day, &priced)?;
                let sold_at = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap()).fixed_offset();
                let sale = SaleContext { version_logiciel: "prop".into(), id_logiciel: 39, type_distribution: TypeDistribution::SurPlace, sold_at };
                let built = build_ticket(r, &NumberingState::default(), &sale, &priced, None, &Payment::CarteBancaire).unwrap();
                let report = check_ticket(&built.ticket, Some(r));
                prop_assert!(report.is_valid(), "{:?}", report.violations);
                prop_assert_eq!(built.ticket.liste_lignes.as_ref().unwrap().len(), priced.lines.len());
                let vat = vat_totals(&built.ticket, r);
                prop_assert_eq!(vat.iter().map(|v| v.total_ttc).sum::<Decimal>(), priced.total_ttc);
            }
        }
    }
}

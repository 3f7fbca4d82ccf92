//! Property tests: every ticket the builder makes from random reference data, carts, profiles,
//! payments and days passes every check, survives the wire unchanged, and no sum drifts by a cent.

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use crous_till_core::builder::{build_ticket, IzlyCustomer, Payment, SaleContext};
use crous_till_core::checks::check_ticket;
use crous_till_core::numbering::NumberingState;
use crous_till_core::pricing::{price_cart, CartItem};
use crous_till_core::receipt::vat_totals;
use crous_till_core::reference::{Article, CustomerProfile, Periode, PrixArticle, ReferenceData, SocieteTarif, Tva};
use crous_till_core::ticket::{Ticket, TypeDistribution};
use crous_till_core::Decimal;
use proptest::prelude::*;
use rust_decimal::RoundingStrategy;

const PROFILES: [CustomerProfile; 4] = [
    CustomerProfile::ETUDIANT,
    CustomerProfile::HOTE_DE_PASSAGE,
    CustomerProfile::ETUDIANT_COMMANDE_EN_LIGNE,
    CustomerProfile::NON_ETUDIANT_COMMANDE_EN_LIGNE,
];

/// VAT rates in percent: the French ones and arbitrary one-decimal rates.
fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        prop::sample::select(vec![
            Decimal::ZERO,
            Decimal::new(21, 1),
            Decimal::new(55, 1),
            Decimal::TEN,
            Decimal::from(20)
        ]),
        (0i64..400).prop_map(|r| Decimal::new(r, 1)),
    ]
}

/// Quantities: mostly whole, sometimes weighed (three decimals), so line rounding is exercised.
fn quantity() -> impl Strategy<Value = Decimal> {
    prop_oneof![3 => (1i64..=30).prop_map(Decimal::from), 1 => (1i64..=5000).prop_map(|g| Decimal::new(g, 3))]
}

/// Reference data with `n` articles, each priced (in cents) for every profile in one period.
fn reference() -> impl Strategy<Value = ReferenceData> {
    (prop::collection::vec(rate(), 1..5), 1usize..12)
        .prop_flat_map(|(rates, n)| {
            let k = rates.len();
            (
                Just(rates),
                prop::collection::vec((0..k, prop::collection::vec(0i64..2_000_000, 4)), n),
                prop::option::of(0..k),
            )
        })
        .prop_map(|(rates, articles, visitor_vat)| {
            let tva = rates.iter().enumerate().map(|(i, taux)| Tva { code_tva: i as u32 + 1, taux: *taux }).collect();
            let mut r = ReferenceData {
                tva,
                periodes: vec![Periode { id_periode: 1, libelle: "année".into(), date_debut: day0(), date_fin: None }],
                societes_tarifs: vec![SocieteTarif {
                    code_societe: 8000,
                    tarif: 1,
                    libelle: "hôte".into(),
                    code_tva: visitor_vat.map(|v| v as u32 + 1),
                }],
                ..ReferenceData::default()
            };
            for (i, (vat, prices)) in articles.into_iter().enumerate() {
                let code_article = 1000 + i as u64;
                r.articles.push(Article {
                    code_article,
                    libelle: format!("article {i}"),
                    code_tva: Some(vat as u32 + 1),
                    vers_bornes_prepaiement: None,
                });
                for (profile, cents) in PROFILES.iter().zip(prices) {
                    r.articles_societes_tarifs_periodes.push(PrixArticle {
                        code_article,
                        code_societe: profile.code_societe,
                        tarif: profile.tarif,
                        id_periode: 1,
                        prix_ttc: Decimal::new(cents, 2),
                    });
                }
            }
            r
        })
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

fn payment() -> impl Strategy<Value = Payment> {
    prop_oneof![
        Just(Payment::CarteBancaire),
        Just(Payment::Fidelite),
        ("[0-9]{6,15}", "[0-9A-F]{14}", "[0-9]{1,9}").prop_map(
            |(id_support, numero_applicatif, id_transaction_izly)| {
                Payment::IzlyCard { id_support, numero_applicatif, id_transaction_izly }
            }
        ),
        ("AIZ;[0-9]{10};[a-f0-9]{8}", "[0-9]{1,9}")
            .prop_map(|(qr_code, id_transaction_izly)| Payment::IzlyQrCode { qr_code, id_transaction_izly }),
    ]
}

/// The independent oracle for HT: plain decimal division, then half-up rounding.
fn oracle_ht(ttc: Decimal, rate: Decimal) -> Decimal {
    (ttc / (Decimal::ONE + rate / Decimal::ONE_HUNDRED))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Amounts that stress the checks: extremes, sub-cents, negatives, exponents, absent.
fn hostile_amount() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "null",
            "0",
            "-0",
            "-1",
            "0.001",
            "1.005",
            "79228162514264337593543950335",
            "7.9e28",
            "1e-30",
            "90071992547409.92",
            "\"12.30\"",
            "\"-0.5\"",
        ])
        .prop_map(str::to_owned),
        (-100000i64..100000, 0u32..5).prop_map(|(m, s)| Decimal::new(m, s).to_string()),
    ]
    .boxed()
}

/// Integer codes around and beyond the allowed values.
fn hostile_code() -> BoxedStrategy<String> {
    prop::sample::select(vec!["null", "0", "1", "2", "3", "4", "9", "12", "4294967295", "\"9\""])
        .prop_map(str::to_owned)
        .boxed()
}

fn hostile_text() -> BoxedStrategy<String> {
    prop::sample::select(vec![
        "null",
        "\"\"",
        "\"VT\"",
        "\"AN\"",
        "\"2026-11-23T11:45:00Z\"",
        "\"23/11/2026\"",
        "12345",
    ])
    .prop_map(str::to_owned)
    .boxed()
}

/// A JSON object from (key, strategy) pairs, leaving out the keys whose value came out null.
fn object(fields: Vec<(&'static str, BoxedStrategy<String>)>) -> impl Strategy<Value = String> {
    let (keys, values): (Vec<_>, Vec<_>) = fields.into_iter().unzip();
    values.prop_map(move |v| {
        let present: Vec<String> =
            keys.iter().zip(v).filter(|(_, v)| v != "null").map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", present.join(", "))
    })
}

fn hostile_ticket_json() -> impl Strategy<Value = String> {
    let line = object(vec![
        ("numeroLigne", hostile_code()),
        ("codeArticle", hostile_code()),
        ("quantite", hostile_amount()),
        ("codeTva", hostile_code()),
        ("prixUnitaireHt", hostile_amount()),
        ("prixUnitaireTtc", hostile_amount()),
        ("totalHt", hostile_amount()),
        ("totalTtc", hostile_amount()),
        ("gainFidelite", hostile_amount()),
    ]);
    let payment = object(vec![
        ("codeReglement", hostile_code()),
        ("montant", hostile_amount()),
        ("idSupport", hostile_text()),
        ("qrCode", hostile_text()),
        ("numeroApplicatif", hostile_text()),
    ]);
    let complementaire = object(vec![
        ("idTypeDistribution", hostile_code()),
        ("soldeClient", hostile_amount()),
        ("cumulPointsFidelite", hostile_amount()),
        ("tarifClient", hostile_code()),
        ("idSupport", hostile_text()),
        ("dateFinValiditeClient", hostile_text()),
    ]);
    (prop::collection::vec(line, 0..4), prop::collection::vec(payment, 0..3), complementaire, hostile_text(), hostile_text()).prop_map(
        |(lines, payments, complementaire, code, date)| {
            format!(
                "{{\"codeEvenement\": {code}, \"date\": {date}, \"listeLignes\": [{}], \"listeReglements\": [{}], \"complementaire\": {complementaire}}}",
                lines.join(","),
                payments.join(",")
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn built_tickets_pass_every_check_and_add_up(
        r in reference(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), quantity()), 1..10),
        profile in prop::sample::select(PROFILES.to_vec()),
        pay in payment(),
        days_later in 0i64..2000,
        minutes in 0u32..(24 * 60),
        offset_hours in -12i32..=14,
        previous_sales in 0u64..1_000_000,
    ) {
        let cart: Vec<CartItem> = picks.iter().map(|(i, q)| CartItem::new(r.articles[i.index(r.articles.len())].code_article, *q)).collect();
        let local_day = day0() + Duration::days(days_later);
        let offset = FixedOffset::east_opt(offset_hours * 3600).unwrap();
        let sold_at = offset.from_local_datetime(&local_day.and_hms_opt(minutes / 60, minutes % 60, 7).unwrap()).unwrap();
        let priced = price_cart(&r, &cart, profile, sold_at.date_naive()).unwrap();
        let customer = IzlyCustomer { code_client: Some("C1".into()), solde_client: Some(Decimal::new(1525, 2)), ..IzlyCustomer::default() };
        let sale = SaleContext { version_logiciel: "prop".into(), id_logiciel: 39, type_distribution: TypeDistribution::AEmporter, sold_at };
        let numbering = NumberingState::starting_at(previous_sales + 1);
        let built = build_ticket(&r, &numbering, &sale, &priced, Some(&customer), &pay).unwrap();
        let t = &built.ticket;

        // Every check passes.
        let report = check_ticket(t, Some(&r));
        prop_assert!(report.is_valid(), "{:?}", report.violations);

        // No sum drifts: lines, payment, VAT summary.
        let lines = t.liste_lignes.as_ref().unwrap();
        let sum_ttc: Decimal = lines.iter().map(|l| l.total_ttc.unwrap()).sum();
        let sum_ht: Decimal = lines.iter().map(|l| l.total_ht.unwrap()).sum();
        prop_assert_eq!(t.liste_reglements.as_ref().unwrap()[0].montant, Some(sum_ttc));
        prop_assert_eq!(priced.total_ttc, sum_ttc);
        let vat = vat_totals(t, &r);
        prop_assert_eq!(vat.iter().map(|v| v.total_ttc).sum::<Decimal>(), sum_ttc);
        prop_assert_eq!(vat.iter().map(|v| v.total_ht).sum::<Decimal>(), sum_ht);
        for v in &vat {
            prop_assert_eq!(v.total_ht + v.total_tva, v.total_ttc);
        }
        for (line, item) in lines.iter().zip(&cart) {
            let (pu_ttc, pu_ht, q) = (line.prix_unitaire_ttc.unwrap(), line.prix_unitaire_ht.unwrap(), line.quantite.unwrap());
            prop_assert_eq!(q, item.quantite);
            // TTC is the list price; HT agrees with an independent computation.
            let rate = r.vat_rate(line.code_tva.unwrap()).unwrap();
            prop_assert_eq!(pu_ht, oracle_ht(pu_ttc, rate));
            // Whole quantities need no rounding at all: total = PU × quantity exactly.
            if q.fract().is_zero() {
                prop_assert_eq!(line.total_ttc.unwrap(), pu_ttc * q);
                prop_assert_eq!(line.total_ht.unwrap(), pu_ht * q);
            }
            prop_assert!(line.total_ht.unwrap() <= line.total_ttc.unwrap());
        }

        // The wire is lossless: JSON text → ticket gives the same ticket.
        let text = serde_json::to_string(t).unwrap();
        let back: Ticket = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, t);

        // Numbering: the header id follows the persisted state, the day prefix is the local day.
        prop_assert_eq!(t.id_ticket_entete.clone(), Some((previous_sales + 1).to_string()));
        prop_assert!(t.numero_ticket.as_ref().unwrap().starts_with(&local_day.format("%y%m%d").to_string()));
        prop_assert_eq!(built.numbering.last_id_ticket_entete, previous_sales + 1);
    }

    #[test]
    fn numbering_never_repeats_within_a_point_of_sale(steps in prop::collection::vec(0i64..3, 1..300)) {
        let mut state = NumberingState::default();
        let mut day = day0();
        let mut seen = std::collections::HashSet::new();
        let mut last_id = 0u64;
        for step in steps {
            day += Duration::days(step);
            let (numbers, next) = state.next(day).unwrap();
            prop_assert!(seen.insert(numbers.numero_ticket.clone()), "numeroTicket {} repeated", numbers.numero_ticket);
            let id: u64 = numbers.id_ticket_entete.parse().unwrap();
            prop_assert_eq!(id, last_id + 1);
            last_id = id;
            state = next;
        }
    }

    #[test]
    fn checking_hostile_ticket_shaped_json_never_panics(text in hostile_ticket_json(), with_reference in any::<bool>()) {
        let reference = ReferenceData {
            tva: vec![Tva { code_tva: 1, taux: Decimal::TEN }, Tva { code_tva: 2, taux: Decimal::MAX }],
            ..ReferenceData::default()
        };
        // The generator keeps every value within its field's JSON type (a few codes and the
        // 12345 texts excepted), so most inputs reach the checks rather than the parser.
        if let Ok(t) = serde_json::from_str::<Ticket>(&text) {
            let report = check_ticket(&t, with_reference.then_some(&reference));
            // Whatever came in, the report serializes (the CLI and the sandbox print it).
            prop_assert!(serde_json::to_string(&report).is_ok());
        }
    }
}

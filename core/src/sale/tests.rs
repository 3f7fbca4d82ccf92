//! Unit tests of the sale engine, rule by rule, over the in-memory store.

use super::*;
use crate::builder::{IzlyCustomer, SaleContext};
use crate::journal::verify;
use crate::outbox::TillJournal;
use crate::outbox::{MemoryStore, OutboxPolicy, OutboxStore, StoreError};
use crate::point_of_sale::PointOfSale;
use crate::pricing::CartItem;
use crate::reference::{CustomerProfile, ReferenceData};
use crate::ticket::TypeDistribution;
use rust_decimal::Decimal;

pub(super) const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
pub(super) const T0: u64 = 1_795_000_000_000;

pub(super) fn reference() -> ReferenceData {
    serde_json::from_str(
        r#"{"tva": [{"codeTva": 1, "taux": 10}],
            "articles": [{"codeArticle": 100, "libelle": "Repas", "codeTva": 1}],
            "periodes": [{"idPeriode": 1, "dateDebut": "2026-08-24"}],
            "articlesSocietesTarifsPeriodes": [
                {"codeArticle": 100, "codeSociete": 10, "tarif": 1, "idPeriode": 1, "prixTtc": "3.30"},
                {"codeArticle": 100, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": "8.30"}]}"#,
    )
    .unwrap()
}

fn input(method: PaymentMethod, at: &str) -> SaleInput {
    let izly = !matches!(method, PaymentMethod::Esipay);
    SaleInput {
        cart: vec![CartItem::new(100, 1)],
        profile: if izly { CustomerProfile::ETUDIANT } else { CustomerProfile::HOTE_DE_PASSAGE },
        customer: izly.then(|| IzlyCustomer { code_client: Some("6000050617".into()), ..IzlyCustomer::default() }),
        method,
        sale: SaleContext {
            version_logiciel: "sale-tests".into(),
            id_logiciel: 39,
            type_distribution: TypeDistribution::SurPlace,
            sold_at: chrono::DateTime::parse_from_rfc3339(at).unwrap(),
        },
    }
}

fn qr() -> PaymentMethod {
    PaymentMethod::IzlyQrCode { qr_code: "AIZ;6000001265;2026-11-23 11:00:00;3;ab;AA==".into() }
}

fn paid_izly(id: &str) -> PaymentOutcome {
    PaymentOutcome::Paid {
        payment: PaymentProof::Izly {
            id_transaction_izly: id.into(),
            balance: Some(Decimal::new(1195, 2)),
            code_client: Some("6000050617".into()),
        },
    }
}

fn declined() -> PaymentOutcome {
    PaymentOutcome::Declined { code: "izly_pos.insufficient_balance".into(), message: "Solde insuffisant".into() }
}

pub(super) fn open(store: MemoryStore) -> DurableTill<MemoryStore> {
    DurableTill::open(store, POS, OutboxPolicy::default()).unwrap()
}

pub(super) const NOON: &str = "2026-11-23T12:00:00+01:00";

#[test]
fn a_paid_sale_is_journaled_and_queued_in_the_commit_that_records_its_payment() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    let order = till.begin(input(qr(), NOON), &r, T0).unwrap();
    assert_eq!((order.id_ticket_entete.as_str(), order.numero_ticket.as_str()), ("1", "2611231"));
    assert_eq!(order.amount.to_string(), "3.30");
    assert_eq!(order.reference, "5-1-9-8-14.1.1");
    // Number and intent stored together, nothing journaled yet.
    let stored = till.store().load(POS).unwrap();
    assert_eq!(stored.numbering.unwrap().numbering.last_id_ticket_entete, 1);
    assert_eq!(stored.sales[0].state, SaleState::PaymentPending);
    assert!(stored.journal.is_empty());
    let commits = till.store().commits();

    let sale = till.record_payment("1", &paid_izly("63535"), &r, T0 + 1).unwrap();
    assert!(matches!(sale.state, SaleState::Completed { journal_sequence: 1, .. }));
    assert_eq!(till.store().commits(), commits + 1, "one transaction: the sale and its ticket");
    let stored = till.store().load(POS).unwrap();
    let ticket = &stored.journal[0].ticket;
    let payment = &ticket.liste_reglements.as_ref().unwrap()[0];
    assert_eq!(payment.id_transaction_izly.as_deref(), Some("63535"));
    assert_eq!(ticket.complementaire.as_ref().unwrap().solde_client, Some(Decimal::new(1195, 2)));
    assert_eq!(stored.rows[0].id_ticket_entete, "1");
    assert!(verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref()).is_ok());
}

#[test]
fn a_declined_payment_voids_the_sale_and_its_number_stays_a_gap() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    till.begin(input(qr(), NOON), &r, T0).unwrap();
    let sale = till.record_payment("1", &declined(), &r, T0).unwrap();
    assert!(matches!(sale.state, SaleState::Voided { ref code, .. } if code == "izly_pos.insufficient_balance"));
    let order = till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
    assert_eq!((order.id_ticket_entete.as_str(), order.numero_ticket.as_str()), ("2", "2611232"));
    assert_eq!(order.reference, "5-1-9-8-14-2611232-2");
    assert_eq!(order.amount.to_string(), "8.30");
    till.record_payment("2", &PaymentOutcome::Paid { payment: PaymentProof::Esipay { transaction: None } }, &r, T0)
        .unwrap();
    let stored = till.store().load(POS).unwrap();
    assert_eq!(stored.journal.len(), 1);
    assert_eq!(stored.journal[0].ticket.id_ticket_entete.as_deref(), Some("2"));
    assert_eq!(stored.sales.len(), 2, "the voided number is kept");
}

#[test]
fn one_sale_at_a_time_and_none_while_one_is_unsettled() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    till.begin(input(qr(), NOON), &r, T0).unwrap();
    let again = till.begin(input(qr(), NOON), &r, T0).unwrap_err();
    assert!(
        matches!(again, SaleError::Unsettled { ref id_ticket_entete, state: "paymentPending" } if id_ticket_entete == "1")
    );
    // An unknown Izly outcome writes nothing: the sale waits for its look-up.
    let lost = PaymentOutcome::Unknown { code: "network.outcome_unknown".into(), message: "timeout".into() };
    let commits = till.store().commits();
    till.record_payment("1", &lost, &r, T0).unwrap();
    assert_eq!(till.store().commits(), commits);
    assert_eq!(
        till.settlements(),
        vec![Settlement::LookUpIzlyDebit {
            id_ticket_entete: "1".into(),
            reference: crate::api::izly_pos::DebitReference::for_ticket(&POS, "1", 1)
        }]
    );
    assert!(matches!(till.record_payment("9", &declined(), &r, T0), Err(SaleError::UnknownSale { .. })));
    till.record_payment("1", &paid_izly("7"), &r, T0).unwrap();
    assert!(matches!(till.record_payment("1", &declined(), &r, T0), Err(SaleError::WrongState { .. })));
}

#[test]
fn an_interrupted_izly_sale_is_settled_by_its_lookup_after_a_restart() {
    let r = reference();
    let mut till = open(MemoryStore::new());
    till.begin(input(qr(), NOON), &r, T0).unwrap();
    // The process dies with the debit on its way; the store is all that is left.
    let mut till = open(till.into_store());
    let settlements = till.settlements();
    let [Settlement::LookUpIzlyDebit { id_ticket_entete, .. }] = settlements.as_slice() else { panic!() };
    let found = include_bytes!("../../tests/fixtures/api/izly_pos/debit.json");
    let outcome = PaymentOutcome::from_izly_lookup(200, &[], found);
    let sale = till.record_payment(id_ticket_entete, &outcome, &r, T0).unwrap();
    assert!(matches!(sale.state, SaleState::Completed { .. }));
    assert!(till.settlements().is_empty());
}

#[test]
fn an_interrupted_esipay_sale_is_to_check_until_the_cashier_answers() {
    let r = reference();
    let mut till = open(MemoryStore::new());
    till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
    let mut till = open(till.into_store());
    assert_eq!(till.settlements(), vec![Settlement::Interrupted { id_ticket_entete: "1".into() }]);
    let sale = till.record_payment("1", &PaymentOutcome::interrupted(), &r, T0).unwrap();
    assert!(matches!(sale.state, SaleState::ToCheck { ref code, .. } if code == "sale.interrupted"));
    assert!(matches!(
        till.begin(input(PaymentMethod::Esipay, NOON), &r, T0),
        Err(SaleError::Unsettled { state: "toCheck", .. })
    ));
    let paid = Resolution::Paid { transaction: Some("T-42".into()) };
    let sale = till.resolve("1", &paid, &r, T0).unwrap();
    assert!(matches!(
        sale.state,
        SaleState::Completed { payment: PaymentProof::Esipay { transaction: Some(ref t) }, .. } if t == "T-42"
    ));
    till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
    let sale = till.record_payment("2", &PaymentOutcome::interrupted(), &r, T0).unwrap();
    assert!(matches!(sale.state, SaleState::ToCheck { .. }));
    let sale = till.resolve("2", &Resolution::NotPaid, &r, T0).unwrap();
    assert!(matches!(sale.state, SaleState::Voided { ref code, .. } if code == "sale.not_paid"));
}

#[test]
fn nothing_moves_when_the_ticket_could_not_be_kept() {
    let r = reference();
    let mut till = open(MemoryStore::new());
    // A QR payment needs the holder's codeClient (searchQRCode): refused before paying.
    let mut no_customer = input(qr(), NOON);
    no_customer.customer = None;
    assert!(matches!(till.begin(no_customer, &r, T0), Err(SaleError::Build(_))));
    let mut unknown = input(qr(), NOON);
    unknown.cart = vec![CartItem::new(999, 1)];
    assert!(matches!(till.begin(unknown, &r, T0), Err(SaleError::Pricing(_))));
    // A closed day takes no more sales: found before the payment.
    till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
    till.record_payment("1", &PaymentOutcome::Paid { payment: PaymentProof::Esipay { transaction: None } }, &r, T0)
        .unwrap();
    till.close("2026-11-23".parse().unwrap(), None, T0).unwrap();
    assert!(matches!(till.begin(input(PaymentMethod::Esipay, NOON), &r, T0), Err(SaleError::Journal(_))));
    assert_eq!(till.store().load(POS).unwrap().sales.len(), 1);
    // A store failure leaves the till as it was.
    till.store_mut().fail_next_commit(StoreError::Failed("disk full".into()));
    let later = "2026-11-24T12:00:00+01:00";
    assert!(matches!(till.begin(input(PaymentMethod::Esipay, later), &r, T0), Err(SaleError::Outbox(_))));
    assert_eq!(till.begin(input(PaymentMethod::Esipay, later), &r, T0).unwrap().id_ticket_entete, "2");
}

#[test]
fn a_proof_of_another_method_is_refused() {
    let r = reference();
    let mut till = open(MemoryStore::new());
    till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
    assert!(matches!(till.record_payment("1", &paid_izly("1"), &r, T0), Err(SaleError::ProofMismatch { .. })));
}

#[test]
fn counters_resume_above_every_number_the_store_holds() {
    // A till whose counters were kept elsewhere: its journal holds tickets 1 and 2 of the day.
    let r = reference();
    let mut till = open(MemoryStore::new());
    for _ in 0..2 {
        let order = till.begin(input(PaymentMethod::Esipay, NOON), &r, T0).unwrap();
        let paid = PaymentOutcome::Paid { payment: PaymentProof::Esipay { transaction: None } };
        till.record_payment(&order.id_ticket_entete, &paid, &r, T0).unwrap();
    }
    let mut snapshot = till.store().load(POS).unwrap();
    snapshot.numbering = None;
    snapshot.sales.clear();
    let reopened = Till::open(POS, OutboxPolicy::default(), snapshot).unwrap();
    let n = reopened.numbering();
    assert_eq!((n.last_id_ticket_entete, n.day_sequence), (2, 2));
}

#[test]
fn two_processes_selling_on_one_till_take_the_next_numbers_in_turn() {
    let shared = crate::outbox::shared_tests::Shared::default();
    let open_shared = |me| DurableTill::open(shared.process(me), POS, OutboxPolicy::default()).unwrap();
    let (mut a, mut b) = (open_shared(1), open_shared(2));
    let r = reference();
    let first = a.begin(input(qr(), NOON), &r, T0).unwrap();
    a.record_payment(&first.id_ticket_entete, &paid_izly("7"), &r, T0).unwrap();
    // b planned on counters a has moved: its commit conflicts, it reloads, takes number 2.
    let second = b.begin(input(qr(), NOON), &r, T0).unwrap();
    assert_eq!((first.id_ticket_entete.as_str(), second.id_ticket_entete.as_str()), ("1", "2"));
    b.record_payment("2", &paid_izly("8"), &r, T0).unwrap();
    let stored = shared.load(POS).unwrap();
    assert_eq!(stored.sales.len(), 2);
    assert!(verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref()).is_ok());
}

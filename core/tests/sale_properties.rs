//! The sale engine's guarantees under random sales, payment answers, lost answers, crashes at
//! every step boundary and storage failures (issue 12: "no payment without its ticket, no ticket
//! without its payment, no double charge, no reused number").
//!
//! A fake Izly keeps its debits by reference (idempotent, as the real one is asked to be) and
//! answers the look-up; a fake esipay keeps its charges by cid. A crash drops the in-memory till
//! and reopens it from the store, then settles as a restarted till does. An honest cashier
//! answers sales to check from esipay's own records.

use crous_till_core::api::esipay::{EsipayError, EsipayOk};
use crous_till_core::api::execution::{CallError, Called, ExecutorError};
use crous_till_core::api::izly_pos::{Debit, IzlyPosError};
use crous_till_core::builder::{IzlyCustomer, SaleContext};
use crous_till_core::journal::verify;
use crous_till_core::outbox::{MemoryStore, OutboxPolicy, OutboxStore, SendOutcome, SendQueue, StoreError};
use crous_till_core::point_of_sale::PointOfSale;
use crous_till_core::pricing::CartItem;
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::sale::{
    DurableTill, PaymentMethod, PaymentOrder, PaymentOutcome, Resolution, SaleError, SaleInput, SaleState, Settlement,
};
use crous_till_core::ticket::TypeDistribution;
use crous_till_core::Decimal;
use proptest::prelude::*;
use std::collections::BTreeMap;

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const T0: u64 = 1_795_000_000_000;

fn reference() -> ReferenceData {
    serde_json::from_str(
        r#"{"tva": [{"codeTva": 1, "taux": 10}, {"codeTva": 2, "taux": 5.5}],
            "articles": [{"codeArticle": 100, "libelle": "Repas", "codeTva": 1},
                         {"codeArticle": 200, "libelle": "Café", "codeTva": 2}],
            "periodes": [{"idPeriode": 1, "dateDebut": "2026-08-24"}],
            "articlesSocietesTarifsPeriodes": [
                {"codeArticle": 100, "codeSociete": 10, "tarif": 1, "idPeriode": 1, "prixTtc": "3.30"},
                {"codeArticle": 200, "codeSociete": 10, "tarif": 1, "idPeriode": 1, "prixTtc": "0.55"},
                {"codeArticle": 100, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": "8.30"},
                {"codeArticle": 200, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": "1.30"}]}"#,
    )
    .unwrap()
}

#[derive(Debug, Clone, Copy)]
enum Reply {
    Paid,
    Declined,
    /// The service took the money; the answer was lost (timeout after sending).
    LostAfterCharge,
    /// The answer was lost and the service never took the money.
    LostBeforeCharge,
    /// A 5xx; for Izly, the money may (`true`) or may not have been taken.
    ServerError(bool),
    /// The till dies once the intent is stored, before the request leaves.
    CrashBeforeSend,
    /// The till dies after the service took the money, before recording it.
    CrashAfterCharge,
}

#[derive(Debug, Clone)]
enum Op {
    Sell {
        izly: bool,
        items: u8,
        reply: Reply,
    },
    Restart,
    /// The next store commit fails (disk full).
    StoreFails,
    /// Izly's look-up is down (503) until the next restart.
    LookupDown,
    /// The outbox sends its due ticket, accepted.
    Send,
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        6 => Just(Reply::Paid),
        2 => Just(Reply::Declined),
        1 => Just(Reply::LostAfterCharge),
        1 => Just(Reply::LostBeforeCharge),
        1 => any::<bool>().prop_map(Reply::ServerError),
        1 => Just(Reply::CrashBeforeSend),
        1 => Just(Reply::CrashAfterCharge),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (any::<bool>(), 1u8..4, reply()).prop_map(|(izly, items, reply)| Op::Sell { izly, items, reply }),
        1 => Just(Op::Restart),
        1 => Just(Op::StoreFails),
        1 => Just(Op::LookupDown),
        2 => Just(Op::Send),
    ]
}

/// The payment services' own records.
#[derive(Default)]
struct Services {
    /// Izly debits by reference: (transaction id, amount).
    izly: BTreeMap<String, (String, Decimal)>,
    /// esipay charges by cid: (amount, times charged).
    esipay: BTreeMap<String, (Decimal, u32)>,
    lookup_down: bool,
}

impl Services {
    fn charge(&mut self, order: &PaymentOrder) -> Debit {
        if order.method == PaymentMethod::Esipay {
            let entry = self.esipay.entry(order.reference.clone()).or_insert((order.amount, 0));
            entry.1 += 1;
            return debit("", order.amount);
        }
        let n = self.izly.len() + 1;
        let (id, amount) = self.izly.entry(order.reference.clone()).or_insert((format!("tx{n}"), order.amount)).clone();
        debit(&id, amount)
    }

    /// `GET /api/payments/debit/reference/{reference}` as Izly answers it.
    fn lookup(&self, reference: &str) -> PaymentOutcome {
        if self.lookup_down {
            return PaymentOutcome::from_izly_lookup(503, &[], b"");
        }
        match self.izly.get(reference) {
            Some((id, amount)) => {
                PaymentOutcome::from_izly_lookup(200, &[], &serde_json::to_vec(&debit(id, *amount)).unwrap())
            }
            None => {
                let body = br#"{"Code":356,"ErrorMessage":"Op\u00e9ration introuvable","Title":"L'op\u00e9ration ne peut pas aboutir","Priority":2}"#;
                PaymentOutcome::from_izly_lookup(404, &[], body)
            }
        }
    }
}

fn debit(id: &str, amount: Decimal) -> Debit {
    Debit {
        id_transaction_izly: id.into(),
        reference: None,
        amount,
        balance: Some(Decimal::new(5000, 2)),
        date: None,
        code_client: Some("6000050617".into()),
    }
}

/// What the client library reports for `reply`, read by core's own decisions.
fn outcome(izly: bool, reply: Reply, debit: Option<Debit>) -> PaymentOutcome {
    let lost =
        ExecutorError::OutcomeUnknown { endpoint: "pay", attempts: 1, reference: "r".into(), reason: "timeout".into() };
    if izly {
        PaymentOutcome::from_izly_debit(&match (reply, debit) {
            (_, Some(d)) if matches!(reply, Reply::Paid) => Ok(Called { value: d, attempts: 1, reconciled: false }),
            (Reply::Declined, _) => Err(CallError::Api { error: IzlyPosError::InsufficientBalance(None), attempts: 1 }),
            (Reply::ServerError(_), _) => {
                Err(CallError::Api { error: IzlyPosError::Server { status: 500, error: None }, attempts: 1 })
            }
            _ => Err(CallError::Executor(lost)),
        })
    } else {
        PaymentOutcome::from_esipay(&match reply {
            Reply::Paid => Ok(Called { value: EsipayOk { body: String::new() }, attempts: 1, reconciled: false }),
            Reply::Declined => {
                Err(CallError::Api { error: EsipayError::InvalidParameters { body: String::new() }, attempts: 1 })
            }
            Reply::ServerError(_) => {
                Err(CallError::Api { error: EsipayError::ServiceError { body: String::new() }, attempts: 1 })
            }
            _ => Err(CallError::Executor(lost)),
        })
    }
}

struct World {
    till: Option<DurableTill<MemoryStore>>,
    services: Services,
    reference: ReferenceData,
    now: u64,
    sales: u32,
}

impl World {
    fn till(&mut self) -> &mut DurableTill<MemoryStore> {
        self.till.as_mut().unwrap()
    }

    fn restart(&mut self) {
        let store = self.till.take().unwrap().into_store();
        self.till = Some(DurableTill::open(store, POS, OutboxPolicy::default()).expect("a crashed till reopens"));
        self.settle();
    }

    /// What a till does before selling: look pending Izly debits up, make interrupted esipay
    /// payments sales to check, and let the (honest) cashier answer those from esipay's records.
    fn settle(&mut self) {
        for s in self.till().settlements() {
            let (id, outcome) = match s {
                Settlement::LookUpIzlyDebit { id_ticket_entete, reference } => {
                    (id_ticket_entete, self.services.lookup(reference.as_str()))
                }
                Settlement::Interrupted { id_ticket_entete } => (id_ticket_entete, PaymentOutcome::interrupted()),
            };
            let (r, now) = (self.reference.clone(), self.now);
            if self.till().record_payment(&id, &outcome, &r, now).is_err() {
                return; // the store failed: settled at the next restart
            }
        }
        let to_check: Vec<(String, String)> = self
            .till()
            .till()
            .sales()
            .filter(|s| matches!(s.state, SaleState::ToCheck { .. }))
            .map(|s| (s.id_ticket_entete.clone(), s.reference.clone()))
            .collect();
        for (id, cid) in to_check {
            let resolution = match self.services.esipay.get(&cid) {
                Some(_) => Resolution::Paid { transaction: None },
                None => Resolution::NotPaid,
            };
            let (r, now) = (self.reference.clone(), self.now);
            let _ = self.till().resolve(&id, &resolution, &r, now);
        }
    }

    fn sell(&mut self, izly: bool, items: u8, reply: Reply) {
        self.settle();
        self.now += 60_000;
        self.sales += 1;
        let minute = self.sales;
        let input = SaleInput {
            cart: (0..items).map(|i| CartItem::new(if i % 2 == 0 { 100 } else { 200 }, 1)).collect(),
            profile: if izly { CustomerProfile::ETUDIANT } else { CustomerProfile::HOTE_DE_PASSAGE },
            customer: izly.then(|| IzlyCustomer { code_client: Some("6000050617".into()), ..IzlyCustomer::default() }),
            method: if izly {
                PaymentMethod::IzlyQrCode { qr_code: format!("AIZ;6000001265;2026-11-23 11:00:00;3;{minute:x};AA==") }
            } else {
                PaymentMethod::Esipay
            },
            sale: SaleContext {
                version_logiciel: "sale-properties".into(),
                id_logiciel: 39,
                type_distribution: TypeDistribution::SurPlace,
                sold_at: chrono::DateTime::parse_from_rfc3339(&format!(
                    "2026-11-{:02}T{:02}:{:02}:00+01:00",
                    23 + minute / 1440,
                    (minute / 60) % 24,
                    minute % 60
                ))
                .unwrap(),
            },
        };
        let (r, now) = (self.reference.clone(), self.now);
        let order = match self.till().begin(input, &r, now) {
            Ok(order) => order,
            // Refused while an Izly sale waits for its look-up, or the store failed: nothing moved.
            Err(SaleError::Unsettled { .. }) => {
                assert!(self.services.lookup_down || self.till().till().unsettled().is_some());
                return;
            }
            Err(SaleError::Outbox(_)) => return,
            Err(e) => panic!("a sale was refused: {e}"),
        };
        let charged = match reply {
            Reply::Paid | Reply::LostAfterCharge | Reply::CrashAfterCharge => Some(self.services.charge(&order)),
            Reply::ServerError(true) if izly => Some(self.services.charge(&order)),
            _ => None,
        };
        if matches!(reply, Reply::CrashBeforeSend | Reply::CrashAfterCharge) {
            return self.restart();
        }
        let outcome = outcome(izly, reply, charged);
        if self.till().record_payment(&order.id_ticket_entete, &outcome, &r, now).is_err() {
            self.restart(); // the store failed after the payment: a restart settles it
        }
    }

    fn send(&mut self) {
        let now = self.now + 3_600_000;
        if let Ok(Some(dispatch)) = self.till().begin_send(now) {
            let _ = self.till().record_send(&dispatch, &SendOutcome::Accepted, now, 0.5);
        }
    }
}

/// The till's records against the services': every charge has exactly one ticket of its amount,
/// every ticket one charge, every number is used once (a ticket or a kept gap).
fn check(world: &mut World) {
    let stored = world.till().store().load(POS).unwrap();
    assert!(verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref()).is_ok());
    let tickets: Vec<_> = stored.journal.iter().map(|e| &e.ticket).collect();
    let ids: Vec<u64> = tickets.iter().map(|t| t.id_ticket_entete.as_deref().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "journal in number order, no number twice: {ids:?}");
    let by_reference: BTreeMap<String, (&str, Decimal)> = stored
        .sales
        .iter()
        .filter(|s| matches!(s.state, SaleState::Completed { .. }))
        .map(|s| (s.reference.clone(), (s.id_ticket_entete.as_str(), s.amount)))
        .collect();
    for (reference, (id_tx, amount)) in &world.services.izly {
        let sale = by_reference.get(reference);
        let ticket = tickets.iter().find(|t| Some(t.id_ticket_entete.as_deref().unwrap()) == sale.map(|s| s.0));
        let ticket = ticket.unwrap_or_else(|| panic!("Izly debit {reference} has no ticket"));
        let payment = &ticket.liste_reglements.as_ref().unwrap()[0];
        assert_eq!(payment.id_transaction_izly.as_deref(), Some(id_tx.as_str()));
        assert_eq!(payment.montant, Some(*amount));
    }
    for (cid, (amount, times)) in &world.services.esipay {
        assert_eq!(*times, 1, "card charged twice under {cid}");
        let (id, sold) = by_reference.get(cid).unwrap_or_else(|| panic!("esipay charge {cid} has no ticket"));
        assert_eq!(sold, amount);
        assert!(ids.contains(&id.parse().unwrap()));
    }
    let charges = world.services.izly.len() + world.services.esipay.len();
    assert_eq!(tickets.len(), charges, "no ticket without its payment");
    // Numbers 1..=last: each a journaled ticket or a sale kept as a gap, none lost, none twice.
    let last = world.till().till().numbering().last_id_ticket_entete;
    for n in 1..=last {
        let journaled = ids.contains(&n);
        let sale = stored.sales.iter().find(|s| s.id_ticket_entete == n.to_string());
        let gap = sale.is_some_and(|s| matches!(s.state, SaleState::Voided { .. }));
        assert!(journaled != gap, "number {n}: journaled {journaled}, gap {gap}, sale {sale:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_payment_without_its_ticket_nor_ticket_without_its_payment(ops in prop::collection::vec(op(), 1..60)) {
        let till = DurableTill::open(MemoryStore::new(), POS, OutboxPolicy::default()).unwrap();
        let mut world = World { till: Some(till), services: Services::default(), reference: reference(), now: T0, sales: 0 };
        for op in ops {
            match op {
                Op::Sell { izly, items, reply } => world.sell(izly, items, reply),
                Op::Restart => world.restart(),
                Op::StoreFails => world.till().store_mut().fail_next_commit(StoreError::Failed("disk full".into())),
                Op::LookupDown => world.services.lookup_down = true,
                Op::Send => world.send(),
            }
        }
        // Everything comes back up: a last restart settles what was left (twice, should the
        // store's injected failure have hit the first one's settlement).
        world.services.lookup_down = false;
        world.restart();
        world.restart();
        prop_assert!(world.till().till().unsettled().is_none(), "{:?}", world.till().till().unsettled());
        check(&mut world);
    }
}

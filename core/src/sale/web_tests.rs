//! Unit tests of web orders (IzlyPay) in the sale engine, over the in-memory store.

use super::tests::{open, reference, NOON, POS, T0};
use super::*;
use crate::api::execution::{Delivered, ExecutorError};
use crate::api::ApiResponse;
use crate::builder::{IzlyCustomer, SaleContext};
use crate::checks::check_ticket;
use crate::outbox::{MemoryStore, OutboxPolicy, OutboxStore};
use crate::pricing::CartItem;
use crate::reference::CustomerProfile;
use crate::ticket::TypeDistribution;
use serde_json::json;

fn order_input(id: &str) -> OrderInput {
    OrderInput {
        client_order_id: id.into(),
        cart: vec![CartItem::new(100, 1)],
        profile: CustomerProfile::ETUDIANT,
        customer: Some(IzlyCustomer { nom_client: Some("Alice Martin".into()), ..IzlyCustomer::default() }),
        sale: SaleContext {
            version_logiciel: "web-tests".into(),
            id_logiciel: 39,
            type_distribution: TypeDistribution::AEmporter,
            sold_at: chrono::DateTime::parse_from_rfc3339(NOON).unwrap(),
        },
    }
}

fn answer(status: u16, body: serde_json::Value) -> Result<Delivered, ExecutorError> {
    let response = ApiResponse::json(status, serde_json::to_vec(&body).unwrap());
    Ok(Delivered { response, attempts: 1, reconciled: false })
}

fn init_answer(id: &str, operation: u64) -> Result<Delivered, ExecutorError> {
    answer(
        200,
        json!({"PaymentAuthorizationUrl": format!("http://127.0.0.1:1/pay/{operation}"),
               "OperationSMoney": {"Id": operation, "Amount": "3.30", "Date": "23/11/2026 12:00:00",
                                   "Status": "Waiting", "ClientOrderId": id}}),
    )
}

fn details(id: &str, operation: u64, amount: f64, status: &str) -> Result<Delivered, ExecutorError> {
    answer(
        200,
        json!({"OperationId": operation, "IdTransactionDebitIzly": operation + 10_000, "Amount": amount,
               "CustomerEmail": "alice@example.org", "CustomerClientCode": "patricka23",
               "OperationStatus": status, "Error": "", "PaymentDate": "2026-11-23T12:01:00", "OrderId": id}),
    )
}

/// Opens order `id` and records IzlyPay's init answer for `operation`.
fn waiting(till: &mut DurableTill<MemoryStore>, id: &str, operation: u64) {
    till.open_order(order_input(id), &reference(), T0).unwrap();
    let order = till.record_order_init(id, Some(init_answer(id, operation)), T0 + 1).unwrap();
    assert!(matches!(order.state, WebOrderState::Waiting { .. }), "{:?}", order.state);
}

#[test]
fn a_confirmed_web_order_takes_its_number_and_queues_its_ticket_in_one_commit() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    let order = till.open_order(order_input("web-1"), &r, T0).unwrap();
    assert_eq!((order.amount.to_string(), order.state.name()), ("3.30".into(), "initiating"));
    let stored = till.store().load(POS).unwrap();
    assert!(stored.numbering.is_none() && stored.sales.is_empty(), "no number taken at checkout");
    till.record_order_init("web-1", Some(init_answer("web-1", 58689)), T0 + 1).unwrap();

    let commits = till.store().commits();
    let order =
        till.record_order_details("web-1", "58689", details("web-1", 58689, 3.30, "Completed"), &r, T0 + 60_000);
    let WebOrderState::Completed { id_ticket_entete, journal_sequence, .. } = &order.unwrap().state else {
        panic!("not completed")
    };
    assert_eq!((id_ticket_entete.as_str(), *journal_sequence), ("1", 1));
    assert_eq!(till.store().commits(), commits + 1, "one transaction: number, sale, order, ticket");
    let stored = till.store().load(POS).unwrap();
    assert_eq!(stored.numbering.unwrap().numbering.last_id_ticket_entete, 1);
    assert_eq!(stored.sales[0].method.name(), "izlyPay");
    assert_eq!(stored.rows.len(), 1);
    let ticket = &stored.journal[0].ticket;
    let payment = &ticket.liste_reglements.as_ref().unwrap()[0];
    assert_eq!((payment.code_reglement, payment.id_transaction_izly.as_deref()), (Some(9), Some("68689")));
    assert!(payment.id_support.is_none() && payment.qr_code.is_none());
    let complementaire = ticket.complementaire.as_ref().unwrap();
    assert_eq!(complementaire.code_client.as_deref(), Some("patricka23"), "the payer IzlyPay names");
    assert_eq!(complementaire.nom_client.as_deref(), Some("Alice Martin"));
    assert_eq!(ticket.date.as_deref(), Some("2026-11-18T12:07:40.000+01:00"), "dated when paid (T0 + 1 min)");
    assert!(check_ticket(ticket, Some(&r)).is_valid());
    // A second callback for the same order is answered 200 and changes nothing.
    let body =
        serde_json::to_vec(&json!({"OperationSMoney": {"Id": 58689, "Amount": "3.30", "ClientOrderId": "web-1"}}));
    let again = till.till().order_callback(&[], &body.unwrap()).unwrap_err();
    assert_eq!(again.status, 200);
}

#[test]
fn numbers_follow_the_order_of_payments_and_abandoned_checkouts_leave_no_gap() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    for (id, operation) in [("a", 1), ("b", 2), ("c", 3)] {
        waiting(&mut till, id, operation);
    }
    till.record_order_details("c", "3", details("c", 3, 3.30, "Completed"), &r, T0 + 10).unwrap();
    till.record_order_details("a", "1", details("a", 1, 3.30, "Completed"), &r, T0 + 20).unwrap();
    let number = |id: &str| match &till.till().order(id).unwrap().state {
        WebOrderState::Completed { id_ticket_entete, .. } => id_ticket_entete.clone(),
        other => other.name().to_owned(),
    };
    assert_eq!((number("c"), number("a"), number("b")), ("1".into(), "2".into(), "waiting".into()));
    assert_eq!(till.till().sales().count(), 2, "the unpaid order holds no number");
    // And a till sale meanwhile is not held up by open web orders.
    assert!(till.till().unsettled().is_none());
}

#[test]
fn an_order_whose_init_was_lost_is_voided_and_a_late_payment_is_still_kept() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    till.open_order(order_input("late"), &r, T0).unwrap();
    // The till stopped before recording IzlyPay's answer: reopened, the order is settled as voided.
    let mut till = open(till.into_store());
    assert_eq!(till.till().order_settlements(), vec![OrderSettlement::Interrupted { client_order_id: "late".into() }]);
    let order = till.record_order_init("late", None, T0 + 5).unwrap();
    assert!(matches!(order.state, WebOrderState::Voided { ref code, .. } if code == "sale.interrupted"));
    assert!(till.till().order_settlements().is_empty());
    // Yet IzlyPay calls back for a payment of it: the GET confirms it, the sale is kept.
    let body = serde_json::to_vec(&json!({"OperationSMoney": {"Id": 77, "Amount": "3.30", "ClientOrderId": "late"}}));
    let ask = till.till().order_callback(&[], &body.unwrap()).unwrap();
    assert_eq!(ask, OrderSettlement::LookUp { client_order_id: "late".into(), operation_id: "77".into() });
    let order = till.record_order_details("late", "77", details("late", 77, 3.30, "Completed"), &r, T0 + 9).unwrap();
    assert_eq!(order.state.name(), "completed");
    assert_eq!(order.callback_answer().status, 200);
}

#[test]
fn only_the_get_answer_for_our_order_and_amount_changes_it() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    waiting(&mut till, "w", 5);
    let unchanged = |till: &DurableTill<MemoryStore>| till.till().order("w").unwrap().revision;
    let before = unchanged(&till);
    for d in [
        details("w", 5, 3.30, "Waiting"),
        details("other", 5, 3.30, "Completed"),
        details("w", 6, 3.30, "Completed"),
        answer(500, json!({"Code": 1, "ErrorMessage": "boom"})),
        Err(ExecutorError::Timeout { endpoint: "izly_pay.details", attempts: 3 }),
    ] {
        till.record_order_details("w", "5", d, &r, T0 + 3).unwrap();
        assert_eq!(unchanged(&till), before);
    }
    // An operation id other than the one IzlyPay gave at init is not this order's.
    till.record_order_details("w", "6", details("w", 6, 3.30, "Completed"), &r, T0 + 3).unwrap();
    assert_eq!(unchanged(&till), before);
    assert_eq!(till.till().order("w").unwrap().callback_answer().status, 503, "not confirmed yet");
    let order = till.record_order_details("w", "5", details("w", 5, 1.00, "Completed"), &r, T0 + 4).unwrap();
    assert!(matches!(order.state, WebOrderState::ToCheck { ref code, .. } if code == "sale.amount_mismatch"));
    assert_eq!(till.till().sales().count(), 0);

    waiting(&mut till, "refunded", 8);
    let order = till.record_order_details("refunded", "8", details("refunded", 8, 3.30, "Refund"), &r, T0 + 5);
    assert!(matches!(order.unwrap().state, WebOrderState::Voided { ref code, .. } if code == "sale.not_paid"));
}

#[test]
fn callbacks_are_answered_by_core() {
    let mut till = open(MemoryStore::new());
    waiting(&mut till, "cb", 9);
    let t = till.till();
    assert_eq!(t.order_callback(&[], b"{not json").unwrap_err().status, 400);
    let stranger =
        serde_json::to_vec(&json!({"OperationSMoney": {"Id": 9, "Amount": "3.30", "ClientOrderId": "nope"}}));
    assert_eq!(t.order_callback(&[], &stranger.unwrap()).unwrap_err().status, 409);
    let ours = serde_json::to_vec(&json!({"OperationSMoney": {"Id": 9, "Amount": "3.30", "ClientOrderId": "cb"}}));
    let ask = t.order_callback(&[], &ours.unwrap()).unwrap();
    let api = crate::api::izly_pay::IzlyPayApi::new(
        &crate::api::Environment::Custom("http://127.0.0.1:9".into()),
        "shop",
        crate::api::izly_connect::IzlyApiKey::new("k"),
    )
    .unwrap();
    assert!(ask.request(&api).unwrap().url().ends_with("/api/Izly/WebPayments/9"));
}

#[test]
fn bad_orders_are_refused_and_change_nothing() {
    let mut till = open(MemoryStore::new());
    let r = reference();
    for id in ["", "a b", &"x".repeat(MAX_CLIENT_ORDER_ID + 1)] {
        let e = till.open_order(order_input(id), &r, T0).unwrap_err();
        assert!(matches!(e, SaleError::InvalidOrderId { .. }), "{e:?}");
    }
    till.open_order(order_input("dup"), &r, T0).unwrap();
    assert!(matches!(till.open_order(order_input("dup"), &r, T0), Err(SaleError::InvalidOrderId { .. })));
    let mut unknown = order_input("unknown-article");
    unknown.cart = vec![CartItem::new(4242, 1)];
    assert!(matches!(till.open_order(unknown, &r, T0), Err(SaleError::Pricing(_))));
    assert!(matches!(till.record_order_init("missing", None, T0), Err(SaleError::UnknownOrder { .. })));
    assert_eq!(till.store().load(POS).unwrap().orders.len(), 1);
    // IzlyPay pays web orders only, not a till's sale.
    let sale = SaleInput {
        cart: vec![CartItem::new(100, 1)],
        profile: CustomerProfile::ETUDIANT,
        customer: None,
        method: PaymentMethod::IzlyPay { client_order_id: "x".into(), operation_id: "1".into() },
        sale: order_input("x").sale,
    };
    assert!(matches!(till.begin(sale, &r, T0), Err(SaleError::Order(OrderError::WebOrderOnly))));
    let reopened = DurableTill::open(till.into_store(), POS, OutboxPolicy::default()).unwrap();
    assert_eq!(reopened.till().orders().count(), 1);
}

#[test]
fn an_order_that_costs_nothing_is_refused_and_stores_nothing() {
    let mut reference = reference();
    reference.articles_societes_tarifs_periodes[0].prix_ttc = rust_decimal::Decimal::ZERO;
    let mut till = open(MemoryStore::default());
    let refused = till.open_order(order_input("free"), &reference, T0).unwrap_err();
    assert!(matches!(refused, SaleError::InvalidOrderAmount { .. }), "{refused:?}");
    assert_eq!(crate::error_code::ErrorCode::code(&refused), "sale.invalid_order_amount");
    assert!(till.till().order("free").is_none());
}

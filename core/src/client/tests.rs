//! The clients' shared decisions, over a scripted transport (the bindings' transports are tested
//! against the sandbox by `tests/js-api/`).

use super::*;
use crate::api::execution::{Delivered, ExecutorError};
use crate::api::{ApiRequest, ApiResponse};
use crate::outbox::tests::{reference, tickets};
use crate::outbox::SendOutcome;
use crate::reference::CustomerProfile;
use crate::ticket::Ticket;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::Mutex;

/// Answers from a script, in order; records every request sent.
#[derive(Default)]
struct Scripted {
    answers: Mutex<VecDeque<Result<ApiResponse, ExecutorError>>>,
    sent: Mutex<Vec<ApiRequest>>,
}

impl Scripted {
    fn new(answers: Vec<Result<ApiResponse, ExecutorError>>) -> Self {
        Scripted { answers: Mutex::new(answers.into()), sent: Mutex::default() }
    }

    fn endpoints(&self) -> Vec<&'static str> {
        self.sent.lock().unwrap().iter().map(|r| r.endpoint).collect()
    }
}

impl Transport for Scripted {
    type Future<'a> = std::future::Ready<Result<Delivered, ExecutorError>>;

    fn execute<'a>(&'a self, request: &'a ApiRequest) -> Self::Future<'a> {
        self.sent.lock().unwrap().push(request.clone());
        let next = self.answers.lock().unwrap().pop_front().expect("the script has an answer for every request");
        std::future::ready(next.map(|response| Delivered { response, attempts: 1, reconciled: false }))
    }
}

fn run<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
}

fn token(t: &str) -> Result<ApiResponse, ExecutorError> {
    Ok(ApiResponse::new(200, vec![("Authorization".into(), t.into())], Vec::new()))
}

fn json(status: u16, body: &str) -> Result<ApiResponse, ExecutorError> {
    Ok(ApiResponse::json(status, body.as_bytes().to_vec()))
}

fn crous(script: Vec<Result<ApiResponse, ExecutorError>>) -> CrousClient<Scripted> {
    let options: CrousOptions = serde_json::from_str(
        r#"{"environment": "http://127.0.0.1:9", "pointOfSale": "5-1-9-8-14", "software": "39",
            "installationKey": "k"}"#,
    )
    .unwrap();
    CrousClient::new(options, |_| Ok(Scripted::new(script))).unwrap()
}

/// A finished ticket: the outbox tests' first one.
fn ticket() -> Ticket {
    tickets("2026-11-23", 1).remove(0)
}

#[test]
fn the_first_call_authenticates_and_a_401_authenticates_once_more() {
    let client = crous(vec![token("t1"), json(401, ""), token("t2"), json(201, "")]);
    let delivery = run(client.send_ticket(&ticket(), &reference(), TicketSendOptions::default())).unwrap();
    assert_eq!(delivery.outcome, DeliveryOutcome::Accepted);
    assert_eq!(
        client.transport().endpoints(),
        ["crous.authenticate", "crous.tickets", "crous.authenticate", "crous.tickets"]
    );
    let sent = client.transport().sent.lock().unwrap();
    let auth = |r: &ApiRequest| {
        r.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("authorization")).map(|(_, v)| v.clone())
    };
    assert_eq!(auth(&sent[3]).as_deref(), Some("t2"), "the resend carries the new token");
}

#[test]
fn a_second_401_is_an_error_not_a_loop() {
    let client = crous(vec![token("t1"), json(401, ""), token("t2"), json(401, "")]);
    let e = run(client.caisse()).unwrap_err();
    assert_eq!(e.code, "crous.unauthorized");
    assert_eq!(client.transport().endpoints().len(), 4);
}

#[test]
fn a_409_is_a_delivery() {
    let client = crous(vec![token("t"), json(409, r#"{"errors": [{"code": -3, "message": "exists"}]}"#)]);
    let t = ticket();
    let delivery = run(client.send_ticket(&t, &reference(), TicketSendOptions::default())).unwrap();
    assert_eq!(delivery.outcome, DeliveryOutcome::Duplicate);
    assert_eq!(Some(delivery.id_ticket_entete), t.id_ticket_entete);
}

#[test]
fn a_ticket_failing_the_checks_is_refused_before_any_request() {
    let client = crous(vec![]);
    let mut t = ticket();
    t.liste_reglements.as_mut().unwrap()[0].montant = Some(rust_decimal::Decimal::new(999, 2));
    let e = run(client.send_ticket(&t, &reference(), TicketSendOptions::default())).unwrap_err();
    assert_eq!(e.code, "ticket.check_failed");
    assert!(e.details.unwrap().as_array().is_some_and(|v| !v.is_empty()), "the violations are given");
    assert!(client.transport().endpoints().is_empty());
    assert!(matches!(run(client.deliver(&t, &reference())), SendOutcome::Refused(_)));
}

#[test]
fn service_errors_carry_their_attempts_and_body() {
    let client =
        crous(vec![token("t"), json(400, r#"{"errors": [{"code": -9, "message": "faux", "field": "montantTTC"}]}"#)]);
    let e = run(client.send_ticket(&ticket(), &reference(), TicketSendOptions::default())).unwrap_err();
    assert_eq!(e.code, "crous.bad_request");
    let d = e.details.unwrap();
    assert_eq!(d["attempts"], 1);
    assert_eq!(d["errors"][0]["field"], "montantTTC");
}

#[test]
fn bad_options_are_typed_errors() {
    let bad = |json: &str| {
        let o: CrousOptions = serde_json::from_str(json).unwrap();
        CrousClient::new(o, |_| Ok(Scripted::default())).err().unwrap().code
    };
    assert_eq!(
        bad(r#"{"environment": "ftp://x", "pointOfSale": "5-1-9-8-14", "software": "39", "installationKey": "k"}"#),
        "environment.invalid_base_url"
    );
    assert_eq!(
        bad(r#"{"environment": "preprod", "pointOfSale": "5-1-9", "software": "39", "installationKey": "k"}"#),
        "input.invalid_point_of_sale"
    );
    assert!(serde_json::from_str::<CrousOptions>(r#"{"environment": "prod", "baseUrl": "x"}"#).is_err());
}

#[test]
fn retry_options_become_the_policy() {
    let default = crate::api::RetryPolicy::default();
    assert_eq!(RetryOptions::policy(None), default);
    let p = RetryOptions::policy(Some(&RetryOptions {
        max_attempts: Some(0),
        timeout_ms: Some(1500),
        ..Default::default()
    }));
    assert_eq!(p.max_attempts, 1, "at least one attempt");
    assert_eq!(p.timeout, std::time::Duration::from_millis(1500));
    assert_eq!(p.initial_backoff, default.initial_backoff);
    assert_eq!(environment("preprod"), Ok(crate::api::Environment::Preprod));
}

fn izly(script: Vec<Result<ApiResponse, ExecutorError>>) -> IzlyPosClient<Scripted> {
    let options = IzlyPosOptions {
        environment: "http://127.0.0.1:9".into(),
        key: "izly-key".into(),
        point_of_sale: "5-1-9-8-14".into(),
        retry: None,
    };
    IzlyPosClient::new(options, |_| Ok(Scripted::new(script))).unwrap()
}

#[test]
fn a_search_answers_the_profile_and_the_customer_too() {
    let client = izly(vec![json(
        200,
        r#"{"RightHolderId": "42", "IdIzly": "7", "CodeClient": "C42", "Nom": "Martin", "Prenom": "Léa",
            "Societe": 10, "Tarif": 97, "Balance": 12.5}"#,
    )]);
    let holder = run(client.search_qr_code("qr")).unwrap();
    assert_eq!(holder.profile, CustomerProfile::new(10, 97));
    assert_eq!(holder.customer, holder.right_holder.to_izly_customer());
}

#[test]
fn a_debit_reference_is_the_tickets_with_its_attempt() {
    let answer = r#"{"IdTransactionIzly": "tx-1", "Reference": "r", "Amount": 3.3, "Balance": 1}"#;
    let client = izly(vec![json(200, answer), json(200, answer)]);
    let debit = |attempt| QrCodeDebit {
        qr_code: "qr".into(),
        amount: rust_decimal::Decimal::new(330, 2),
        id_ticket_entete: "9".into(),
        attempt,
    };
    run(client.debit_qr_code(debit(None))).unwrap();
    run(client.debit_qr_code(debit(Some(2)))).unwrap();
    let bodies: Vec<String> = client
        .transport()
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(r.body.as_deref().unwrap_or_default()).into_owned())
        .collect();
    assert!(bodies[0].contains(".9.1\""), "{}", bodies[0]);
    assert!(bodies[1].contains(".9.2\""), "{}", bodies[1]);
}

#[test]
fn esipay_masks_card_numbers_in_results_and_errors() {
    let options = EsipayOptions { environment: "http://127.0.0.1:9".into(), uuid: "u".into(), retry: None };
    let client = EsipayClient::new(options, |_| {
        Ok(Scripted::new(vec![json(200, "ok 4970100000000014"), json(500, "card 4970100000000014 refused")]))
    })
    .unwrap();
    let payment: CardPayment = serde_json::from_str(
        r#"{"cid": "c1", "card": {"number": "4970 1000 0000 0014", "month": 12, "year": 2030}, "amount": 3.3}"#,
    )
    .unwrap();
    let paid = run(client.pay(payment)).unwrap();
    assert_eq!(paid.card, "************0014");
    assert_eq!(paid.amount.to_string(), "3.30");
    assert_eq!(paid.body, "ok ************0014");
    let e = run(client.refund("tx")).unwrap_err();
    assert!(!e.message.contains("4970100000000014"), "{}", e.message);
}

#[test]
fn an_esipay_return_is_answered_200_only_for_our_payment_and_amount() {
    let body = b"type=card&amount=12.50&transaction=t1&cid=order-1";
    let ours =
        crate::api::esipay::ExpectedPayment { cid: "order-1".into(), amount: rust_decimal::Decimal::new(1250, 2) };
    let ok = handle_esipay_return(&[], body, Some(&ours));
    assert!(ok.accepted);
    assert_eq!(ok.answer.status, 200);
    assert_eq!(ok.notification.as_ref().map(|n| n.kind.as_str()), Some("card"));
    let other = crate::api::esipay::ExpectedPayment { amount: rust_decimal::Decimal::new(500, 2), ..ours.clone() };
    let wrong_amount = handle_esipay_return(&[], body, Some(&other));
    assert_eq!((wrong_amount.accepted, wrong_amount.answer.status), (false, 409));
    assert_eq!(handle_esipay_return(&[], body, None).answer.status, 409, "a cid we never started");
    let unreadable = handle_esipay_return(&[], b"type=card&amount=abc", Some(&ours));
    assert_eq!((unreadable.answer.status, unreadable.notification), (400, None));
    assert!(unreadable.error.is_some());
}

#[test]
fn an_unconfirmed_izlypay_callback_is_409_when_final_and_503_when_izly_could_not_say() {
    use crate::api::execution::{CallError, ExecutorError};
    use crate::api::izly_pay::{parse_callback, IzlyPayError};
    let body =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/api/izly_pay/callback.json")).unwrap();
    let n = parse_callback(&[("Content-Type".into(), "application/json".into())], &body).unwrap();
    let expected = ExpectedOrder { client_order_id: "A1".into(), amount: rust_decimal::Decimal::ONE };
    let timeout =
        CallError::<IzlyPayError>::Executor(ExecutorError::Timeout { endpoint: "izly_pay.details", attempts: 3 });
    let outcome = CallbackOutcome::confirmed_by(n.clone(), Err(timeout), &expected);
    assert_eq!((outcome.confirmed, outcome.answer.status), (false, 503));
    let missing = CallError::Api { error: IzlyPayError::NotFound(None), attempts: 1 };
    assert_eq!(CallbackOutcome::confirmed_by(n, Err(missing), &expected).answer.status, 409);
    let unreadable = parse_callback(&[("Content-Type".into(), "application/json".into())], b"{").unwrap_err();
    assert_eq!(CallbackOutcome::unreadable(&unreadable).answer.status, 400);
}

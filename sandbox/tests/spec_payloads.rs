//! Payloads printed in the specs, replayed against the sandbox over HTTP as the documents show
//! them (OCR slips put right where the intent is plain, each noted), without core: the sandbox is
//! held to the documents, not to core's builders.

mod common;

use common::*;
use serde_json::{json, Value};

const APP: &str = "sandbox-shop";
const KEY: &str = "sandbox-izly-api-key";

/// Specs 002, "Initialisation du paiement": the three headers of the table, verbatim.
async fn izlypay_init(s: &crous_till_sandbox::Sandbox, content_type: &str, body: &str) -> (u16, Value) {
    let r = client()
        .post(format!("{}/api/Izly/WebPayments", s.base_url()))
        .header("Authorization", format!("Basic {KEY}"))
        .header("Content-type", content_type)
        .header("AppIdentifier", APP)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, serde_json::from_slice(&r.bytes().await.unwrap()).unwrap_or(Value::Null))
}

/// Specs 003's POSTMAN example of an initialisation in preproduction: `"Amount": "100"` (OCR'd as
/// `"lea"`; its answer says `"Amount": "1.00"`), a string, answered with a `Waiting` operation.
const SPEC_003_INIT: &str = r#"{
    "Amount": "100",
    "ClientOrderId": "CAAFFB42-2543-4A8A-B280-BE19F4028Y39",
    "RedirectUrlAfterPayment": "http://local.izly-pay-test.fr/Home/AfterPayment",
    "Message": "Paiement sur le site roxico",
    "CallbackParameters": ""
}"#;

#[tokio::test]
async fn the_initialisation_example_of_specs_003_is_answered_as_the_spec_shows() {
    let s = sandbox().await;
    let (status, answer) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", SPEC_003_INIT).await;
    assert_eq!(status, 200, "{answer}");
    let op = &answer["OperationSMoney"];
    assert_eq!(op["Status"], "Waiting");
    assert_eq!(op["Amount"], "1.00", "answered in euros, as a string, as in the example");
    assert_eq!(op["ClientOrderId"], "CAAFFB42-2543-4A8A-B280-BE19F4028Y39");
    assert_eq!(op["Message"], "Paiement sur le site roxico");
    assert!(op["Id"].is_number() && op["IdTransactionDebitIzly"].is_number(), "{op}");
    let date = op["Date"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(date, "%d/%m/%Y %H:%M:%S").is_ok(),
        "03/05/2021 15:37:30 style: {date}"
    );
    let url = answer["PaymentAuthorizationUrl"].as_str().unwrap();
    assert!(url.contains("/api/Izly/WebPayments/") && url.contains("/Authorize?token="), "{url}");
    assert!(answer["Beneficiary"]["Id"].is_string());
}

#[tokio::test]
async fn the_amount_is_read_as_an_integer_or_a_string_of_digits_and_nothing_else() {
    let s = sandbox().await;
    let body = |amount: Value| json!({"Amount": amount, "ClientOrderId": format!("A-{amount}")}).to_string();
    // Public clients send S-money's media type (public-facts.md): the same service.
    for (amount, content_type) in
        [(json!(250), "application/vnd.Xpollens.v1+json"), (json!("250"), "application/vnd.s-money.v1+json")]
    {
        let (status, answer) = izlypay_init(&s, content_type, &body(amount)).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["OperationSMoney"]["Amount"], "2.50");
    }
    for amount in [json!("2.50"), json!(2.5), json!(""), json!("-1"), json!(null), json!([100])] {
        let (status, answer) = izlypay_init(&s, "application/vnd.Xpollens.v1+json", &body(amount.clone())).await;
        assert_eq!(status, 400, "{amount}: {answer}");
    }
}

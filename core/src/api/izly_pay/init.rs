//! `POST /api/Izly/WebPayments`: start a web payment. Body (specs 002): `Amount` (Int, cents,
//! mandatory), `ClientOrderId` (mandatory), `CallbackParameters`, `RedirectUrlAfterPayment`,
//! `Message`, `Software` (optional). Answer: `PaymentAuthorizationUrl`, `OperationSMoney`
//! {Id, IdTransactionDebitIzly, Amount ("1.00", euros), Date (dd/MM/yyyy HH:mm:ss), Status,
//! Message, ClientOrderId, CallbackParameters}, `Beneficiary` {Id, ClientId — `AppIdentifier`
//! in the example}.
//!
//! Unsafe: nothing in the spec finds an operation by ClientOrderId, so after a timeout the
//! executor reports "outcome unknown" with the ClientOrderId instead of starting a second one.

use super::error::{parse_ok, IzlyPayError};
use super::operation::OperationSMoney;
use super::{IzlyPayApi, PATH_WEB_PAYMENTS};
use crate::api::request::{ApiRequest, Method, Safety};
use crate::lenient;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the partner asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitPayment {
    /// Euros, VAT included; sent in cents.
    pub amount: Decimal,
    /// "Référence du paiement côté partenaire".
    pub client_order_id: String,
    pub callback_parameters: Option<String>,
    pub redirect_url_after_payment: Option<String>,
    pub message: Option<String>,
    /// "Id du logiciel du partenaire".
    pub software: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitPaymentError {
    #[error("the amount must be positive whole cents, got {0}")]
    InvalidAmount(Decimal),
    #[error("ClientOrderId is mandatory")]
    MissingClientOrderId,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct InitBody<'a> {
    amount: i64,
    client_order_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_parameters: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url_after_payment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    software: Option<u32>,
}

/// `Beneficiary`: the partner's e-money account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Beneficiary {
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id: Option<String>,
    /// `ClientId` in the spec's table, `AppIdentifier` in its example: both are read.
    #[serde(default, alias = "AppIdentifier")]
    pub client_id: Option<String>,
}

/// The init answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitResponse {
    /// Where to send the user's browser.
    pub payment_authorization_url: String,
    #[serde(rename = "OperationSMoney")]
    pub operation: OperationSMoney,
    #[serde(default)]
    pub beneficiary: Option<Beneficiary>,
}

impl IzlyPayApi {
    /// `POST /api/Izly/WebPayments`.
    pub fn init_payment(&self, p: &InitPayment) -> Result<ApiRequest, InitPaymentError> {
        let cents = (p.amount * Decimal::ONE_HUNDRED)
            .to_i64()
            .filter(|c| *c > 0 && crate::money::is_whole_cents(p.amount))
            .ok_or(InitPaymentError::InvalidAmount(p.amount))?;
        if p.client_order_id.trim().is_empty() {
            return Err(InitPaymentError::MissingClientOrderId);
        }
        let body = InitBody {
            amount: cents,
            client_order_id: &p.client_order_id,
            callback_parameters: p.callback_parameters.as_deref(),
            redirect_url_after_payment: p.redirect_url_after_payment.as_deref(),
            message: p.message.as_deref(),
            software: p.software,
        };
        let mut r = self.request("izly_pay.init", Method::Post, self.base.join(PATH_WEB_PAYMENTS));
        r.body = Some(serde_json::to_vec(&body).expect("init body serializes"));
        Ok(r.with_safety(Safety::unsafe_op(p.client_order_id.as_str())))
    }
}

pub fn parse_init(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<InitResponse, IzlyPayError> {
    parse_ok(status, headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::izly_connect::IzlyApiKey;

    fn api() -> IzlyPayApi {
        IzlyPayApi::new(&Environment::Prod, "Paris-78-78-78-78", IzlyApiKey::new("U2l0ZS1lbi1saWduZQ==")).unwrap()
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/izly_pay/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn builds_the_spec_request() {
        let p = InitPayment {
            amount: Decimal::new(100, 2),
            client_order_id: "CAAFFB42-2543-4A8A-B280-BE19F4028739".into(),
            callback_parameters: Some("".into()),
            redirect_url_after_payment: Some("http://local.izly-pay-test.fr/Home/AfterPayment".into()),
            message: Some("Paiement sur le site roxico".into()),
            software: None,
        };
        let r = api().init_payment(&p).unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url(), "https://rest.izly.fr/api/Izly/WebPayments");
        assert_eq!(r.header_value("Authorization"), Some("Basic U2l0ZS1lbi1saWduZQ=="));
        assert_eq!(r.header_value("Content-Type"), Some("application/vnd.Xpollens.v1+json"));
        assert_eq!(r.header_value("AppIdentifier"), Some("Paris-78-78-78-78"));
        let sent: serde_json::Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
        let expected: serde_json::Value = serde_json::from_slice(&fixture("init_request.json")).unwrap();
        assert_eq!(sent, expected);
        assert!(!r.is_safe_to_retry());
        assert!(!format!("{r:?}").contains("U2l0"));
    }

    #[test]
    fn refuses_bad_input() {
        let mut p = InitPayment {
            amount: Decimal::new(1005, 3),
            client_order_id: "1".into(),
            callback_parameters: None,
            redirect_url_after_payment: None,
            message: None,
            software: Some(39),
        };
        assert_eq!(api().init_payment(&p).unwrap_err(), InitPaymentError::InvalidAmount(p.amount));
        p.amount = Decimal::new(-100, 2);
        assert!(api().init_payment(&p).is_err());
        p.amount = Decimal::ONE;
        p.client_order_id = " ".into();
        assert_eq!(api().init_payment(&p).unwrap_err(), InitPaymentError::MissingClientOrderId);
        p.client_order_id = "1".into();
        let v: serde_json::Value =
            serde_json::from_slice(api().init_payment(&p).unwrap().body.as_ref().unwrap()).unwrap();
        assert_eq!(v.to_string(), r#"{"Amount":100,"ClientOrderId":"1","Software":39}"#);
    }

    #[test]
    fn parses_the_spec_answer() {
        let r = parse_init(200, &[], &fixture("init_response.json")).unwrap();
        assert!(r
            .payment_authorization_url
            .starts_with("https://rest-pp.izly.fr/api/Izly/WebPayments/58689/Authorize?"));
        assert_eq!(r.operation.id, "58689");
        assert_eq!(r.operation.id_transaction_debit_izly.as_deref(), Some("59317"));
        assert_eq!(r.operation.amount.to_string(), "1.00");
        assert_eq!(r.operation.date.unwrap().to_string(), "2021-05-03 15:37:30");
        assert_eq!(r.operation.status.as_deref(), Some("Waiting"));
        assert_eq!(r.operation.callback_parameters, None);
        let b = r.beneficiary.unwrap();
        assert_eq!(b.id.as_deref(), Some("49918"));
        assert_eq!(b.client_id.as_deref(), Some("Paris-78-78-78-78"));
    }

    #[test]
    fn wrong_shapes_are_typed() {
        let iso_date = String::from_utf8(fixture("init_response.json"))
            .unwrap()
            .replace("03/05/2021 15:37:30", "2021-05-03T15:37:30");
        assert!(matches!(parse_init(200, &[], iso_date.as_bytes()), Err(IzlyPayError::Malformed { .. })));
        assert!(matches!(parse_init(200, &[], b"[]"), Err(IzlyPayError::Malformed { .. })));
        assert!(matches!(parse_init(401, &[], b""), Err(IzlyPayError::Unauthorized(None))));
        assert!(matches!(
            parse_init(400, &[], br#"{"Code":1,"ErrorMessage":"Montant invalide"}"#),
            Err(IzlyPayError::BadRequest(Some(_)))
        ));
        assert!(matches!(parse_init(500, &[], b""), Err(IzlyPayError::Server { .. })));
    }
}

//! IzlyPay web payments (specs 002/003): init, details, refund, the server-to-server callback.
//!
//! Fixed by the specs: the paths under `/api/Izly/WebPayments`, the headers `Authorization: Basic
//! $apiKey`, `Content-type: application/vnd.Xpollens.v1+json`, `AppIdentifier`, every JSON name,
//! the Xpollens error object. The shapes differ between calls (public-facts.md): the init answer
//! has `"Amount": "1.00"` (euros, a string) and `"Date": "03/05/2021 15:37:30"`; the details have
//! `"Amount": 1.00` (a number) and `"PaymentDate": "2021-12-09T18:53:34"`; each is parsed
//! explicitly ([`dates`]).

pub mod dates;
mod details;
mod error;
mod init;
mod notification;
mod operation;
mod refund;

pub use details::{judge_refund_lookup, parse_payment_details, PaymentStatus, WebPaymentDetails};
pub use error::{error_from_response, IzlyPayError};
pub use init::{parse_init, Beneficiary, InitPayment, InitPaymentError, InitResponse};
pub use notification::{
    callback_error_answer, callback_ok_answer, parse_callback, CallbackError, CallbackNotification, CallbackParseError,
    CallbackUser, CallbackVerification,
};
pub use operation::OperationSMoney;
pub use refund::{parse_refund, RefundResponse};

use super::environment::{BaseUrl, Environment, EnvironmentError, IZLY_REST};
use super::izly_connect::IzlyApiKey;
use super::request::{ApiRequest, Method};

/// `/api/Izly/WebPayments` (specs 002).
pub const PATH_WEB_PAYMENTS: &str = "/api/Izly/WebPayments";
/// Specs 002. Public clients send `application/vnd.s-money.v1+json`; we send the spec's.
pub const CONTENT_TYPE: &str = "application/vnd.Xpollens.v1+json";
pub const H_APP_IDENTIFIER: &str = "AppIdentifier";

/// The partner site's identity for IzlyPay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IzlyPayApi {
    base: BaseUrl,
    /// "Identifiant de l'application client" (AppIdentifier).
    app_identifier: String,
    api_key: IzlyApiKey,
}

impl IzlyPayApi {
    pub fn new(
        env: &Environment,
        app_identifier: impl Into<String>,
        api_key: IzlyApiKey,
    ) -> Result<Self, EnvironmentError> {
        Ok(IzlyPayApi { base: env.base_url(&IZLY_REST)?, app_identifier: app_identifier.into(), api_key })
    }

    /// A request with the three headers every IzlyPay call carries.
    fn request(&self, endpoint: &'static str, method: Method, url: String) -> ApiRequest {
        ApiRequest::new(endpoint, method, url)
            .header("Authorization", self.api_key.basic())
            .header("Content-Type", CONTENT_TYPE)
            .header(H_APP_IDENTIFIER, self.app_identifier.as_str())
            .header("Accept", "application/json")
    }
}

//! esipay v2 (specs 004): card payment, full and partial refund, and the POST to the merchant's
//! return URL.
//!
//! Fixed by the spec: the three paths and their parameters, the amount with `.` as separator,
//! the statuses 400 / 403 / 500 / 200, the return POST's four fields (type, amount, transaction,
//! cid), and that the return URL must answer 200 or the transaction is cancelled. Not said by the
//! spec, our choice: the method (POST for all three, since each moves money), the amount written
//! with exactly two decimals, the month without leading zero, the return POST read as
//! `application/x-www-form-urlencoded` (or JSON when so labelled).
//!
//! The card number travels in the URL path; the request's `Debug`, `Display` and
//! [`crate::api::ApiRequest::display_url`] show it masked.

mod error;
mod payment;
mod return_url;

pub use error::{parse_status, EsipayError, EsipayOk};
pub use payment::{EsipayBuildError, PATH_CARDPAY};
pub use return_url::{
    parse_return, return_ok_answer, ExpectedPayment, PaymentType, ReturnMismatch, ReturnNotification, ReturnParseError,
};

use super::environment::{BaseUrl, Environment, EnvironmentError, ESIPAY};

/// An enterprise's access to esipay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsipayApi {
    base: BaseUrl,
    /// "identifiant unique de l'entreprise".
    uuid: String,
}

impl EsipayApi {
    pub fn new(env: &Environment, uuid: impl Into<String>) -> Result<Self, EnvironmentError> {
        Ok(EsipayApi { base: env.base_url(&ESIPAY)?, uuid: uuid.into() })
    }
}

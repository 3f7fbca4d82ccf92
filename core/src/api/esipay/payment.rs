//! The three calls: `/cardpay/{uuid}/{cid}/{cardnumber}/{cardmonth}/{cardyear}/{amount}`,
//! `/cardpay/{uuid}/{transaction}`, `/cardpay/{uuid}/{transaction}/{amount}`.
//!
//! All three move money and esipay offers no status query: each is [`Safety::Unsafe`] with the
//! caller's reference (the cid for a payment, the transaction for a refund) and no
//! reconciliation; after a timeout the executor stops with "outcome unknown" and the caller looks
//! the cid up in what its return URL received.

use super::EsipayApi;
use crate::api::card_number::{CardNumber, CardNumberError};
use crate::api::encoding::encode_component;
use crate::api::request::{ApiRequest, Method, Safety};
use crate::money::{is_whole_cents, round_cent};
use rust_decimal::Decimal;

pub const PATH_CARDPAY: &str = "/cardpay";

/// Why no request was built. Never contains the card number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EsipayBuildError {
    #[error("the amount must be positive whole cents, got {0}")]
    InvalidAmount(Decimal),
    #[error("card month must be 1 to 12, got {0}")]
    InvalidMonth(u8),
    #[error("card year must be 2000 to 2099 (four digits), got {0}")]
    InvalidYear(u16),
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error(transparent)]
    CardNumber(#[from] CardNumberError),
}

/// `12.5` → `"12.50"`: the '.' separator of specs 004, always two decimals.
fn amount_text(amount: Decimal) -> Result<String, EsipayBuildError> {
    if amount <= Decimal::ZERO || !is_whole_cents(amount) {
        return Err(EsipayBuildError::InvalidAmount(amount));
    }
    Ok(round_cent(amount).to_string())
}

fn non_empty(value: &str, name: &'static str) -> Result<(), EsipayBuildError> {
    if value.trim().is_empty() {
        Err(EsipayBuildError::Empty(name))
    } else {
        Ok(())
    }
}

impl EsipayApi {
    fn post(&self, endpoint: &'static str, segments: &[&str], shown: Option<&[&str]>, reference: &str) -> ApiRequest {
        let path = |segs: &[&str]| {
            let enc: Vec<String> = segs.iter().map(|s| encode_component(s)).collect();
            self.base.join(&format!("{PATH_CARDPAY}/{}/{}", encode_component(&self.uuid), enc.join("/")))
        };
        let mut r = ApiRequest::new(endpoint, Method::Post, path(segments)).with_safety(Safety::unsafe_op(reference));
        if let Some(s) = shown {
            // The mask's stars are shown as stars, not %2A.
            r = r.with_redacted_url(path(s).replace("%2A", "*"));
        }
        r.body = Some(Vec::new());
        r
    }

    /// Card payment. `cid` is the merchant's payment id; `year` four digits.
    pub fn pay(
        &self,
        cid: &str,
        card: &CardNumber,
        month: u8,
        year: u16,
        amount: Decimal,
    ) -> Result<ApiRequest, EsipayBuildError> {
        non_empty(cid, "cid")?;
        if !(1..=12).contains(&month) {
            return Err(EsipayBuildError::InvalidMonth(month));
        }
        if !(2000..=2099).contains(&year) {
            return Err(EsipayBuildError::InvalidYear(year));
        }
        let amount = amount_text(amount)?;
        let (m, y) = (month.to_string(), year.to_string());
        let masked = card.masked();
        Ok(self.post(
            "esipay.pay",
            &[cid, card.expose_digits(), &m, &y, &amount],
            Some(&[cid, &masked, &m, &y, &amount]),
            cid,
        ))
    }

    /// Full refund of `transaction` (the id the return URL received).
    pub fn refund(&self, transaction: &str) -> Result<ApiRequest, EsipayBuildError> {
        non_empty(transaction, "transaction")?;
        Ok(self.post("esipay.refund", &[transaction], None, transaction))
    }

    /// Partial refund of `amount` from `transaction`.
    pub fn partial_refund(&self, transaction: &str, amount: Decimal) -> Result<ApiRequest, EsipayBuildError> {
        non_empty(transaction, "transaction")?;
        let amount = amount_text(amount)?;
        Ok(self.post("esipay.partial_refund", &[transaction, &amount], None, transaction))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;

    fn api() -> EsipayApi {
        EsipayApi::new(&Environment::Prod, "ent-42").unwrap()
    }

    fn card() -> CardNumber {
        CardNumber::parse("4970101234567890").unwrap()
    }

    #[test]
    fn pay_url_and_masking() {
        let r = api().pay("order 7", &card(), 3, 2027, Decimal::new(125, 1)).unwrap();
        assert_eq!(r.url(), "http://10.0.0.6:6543/cardpay/ent-42/order%207/4970101234567890/3/2027/12.50");
        assert_eq!(r.display_url(), "http://10.0.0.6:6543/cardpay/ent-42/order%207/************7890/3/2027/12.50");
        assert_eq!(r.method, Method::Post);
        for shown in [format!("{r:?}"), format!("{r:#?}"), r.to_string()] {
            assert!(!shown.contains("4970101234567890"), "{shown}");
            assert!(!shown.contains("49701012"), "{shown}");
        }
        assert!(!r.is_safe_to_retry());
        let Safety::Unsafe(op) = &r.safety else { panic!() };
        assert_eq!(op.reference, "order 7");
        assert!(op.reconcile.is_none());
    }

    #[test]
    fn refunds() {
        let r = api().refund("T-991").unwrap();
        assert_eq!(r.url(), "http://10.0.0.6:6543/cardpay/ent-42/T-991");
        assert!(!r.is_safe_to_retry());
        let r = api().partial_refund("T-991", Decimal::new(3, 0)).unwrap();
        assert_eq!(r.url(), "http://10.0.0.6:6543/cardpay/ent-42/T-991/3.00");
        let custom = EsipayApi::new(&Environment::Custom("http://127.0.0.1:6543".into()), "u").unwrap();
        assert_eq!(custom.refund("t").unwrap().url(), "http://127.0.0.1:6543/cardpay/u/t");
        assert!(EsipayApi::new(&Environment::Preprod, "u").is_err());
    }

    #[test]
    fn refuses_bad_parameters() {
        let a = api();
        let c = card();
        assert_eq!(a.pay("1", &c, 0, 2027, Decimal::ONE).unwrap_err(), EsipayBuildError::InvalidMonth(0));
        assert_eq!(a.pay("1", &c, 13, 2027, Decimal::ONE).unwrap_err(), EsipayBuildError::InvalidMonth(13));
        assert_eq!(a.pay("1", &c, 1, 27, Decimal::ONE).unwrap_err(), EsipayBuildError::InvalidYear(27));
        assert_eq!(a.pay("1", &c, 1, 2027, Decimal::ZERO).unwrap_err(), EsipayBuildError::InvalidAmount(Decimal::ZERO));
        assert!(matches!(a.pay("1", &c, 1, 2027, Decimal::new(1001, 3)), Err(EsipayBuildError::InvalidAmount(_))));
        assert_eq!(a.pay(" ", &c, 1, 2027, Decimal::ONE).unwrap_err(), EsipayBuildError::Empty("cid"));
        assert_eq!(a.refund("").unwrap_err(), EsipayBuildError::Empty("transaction"));
        assert!(a.partial_refund("t", Decimal::new(-1, 0)).is_err());
        let e = EsipayBuildError::from(CardNumber::parse("12x").unwrap_err());
        assert!(!e.to_string().contains("12x"));
    }
}

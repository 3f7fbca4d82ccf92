//! The POST esipay sends to the merchant's return URL after a payment (specs 004): `type`
//! ("uniquement 'card' pour l'instant"), `amount` ("montant réel de la transaction"),
//! `transaction` ("identifiant unique ... à utiliser pour un remboursement") and `cid`. "L'URL de
//! retour doit retourner le statut HTTP 200. Si ce n'est pas le cas la transaction sera annulée":
//! store the notification first, then answer [`return_ok_answer`].
//!
//! The POST is not signed: match its cid and amount against the payment the merchant started.

use crate::api::encoding::parse_form;
use crate::api::response::{header, ApiResponse};
use crate::exact_decimal::parse_decimal_text;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentType {
    /// `card`, the only type today.
    Card,
    Other(String),
}

/// What the return URL received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnNotification {
    pub payment_type: PaymentType,
    pub amount: Decimal,
    pub transaction: String,
    pub cid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnParseError {
    #[error("esipay return: field {0} is missing or empty")]
    MissingField(&'static str),
    #[error("esipay return: amount {0:?} is not a decimal with '.' as separator")]
    InvalidAmount(String),
    #[error("esipay return: malformed body: {0}")]
    Malformed(String),
}

fn field(pairs: &[(String, String)], name: &'static str) -> Result<String, ReturnParseError> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(ReturnParseError::MissingField(name))
}

/// Reads the return POST: form-urlencoded (the default), or JSON when `Content-Type` says so.
pub fn parse_return(headers: &[(String, String)], body: &[u8]) -> Result<ReturnNotification, ReturnParseError> {
    let is_json = header(headers, "content-type").is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    let pairs: Vec<(String, String)> = if is_json {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|e| ReturnParseError::Malformed(e.to_string()))?;
        map.into_iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect()
    } else {
        let text = std::str::from_utf8(body).map_err(|_| ReturnParseError::Malformed("body is not UTF-8".into()))?;
        parse_form(text.trim()).ok_or_else(|| ReturnParseError::Malformed("bad percent-encoding".into()))?
    };
    let kind = field(&pairs, "type")?;
    let amount_text = field(&pairs, "amount")?;
    let amount = parse_decimal_text(&amount_text)
        .filter(|_| !amount_text.contains(','))
        .ok_or_else(|| ReturnParseError::InvalidAmount(amount_text.clone()))?;
    Ok(ReturnNotification {
        payment_type: if kind == "card" { PaymentType::Card } else { PaymentType::Other(kind) },
        amount,
        transaction: field(&pairs, "transaction")?,
        cid: field(&pairs, "cid")?,
    })
}

/// 200 with an empty body: "L'URL de retour doit retourner le statut HTTP 200".
pub fn return_ok_answer() -> ApiResponse {
    ApiResponse::new(200, vec![("Content-Type".into(), "text/plain".into())], Vec::new())
}

/// The payment a server started under a `cid`: what a return POST must match to be trusted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedPayment {
    pub cid: String,
    #[serde(with = "crate::exact_decimal")]
    pub amount: Decimal,
}

/// Why a return POST is not trusted. Specs 004: the gateway's payment stands only when the
/// return URL answers 200, so answering anything else to these cancels a forged or stray payment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnMismatch {
    #[error("esipay return: no payment {0:?} was started here")]
    UnknownPayment(String),
    #[error("esipay return: amount {returned} is not the payment's {expected}")]
    AmountMismatch { returned: Decimal, expected: Decimal },
    #[error("esipay return: type {0:?} is not a card payment")]
    NotCard(String),
}

impl ReturnNotification {
    /// Accepts the return only for a card payment this server started under that `cid`
    /// (`expected`, `None` when it knows none) and for that amount.
    pub fn confirm(&self, expected: Option<&ExpectedPayment>) -> Result<(), ReturnMismatch> {
        let expected =
            expected.filter(|e| e.cid == self.cid).ok_or_else(|| ReturnMismatch::UnknownPayment(self.cid.clone()))?;
        if expected.amount != self.amount {
            return Err(ReturnMismatch::AmountMismatch { returned: self.amount, expected: expected.amount });
        }
        match &self.payment_type {
            PaymentType::Card => Ok(()),
            PaymentType::Other(t) => Err(ReturnMismatch::NotCard(t.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/api/esipay/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    const FORM: &str = "application/x-www-form-urlencoded";

    #[test]
    fn reads_the_form() {
        let h = vec![("Content-Type".to_string(), FORM.to_string())];
        let n = parse_return(&h, &fixture("return.form")).unwrap();
        assert_eq!(
            n,
            ReturnNotification {
                payment_type: PaymentType::Card,
                amount: Decimal::new(1250, 2),
                transaction: "T-991".into(),
                cid: "order 7".into(),
            }
        );
        assert_eq!(n.amount.to_string(), "12.50");
        assert_eq!(parse_return(&[], &fixture("return.form")).unwrap(), n);
    }

    #[test]
    fn reads_json_when_labelled() {
        let h = vec![("content-type".to_string(), "application/json".to_string())];
        let n = parse_return(&h, br#"{"type":"card","amount":12.50,"transaction":991,"cid":"order 7"}"#).unwrap();
        assert_eq!(n.amount.to_string(), "12.50");
        assert_eq!(n.transaction, "991");
        assert!(matches!(parse_return(&h, b"[1]"), Err(ReturnParseError::Malformed(_))));
    }

    #[test]
    fn refuses_what_is_incomplete() {
        assert_eq!(
            parse_return(&[], b"type=card&amount=1.00&cid=x"),
            Err(ReturnParseError::MissingField("transaction"))
        );
        assert_eq!(
            parse_return(&[], b"type=card&amount=&transaction=t&cid=x"),
            Err(ReturnParseError::MissingField("amount"))
        );
        assert_eq!(
            parse_return(&[], b"type=card&amount=1%2C50&transaction=t&cid=x"),
            Err(ReturnParseError::InvalidAmount("1,50".into()))
        );
        assert!(matches!(
            parse_return(&[], b"type=card&amount=abc&transaction=t&cid=x"),
            Err(ReturnParseError::InvalidAmount(_))
        ));
        assert!(matches!(parse_return(&[], b"\xff"), Err(ReturnParseError::Malformed(_))));
        assert!(matches!(parse_return(&[], b"type=%zz"), Err(ReturnParseError::Malformed(_))));
        let other = parse_return(&[], b"type=sepa&amount=1&transaction=t&cid=x").unwrap();
        assert_eq!(other.payment_type, PaymentType::Other("sepa".into()));
    }

    #[test]
    fn answers_200() {
        assert_eq!(return_ok_answer().status, 200);
    }

    #[test]
    fn a_return_is_trusted_only_for_our_card_payment_and_amount() {
        let n = ReturnNotification {
            payment_type: PaymentType::Card,
            amount: Decimal::new(1250, 2),
            transaction: "T1".into(),
            cid: "cid-1".into(),
        };
        let ours = ExpectedPayment { cid: "cid-1".into(), amount: Decimal::new(125, 1) };
        assert_eq!(n.confirm(Some(&ours)), Ok(()));
        assert_eq!(n.confirm(None), Err(ReturnMismatch::UnknownPayment("cid-1".into())));
        let other = ExpectedPayment { cid: "cid-2".into(), ..ours.clone() };
        assert!(matches!(n.confirm(Some(&other)), Err(ReturnMismatch::UnknownPayment(_))));
        let cheaper = ExpectedPayment { amount: Decimal::new(1249, 2), ..ours.clone() };
        assert!(matches!(n.confirm(Some(&cheaper)), Err(ReturnMismatch::AmountMismatch { .. })));
        let refund = ReturnNotification { payment_type: PaymentType::Other("refund".into()), ..n };
        assert_eq!(refund.confirm(Some(&ours)), Err(ReturnMismatch::NotCard("refund".into())));
    }
}

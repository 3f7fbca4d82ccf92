//! What a server answers to a service's call-in (esipay's return POST, IzlyPay's callback),
//! decided once in core: the bindings write the [`HttpAnswer`] back as it is.

use crate::api::esipay::{parse_return, return_ok_answer, ExpectedPayment, PaymentType, ReturnNotification};
use crate::api::execution::CallError;
use crate::api::izly_pay::{
    callback_error_answer, callback_ok_answer, CallbackNotification, CallbackParseError, IzlyPayError,
    WebPaymentDetails,
};
use crate::api::ApiResponse;
use crate::client::Failure;
use crate::error_code::ErrorCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An HTTP answer to write back as is: `res.writeHead(a.status, a.headers).end(a.body)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl From<&ApiResponse> for HttpAnswer {
    fn from(r: &ApiResponse) -> Self {
        HttpAnswer {
            status: r.status,
            headers: r.headers.iter().cloned().collect(),
            body: String::from_utf8_lossy(&r.body).into_owned(),
        }
    }
}

/// Why a call-in was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

/// A return POST as the server sees it (`EsipayReturn` in TypeScript).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "EsipayReturn"))]
pub struct ReturnView {
    /// `"card"`, or the gateway's other type.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub transaction: String,
    pub cid: String,
}

impl From<&ReturnNotification> for ReturnView {
    fn from(n: &ReturnNotification) -> Self {
        let kind = match &n.payment_type {
            PaymentType::Card => "card".to_owned(),
            PaymentType::Other(t) => t.clone(),
        };
        ReturnView { kind, amount: n.amount, transaction: n.transaction.clone(), cid: n.cid.clone() }
    }
}

/// `Esipay.handleReturn`'s result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "EsipayReturnOutcome"))]
pub struct ReturnOutcome {
    pub accepted: bool,
    pub notification: Option<ReturnView>,
    pub error: Option<Refusal>,
    pub answer: HttpAnswer,
}

/// esipay's return POST (specs 004: the payment stands only if the return URL answers 200):
/// 200 only for a card payment of the payment `expected` (the one this server started under that
/// `cid`; `None` when it knows none) for that amount; 400 for a body it cannot read; 409 for
/// anything else, which makes esipay cancel the payment.
pub fn handle_esipay_return(
    headers: &[(String, String)],
    body: &[u8],
    expected: Option<&ExpectedPayment>,
) -> ReturnOutcome {
    let n = match parse_return(headers, body) {
        Ok(n) => n,
        Err(e) => return refused_return(400, e.code(), &e.to_string(), None),
    };
    match n.confirm(expected) {
        Ok(()) => ReturnOutcome {
            accepted: true,
            notification: Some((&n).into()),
            error: None,
            answer: (&return_ok_answer()).into(),
        },
        Err(e) => refused_return(409, e.code(), &e.to_string(), Some((&n).into())),
    }
}

fn refused_return(status: u16, code: &str, message: &str, notification: Option<ReturnView>) -> ReturnOutcome {
    let answer =
        ApiResponse::new(status, vec![("Content-Type".into(), "text/plain".into())], message.as_bytes().to_vec());
    ReturnOutcome {
        accepted: false,
        notification,
        error: Some(Refusal { code: code.to_owned(), message: message.to_owned() }),
        answer: (&answer).into(),
    }
}

/// What a server expects an IzlyPay callback to be about: its own order and amount.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectedOrder {
    pub client_order_id: String,
    #[serde(with = "crate::exact_decimal")]
    pub amount: Decimal,
}

/// `IzlyPay.confirmCallback`'s result: whether the payment stands, what was read, why not, and
/// the answer to write back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallbackOutcome {
    pub confirmed: bool,
    pub notification: Option<CallbackNotification>,
    pub payment: Option<WebPaymentDetails>,
    pub error: Option<Refusal>,
    pub answer: HttpAnswer,
}

impl CallbackOutcome {
    /// A callback it could not read: 400 (the body cannot name an order to confirm).
    pub fn unreadable(e: &CallbackParseError) -> Self {
        Self::refused(400, e.code(), &e.to_string(), None, None)
    }

    /// A callback confirmed (or not) by `GET WebPayments/{id}`: 200 only for a completed payment
    /// of the expected order and amount. No such payment is a final no (409); any other failure
    /// to ask Izly (down, timeouts) is 503, so that the callback comes again; a payment that is
    /// not the one expected, or not completed, is 409.
    pub fn confirmed_by(
        n: CallbackNotification,
        fetched: Result<WebPaymentDetails, CallError<IzlyPayError>>,
        expected: &ExpectedOrder,
    ) -> Self {
        let payment = match fetched {
            Ok(p) => p,
            Err(e) => {
                let status = match &e {
                    CallError::Api {
                        error: IzlyPayError::OperationNotFound(_) | IzlyPayError::NotFound(_), ..
                    } => 409,
                    _ => 503,
                };
                let why = Failure::of_call(&e);
                return Self::refused(status, &why.code, &why.message, Some(n), None);
            }
        };
        match n.verify(&payment, &expected.client_order_id, expected.amount) {
            Ok(()) => CallbackOutcome {
                confirmed: true,
                notification: Some(n),
                payment: Some(payment),
                error: None,
                answer: (&callback_ok_answer()).into(),
            },
            Err(e) => Self::refused(409, e.code(), &e.to_string(), Some(n), Some(payment)),
        }
    }

    fn refused(
        status: u16,
        code: &str,
        message: &str,
        notification: Option<CallbackNotification>,
        payment: Option<WebPaymentDetails>,
    ) -> Self {
        CallbackOutcome {
            confirmed: false,
            notification,
            payment,
            error: Some(Refusal { code: code.to_owned(), message: message.to_owned() }),
            answer: (&callback_error_answer(status, -1, message)).into(),
        }
    }
}

//! What a payment attempt came to, decided once here for every front end.
//!
//! | service's answer | outcome |
//! |---|---|
//! | Izly debit 2xx (or found by its reference) | paid |
//! | Izly 400/401/402/403/404/409/410/422/423 | declined: no money taken |
//! | Izly 5xx, 429, unreadable answer, executor "outcome unknown" or timeout | unknown: look the reference up |
//! | Izly look-up: 404 + Xpollens 356 | declined (`sale.not_debited`) |
//! | esipay 200 | paid (specs 004: "transaction correctement effectuée") |
//! | esipay 400/403/500 | declined (specs 004: incorrect parameter, caller refused, "erreur côté service") |
//! | esipay other status, "outcome unknown", timeout | unknown: esipay has no look-up, the cashier checks |
//! | no connection could be made, or "not processed" | declined: the request never took effect |

use super::record::PaymentProof;
use crate::api::esipay::{EsipayError, EsipayOk};
use crate::api::execution::{CallError, Called, ExecutorError};
use crate::api::izly_pos::{judge_debit_lookup, parse_debit, Debit, IzlyPosError};
use crate::api::Verdict;
use crate::error_code::ErrorCode;
use serde::{Deserialize, Serialize};

/// The outcome given to [`super::Till::record_payment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "outcome", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum PaymentOutcome {
    Paid {
        payment: PaymentProof,
    },
    /// Certainly not paid: a stable code and a message for the cashier.
    Declined {
        code: String,
        message: String,
    },
    /// Maybe paid: the look-up (Izly) or the cashier (esipay) settles it.
    Unknown {
        code: String,
        message: String,
    },
}

impl PaymentOutcome {
    fn declined(code: &str, message: impl ToString) -> Self {
        PaymentOutcome::Declined { code: code.to_owned(), message: message.to_string() }
    }

    fn unknown(code: &str, message: impl ToString) -> Self {
        PaymentOutcome::Unknown { code: code.to_owned(), message: message.to_string() }
    }

    /// The outcome of a debit that the till asked for but whose answer it never got (the page
    /// or process stopped while it was on its way).
    pub fn interrupted() -> Self {
        Self::unknown("sale.interrupted", "the till stopped while the payment was on its way")
    }

    /// From an Izly debit call.
    pub fn from_izly_debit(result: &Result<Called<Debit>, CallError<IzlyPosError>>) -> Self {
        match result {
            Ok(called) => Self::izly_paid(&called.value),
            Err(CallError::Api { error, .. }) => match error {
                IzlyPosError::Server { .. }
                | IzlyPosError::RateLimited { .. }
                | IzlyPosError::Malformed { .. }
                | IzlyPosError::UnexpectedStatus { .. } => Self::unknown(error.code(), error),
                _ => Self::declined(error.code(), error),
            },
            Err(CallError::Executor(e)) => Self::from_executor(e),
        }
    }

    /// From the answer of `GET /api/payments/debit/reference/{reference}` (core's
    /// [`judge_debit_lookup`]): the settlement of an Izly sale whose answer was lost.
    pub fn from_izly_lookup(status: u16, headers: &[(String, String)], body: &[u8]) -> Self {
        match judge_debit_lookup(status, headers, body) {
            Verdict::Applied(r) => match parse_debit(r.status, &r.headers, &r.body) {
                Ok(debit) => Self::izly_paid(&debit),
                Err(e) => Self::unknown(e.code(), e),
            },
            Verdict::NotApplied => Self::declined("sale.not_debited", "Izly has no debit under this reference"),
            Verdict::Unknown(why) => Self::unknown("sale.lookup_failed", why),
        }
    }

    fn izly_paid(debit: &Debit) -> Self {
        PaymentOutcome::Paid {
            payment: PaymentProof::Izly {
                id_transaction_izly: debit.id_transaction_izly.clone(),
                balance: debit.balance,
                code_client: debit.code_client.clone(),
            },
        }
    }

    /// From an esipay card payment call.
    pub fn from_esipay(result: &Result<Called<EsipayOk>, CallError<EsipayError>>) -> Self {
        match result {
            Ok(_) => PaymentOutcome::Paid { payment: PaymentProof::Esipay { transaction: None } },
            Err(CallError::Api { error: e @ EsipayError::UnexpectedStatus { .. }, .. }) => Self::unknown(e.code(), e),
            Err(CallError::Api { error, .. }) => Self::declined(error.code(), error),
            Err(CallError::Executor(e)) => Self::from_executor(e),
        }
    }

    fn from_executor(e: &ExecutorError) -> Self {
        match e {
            ExecutorError::Connection { .. }
            | ExecutorError::NotProcessed { .. }
            | ExecutorError::InvalidRequest { .. } => Self::declined(e.code(), e),
            ExecutorError::Timeout { .. } | ExecutorError::OutcomeUnknown { .. } => Self::unknown(e.code(), e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api<E>(error: E) -> Result<Called<Debit>, CallError<E>> {
        Err(CallError::Api { error, attempts: 1 })
    }

    #[test]
    fn izly_answers() {
        let debit = Debit {
            id_transaction_izly: "63535".into(),
            reference: None,
            amount: rust_decimal::Decimal::new(330, 2),
            balance: Some(rust_decimal::Decimal::new(1195, 2)),
            date: None,
            code_client: Some("6000050617".into()),
        };
        let ok = Ok(Called { value: debit, attempts: 1, reconciled: true });
        assert!(matches!(PaymentOutcome::from_izly_debit(&ok), PaymentOutcome::Paid { .. }));
        let declined = PaymentOutcome::from_izly_debit(&api(IzlyPosError::InsufficientBalance(None)));
        assert!(
            matches!(declined, PaymentOutcome::Declined { ref code, .. } if code == "izly_pos.insufficient_balance")
        );
        let unknown = PaymentOutcome::from_izly_debit(&api(IzlyPosError::Server { status: 500, error: None }));
        assert!(matches!(unknown, PaymentOutcome::Unknown { .. }));
        let lost = Err(CallError::Executor(ExecutorError::OutcomeUnknown {
            endpoint: "izly_pos.debit",
            attempts: 1,
            reference: "r".into(),
            reason: "timed out".into(),
        }));
        assert!(
            matches!(PaymentOutcome::from_izly_debit(&lost), PaymentOutcome::Unknown { ref code, .. } if code == "network.outcome_unknown")
        );
        let never = Err(CallError::Executor(ExecutorError::Connection {
            endpoint: "izly_pos.debit",
            attempts: 3,
            message: "refused".into(),
        }));
        assert!(matches!(PaymentOutcome::from_izly_debit(&never), PaymentOutcome::Declined { .. }));
    }

    #[test]
    fn izly_lookup_answers() {
        let found = include_bytes!("../../tests/fixtures/api/izly_pos/debit.json");
        assert!(matches!(PaymentOutcome::from_izly_lookup(200, &[], found), PaymentOutcome::Paid { .. }));
        let absent = include_bytes!("../../tests/fixtures/api/izly_pay/error_356.json");
        assert!(matches!(
            PaymentOutcome::from_izly_lookup(404, &[], absent),
            PaymentOutcome::Declined { ref code, .. } if code == "sale.not_debited"
        ));
        assert!(matches!(PaymentOutcome::from_izly_lookup(404, &[], b""), PaymentOutcome::Unknown { .. }));
        assert!(matches!(PaymentOutcome::from_izly_lookup(503, &[], b""), PaymentOutcome::Unknown { .. }));
    }

    #[test]
    fn esipay_answers() {
        let ok: Result<Called<EsipayOk>, CallError<EsipayError>> =
            Ok(Called { value: EsipayOk { body: String::new() }, attempts: 1, reconciled: false });
        assert!(matches!(PaymentOutcome::from_esipay(&ok), PaymentOutcome::Paid { .. }));
        for (error, declined) in [
            (EsipayError::InvalidParameters { body: String::new() }, true),
            (EsipayError::CallerIpRefused, true),
            (EsipayError::ServiceError { body: String::new() }, true),
            (EsipayError::UnexpectedStatus { status: 502, body: String::new() }, false),
        ] {
            let outcome = PaymentOutcome::from_esipay(&Err(CallError::Api { error, attempts: 1 }));
            assert_eq!(matches!(outcome, PaymentOutcome::Declined { .. }), declined, "{outcome:?}");
        }
    }
}

//! Stable, machine-readable names for errors.
//!
//! Bindings hand errors to JavaScript as `Error` objects whose `code` a till branches on
//! (`err.code === "pricing.no_price"`), so the names are fixed here, once, for every front end.
//! A code never changes meaning; messages may be reworded.

use crate::api::card_number::CardNumberError;
use crate::api::crous::{CrousError, TicketRefused};
use crate::api::environment::EnvironmentError;
use crate::api::esipay::{EsipayBuildError, EsipayError, ReturnMismatch, ReturnParseError};
use crate::api::execution::{CallError, ExecutorError};
use crate::api::izly_connect::IzlyConnectError;
use crate::api::izly_pay::{CallbackParseError, CallbackVerification, InitPaymentError, IzlyPayError};
use crate::api::izly_pos::{DebitBuildError, IzlyPosError};
use crate::builder::BuildError;
use crate::numbering::NumberingError;
use crate::point_of_sale::PointOfSaleParseError;
use crate::pricing::PricingError;

/// An error with a stable code, `area.reason` in snake_case.
pub trait ErrorCode: std::error::Error {
    fn code(&self) -> &'static str;
}

impl ErrorCode for PricingError {
    fn code(&self) -> &'static str {
        match self {
            PricingError::EmptyCart => "pricing.empty_cart",
            PricingError::UnknownArticle { .. } => "pricing.unknown_article",
            PricingError::InvalidQuantity { .. } => "pricing.invalid_quantity",
            PricingError::NoPrice { .. } => "pricing.no_price",
            PricingError::AmbiguousPrice { .. } => "pricing.ambiguous_price",
            PricingError::InvalidPrice { .. } => "pricing.invalid_price",
            PricingError::NoVatCode { .. } => "pricing.no_vat_code",
            PricingError::UnknownVatCode { .. } => "pricing.unknown_vat_code",
            PricingError::Overflow { .. } => "pricing.overflow",
            PricingError::AmbiguousSubvention { .. } => "pricing.ambiguous_subvention",
            PricingError::InvalidSubvention { .. } => "pricing.invalid_subvention",
            PricingError::FeeWithoutArticle { .. } => "pricing.fee_without_article",
            PricingError::InvalidFee { .. } => "pricing.invalid_fee",
        }
    }
}

impl ErrorCode for NumberingError {
    fn code(&self) -> &'static str {
        match self {
            NumberingError::DateBeforeLastSale { .. } => "numbering.date_before_last_sale",
            NumberingError::Exhausted => "numbering.exhausted",
            NumberingError::YearOutOfRange(_) => "numbering.year_out_of_range",
        }
    }
}

impl ErrorCode for BuildError {
    fn code(&self) -> &'static str {
        match self {
            BuildError::Numbering(e) => e.code(),
            BuildError::MissingIzlyCustomer => "ticket.missing_izly_customer",
            BuildError::Violations(_) => "ticket.check_failed",
        }
    }
}

impl ErrorCode for ExecutorError {
    fn code(&self) -> &'static str {
        match self {
            ExecutorError::Timeout { .. } => "network.timeout",
            ExecutorError::Connection { .. } => "network.connection_failed",
            ExecutorError::OutcomeUnknown { .. } => "network.outcome_unknown",
            ExecutorError::NotProcessed { .. } => "network.not_processed",
            ExecutorError::InvalidRequest { .. } => "network.invalid_request",
        }
    }
}

impl<E: ErrorCode + 'static> ErrorCode for CallError<E> {
    fn code(&self) -> &'static str {
        match self {
            CallError::Api { error, .. } => error.code(),
            CallError::Executor(e) => e.code(),
        }
    }
}

impl ErrorCode for CrousError {
    fn code(&self) -> &'static str {
        match self {
            CrousError::BadRequest(_) => "crous.bad_request",
            CrousError::Unauthorized => "crous.unauthorized",
            CrousError::Forbidden(_) => "crous.forbidden",
            CrousError::NotFound(_) => "crous.not_found",
            CrousError::DuplicateTicket(_) => "crous.duplicate_ticket",
            CrousError::Unprocessable(_) => "crous.unprocessable",
            CrousError::Locked(_) => "crous.locked",
            CrousError::RateLimited { .. } => "crous.rate_limited",
            CrousError::Server { .. } => "crous.server_error",
            CrousError::UnexpectedStatus { .. } => "crous.unexpected_status",
            CrousError::Malformed { .. } => "crous.malformed_response",
            CrousError::MissingToken => "crous.missing_token",
        }
    }
}

impl ErrorCode for TicketRefused {
    fn code(&self) -> &'static str {
        match self {
            TicketRefused::Checks(_) => "ticket.check_failed",
        }
    }
}

impl ErrorCode for IzlyPosError {
    fn code(&self) -> &'static str {
        match self {
            IzlyPosError::BadRequest(_) => "izly_pos.bad_request",
            IzlyPosError::Unauthorized(_) => "izly_pos.unauthorized",
            IzlyPosError::Forbidden(_) => "izly_pos.forbidden",
            IzlyPosError::InsufficientBalance(_) => "izly_pos.insufficient_balance",
            IzlyPosError::NotFound(_) => "izly_pos.not_found",
            IzlyPosError::UnknownCard(_) => "izly_pos.unknown_card",
            IzlyPosError::RightExpired(_) => "izly_pos.right_expired",
            IzlyPosError::ReferenceConflict(_) => "izly_pos.reference_conflict",
            IzlyPosError::QrCodeRejected(_) => "izly_pos.qr_code_rejected",
            IzlyPosError::Refused(_) => "izly_pos.refused",
            IzlyPosError::AccountBlocked(_) => "izly_pos.account_blocked",
            IzlyPosError::RateLimited { .. } => "izly_pos.rate_limited",
            IzlyPosError::Server { .. } => "izly_pos.server_error",
            IzlyPosError::UnexpectedStatus { .. } => "izly_pos.unexpected_status",
            IzlyPosError::Malformed { .. } => "izly_pos.malformed_response",
        }
    }
}

impl ErrorCode for DebitBuildError {
    fn code(&self) -> &'static str {
        match self {
            DebitBuildError::InvalidAmount(_) => "izly_pos.invalid_amount",
        }
    }
}

impl ErrorCode for IzlyConnectError {
    fn code(&self) -> &'static str {
        match self {
            IzlyConnectError::BadRequest(_) => "izly_connect.bad_request",
            IzlyConnectError::Unauthorized(_) => "izly_connect.unauthorized",
            IzlyConnectError::Forbidden(_) => "izly_connect.forbidden",
            IzlyConnectError::NotFound(_) => "izly_connect.not_found",
            IzlyConnectError::RateLimited { .. } => "izly_connect.rate_limited",
            IzlyConnectError::Server { .. } => "izly_connect.server_error",
            IzlyConnectError::UnexpectedStatus { .. } => "izly_connect.unexpected_status",
            IzlyConnectError::Malformed { .. } => "izly_connect.malformed_response",
        }
    }
}

impl ErrorCode for IzlyPayError {
    fn code(&self) -> &'static str {
        match self {
            IzlyPayError::OperationNotFound(_) => "izly_pay.operation_not_found",
            IzlyPayError::BadRequest(_) => "izly_pay.bad_request",
            IzlyPayError::Unauthorized(_) => "izly_pay.unauthorized",
            IzlyPayError::Forbidden(_) => "izly_pay.forbidden",
            IzlyPayError::NotFound(_) => "izly_pay.not_found",
            IzlyPayError::Refused { .. } => "izly_pay.refused",
            IzlyPayError::RateLimited { .. } => "izly_pay.rate_limited",
            IzlyPayError::Server { .. } => "izly_pay.server_error",
            IzlyPayError::UnexpectedStatus { .. } => "izly_pay.unexpected_status",
            IzlyPayError::Malformed { .. } => "izly_pay.malformed_response",
        }
    }
}

impl ErrorCode for InitPaymentError {
    fn code(&self) -> &'static str {
        match self {
            InitPaymentError::InvalidAmount(_) => "izly_pay.invalid_amount",
            InitPaymentError::MissingClientOrderId => "izly_pay.missing_client_order_id",
        }
    }
}

impl ErrorCode for CallbackParseError {
    fn code(&self) -> &'static str {
        match self {
            CallbackParseError::ContentType(_) => "izly_pay.callback_content_type",
            CallbackParseError::Malformed(_) => "izly_pay.callback_malformed",
        }
    }
}

impl ErrorCode for CallbackVerification {
    fn code(&self) -> &'static str {
        match self {
            CallbackVerification::ReportedError(_) => "izly_pay.callback_reported_error",
            CallbackVerification::OperationMismatch { .. } => "izly_pay.callback_operation_mismatch",
            CallbackVerification::OrderMismatch { .. } => "izly_pay.callback_order_mismatch",
            CallbackVerification::AmountMismatch { .. } => "izly_pay.callback_amount_mismatch",
            CallbackVerification::NotCompleted(_) => "izly_pay.callback_not_completed",
            CallbackVerification::OperationError(_) => "izly_pay.callback_operation_error",
        }
    }
}

impl ErrorCode for EsipayError {
    fn code(&self) -> &'static str {
        match self {
            EsipayError::InvalidParameters { .. } => "esipay.invalid_parameters",
            EsipayError::CallerIpRefused => "esipay.caller_ip_refused",
            EsipayError::ServiceError { .. } => "esipay.service_error",
            EsipayError::UnexpectedStatus { .. } => "esipay.unexpected_status",
        }
    }
}

impl ErrorCode for EsipayBuildError {
    fn code(&self) -> &'static str {
        match self {
            EsipayBuildError::InvalidAmount(_) => "esipay.invalid_amount",
            EsipayBuildError::InvalidMonth(_) => "esipay.invalid_month",
            EsipayBuildError::InvalidYear(_) => "esipay.invalid_year",
            EsipayBuildError::Empty(_) => "esipay.empty_parameter",
            EsipayBuildError::CardNumber(e) => e.code(),
        }
    }
}

impl ErrorCode for ReturnParseError {
    fn code(&self) -> &'static str {
        match self {
            ReturnParseError::MissingField(_) => "esipay.return_missing_field",
            ReturnParseError::InvalidAmount(_) => "esipay.return_invalid_amount",
            ReturnParseError::Malformed(_) => "esipay.return_malformed",
        }
    }
}

impl ErrorCode for ReturnMismatch {
    fn code(&self) -> &'static str {
        match self {
            ReturnMismatch::UnknownPayment(_) => "esipay.return_unknown_payment",
            ReturnMismatch::AmountMismatch { .. } => "esipay.return_amount_mismatch",
            ReturnMismatch::NotCard(_) => "esipay.return_not_card",
        }
    }
}

impl ErrorCode for CardNumberError {
    fn code(&self) -> &'static str {
        match self {
            CardNumberError::NotDigits => "card_number.not_digits",
            CardNumberError::BadLength(_) => "card_number.bad_length",
        }
    }
}

impl ErrorCode for EnvironmentError {
    fn code(&self) -> &'static str {
        match self {
            EnvironmentError::NoPreprod(_) => "environment.no_preprod",
            EnvironmentError::InvalidBaseUrl(_) => "environment.invalid_base_url",
        }
    }
}

impl ErrorCode for PointOfSaleParseError {
    fn code(&self) -> &'static str {
        "input.invalid_point_of_sale"
    }
}

impl ErrorCode for crate::outbox::StoreError {
    fn code(&self) -> &'static str {
        use crate::outbox::StoreError;
        match self {
            StoreError::Conflict(_) => "outbox.store_conflict",
            StoreError::Failed(_) => "outbox.store_failed",
        }
    }
}

impl ErrorCode for crate::outbox::OutboxError {
    fn code(&self) -> &'static str {
        use crate::journal::{AppendError, CloseError};
        use crate::outbox::OutboxError;
        match self {
            OutboxError::MissingTicketId => "outbox.missing_ticket_id",
            OutboxError::InvalidTicketId(_) => "outbox.invalid_ticket_id",
            OutboxError::ConflictingTicket { .. } => "outbox.conflicting_ticket",
            OutboxError::TicketIdNotAfterLast { .. } => "outbox.ticket_id_not_after_last",
            OutboxError::Journal(e) => match e {
                AppendError::NoBusinessDay => "journal.no_business_day",
                AppendError::DateBeforePrevious { .. } => "journal.date_before_previous",
                AppendError::PeriodClosed { .. } => "journal.period_closed",
                AppendError::Incomplete(_) => "journal.incomplete_ticket",
                AppendError::Exhausted => "journal.exhausted",
                AppendError::Canonical(_) => "journal.not_canonical",
            },
            OutboxError::Close(e) => match e {
                CloseError::AlreadyClosed { .. } | CloseError::InsideClosedPeriod { .. } => "journal.already_closed",
                CloseError::EarlierPeriodOpen { .. } | CloseError::FinerNotClosed { .. } => "journal.period_still_open",
                _ => "journal.cannot_close",
            },
            OutboxError::Canonical(_) => "outbox.not_canonical",
            OutboxError::StaleCommit => "outbox.stale_commit",
            OutboxError::NotInFlight { .. } => "outbox.not_in_flight",
            OutboxError::UnknownTicket { .. } => "outbox.unknown_ticket",
            OutboxError::NotRefused { .. } => "outbox.not_refused",
            OutboxError::ClosureEntries { .. } => "outbox.closure_entries_mismatch",
            OutboxError::Corrupt(_) => "outbox.corrupt",
            OutboxError::JournalBroken(_) => "journal.broken",
            OutboxError::Archive(_) => "journal.bad_signature",
            OutboxError::Event(_) => "journal.event_failed",
            OutboxError::Store(e) => e.code(),
        }
    }
}

impl ErrorCode for crate::sale::SaleError {
    fn code(&self) -> &'static str {
        use crate::outbox::OutboxError;
        use crate::sale::SaleError;
        match self {
            SaleError::Pricing(e) => e.code(),
            SaleError::Numbering(e) => e.code(),
            SaleError::Build(e) => e.code(),
            SaleError::Journal(e) => OutboxError::Journal(e.clone()).code(),
            SaleError::Outbox(e) => e.code(),
            SaleError::Order(e) => e.code(),
            SaleError::UnknownOrder { .. } => "sale.unknown_order",
            SaleError::InvalidOrderId { .. } => "sale.invalid_order_id",
            SaleError::InvalidOrderAmount { .. } => "sale.invalid_order_amount",
            SaleError::Unsettled { .. } => "sale.unsettled",
            SaleError::UnknownSale { .. } => "sale.unknown",
            SaleError::WrongState { .. } => "sale.wrong_state",
            SaleError::ProofMismatch { .. } => "sale.proof_mismatch",
            SaleError::Corrupt(_) => "sale.corrupt",
            SaleError::StaleCommit => "sale.stale_commit",
        }
    }
}

impl ErrorCode for crate::sale::OrderError {
    fn code(&self) -> &'static str {
        use crate::sale::OrderError;
        match self {
            OrderError::Izly(e) => e.code(),
            OrderError::Esipay(e) => e.code(),
            OrderError::WrongService { .. } => "sale.wrong_service",
            OrderError::NoClient { .. } => "sale.no_payment_client",
            OrderError::MissingBankCard => "sale.bank_card_missing",
            OrderError::WebOrderOnly => "sale.web_order_only",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_namespaced_snake_case() {
        let samples: Vec<Box<dyn ErrorCode>> = vec![
            Box::new(PricingError::EmptyCart),
            Box::new(NumberingError::Exhausted),
            Box::new(BuildError::MissingIzlyCustomer),
            Box::new(ExecutorError::Timeout { endpoint: "x", attempts: 1 }),
        ];
        for e in samples {
            let (area, reason) = e.code().split_once('.').expect("area.reason");
            for part in [area, reason] {
                assert!(!part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", e.code());
            }
        }
        // The subsidy and entry-fee codes, pinned: front ends branch on them.
        let pricing = [
            (
                PricingError::AmbiguousSubvention { code_article: 1, code_societe: 10, tarif: 97 },
                "pricing.ambiguous_subvention",
            ),
            (
                PricingError::InvalidSubvention { code_subvention: 1, montant: rust_decimal::Decimal::ONE },
                "pricing.invalid_subvention",
            ),
            (PricingError::FeeWithoutArticle { code_droit_entree: 1 }, "pricing.fee_without_article"),
            (
                PricingError::InvalidFee { code_droit_entree: 1, montant: rust_decimal::Decimal::ONE },
                "pricing.invalid_fee",
            ),
        ];
        for (e, code) in pricing {
            assert_eq!(e.code(), code);
        }
        let call: CallError<PricingError> = CallError::Executor(ExecutorError::Timeout { endpoint: "x", attempts: 3 });
        assert_eq!(call.code(), "network.timeout");
    }
}

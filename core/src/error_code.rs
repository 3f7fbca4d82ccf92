//! Stable, machine-readable names for errors.
//!
//! Bindings hand errors to JavaScript as `Error` objects whose `code` a till branches on
//! (`err.code === "pricing.no_price"`), so the names are fixed here, once, for every front end.
//! A code never changes meaning; messages may be reworded.

use crate::api::execution::{CallError, ExecutorError};
use crate::builder::BuildError;
use crate::numbering::NumberingError;
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
        let call: CallError<PricingError> = CallError::Executor(ExecutorError::Timeout { endpoint: "x", attempts: 3 });
        assert_eq!(call.code(), "network.timeout");
    }
}

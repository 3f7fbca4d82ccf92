//! The native executor (feature `native-executor`): sends [`crate::api::ApiRequest`] values with
//! reqwest on tokio, doing what [`crate::api::execution::Execution`] decides: a timeout on every
//! attempt, exponential backoff with jitter on connection errors, 429 (`Retry-After` honoured)
//! and 5xx, and never a blind resend of a payment whose outcome is unknown: it runs the request's
//! reconciliation query first, or stops with [`ExecutorError::OutcomeUnknown`]. Every error says
//! how many attempts were made.

mod native;

pub use crate::api::execution::{CallError, Called, Delivered, ExecutorError};
pub use native::NativeExecutor;

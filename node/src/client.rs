//! The native transport every client of the addon uses: core's retry state machine driven by
//! reqwest ([`NativeExecutor`]), one per client.

use crate::js::Failure;
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::{ApiRequest, Environment, RetryPolicy};
use crous_till_core::client::Detailed;
pub use crous_till_core::client::RetryOptions;

/// The transport of a client, under the retry policy its options give (core's `RetryOptions`).
pub fn executor(policy: RetryPolicy) -> Result<NativeExecutor, Failure> {
    NativeExecutor::new(policy).map_err(|e| Failure::of(&e))
}

/// `environment` of a server-only client's options (core's reading: `"preprod"`, `"prod"`, a URL).
pub fn environment(text: &str) -> Result<Environment, Failure> {
    crous_till_core::client::environment(text).map_err(|e| Failure::of(&e))
}

/// The transport of a server-only client, from its `retry` option.
pub fn retry_executor(retry: Option<&RetryOptions>) -> Result<NativeExecutor, Failure> {
    executor(RetryOptions::policy(retry))
}

/// Sends `request` with `executor` and parses the answer with core's `parser`; a failure is
/// core's [`Failure::of_call`].
pub async fn call<T, E: Detailed + 'static>(
    executor: &NativeExecutor,
    request: &ApiRequest,
    parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E>,
) -> Result<T, Failure> {
    executor.call(request, parser).await.map(|c| c.value).map_err(|e| Failure::of_call(&e))
}

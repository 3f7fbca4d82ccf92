//! What a binding supplies: one call performed under core's retry rules.

use crate::api::execution::{CallError, Called, Delivered, ExecutorError};
use crate::api::ApiRequest;
use std::future::Future;

/// Performs `request` to the end as [`crate::api::execution::Execution`] says (send, wait,
/// resend, reconcile) and hands back the response to parse. The browser's is `fetch`, Node's is
/// reqwest (`api::executor::NativeExecutor`, feature `native-executor`); tests use a scripted one.
///
/// The future is a named type rather than `impl Future`, so that Node's clients stay `Send` (the
/// compiler cannot yet prove it through a trait's opaque future, rust-lang/rust#100013).
pub trait Transport {
    type Future<'a>: Future<Output = Result<Delivered, ExecutorError>> + 'a
    where
        Self: 'a;

    fn execute<'a>(&'a self, request: &'a ApiRequest) -> Self::Future<'a>;
}

/// Sends `request` and parses the answer with core's `parser`.
pub async fn call<T: Transport, V, E>(
    transport: &T,
    request: &ApiRequest,
    parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<V, E>,
) -> Result<Called<V>, CallError<E>> {
    let d = transport.execute(request).await?;
    match parser(d.response.status, &d.response.headers, &d.response.body) {
        Ok(value) => Ok(Called { value, attempts: d.attempts, reconciled: d.reconciled }),
        Err(error) => Err(CallError::Api { error, attempts: d.attempts }),
    }
}

#[cfg(feature = "native-executor")]
impl Transport for crate::api::executor::NativeExecutor {
    type Future<'a> = std::pin::Pin<Box<dyn Future<Output = Result<Delivered, ExecutorError>> + Send + 'a>>;

    fn execute<'a>(&'a self, request: &'a ApiRequest) -> Self::Future<'a> {
        crate::api::executor::NativeExecutor::execute(self, request)
    }
}

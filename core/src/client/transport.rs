//! What a binding supplies: one call performed under core's retry rules.

use crate::api::execution::{CallError, Called, Delivered, ExecutorError};
use crate::api::ApiRequest;
use std::future::Future;

/// Performs `request` to the end as [`crate::api::execution::Execution`] says (send, wait,
/// resend, reconcile) and hands back the response to parse. The browser's is `fetch`, Node's is
/// reqwest ([`crate::api::executor::NativeExecutor`]); tests use a scripted one.
pub trait Transport {
    fn execute<'a>(&'a self, request: &'a ApiRequest) -> impl Future<Output = Result<Delivered, ExecutorError>> + 'a;

    /// Sends `request` and parses the answer with core's `parser`.
    fn call<'a, T, E>(
        &'a self,
        request: &'a ApiRequest,
        parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E> + 'a,
    ) -> impl Future<Output = Result<Called<T>, CallError<E>>> + 'a {
        async move {
            let d = self.execute(request).await?;
            match parser(d.response.status, &d.response.headers, &d.response.body) {
                Ok(value) => Ok(Called { value, attempts: d.attempts, reconciled: d.reconciled }),
                Err(error) => Err(CallError::Api { error, attempts: d.attempts }),
            }
        }
    }
}

#[cfg(feature = "native-executor")]
impl Transport for crate::api::executor::NativeExecutor {
    fn execute<'a>(&'a self, request: &'a ApiRequest) -> impl Future<Output = Result<Delivered, ExecutorError>> + 'a {
        crate::api::executor::NativeExecutor::execute(self, request)
    }
}

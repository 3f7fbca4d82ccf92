//! reqwest + tokio implementation of the executor.

use crate::api::request::{ApiRequest, Method, Safety, Verdict};
use crate::api::response::{retry_after, ApiResponse};
use crate::api::retry::{after_reconcile, decide, AttemptOutcome, Decision, RetryPolicy};
use std::error::Error as _;
use std::future::Future;
use std::pin::Pin;

/// A response handed to the parser, and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub response: ApiResponse,
    /// How many times the request itself was sent (reconciliation queries not counted).
    pub attempts: u32,
    /// True when the response was rebuilt from a reconciliation query after an unknown outcome
    /// (the operation had happened; the original answer was lost).
    pub reconciled: bool,
}

/// A parsed result, with the attempt count.
#[derive(Debug, Clone, PartialEq)]
pub struct Called<T> {
    pub value: T,
    pub attempts: u32,
    pub reconciled: bool,
}

/// Why no response could be delivered. Messages never contain a URL (a card number may be in
/// one) nor a header value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecutorError {
    /// Every attempt of a safe request timed out (the last one did, at least).
    #[error("{endpoint}: timed out after {attempts} attempt(s)")]
    Timeout { endpoint: &'static str, attempts: u32 },
    /// Every attempt of a request failed to connect or lost its connection.
    #[error("{endpoint}: connection failed after {attempts} attempt(s): {message}")]
    Connection { endpoint: &'static str, attempts: u32, message: String },
    /// A payment-like request may or may not have been processed and nothing could tell: it was
    /// not sent again. Look `reference` up in your own records (or ask the service later).
    #[error("{endpoint}: outcome unknown after {attempts} attempt(s) (reference {reference}): {reason}")]
    OutcomeUnknown { endpoint: &'static str, attempts: u32, reference: String, reason: String },
    /// The service confirmed the operation did not happen, and the attempts are used up.
    #[error("{endpoint}: not processed after {attempts} attempt(s) (reference {reference})")]
    NotProcessed { endpoint: &'static str, attempts: u32, reference: String },
    /// The request value could not be turned into an HTTP request.
    #[error("{endpoint}: invalid request: {message}")]
    InvalidRequest { endpoint: &'static str, message: String },
}

impl ExecutorError {
    pub fn attempts(&self) -> u32 {
        match self {
            ExecutorError::Timeout { attempts, .. }
            | ExecutorError::Connection { attempts, .. }
            | ExecutorError::OutcomeUnknown { attempts, .. }
            | ExecutorError::NotProcessed { attempts, .. } => *attempts,
            ExecutorError::InvalidRequest { .. } => 0,
        }
    }
}

/// The final error of a typed call: the service's typed error, or the executor's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError<E> {
    #[error("{error} (after {attempts} attempt(s))")]
    Api { error: E, attempts: u32 },
    #[error(transparent)]
    Executor(#[from] ExecutorError),
}

impl<E> CallError<E> {
    pub fn attempts(&self) -> u32 {
        match self {
            CallError::Api { attempts, .. } => *attempts,
            CallError::Executor(e) => e.attempts(),
        }
    }
}

/// How one attempt failed before a response came back.
struct TransportFailure {
    outcome: AttemptOutcome,
    timed_out: bool,
    message: String,
}

/// Sends requests with reqwest. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct NativeExecutor {
    client: reqwest::Client,
    policy: RetryPolicy,
}

impl NativeExecutor {
    pub fn new(policy: RetryPolicy) -> Result<Self, ExecutorError> {
        let client = reqwest::Client::builder()
            .connect_timeout(policy.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ExecutorError::InvalidRequest { endpoint: "executor", message: describe(&e) })?;
        Ok(NativeExecutor { client, policy })
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Sends `request` (retrying and reconciling as the rules say) and parses the answer.
    pub async fn call<T, E>(
        &self,
        request: &ApiRequest,
        parser: impl FnOnce(u16, &[(String, String)], &[u8]) -> Result<T, E>,
    ) -> Result<Called<T>, CallError<E>> {
        let d = self.execute(request).await?;
        match parser(d.response.status, &d.response.headers, &d.response.body) {
            Ok(value) => Ok(Called { value, attempts: d.attempts, reconciled: d.reconciled }),
            Err(error) => Err(CallError::Api { error, attempts: d.attempts }),
        }
    }

    /// Sends `request` and returns the response the parser should read.
    pub fn execute<'a>(
        &'a self,
        request: &'a ApiRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Delivered, ExecutorError>> + Send + 'a>> {
        Box::pin(self.execute_inner(request))
    }

    async fn execute_inner(&self, request: &ApiRequest) -> Result<Delivered, ExecutorError> {
        let endpoint = request.endpoint;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let sent = self.send_once(request).await;
            let outcome = match &sent {
                Ok(r) => AttemptOutcome::Response { status: r.status, retry_after: retry_after(&r.headers) },
                Err(f) => f.outcome,
            };
            match decide(&self.policy, &request.safety, attempt, outcome, fastrand::f64()) {
                Decision::Deliver => match sent {
                    Ok(response) => return Ok(Delivered { response, attempts: attempt, reconciled: false }),
                    Err(f) => return Err(give_up(endpoint, attempt, f)),
                },
                Decision::Retry { after } => tokio::time::sleep(after).await,
                Decision::GiveUp => {
                    return Err(match sent {
                        Err(f) => give_up(endpoint, attempt, f),
                        Ok(_) => ExecutorError::Connection {
                            endpoint,
                            attempts: attempt,
                            message: "retries exhausted".into(),
                        },
                    })
                }
                Decision::OutcomeUnknown => {
                    let reason = match &sent {
                        Err(f) => f.message.clone(),
                        Ok(r) => format!("status {}", r.status),
                    };
                    return Err(unknown(request, attempt, reason));
                }
                Decision::Reconcile => {
                    let Safety::Unsafe(op) = &request.safety else {
                        return Err(unknown(request, attempt, "reconciliation asked for a safe request".into()));
                    };
                    let Some(rec) = &op.reconcile else {
                        return Err(unknown(request, attempt, "no reconciliation query".into()));
                    };
                    let verdict = match self.execute(&rec.query).await {
                        Ok(d) => Some((rec.judge)(d.response.status, &d.response.headers, &d.response.body)),
                        Err(_) => None,
                    };
                    match after_reconcile(&self.policy, attempt, verdict.as_ref(), fastrand::f64()) {
                        Decision::Deliver => {
                            if let Some(Verdict::Applied(response)) = verdict {
                                return Ok(Delivered { response, attempts: attempt, reconciled: true });
                            }
                            return Err(unknown(request, attempt, "reconciliation gave no answer".into()));
                        }
                        Decision::Retry { after } => tokio::time::sleep(after).await,
                        Decision::GiveUp => {
                            return Err(ExecutorError::NotProcessed {
                                endpoint,
                                attempts: attempt,
                                reference: op.reference.clone(),
                            })
                        }
                        Decision::OutcomeUnknown | Decision::Reconcile => {
                            let reason = match verdict {
                                Some(Verdict::Unknown(why)) => format!("reconciliation settled nothing: {why}"),
                                None => "the reconciliation query failed".into(),
                                Some(_) => "reconciliation inconclusive".into(),
                            };
                            return Err(unknown(request, attempt, reason));
                        }
                    }
                }
            }
        }
    }

    async fn send_once(&self, request: &ApiRequest) -> Result<ApiResponse, TransportFailure> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.client.request(method, request.url()).timeout(self.policy.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        match (&request.body, request.method) {
            (Some(body), _) => builder = builder.body(body.clone()),
            (None, Method::Post) => builder = builder.body(Vec::new()),
            (None, Method::Get) => {}
        }
        let response = builder.send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        // A failure while reading the body: the request was processed in some way.
        let body = response.bytes().await.map_err(failure)?;
        Ok(ApiResponse { status, headers, body: body.to_vec() })
    }
}

fn unknown(request: &ApiRequest, attempts: u32, reason: String) -> ExecutorError {
    let reference = match &request.safety {
        Safety::Unsafe(op) => op.reference.clone(),
        Safety::Idempotent => String::new(),
    };
    ExecutorError::OutcomeUnknown { endpoint: request.endpoint, attempts, reference, reason }
}

fn give_up(endpoint: &'static str, attempts: u32, f: TransportFailure) -> ExecutorError {
    if f.timed_out {
        ExecutorError::Timeout { endpoint, attempts }
    } else {
        ExecutorError::Connection { endpoint, attempts, message: f.message }
    }
}

/// The error's chain of causes, without the URL (it may carry a card number).
fn describe(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        if e.is_timeout() {
            parts.push("timed out".into());
        } else {
            parts.push("transport error".into());
        }
    }
    parts.join(": ")
}

fn failure(e: reqwest::Error) -> TransportFailure {
    let e = e.without_url();
    let message = describe(&e);
    let timed_out = e.is_timeout();
    // A refused or failed connection never carried the request; anything else might have.
    let outcome = if e.is_connect() && !timed_out { AttemptOutcome::NotSent } else { AttemptOutcome::MaybeSent };
    TransportFailure { outcome, timed_out, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_report_attempts() {
        let e = ExecutorError::OutcomeUnknown {
            endpoint: "izly_pos.debit",
            attempts: 1,
            reference: "r".into(),
            reason: "timed out".into(),
        };
        assert_eq!(e.attempts(), 1);
        assert_eq!(e.to_string(), "izly_pos.debit: outcome unknown after 1 attempt(s) (reference r): timed out");
        let c: CallError<String> = CallError::Api { error: "boom".into(), attempts: 3 };
        assert_eq!(c.attempts(), 3);
        assert_eq!(c.to_string(), "boom (after 3 attempt(s))");
    }
}

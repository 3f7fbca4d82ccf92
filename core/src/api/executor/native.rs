//! reqwest + tokio implementation of the executor: performs what [`Execution`] asks.

use crate::api::execution::{Action, CallError, Called, Delivered, Event, Execution, ExecutorError, Transported};
use crate::api::request::{ApiRequest, Method};
use crate::api::response::ApiResponse;
use crate::api::retry::RetryPolicy;
use std::error::Error as _;
use std::future::Future;
use std::pin::Pin;

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
        let mut execution = Execution::new(self.policy, request);
        let mut event = Event::Start;
        loop {
            match execution.advance(event, fastrand::f64()) {
                Action::Send(r) => event = Event::Sent(self.send_once(r).await),
                Action::Sleep(d) => {
                    tokio::time::sleep(d).await;
                    event = Event::Slept;
                }
                Action::Done(result) => return result,
            }
        }
    }

    async fn send_once(&self, request: &ApiRequest) -> Transported {
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
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return failure(e),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        // A failure while reading the body: the request was processed in some way.
        match response.bytes().await {
            Ok(body) => Transported::Response(ApiResponse { status, headers, body: body.to_vec() }),
            Err(e) => failure(e),
        }
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

fn failure(e: reqwest::Error) -> Transported {
    let e = e.without_url();
    let message = describe(&e);
    let timed_out = e.is_timeout();
    // A refused or failed connection never carried the request; anything else might have.
    if e.is_connect() && !timed_out {
        Transported::NotSent { message }
    } else {
        Transported::MaybeSent { timed_out, message }
    }
}

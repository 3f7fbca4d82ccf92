//! One probe run's connection to the services: each request sent once (no retry: nothing is sent
//! twice), within the timeout, and recorded with its answer for the exchanges file, secrets
//! redacted ([`super::redact`]). An answer in HTML, no answer, or refused credentials end the run
//! with a clear error ([`ProbeError`]).

use super::redact::Redactor;
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::{ApiRequest, ApiResponse, RetryPolicy};
use serde::Serialize;
use std::time::Duration;

/// Why the probe stopped before the end.
#[derive(Debug)]
pub enum ProbeError {
    /// The configuration is unusable (exit 2).
    Config(String),
    /// A service refused the credentials, gave no answer in time, or answered HTML (exit 3).
    Service(String),
}

/// One request and its answer, as written to the exchanges file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    pub step: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<String>,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<String>,
    pub error: Option<String>,
}

pub struct Session {
    executor: NativeExecutor,
    timeout: Duration,
    pub redactor: Redactor,
    pub exchanges: Vec<Exchange>,
    /// What the run created on a service, to say so.
    pub created: Vec<String>,
    /// Answers that were redirects (core's executor follows none), as `step: status → Location`.
    pub redirects: Vec<String>,
}

impl Session {
    pub fn new(timeout: Duration, redactor: Redactor) -> Result<Session, ProbeError> {
        let policy = RetryPolicy { max_attempts: 1, timeout, ..RetryPolicy::default() };
        let executor = NativeExecutor::new(policy).map_err(|e| ProbeError::Config(e.to_string()))?;
        Ok(Session { executor, timeout, redactor, exchanges: Vec::new(), created: Vec::new(), redirects: Vec::new() })
    }

    /// Sends `request` once for `step` of `service`; its answer, whatever the status.
    pub async fn send(&mut self, service: &str, step: &str, request: &ApiRequest) -> Result<ApiResponse, ProbeError> {
        let sent = self.executor.execute(request).await;
        let redact = &self.redactor;
        let mut exchange = Exchange {
            step: step.to_owned(),
            method: request.method.as_str().to_owned(),
            url: redact.url(request.display_url()),
            request_headers: redact.headers(&request.headers),
            request_body: request.body.as_deref().map(|b| redact.body(b)),
            status: None,
            response_headers: Vec::new(),
            response_body: None,
            error: None,
        };
        let response = match sent {
            Ok(delivered) => delivered.response,
            Err(e) => {
                exchange.error = Some(e.to_string());
                self.exchanges.push(exchange);
                let why = match e {
                    crous_till_core::api::execution::ExecutorError::Timeout { .. } => {
                        format!("no answer within {} s", self.timeout.as_secs_f32())
                    }
                    other => other.to_string(),
                };
                return Err(ProbeError::Service(format!("{service} ({step}): {why}")));
            }
        };
        exchange.status = Some(response.status);
        if (300..400).contains(&response.status) {
            let to = response.header("location").map(|l| redact.url(l)).unwrap_or_default();
            self.redirects.push(format!("{step}: {} → {to}", response.status));
        }
        exchange.response_headers = redact.headers(&response.headers);
        exchange.response_body = Some(redact.body(&response.body));
        self.exchanges.push(exchange);
        if let Some(title) = html_page(&response) {
            return Err(ProbeError::Service(format!(
                "{service} ({step}) answered an HTML page (status {}, title {title:?}) at {}: a wrong base URL, a login portal or a proxy?",
                response.status,
                self.redactor.url(request.display_url())
            )));
        }
        Ok(response)
    }

    /// Credentials a service refused end the run: nothing after them would say anything.
    pub fn refused(service: &str, step: &str, status: u16) -> ProbeError {
        ProbeError::Service(format!(
            "{service} ({step}) refused the credentials (status {status}): check the configuration"
        ))
    }
}

/// The page's title when the answer is HTML.
fn html_page(response: &ApiResponse) -> Option<String> {
    let declared = response.header("content-type").is_some_and(|t| t.to_ascii_lowercase().contains("text/html"));
    let text = String::from_utf8_lossy(&response.body);
    let looks = text.trim_start().starts_with('<');
    if !declared && !looks {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let title = match (lower.find("<title>"), lower.find("</title>")) {
        (Some(a), Some(b)) if b > a + 7 => text[a + 7..b].trim().to_owned(),
        _ => String::new(),
    };
    Some(title)
}

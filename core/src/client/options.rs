//! Options every client takes: where the service is and how it retries.

use crate::api::{Environment, EnvironmentError, RetryPolicy};
use serde::Deserialize;
use std::time::Duration;

/// How a client retries (core's [`RetryPolicy`]; every field optional, its defaults otherwise).
/// `RetryOptions` in TypeScript, the `retry` option of every client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryOptions {
    /// Attempts in all, the first included (at least 1).
    pub max_attempts: Option<u32>,
    /// Timeout of one attempt, in milliseconds.
    pub timeout_ms: Option<u32>,
    pub initial_backoff_ms: Option<u32>,
    pub max_backoff_ms: Option<u32>,
    /// The longest `Retry-After` honoured, in milliseconds.
    pub max_retry_after_ms: Option<u32>,
}

impl RetryOptions {
    pub fn policy(options: Option<&RetryOptions>) -> RetryPolicy {
        let mut p = RetryPolicy::default();
        if let Some(r) = options {
            let ms = |v: Option<u32>, d: Duration| v.map_or(d, |v| Duration::from_millis(u64::from(v.max(1))));
            p.max_attempts = r.max_attempts.unwrap_or(p.max_attempts).max(1);
            p.timeout = ms(r.timeout_ms, p.timeout);
            p.initial_backoff = ms(r.initial_backoff_ms, p.initial_backoff);
            p.max_backoff = ms(r.max_backoff_ms, p.max_backoff);
            p.max_retry_after = ms(r.max_retry_after_ms, p.max_retry_after);
        }
        p
    }
}

/// The `environment` option: `"preprod"`, `"prod"`, or a base URL (`http://127.0.0.1:8080`, the
/// sandbox's). Our choice: one option for both, so that moving a till from the sandbox to the
/// preproduction changes one string.
pub fn environment(text: &str) -> Result<Environment, EnvironmentError> {
    match text {
        "preprod" => Ok(Environment::Preprod),
        "prod" => Ok(Environment::Prod),
        other => crate::api::environment::BaseUrl::parse(other).map(|_| Environment::Custom(other.to_owned())),
    }
}

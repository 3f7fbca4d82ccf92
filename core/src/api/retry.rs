//! The retry rules, as a pure function: every executor (native reqwest, browser fetch, Node)
//! performs the I/O and asks [`decide`] what to do next, so they all behave alike.
//!
//! * Connection refused (the request never left): retried, whatever the request.
//! * 429: retried after `Retry-After` (or the backoff when absent), whatever the request, since
//!   the service refused it unprocessed; a `Retry-After` longer than the policy allows ends the
//!   retries and the 429 is delivered to the parser.
//! * Timeout, connection lost after sending, 5xx: retried only for [`Safety::Idempotent`]
//!   requests. For an unsafe one (a payment) the outcome is unknown: the executor runs its
//!   reconciliation query and resends only if the service says it did not happen
//!   ([`after_reconcile`]); without a query it stops with "outcome unknown" (5xx responses are
//!   delivered, since the spec gives them a meaning).
//! * Backoff: exponential from `initial_backoff`, capped at `max_backoff`, with "equal jitter"
//!   (half fixed, half random), the random part supplied by the executor.

use super::request::{Safety, Verdict};
use std::time::Duration;

/// Timeouts and retry limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts of one request, the first included (reconciliation queries not counted).
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for.
    pub max_retry_after: Duration,
    /// Time limit of each attempt, from sending to the end of the body.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 0.5 s doubling up to 5 s (the values stripe-node ships), 30 s per request.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// A complete response.
    Response { status: u16, retry_after: Option<Duration> },
    /// The connection could not be established: the request was never sent.
    NotSent,
    /// Timed out, or the connection broke, after the request may have been sent.
    MaybeSent,
}

/// What the executor does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hand the response to the endpoint's parser (success or final typed error).
    Deliver,
    /// Send the same request again after this delay.
    Retry { after: Duration },
    /// Run the request's reconciliation query, then call [`after_reconcile`].
    Reconcile,
    /// Stop: the request may have been processed and nothing can tell (never resend it blindly).
    OutcomeUnknown,
    /// Stop: the attempts are used up and the request was not processed.
    GiveUp,
}

/// The backoff before attempt `attempt + 1`; `jitter` in `[0, 1)`.
pub fn backoff(policy: &RetryPolicy, attempt: u32, jitter: f64) -> Duration {
    let exp = attempt.saturating_sub(1).min(16);
    let base = policy.initial_backoff.saturating_mul(1u32 << exp).min(policy.max_backoff);
    let j = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    base.mul_f64(0.5 + 0.5 * j)
}

/// Decides after attempt number `attempt` (1-based) ended with `outcome`.
pub fn decide(policy: &RetryPolicy, safety: &Safety, attempt: u32, outcome: AttemptOutcome, jitter: f64) -> Decision {
    let more = attempt < policy.max_attempts;
    let retry = Decision::Retry { after: backoff(policy, attempt, jitter) };
    let reconcilable = matches!(safety, Safety::Unsafe(op) if op.reconcile.is_some());
    match (outcome, safety) {
        (AttemptOutcome::Response { status: 429, retry_after }, _) => {
            if !more {
                return Decision::Deliver;
            }
            match retry_after {
                Some(d) if d > policy.max_retry_after => Decision::Deliver,
                Some(d) => Decision::Retry { after: d },
                None => retry,
            }
        }
        (AttemptOutcome::Response { status, .. }, Safety::Idempotent) if status >= 500 => {
            if more {
                retry
            } else {
                Decision::Deliver
            }
        }
        (AttemptOutcome::Response { status, .. }, Safety::Unsafe(_)) if status >= 500 && reconcilable => {
            Decision::Reconcile
        }
        (AttemptOutcome::Response { .. }, _) => Decision::Deliver,
        (AttemptOutcome::NotSent, _) => {
            if more {
                retry
            } else {
                Decision::GiveUp
            }
        }
        (AttemptOutcome::MaybeSent, Safety::Idempotent) => {
            if more {
                retry
            } else {
                Decision::GiveUp
            }
        }
        (AttemptOutcome::MaybeSent, Safety::Unsafe(_)) => {
            if reconcilable {
                Decision::Reconcile
            } else {
                Decision::OutcomeUnknown
            }
        }
    }
}

/// Decides after a reconciliation query of attempt `attempt` returned `verdict` (`None` when the
/// query itself could not be completed).
pub fn after_reconcile(policy: &RetryPolicy, attempt: u32, verdict: Option<&Verdict>, jitter: f64) -> Decision {
    match verdict {
        Some(Verdict::Applied(_)) => Decision::Deliver,
        Some(Verdict::NotApplied) if attempt < policy.max_attempts => {
            Decision::Retry { after: backoff(policy, attempt, jitter) }
        }
        Some(Verdict::NotApplied) => Decision::GiveUp,
        Some(Verdict::Unknown(_)) | None => Decision::OutcomeUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::{ApiRequest, Method};
    use crate::api::response::ApiResponse;

    fn judge(_: u16, _: &[(String, String)], _: &[u8]) -> Verdict {
        Verdict::NotApplied
    }

    fn policy() -> RetryPolicy {
        RetryPolicy { max_attempts: 3, ..RetryPolicy::default() }
    }

    fn unsafe_reconcilable() -> Safety {
        Safety::reconcilable("ref-1", ApiRequest::new("q", Method::Get, "http://127.0.0.1/q".into()), judge)
    }

    const R500: AttemptOutcome = AttemptOutcome::Response { status: 500, retry_after: None };

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let p = policy();
        assert_eq!(backoff(&p, 1, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(&p, 1, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(&p, 2, 1.0), Duration::from_millis(1000));
        assert_eq!(backoff(&p, 10, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(&p, 40, f64::NAN), Duration::from_millis(2500));
    }

    #[test]
    fn idempotent_requests_retry_on_everything_transient() {
        let s = Safety::Idempotent;
        let p = policy();
        assert!(matches!(decide(&p, &s, 1, R500, 0.5), Decision::Retry { .. }));
        assert_eq!(decide(&p, &s, 3, R500, 0.5), Decision::Deliver);
        assert!(matches!(decide(&p, &s, 1, AttemptOutcome::MaybeSent, 0.5), Decision::Retry { .. }));
        assert_eq!(decide(&p, &s, 3, AttemptOutcome::MaybeSent, 0.5), Decision::GiveUp);
        assert_eq!(
            decide(&p, &s, 1, AttemptOutcome::Response { status: 404, retry_after: None }, 0.5),
            Decision::Deliver
        );
        assert_eq!(
            decide(&p, &s, 1, AttemptOutcome::Response { status: 200, retry_after: None }, 0.5),
            Decision::Deliver
        );
    }

    #[test]
    fn retry_after_is_honoured_or_refused() {
        let p = policy();
        let s = unsafe_reconcilable();
        let r = |d| AttemptOutcome::Response { status: 429, retry_after: Some(Duration::from_secs(d)) };
        assert_eq!(decide(&p, &s, 1, r(7), 0.0), Decision::Retry { after: Duration::from_secs(7) });
        assert_eq!(decide(&p, &s, 1, r(3600), 0.0), Decision::Deliver);
        assert_eq!(decide(&p, &s, 3, r(1), 0.0), Decision::Deliver);
    }

    #[test]
    fn payments_are_never_resent_blindly() {
        let p = policy();
        let with_query = unsafe_reconcilable();
        let without = Safety::unsafe_op("cid-1");
        assert_eq!(decide(&p, &with_query, 1, AttemptOutcome::MaybeSent, 0.5), Decision::Reconcile);
        assert_eq!(decide(&p, &with_query, 1, R500, 0.5), Decision::Reconcile);
        assert_eq!(decide(&p, &without, 1, AttemptOutcome::MaybeSent, 0.5), Decision::OutcomeUnknown);
        assert_eq!(decide(&p, &without, 1, R500, 0.5), Decision::Deliver);
        // Never sent: retrying is safe.
        assert!(matches!(decide(&p, &without, 1, AttemptOutcome::NotSent, 0.5), Decision::Retry { .. }));
        assert_eq!(decide(&p, &without, 3, AttemptOutcome::NotSent, 0.5), Decision::GiveUp);
    }

    #[test]
    fn reconciliation_verdicts() {
        let p = policy();
        let applied = Verdict::Applied(ApiResponse::json(200, b"{}".to_vec()));
        assert_eq!(after_reconcile(&p, 1, Some(&applied), 0.5), Decision::Deliver);
        assert!(matches!(after_reconcile(&p, 1, Some(&Verdict::NotApplied), 0.5), Decision::Retry { .. }));
        assert_eq!(after_reconcile(&p, 3, Some(&Verdict::NotApplied), 0.5), Decision::GiveUp);
        assert_eq!(after_reconcile(&p, 1, Some(&Verdict::Unknown("pending".into())), 0.5), Decision::OutcomeUnknown);
        assert_eq!(after_reconcile(&p, 1, None, 0.5), Decision::OutcomeUnknown);
    }
}

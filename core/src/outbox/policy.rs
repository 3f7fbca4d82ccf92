//! How long a ticket waits before its next send after a failure.
//!
//! The formula is the executor's ([`crate::api::retry::backoff`]: exponential, capped, "equal
//! jitter"), so every retry in crous-till grows alike. The values are longer: one outbox attempt
//! is a whole call that already made the executor's own quick retries (3 sends over ~1.5 s), and
//! the outbox keeps going across reloads and days, "until the Crous API accepts it" (issue 6),
//! with no attempt limit: a ticket is never given up.

use crate::api::retry::{backoff, RetryPolicy};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxPolicy {
    /// Wait after the first failed send (halved to doubled by jitter as in the executor).
    pub initial_backoff: Duration,
    /// The longest wait between two sends of a ticket.
    pub max_backoff: Duration,
    /// A `Retry-After` (429) is honoured up to this.
    pub max_retry_after: Duration,
}

impl Default for OutboxPolicy {
    /// 5 s doubling up to 5 min: a network back within minutes drains the queue within minutes,
    /// and a Crous down for a day gets ~12 sends an hour per till, not a flood.
    fn default() -> Self {
        OutboxPolicy {
            initial_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(300),
            max_retry_after: Duration::from_secs(3600),
        }
    }
}

impl OutboxPolicy {
    /// The wait after failed send number `attempts` (1-based); `jitter` in `[0, 1)`.
    pub fn delay(&self, attempts: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let policy = RetryPolicy {
            initial_backoff: self.initial_backoff,
            max_backoff: self.max_backoff,
            ..RetryPolicy::default()
        };
        let wait = backoff(&policy, attempts.max(1), jitter);
        match retry_after {
            Some(after) => wait.max(after.min(self.max_retry_after)),
            None => wait,
        }
    }
}

/// `now + delay` in milliseconds, saturating.
pub(crate) fn later(now: u64, delay: Duration) -> u64 {
    now.saturating_add(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_honours_retry_after() {
        let p = OutboxPolicy::default();
        assert_eq!(p.delay(1, None, 1.0), Duration::from_secs(5));
        assert_eq!(p.delay(1, None, 0.0), Duration::from_millis(2500));
        assert_eq!(p.delay(3, None, 1.0), Duration::from_secs(20));
        assert_eq!(p.delay(30, None, 1.0), Duration::from_secs(300));
        assert_eq!(p.delay(1, Some(Duration::from_secs(60)), 1.0), Duration::from_secs(60));
        assert_eq!(p.delay(1, Some(Duration::from_secs(86_400)), 1.0), Duration::from_secs(3600));
        assert_eq!(later(u64::MAX - 1, Duration::from_secs(1)), u64::MAX);
    }
}

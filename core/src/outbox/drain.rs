//! One drain of an outbox, as both bindings' `pump()` run it: what to do after each step.
//! The bindings only perform it (await their store, send through the client).

use super::queue::Next;

/// What a drain does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainStep {
    /// Ask the Crous client for a new token, then tell the outbox (`authenticated`).
    Authenticate,
    /// Begin the due ticket's send.
    Send,
    /// Nothing more now: idle, waiting for a backoff, or a sender already at work.
    Stop,
}

/// A drain in progress. It authenticates again at most once: a route that refuses even a fresh
/// token waits for the next pump rather than making the drain hammer the service.
#[derive(Debug, Default)]
pub struct Drain {
    renewed: bool,
}

impl Drain {
    pub fn new() -> Self {
        Drain::default()
    }

    /// The next step, for what [`super::Outbox::next_to_send`] says now.
    pub fn step(&mut self, next: &Next<'_>) -> DrainStep {
        match next {
            Next::Authenticate if !self.renewed => {
                self.renewed = true;
                DrainStep::Authenticate
            }
            Next::Due(_) => DrainStep::Send,
            Next::Authenticate | Next::Idle | Next::InFlight(_) | Next::WaitUntil { .. } => DrainStep::Stop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_new_token_per_drain() {
        let mut drain = Drain::new();
        assert_eq!(drain.step(&Next::Authenticate), DrainStep::Authenticate);
        assert_eq!(drain.step(&Next::Authenticate), DrainStep::Stop, "refused again: wait for the next pump");
        assert_eq!(drain.step(&Next::Idle), DrainStep::Stop);
        assert_eq!(Drain::new().step(&Next::Authenticate), DrainStep::Authenticate, "a new pump tries again");
    }
}

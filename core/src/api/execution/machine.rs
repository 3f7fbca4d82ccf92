//! [`Execution`]: the retry loop of one call, with no I/O and no clock. See the module docs.

use super::errors::{Delivered, ExecutorError};
use crate::api::request::{ApiRequest, Reconcile, Safety, Verdict};
use crate::api::response::{retry_after, ApiResponse};
use crate::api::retry::{after_reconcile, decide, AttemptOutcome, Decision, RetryPolicy};
use std::time::Duration;

/// How one send ended, as the executor saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Transported {
    /// A complete response (any status).
    Response(ApiResponse),
    /// No connection could be made: the request never left, so resending it is always safe.
    NotSent { message: String },
    /// Timed out, or the connection broke, after the request may have left.
    MaybeSent { timed_out: bool, message: String },
}

/// What the executor reports to [`Execution::advance`].
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// First call.
    Start,
    /// The request of the last [`Action::Send`] ended so.
    Sent(Transported),
    /// The last [`Action::Sleep`] is over.
    Slept,
}

/// What the executor must do next.
#[derive(Debug)]
pub enum Action<'r> {
    /// Send this request (the call's own, or its reconciliation query) once, within the policy's
    /// timeout, then report [`Event::Sent`].
    Send(&'r ApiRequest),
    /// Wait this long, then report [`Event::Slept`].
    Sleep(Duration),
    /// Finished: hand the response to the endpoint's parser, or report the error.
    Done(Result<Delivered, ExecutorError>),
}

#[derive(Clone, Copy)]
enum Phase<'r> {
    NotStarted,
    /// The call's own request is out.
    Sending,
    /// Waiting before resending the call's own request.
    Backoff,
    /// The reconciliation query is out (`attempt` of the query's own retries).
    Querying {
        rec: &'r Reconcile,
        attempt: u32,
    },
    /// Waiting before resending the reconciliation query.
    QueryBackoff {
        rec: &'r Reconcile,
        attempt: u32,
    },
    Finished,
}

/// The state of one call. Feed it events until it answers [`Action::Done`].
pub struct Execution<'r> {
    policy: RetryPolicy,
    request: &'r ApiRequest,
    /// Sends of the call's own request so far.
    attempt: u32,
    phase: Phase<'r>,
}

impl<'r> Execution<'r> {
    pub fn new(policy: RetryPolicy, request: &'r ApiRequest) -> Self {
        Execution { policy, request, attempt: 0, phase: Phase::NotStarted }
    }

    pub fn request(&self) -> &'r ApiRequest {
        self.request
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Moves on after `event`; `jitter` is a random number in `[0, 1)` for the backoff.
    /// An event that does not fit the last action (a bug in the executor) ends the call with
    /// [`ExecutorError::InvalidRequest`].
    pub fn advance(&mut self, event: Event, jitter: f64) -> Action<'r> {
        match (self.phase, event) {
            (Phase::NotStarted, Event::Start) | (Phase::Backoff, Event::Slept) => {
                self.attempt += 1;
                self.phase = Phase::Sending;
                Action::Send(self.request)
            }
            (Phase::Sending, Event::Sent(t)) => self.after_send(t, jitter),
            (Phase::Querying { rec, attempt }, Event::Sent(t)) => self.after_query(rec, attempt, t, jitter),
            (Phase::QueryBackoff { rec, attempt }, Event::Slept) => {
                self.phase = Phase::Querying { rec, attempt: attempt + 1 };
                Action::Send(&rec.query)
            }
            (Phase::Finished, _) => Action::Done(Err(self.invalid("the call is already finished"))),
            _ => self.finish(Err(self.invalid("event out of order"))),
        }
    }

    fn after_send(&mut self, sent: Transported, jitter: f64) -> Action<'r> {
        match decide(&self.policy, &self.request.safety, self.attempt, outcome(&sent), jitter) {
            Decision::Deliver => match sent {
                Transported::Response(response) => self.delivered(response, false),
                failure => self.finish(Err(self.gave_up(failure))),
            },
            Decision::Retry { after } => {
                self.phase = Phase::Backoff;
                Action::Sleep(after)
            }
            Decision::GiveUp => {
                let error = match sent {
                    Transported::Response(_) => ExecutorError::Connection {
                        endpoint: self.request.endpoint,
                        attempts: self.attempt,
                        message: "retries exhausted".into(),
                    },
                    failure => self.gave_up(failure),
                };
                self.finish(Err(error))
            }
            Decision::OutcomeUnknown => {
                let reason = match &sent {
                    Transported::NotSent { message } | Transported::MaybeSent { message, .. } => message.clone(),
                    Transported::Response(r) => format!("status {}", r.status),
                };
                self.finish(Err(self.unknown(reason)))
            }
            Decision::Reconcile => match &self.request.safety {
                Safety::Unsafe(op) => match &op.reconcile {
                    Some(rec) => {
                        self.phase = Phase::Querying { rec, attempt: 1 };
                        Action::Send(&rec.query)
                    }
                    None => self.finish(Err(self.unknown("no reconciliation query".into()))),
                },
                Safety::Idempotent => self.finish(Err(self.unknown("reconciliation asked for a safe request".into()))),
            },
        }
    }

    /// The query is retried by the rules of its own safety (always idempotent); once it has an
    /// answer, or has failed for good, its judge's verdict decides the call's fate.
    fn after_query(&mut self, rec: &'r Reconcile, attempt: u32, sent: Transported, jitter: f64) -> Action<'r> {
        let verdict = match decide(&self.policy, &rec.query.safety, attempt, outcome(&sent), jitter) {
            Decision::Retry { after } => {
                self.phase = Phase::QueryBackoff { rec, attempt };
                return Action::Sleep(after);
            }
            Decision::Deliver => match &sent {
                Transported::Response(r) => Some((rec.judge)(r.status, &r.headers, &r.body)),
                _ => None,
            },
            Decision::GiveUp | Decision::OutcomeUnknown | Decision::Reconcile => None,
        };
        match after_reconcile(&self.policy, self.attempt, verdict.as_ref(), jitter) {
            Decision::Deliver => match verdict {
                Some(Verdict::Applied(response)) => self.delivered(response, true),
                _ => self.finish(Err(self.unknown("reconciliation gave no answer".into()))),
            },
            Decision::Retry { after } => {
                self.phase = Phase::Backoff;
                Action::Sleep(after)
            }
            Decision::GiveUp => {
                let reference = self.reference();
                let error =
                    ExecutorError::NotProcessed { endpoint: self.request.endpoint, attempts: self.attempt, reference };
                self.finish(Err(error))
            }
            Decision::OutcomeUnknown | Decision::Reconcile => {
                let reason = match verdict {
                    Some(Verdict::Unknown(why)) => format!("reconciliation settled nothing: {why}"),
                    None => "the reconciliation query failed".into(),
                    Some(_) => "reconciliation inconclusive".into(),
                };
                self.finish(Err(self.unknown(reason)))
            }
        }
    }

    fn delivered(&mut self, response: ApiResponse, reconciled: bool) -> Action<'r> {
        let attempts = self.attempt;
        self.finish(Ok(Delivered { response, attempts, reconciled }))
    }

    fn finish(&mut self, result: Result<Delivered, ExecutorError>) -> Action<'r> {
        self.phase = Phase::Finished;
        Action::Done(result)
    }

    fn reference(&self) -> String {
        match &self.request.safety {
            Safety::Unsafe(op) => op.reference.clone(),
            Safety::Idempotent => String::new(),
        }
    }

    fn unknown(&self, reason: String) -> ExecutorError {
        ExecutorError::OutcomeUnknown {
            endpoint: self.request.endpoint,
            attempts: self.attempt,
            reference: self.reference(),
            reason,
        }
    }

    fn gave_up(&self, failure: Transported) -> ExecutorError {
        let (endpoint, attempts) = (self.request.endpoint, self.attempt);
        match failure {
            Transported::MaybeSent { timed_out: true, .. } => ExecutorError::Timeout { endpoint, attempts },
            Transported::NotSent { message } | Transported::MaybeSent { message, .. } => {
                ExecutorError::Connection { endpoint, attempts, message }
            }
            Transported::Response(r) => {
                ExecutorError::Connection { endpoint, attempts, message: format!("status {}", r.status) }
            }
        }
    }

    fn invalid(&self, message: &str) -> ExecutorError {
        ExecutorError::InvalidRequest { endpoint: self.request.endpoint, message: message.into() }
    }
}

fn outcome(sent: &Transported) -> AttemptOutcome {
    match sent {
        Transported::Response(r) => AttemptOutcome::Response { status: r.status, retry_after: retry_after(&r.headers) },
        Transported::NotSent { .. } => AttemptOutcome::NotSent,
        Transported::MaybeSent { .. } => AttemptOutcome::MaybeSent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    fn get() -> ApiRequest {
        ApiRequest::new("test.get", Method::Get, "http://127.0.0.1:9/get".into())
    }

    fn judge(status: u16, _: &[(String, String)], body: &[u8]) -> Verdict {
        match status {
            200 => Verdict::Applied(ApiResponse::json(201, body.to_vec())),
            404 => Verdict::NotApplied,
            _ => Verdict::Unknown(format!("status {status}")),
        }
    }

    fn payment() -> ApiRequest {
        let query = ApiRequest::new("test.lookup", Method::Get, "http://127.0.0.1:9/lookup".into());
        ApiRequest::new("test.pay", Method::Post, "http://127.0.0.1:9/pay".into())
            .with_safety(Safety::reconcilable("ref-1", query, judge))
    }

    fn reply(status: u16) -> Transported {
        Transported::Response(ApiResponse::json(status, b"{}".to_vec()))
    }

    fn lost() -> Transported {
        Transported::MaybeSent { timed_out: true, message: "timed out".into() }
    }

    /// Runs `request` against `script` (one outcome per send, in order); returns the result and
    /// the endpoints sent.
    fn run(request: &ApiRequest, script: Vec<Transported>) -> (Result<Delivered, ExecutorError>, Vec<&'static str>) {
        let mut script = script.into_iter();
        let mut exec = Execution::new(RetryPolicy::default(), request);
        let mut sent = Vec::new();
        let mut event = Event::Start;
        loop {
            match exec.advance(event, 0.5) {
                Action::Send(r) => {
                    sent.push(r.endpoint);
                    event = Event::Sent(script.next().expect("the script ran out"));
                }
                Action::Sleep(_) => event = Event::Slept,
                Action::Done(result) => {
                    assert!(script.next().is_none(), "sends were left in the script");
                    return (result, sent);
                }
            }
        }
    }

    #[test]
    fn a_safe_request_is_resent_until_it_gets_an_answer() {
        let (r, sent) = run(&get(), vec![reply(503), lost(), reply(200)]);
        assert_eq!(r.unwrap().attempts, 3);
        assert_eq!(sent, ["test.get"; 3]);
    }

    #[test]
    fn a_safe_request_that_keeps_timing_out_reports_a_timeout() {
        let (r, _) = run(&get(), vec![lost(), lost(), lost()]);
        assert_eq!(r.unwrap_err(), ExecutorError::Timeout { endpoint: "test.get", attempts: 3 });
    }

    #[test]
    fn a_lost_payment_is_looked_up_and_resent_only_when_it_did_not_happen() {
        let (r, sent) = run(&payment(), vec![lost(), reply(404), reply(201)]);
        let d = r.unwrap();
        assert_eq!((d.attempts, d.reconciled, d.response.status), (2, false, 201));
        assert_eq!(sent, ["test.pay", "test.lookup", "test.pay"]);
    }

    #[test]
    fn a_lost_payment_that_happened_is_delivered_from_the_lookup() {
        let (r, sent) = run(&payment(), vec![reply(500), reply(200)]);
        let d = r.unwrap();
        assert_eq!((d.attempts, d.reconciled, d.response.status), (1, true, 201));
        assert_eq!(sent, ["test.pay", "test.lookup"]);
    }

    #[test]
    fn a_failing_lookup_is_retried_then_leaves_the_outcome_unknown() {
        let (r, sent) = run(&payment(), vec![lost(), reply(503), reply(503), reply(503)]);
        assert!(
            matches!(r, Err(ExecutorError::OutcomeUnknown { attempts: 1, ref reference, .. }) if reference == "ref-1")
        );
        assert_eq!(sent, ["test.pay", "test.lookup", "test.lookup", "test.lookup"]);
    }

    #[test]
    fn a_payment_without_lookup_is_never_resent_after_a_timeout() {
        let request = ApiRequest::new("test.pay", Method::Post, "http://127.0.0.1:9/pay".into())
            .with_safety(Safety::unsafe_op("cid-9"));
        let (r, sent) = run(&request, vec![lost()]);
        assert!(matches!(r, Err(ExecutorError::OutcomeUnknown { attempts: 1, .. })));
        assert_eq!(sent, ["test.pay"]);
        // ...but one that never left is resent.
        let refused = Transported::NotSent { message: "connection refused".into() };
        let (r, _) = run(&request, vec![refused, reply(200)]);
        assert_eq!(r.unwrap().attempts, 2);
    }

    #[test]
    fn the_not_applied_verdict_on_the_last_attempt_is_not_processed() {
        let (r, _) = run(&payment(), vec![lost(), reply(404), lost(), reply(404), lost(), reply(404)]);
        assert!(matches!(r, Err(ExecutorError::NotProcessed { attempts: 3, .. })));
    }

    #[test]
    fn events_out_of_order_end_the_call_with_a_typed_error() {
        let request = get();
        let mut exec = Execution::new(RetryPolicy::default(), &request);
        assert!(matches!(exec.advance(Event::Slept, 0.5), Action::Done(Err(ExecutorError::InvalidRequest { .. }))));
        assert!(matches!(exec.advance(Event::Start, 0.5), Action::Done(Err(ExecutorError::InvalidRequest { .. }))));
    }
}

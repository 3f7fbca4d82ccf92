//! One call's retries and reconciliation as a sans-I/O state machine ([`Execution`]), and the
//! results and errors every executor reports.
//!
//! The rules themselves are in [`super::retry`]; this module sequences them: send, read the
//! outcome, wait, resend, or ask the reconciliation query and judge its answer. An executor only
//! performs what [`Action`] says (send one request, sleep) and feeds back what happened
//! ([`Event`]), so the native (reqwest), browser (fetch) and Node executors cannot drift apart:
//!
//! ```
//! # use crous_till_core::api::execution::{Action, Event, Execution, Transported};
//! # use crous_till_core::api::{ApiRequest, ApiResponse, Method, RetryPolicy};
//! # let request = ApiRequest::new("demo", Method::Get, "http://127.0.0.1:9/x".into());
//! # let send = |_: &ApiRequest| Transported::Response(ApiResponse::json(200, b"[]".to_vec()));
//! let mut execution = Execution::new(RetryPolicy::default(), &request);
//! let mut event = Event::Start;
//! let delivered = loop {
//!     match execution.advance(event, 0.5 /* jitter in [0, 1) */) {
//!         Action::Send(r) => event = Event::Sent(send(r)),
//!         Action::Sleep(_duration) => event = Event::Slept, // an executor awaits its timer here
//!         Action::Done(result) => break result,
//!     }
//! };
//! assert_eq!(delivered.unwrap().attempts, 1);
//! ```

mod errors;
mod machine;

pub use errors::{CallError, Called, Delivered, ExecutorError};
pub use machine::{Action, Event, Execution, Transported};

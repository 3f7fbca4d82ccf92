//! Every remote API of the specs as sans-I/O request builders and response parsers.
//!
//! * A builder is a pure function returning an [`ApiRequest`] (method, URL, headers, body) that
//!   also says whether it may be resent ([`Safety`]): browser `fetch`, Node and native Rust send
//!   the very same value.
//! * A parser takes `(status, headers, body bytes)` and returns a typed result or the service's
//!   typed error; malformed JSON is an error value, never a panic.
//! * [`retry::decide`] holds the retry rules every executor follows; [`execution::Execution`]
//!   sequences them for one call, still without I/O; `executor` (feature `native-executor`) is
//!   the native one, on reqwest and tokio, and the wasm and Node bindings drive the same machine.
//!
//! Services: [`crous`] (specs 001 + public-facts.md), [`izly_pos`] (specs 001), [`izly_connect`]
//! and [`izly_pay`] (specs 002/003), [`esipay`] (specs 004). What the specs fixed and what we
//! chose is listed per service in docs/api-choices.md, with the one file holding each choice.

pub mod card_number;
pub mod crous;
pub mod encoding;
pub mod environment;
pub mod esipay;
pub mod execution;
#[cfg(feature = "native-executor")]
pub mod executor;
pub mod izly_connect;
pub mod izly_pay;
pub mod izly_pos;
pub mod request;
pub mod response;
pub mod retry;
pub mod xpollens;

pub use card_number::CardNumber;
pub use environment::{BaseUrl, Environment, EnvironmentError};
pub use request::{ApiRequest, Method, Reconcile, Safety, UnsafeOp, Verdict};
pub use response::{ApiResponse, Parser};
pub use retry::RetryPolicy;
pub use xpollens::XpollensError;

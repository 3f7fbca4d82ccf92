//! Values between JavaScript and core, and errors as JavaScript `Error`s with a stable `code`.
//!
//! Results cross as JS values: a `serde_json::Value` tree (money as strings there, see core's
//! `exact_decimal::as_strings`) that napi turns into objects; arguments are read by core's
//! `js_reader` (see [`from_js`]): no JSON text either way. Core's serde types are the one
//! definition of every shape.
//! Money is exact both ways: an amount is read from a JS number through its shortest round-trip
//! text (`1.1`: the decimal the caller wrote) or from a decimal string (`"3.30"`), and written as a
//! decimal string with its scale (`"3.30"`), which every amount fits, unlike a JS number.

use napi::bindgen_prelude::{JsObjectValue, JsValue, PromiseRaw, ToNapiValue, Unknown};
use napi::{Env, Status, ValueType};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::future::Future;

/// An error on its way to JavaScript: core's one shape for both packages (`code`, `message`,
/// `details`), thrown as a `CrousTillError`.
pub use crous_till_core::client::Failure;

/// What opened a till, in its start events (the technical event journal).
pub const PROGRAM: &str = concat!("crous-till-node ", env!("CARGO_PKG_VERSION"));

/// Turns a [`Failure`] into the napi error that throws or rejects with exactly that object.
pub trait IntoNapi {
    fn into_napi(self, env: &Env) -> napi::Error;
}

impl IntoNapi for Failure {
    /// The JS `Error` (name `CrousTillError`, `code`, `details`).
    fn into_napi(self, env: &Env) -> napi::Error {
        let fallback = napi::Error::new(Status::GenericFailure, format!("{}: {}", self.code, self.message));
        build(self, env).unwrap_or(fallback)
    }
}

fn build(f: Failure, env: &Env) -> napi::Result<napi::Error> {
    let mut error = env.create_error(napi::Error::new(Status::GenericFailure, f.message))?;
    error.set_named_property("name", "CrousTillError")?;
    error.set_named_property("code", f.code)?;
    if let Some(d) = f.details {
        error.set_named_property("details", d)?;
    }
    Ok(napi::Error::from(error.to_unknown()))
}

pub type Outcome<T> = Result<T, Failure>;

/// Runs `future` on the addon's tokio runtime and returns a Promise of its result (a JSON value,
/// or `()` for `undefined`); a [`Failure`] rejects it with a `CrousTillError`.
pub fn promise<'e, T, F>(env: &'e Env, future: F) -> napi::Result<PromiseRaw<'e, T>>
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = Outcome<T>> + Send + 'static,
{
    env.spawn_future_with_callback(async move { Ok(future.await) }, |env, outcome| {
        outcome.map_err(|f| f.into_napi(env))
    })
}

/// A Promise of an outcome already known: the store's commit is done before it resolves. The
/// browser package's store is asynchronous (IndexedDB), so both packages answer these calls with
/// a Promise and a till is written once for both.
pub fn settled<'e, T: ToNapiValue + Send + 'static>(
    env: &'e Env,
    outcome: Outcome<T>,
) -> napi::Result<PromiseRaw<'e, T>> {
    promise(env, async move { outcome })
}

/// A Promise rejected with `failure`: async methods report bad input by rejecting, never by
/// throwing, so `.catch()` and `await` see every failure the same way.
pub fn rejected<'e, T: ToNapiValue + 'static>(env: &'e Env, failure: Failure) -> napi::Result<PromiseRaw<'e, T>> {
    env.spawn_future_with_callback(async { Ok(()) }, move |env, ()| Err(failure.into_napi(env)))
}

/// The value of a prepared input, or (from the enclosing async method) a rejected Promise.
#[macro_export]
macro_rules! ready {
    ($env:expr, $outcome:expr $(,)?) => {
        match $outcome {
            Ok(v) => v,
            Err(f) => return $crate::js::rejected($env, f),
        }
    };
}

/// A synchronous result for a `#[napi]` function: a [`Failure`] throws a `CrousTillError`.
pub fn sync<T>(env: &Env, outcome: Outcome<T>) -> napi::Result<T> {
    outcome.map_err(|f| f.into_napi(env))
}

/// Reads argument `what` into a core type through core's `js_reader` over raw napi calls (no JSON
/// text: every own key read, `undefined` absent, `toJSON` honoured); `undefined` is
/// `input.missing`, a value of the wrong shape `input.invalid`, naming the argument and serde's
/// reason.
pub fn from_js<T: DeserializeOwned>(env: &Env, value: Unknown, what: &str) -> Outcome<T> {
    let shape = value.get_type().map_err(|e| Failure::new("input.invalid", format!("{what}: {e}")))?;
    if shape == ValueType::Undefined {
        return Err(Failure::new("input.missing", format!("{what} is missing")));
    }
    // SAFETY: `value` is an argument of the running call, live while it is read here.
    let source = unsafe { crate::js_value::NapiValue::new(env.raw(), value.raw()) };
    crous_till_core::js_reader::read(source).map_err(|e| Failure::new("input.invalid", format!("{what}: {e}")))
}

/// Reads an optional argument (`undefined` or `null` is `None`).
pub fn from_js_opt<T: DeserializeOwned>(env: &Env, value: Option<Unknown>, what: &str) -> Outcome<Option<T>> {
    match value {
        None => Ok(None),
        Some(v) if matches!(v.get_type(), Ok(ValueType::Undefined | ValueType::Null)) => Ok(None),
        Some(v) => from_js(env, v, what).map(Some),
    }
}

/// A value for JavaScript, money as exact decimal strings.
pub fn to_js<T: Serialize>(value: &T) -> Outcome<Value> {
    crous_till_core::exact_decimal::as_strings(|| serde_json::to_value(value))
        .map_err(|e| Failure::new("internal.serialize", e.to_string()))
}

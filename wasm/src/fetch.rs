//! The fetch executor: sends core's request values with the global `fetch` (browser, worker or
//! Node 18+), doing what core's retry state machine ([`Execution`]) decides. It adds nothing to
//! the rules: a timeout per attempt (an `AbortController`), backoff sleeps (`setTimeout`), jitter
//! (`Math.random`).
//!
//! `fetch` rejects with the same `TypeError` whether the connection was refused or broke after the
//! request left, so every transport failure is reported as "maybe sent": safe requests are resent,
//! payments are looked up before anything is resent (core's reconciliation), never resent blindly.

use crous_till_core::api::execution::{Action, Delivered, Event, Execution, ExecutorError, Transported};
use crous_till_core::api::{ApiRequest, ApiResponse, RetryPolicy};
use crous_till_core::client::{Failure, Transport};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Core's [`Transport`] in the browser: `fetch` under one client's retry policy.
#[derive(Debug, Clone, Copy)]
pub struct FetchTransport {
    pub policy: RetryPolicy,
}

impl Transport for FetchTransport {
    type Future<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Delivered, ExecutorError>> + 'a>>;

    fn execute<'a>(&'a self, request: &'a ApiRequest) -> Self::Future<'a> {
        Box::pin(execute(request, self.policy))
    }
}

/// The transport of a client, under the retry policy its options give.
pub fn transport(policy: RetryPolicy) -> Result<FetchTransport, Failure> {
    Ok(FetchTransport { policy })
}

/// Runs `request` to the end under `policy`.
async fn execute(request: &ApiRequest, policy: RetryPolicy) -> Result<Delivered, ExecutorError> {
    let mut execution = Execution::new(policy, request);
    let mut event = Event::Start;
    loop {
        match execution.advance(event, js_sys::Math::random()) {
            Action::Send(r) => event = Event::Sent(send_once(r, policy.timeout).await),
            Action::Sleep(d) => {
                sleep(d).await;
                event = Event::Slept;
            }
            Action::Done(result) => return result,
        }
    }
}

async fn send_once(request: &ApiRequest, timeout: Duration) -> Transported {
    let controller = match web_sys::AbortController::new() {
        Ok(c) => c,
        Err(_) => return not_sent("AbortController is not available"),
    };
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_signal(Some(&controller.signal()));
    let headers = match web_sys::Headers::new() {
        Ok(h) => h,
        Err(_) => return not_sent("Headers is not available"),
    };
    for (name, value) in &request.headers {
        if headers.append(name, value).is_err() {
            return not_sent(&format!("header {name} refused by fetch"));
        }
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&js_sys::Uint8Array::from(body.as_slice()));
    }
    let timer = Timer::abort_after(&controller, timeout);
    let outcome = fetch_and_read(request.url(), &init).await;
    let timed_out = timer.fired();
    drop(timer);
    match outcome {
        Ok(response) => Transported::Response(response),
        Err(_) if timed_out => Transported::MaybeSent { timed_out: true, message: "timed out".into() },
        Err(message) => Transported::MaybeSent { timed_out: false, message },
    }
}

/// `fetch(url, init)` then the whole body. The error text never holds the URL (a card number may
/// be in one): only the JS error's name and message, which fetch keeps generic.
async fn fetch_and_read(url: &str, init: &web_sys::RequestInit) -> Result<ApiResponse, String> {
    let fetch = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| "no global fetch".to_owned())?;
    let promise = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init).map_err(describe)?;
    let response: web_sys::Response =
        JsFuture::from(js_sys::Promise::from(promise)).await.map_err(describe)?.unchecked_into();
    let status = response.status();
    let mut headers = Vec::new();
    if let Ok(Some(iter)) = js_sys::try_iter(&response.headers()) {
        for pair in iter.flatten() {
            let pair: js_sys::Array = pair.unchecked_into();
            if let (Some(n), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push((n, v));
            }
        }
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(describe)?).await.map_err(describe)?;
    Ok(ApiResponse { status, headers, body: js_sys::Uint8Array::new(&buffer).to_vec() })
}

fn describe(e: JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => format!("{}: {}", String::from(err.name()), String::from(err.message())),
        None => "fetch failed".to_owned(),
    }
}

fn not_sent(message: &str) -> Transported {
    Transported::NotSent { message: message.to_owned() }
}

/// `setTimeout` as a future.
async fn sleep(d: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = set_timeout(&resolve, d);
    });
    let _ = JsFuture::from(promise).await;
}

fn set_timeout(callback: &js_sys::Function, d: Duration) -> Option<JsValue> {
    let global = js_sys::global();
    let set =
        js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let ms = d.as_millis().min(i32::MAX as u128) as f64;
    set.call2(&JsValue::UNDEFINED, callback, &JsValue::from_f64(ms)).ok()
}

/// Aborts a fetch when the attempt's time is up; cleared when dropped.
struct Timer {
    handle: Option<JsValue>,
    fired: std::rc::Rc<std::cell::Cell<bool>>,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn abort_after(controller: &web_sys::AbortController, d: Duration) -> Timer {
        let fired = std::rc::Rc::new(std::cell::Cell::new(false));
        let (flag, controller) = (fired.clone(), controller.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            controller.abort();
        });
        let handle = set_timeout(callback.as_ref().unchecked_ref(), d);
        Timer { handle, fired, _callback: callback }
    }

    fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            let clear = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("clearTimeout"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(clear) = clear {
                let _ = clear.call1(&JsValue::UNDEFINED, &h);
            }
        }
    }
}

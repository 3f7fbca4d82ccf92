//! Fault injection for client tests (`POST /sandbox/faults`): per route, a share of 500s,
//! delays and dropped connections, applied in front of the services (never of `/sandbox/*`).
//!
//! Body: `{"rules":[{"path_prefix":"/api/payments/debit/","method":"POST","error_rate":0.5,
//! "delay_ms":200,"drop_rate":0.0,"drop_after_processing":true,"times":3}]}`. The first rule
//! whose method and path prefix match applies; `times` (optional) is how many more matching
//! requests it applies to. Posting `{"rules":[]}` removes every fault; a reset does too.

use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// `GET` or `POST`; absent: any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Matches paths starting with it, such as `/api/payments/debit/`.
    pub path_prefix: String,
    /// Share (0 to 1) of matching requests answered 500 without being processed.
    #[serde(default)]
    pub error_rate: f64,
    /// Delay before the request is processed.
    #[serde(default)]
    pub delay_ms: u64,
    /// Share (0 to 1) of matching requests whose connection is dropped without a full answer.
    #[serde(default)]
    pub drop_rate: f64,
    /// With a drop: whether the request is processed first (true, the default: the client
    /// cannot know it happened) or not at all.
    #[serde(default = "yes")]
    pub drop_after_processing: bool,
    /// How many more matching requests the rule applies to; absent: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSet {
    pub rules: Vec<FaultRule>,
}

impl FaultSet {
    pub fn validate(&self) -> Result<(), String> {
        for r in &self.rules {
            if !(0.0..=1.0).contains(&r.error_rate)
                || !(0.0..=1.0).contains(&r.drop_rate)
                || r.error_rate + r.drop_rate > 1.0
            {
                return Err("error_rate and drop_rate are shares between 0 and 1, adding up to 1 at most".into());
            }
            crate::util::check_route(r.method.as_deref(), &r.path_prefix)?;
            if r.delay_ms > 120_000 {
                return Err("delay_ms is at most 120000".into());
            }
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub fn set(&self, set: FaultSet) {
        *self.rules.lock().unwrap_or_else(|p| p.into_inner()) = set.rules;
    }

    pub fn get(&self) -> FaultSet {
        FaultSet { rules: self.rules.lock().unwrap_or_else(|p| p.into_inner()).clone() }
    }

    /// The rule for this request, counting one use of it.
    fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        let i = rules.iter().position(|r| crate::util::on_route(r.method.as_deref(), &r.path_prefix, method, path))?;
        let rule = rules[i].clone();
        if let Some(t) = &mut rules[i].times {
            *t = t.saturating_sub(1);
            if *t == 0 {
                rules.remove(i);
            }
        }
        Some(rule)
    }
}

/// A response whose body fails at once: the connection is closed without a complete answer.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by the sandbox"))
    });
    (StatusCode::OK, Body::from_stream(stream)).into_response()
}

fn injected_500(path: &str) -> Response {
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    if path.starts_with("/vem/") {
        crate::crous::error(status, "injected_fault", "fault injected by the sandbox", None)
    } else if path.starts_with("/cardpay/") {
        (status, "fault injected by the sandbox").into_response()
    } else {
        crate::izly_pos::xerror(status, crate::izly_pos::codes::INTERNAL, "Erreur injectée par le bac à sable")
    }
}

pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let Some(rule) = st.faults.take(req.method().as_str(), &path) else {
        return next.run(req).await;
    };
    if rule.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
    }
    let roll = fastrand::f64();
    if roll < rule.drop_rate {
        if rule.drop_after_processing {
            let _ = next.run(req).await;
        }
        return dropped();
    }
    if roll < rule.drop_rate + rule.error_rate {
        return injected_500(&path);
    }
    next.run(req).await
}

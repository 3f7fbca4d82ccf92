//! The demo back end's error answers: `{"code", "message"}` with core's stable codes
//! (`crous_till_core::error_code`), so the page shows the same codes the browser package throws.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use crous_till_core::api::execution::CallError;
use crous_till_core::error_code::ErrorCode;
use serde_json::json;

pub fn answer(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({"code": code, "message": message.to_string()}))).into_response()
}

/// A failed call to a service: 502 when the service answered with an error, 504 when no usable
/// answer came (timeout, connection, outcome unknown).
pub fn from_call<E: ErrorCode + 'static>(error: &CallError<E>) -> Response {
    let status = match error {
        CallError::Api { .. } => StatusCode::BAD_GATEWAY,
        CallError::Executor(_) => StatusCode::GATEWAY_TIMEOUT,
    };
    answer(status, error.code(), error)
}

pub fn not_logged_in() -> Response {
    answer(StatusCode::UNAUTHORIZED, "shop.not_logged_in", "log in with IzlyConnect first")
}

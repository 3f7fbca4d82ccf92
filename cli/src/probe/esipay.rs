//! esipay, only with `--allow-payments`: 0,01 € paid with the test card, then refunded at once.
//! esipay tells the transaction only in its return POST (specs 004: the payment stands only when
//! the return URL answers 200), so the probe listens for it on `returnListen` and answers it with
//! core's `handle_esipay_return` (200 only for this payment's cid and amount). No Izly debit is
//! ever made: Izly POS has no refund in the specs.

use super::choices::Observations;
use super::config;
use super::session::{ProbeError, Session};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use crous_till_core::api::esipay::{parse_status, EsipayApi, ExpectedPayment};
use crous_till_core::client::{handle_esipay_return, ReturnOutcome};
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex};

const SERVICE: &str = "esipay";
const METHOD_ROW: &str = "Method `POST` for all three";
const AMOUNT_ROW: &str = "Amount with `.` and exactly two decimals";
const RETURN_ROW: &str = "Return-URL POST fields `type`, `amount`, `transaction`, `cid`";

/// The rows of docs/api-choices.md this scenario reports on.
#[cfg(test)]
pub(super) const ROWS: [&str; 3] = [METHOD_ROW, AMOUNT_ROW, RETURN_ROW];

pub async fn probe(session: &mut Session, seen: &mut Observations, c: &config::Esipay) -> Result<(), ProbeError> {
    let api =
        EsipayApi::new(&c.environment, &c.uuid).map_err(|e| ProbeError::Config(format!("esipay.environment: {e}")))?;
    let cent = Decimal::new(1, 2);
    let cid = format!("probe{}", fastrand::u64(..));
    let (card, month, year) = &c.card;
    let request = api.pay(&cid, card, *month, *year, cent).map_err(|e| ProbeError::Config(format!("esipay: {e}")))?;

    let returns = listen(c.return_listen, ExpectedPayment { cid: cid.clone(), amount: cent }).await?;
    let answer = session.send(SERVICE, "payment (0,01 €)", &request).await?;
    let returned = returns.lock().unwrap_or_else(|p| p.into_inner()).take();
    match (parse_status(answer.status, &answer.headers, &answer.body), &returned) {
        (Ok(_), Some(outcome)) if outcome.accepted => {}
        (Err(crous_till_core::api::esipay::EsipayError::CallerIpRefused), _) => {
            return Err(Session::refused(SERVICE, "payment", answer.status))
        }
        (paid, _) => {
            if matches!(answer.status, 404 | 405) {
                seen.contradict(METHOD_ROW, "method", "POST taken", format!("status {}", answer.status));
            }
            if let Some(outcome) = returned.filter(|o| !o.accepted) {
                let why = outcome.error.map(|e| format!("{}: {}", e.code, e.message)).unwrap_or_default();
                seen.contradict(RETURN_ROW, "return POST", "type, amount, transaction, cid of this payment", why);
            }
            let detail = paid.map_or_else(|e| e.to_string(), |_| "200 without a return POST".to_owned());
            session
                .created
                .push(format!("esipay payment cid {cid} of 0,01 €: {detail}; no transaction known, nothing to refund"));
            return Err(ProbeError::Service(format!("esipay (payment): {detail}")));
        }
    }
    let notification = returned.and_then(|o| o.notification).expect("an accepted return carries its notification");
    seen.confirm(RETURN_ROW, format!("transaction {} returned for our cid", notification.transaction));
    seen.confirm(AMOUNT_ROW, "0.01 paid and returned as 0.01");
    let refund = api.refund(&notification.transaction).map_err(|e| ProbeError::Config(format!("esipay: {e}")))?;
    let refunded = session.send(SERVICE, "refund", &refund).await?;
    match parse_status(refunded.status, &refunded.headers, &refunded.body) {
        Ok(_) => {
            seen.confirm(METHOD_ROW, "payment and refund answered 200");
            session.created.push(format!(
                "esipay payment cid {cid} of 0,01 €, transaction {}: refunded at once",
                notification.transaction
            ));
            Ok(())
        }
        Err(e) => {
            session.created.push(format!(
                "esipay payment cid {cid} of 0,01 €, transaction {}: NOT refunded ({e}): refund it by hand",
                notification.transaction
            ));
            Err(ProbeError::Service(format!("esipay (refund): {e}")))
        }
    }
}

/// Serves the return POST on `address` in the background; the first one's outcome lands in the
/// returned slot. The listener lives as long as the runtime (the probe's run).
async fn listen(
    address: std::net::SocketAddr,
    expected: ExpectedPayment,
) -> Result<Arc<Mutex<Option<ReturnOutcome>>>, ProbeError> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| ProbeError::Config(format!("esipay.returnListen {address}: {e}")))?;
    let slot = Arc::new(Mutex::new(None));
    let filled = slot.clone();
    let handler = move |headers: HeaderMap, body: Bytes| {
        let (filled, expected) = (filled.clone(), expected.clone());
        async move {
            let pairs: Vec<(String, String)> = headers
                .iter()
                .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str().to_owned(), v.to_owned())))
                .collect();
            let outcome = handle_esipay_return(&pairs, &body, Some(&expected));
            let status = StatusCode::from_u16(outcome.answer.status).unwrap_or(StatusCode::BAD_REQUEST);
            let text = outcome.answer.body.clone();
            filled.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(outcome);
            (status, text)
        }
    };
    let app = axum::Router::new().fallback(axum::routing::post(handler));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(slot)
}

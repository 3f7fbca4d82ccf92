//! IzlyPay, read mostly: an unknown operation read (code 356), then a web payment of 0,01 €
//! initialised and read back by GET. It is never authorised: nobody opens its page, so no money
//! moves; it stays `Waiting` until IzlyPay expires it (it cannot be cancelled), and the probe
//! says so with its identifiers. With the same partner credentials, IzlyConnect's token endpoint
//! is given a code that does not exist: its refusal's shape is checked, and nothing is granted.

use super::choices::Observations;
use super::config;
use super::session::{ProbeError, Session};
use super::shape::failing_field;
use crous_till_core::api::izly_connect::{parse_token, ErrorDetail, IzlyApiKey, IzlyConnectApi, IzlyConnectError};
use crous_till_core::api::izly_pay::{
    parse_init, parse_payment_details, InitPayment, InitResponse, IzlyPayApi, IzlyPayError, WebPaymentDetails,
};
use crous_till_core::api::ApiResponse;
use rust_decimal::Decimal;

const SERVICE: &str = "izlyPay";
const ERRORS_ROW: &str = "Errors: code 356 → `OperationNotFound` whatever the status";
const INIT_ROW: &str = "Init answer: `PaymentAuthorizationUrl`";
const DETAILS_ROW: &str = "Details: `Amount` a number in euros";
const CONNECT_ERRORS_ROW: &str = "Errors: 400 read as OAuth2 `{\"error\",\"error_description\"}`";

/// The rows of docs/api-choices.md this scenario reports on.
#[cfg(test)]
pub(super) const ROWS: [&str; 4] = [ERRORS_ROW, INIT_ROW, DETAILS_ROW, CONNECT_ERRORS_ROW];

pub async fn probe(session: &mut Session, seen: &mut Observations, c: &config::IzlyPay) -> Result<(), ProbeError> {
    let api = IzlyPayApi::new(&c.environment, &c.app_identifier, IzlyApiKey::new(&c.api_key))
        .map_err(|e| ProbeError::Config(format!("izlyPay.environment: {e}")))?;

    let unknown = session.send(SERVICE, "details (unknown operation)", &api.payment_details("999999999999")).await?;
    match parse_payment_details(unknown.status, &unknown.headers, &unknown.body) {
        Err(IzlyPayError::OperationNotFound(_)) => {
            seen.confirm(ERRORS_ROW, format!("an unknown operation: code 356 ({})", unknown.status))
        }
        Err(IzlyPayError::Unauthorized(_) | IzlyPayError::Forbidden(_)) => {
            return Err(Session::refused(SERVICE, "details", unknown.status))
        }
        other => seen.contradict(ERRORS_ROW, "Code", "356 (operation not found)", outcome(&unknown, other.err())),
    }

    connect_refusal(session, seen, c).await?;

    let cent = Decimal::new(1, 2);
    let client_order_id = format!("PROBE-{}", fastrand::u64(..));
    let init = InitPayment {
        amount: cent,
        client_order_id: client_order_id.clone(),
        callback_parameters: None,
        redirect_url_after_payment: None,
        message: Some("crous-till probe: never authorised".into()),
        software: None,
    };
    let request = api.init_payment(&init).map_err(|e| ProbeError::Config(e.to_string()))?;
    let answer = session.send(SERVICE, "init (0,01 €)", &request).await?;
    let operation = match parse_init(answer.status, &answer.headers, &answer.body) {
        Ok(r) => r.operation,
        Err(IzlyPayError::Unauthorized(_) | IzlyPayError::Forbidden(_)) => {
            return Err(Session::refused(SERVICE, "init", answer.status))
        }
        Err(IzlyPayError::Malformed { .. }) => {
            session
                .created
                .push(format!("IzlyPay web payment ClientOrderId {client_order_id} (its answer did not read)"));
            let (field, expected, found) = failing_field::<InitResponse>(&answer.body).unwrap_or_default();
            seen.contradict(INIT_ROW, field, expected, found);
            return Ok(());
        }
        Err(e) => return Err(ProbeError::Service(format!("izlyPay (init): {e}"))),
    };
    session.created.push(format!(
        "IzlyPay web payment of 0,01 €: ClientOrderId {client_order_id}, OperationId {} (never authorised: it stays Waiting until IzlyPay expires it)",
        operation.id
    ));
    match operation.amount == cent {
        true => seen.confirm(INIT_ROW, "OperationSMoney.Amount is the 0.01 € sent"),
        false => seen.contradict(
            INIT_ROW,
            "OperationSMoney.Amount",
            "0.01 (euros: 1 cent was sent)",
            operation.amount.to_string(),
        ),
    }

    let answer = session.send(SERVICE, "details", &api.payment_details(&operation.id)).await?;
    match parse_payment_details(answer.status, &answer.headers, &answer.body) {
        Ok(details) => details_agree(seen, &details, cent, &client_order_id),
        Err(IzlyPayError::Malformed { .. }) => {
            let (field, expected, found) = failing_field::<WebPaymentDetails>(&answer.body).unwrap_or_default();
            seen.contradict(DETAILS_ROW, field, expected, found);
        }
        Err(e) => seen.contradict(DETAILS_ROW, "status", "200 with the operation", outcome(&answer, Some(e))),
    }
    Ok(())
}

/// A code that does not exist, exchanged at IzlyConnect's token endpoint: a 400 in the OAuth2
/// shape (or the Xpollens one) is our choice; a code is single-use, so one that was never issued
/// grants nothing.
async fn connect_refusal(
    session: &mut Session,
    seen: &mut Observations,
    c: &config::IzlyPay,
) -> Result<(), ProbeError> {
    let api = IzlyConnectApi::new(&c.environment, &c.app_identifier, IzlyApiKey::new(&c.api_key))
        .map_err(|e| ProbeError::Config(format!("izlyPay.environment: {e}")))?;
    let answer = session
        .send("izlyConnect", "token (a code never issued)", &api.token_from_code("crous-till-probe-no-such-code"))
        .await?;
    match parse_token(answer.status, &answer.headers, &answer.body) {
        Err(IzlyConnectError::BadRequest(ErrorDetail::OAuth(e))) => {
            seen.confirm(CONNECT_ERRORS_ROW, format!("400 {}", e.error))
        }
        Err(IzlyConnectError::BadRequest(ErrorDetail::Xpollens(e))) => {
            seen.confirm(CONNECT_ERRORS_ROW, format!("400 with Xpollens Code {}", e.code))
        }
        Err(IzlyConnectError::Unauthorized(_) | IzlyConnectError::Forbidden(_)) => {
            return Err(Session::refused("izlyConnect", "token", answer.status))
        }
        Err(e) => seen.contradict(
            CONNECT_ERRORS_ROW,
            "body",
            "400 {error, error_description}",
            format!("{} ({e})", answer.status),
        ),
        Ok(_) => seen.contradict(CONNECT_ERRORS_ROW, "status", "400 for a code never issued", "a token"),
    }
    Ok(())
}

fn details_agree(seen: &mut Observations, details: &WebPaymentDetails, cent: Decimal, client_order_id: &str) {
    if details.amount != cent {
        return seen.contradict(DETAILS_ROW, "Amount", "0.01 (euros: 1 cent was sent)", details.amount.to_string());
    }
    if details.order_id.as_deref() != Some(client_order_id) {
        let found = details.order_id.clone().unwrap_or_else(|| "absent".into());
        return seen.contradict(DETAILS_ROW, "OrderId", client_order_id.to_owned(), found);
    }
    seen.confirm(DETAILS_ROW, format!("Amount 0.01, OrderId ours, status {}", details.operation_status));
}

fn outcome(answer: &ApiResponse, error: Option<IzlyPayError>) -> String {
    match error {
        Some(e) => format!("{} ({e})", answer.status),
        None => format!("{} read as an operation", answer.status),
    }
}

//! `GET /api/Izly/WebPayments/{OperationId}` (specs 002 "Récupération d'informations sur un
//! paiement"): `OperationId`, `IdTransactionDebitIzly`, `Amount` (a number in euros),
//! `BeneficiarySmoneyId`, `BeneficiaryClientId`, `CustomerSmoneyId`, `CustomerEmail`,
//! `CustomerClientCode`, `OperationStatus`, `Error` (`""` when none), `ClientParameters`,
//! `Message`, `PaymentDate` (ISO 8601, "Date de création de l'opération"), `OrderId`. "Si
//! l'opération n'existe pas, Xpollens retourne un Objet JSON « Error »" (356).

use super::record::{self, iso_date, Payment};
use super::{authorized, internal, not_found, operation_id};
use crate::fixtures::{Fixtures, IzlyPartner};
use crate::util::{euros, json};
use crate::wire::XPOLLENS_JSON as CONTENT_TYPE;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

fn details_json(p: &Payment, partner: &IzlyPartner, fixtures: &Fixtures) -> Value {
    let customer = p.id_izly.as_deref().and_then(|i| fixtures.izly.accounts.iter().find(|a| a.id_izly == i));
    json!({
        "OperationId": p.id,
        "IdTransactionDebitIzly": p.id_transaction,
        "Amount": euros(p.amount_cents),
        "BeneficiarySmoneyId": partner.beneficiary_id,
        "BeneficiaryClientId": partner.app_identifier,
        "CustomerSmoneyId": p.id_izly,
        "CustomerEmail": customer.and_then(|a| a.email.clone()),
        "CustomerClientCode": customer.map(|a| a.code_client.clone()),
        "OperationStatus": p.status,
        "Error": p.error_json(),
        "ClientParameters": p.callback_parameters,
        "Message": p.message,
        "PaymentDate": iso_date(&p.created),
        "OrderId": p.client_order_id,
    })
}

pub async fn details(State(st): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let partner = match authorized(&st, &headers) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(id) = operation_id(&id) else { return not_found() };
    match st.db.tx(|tx| record::load(tx, id)) {
        Err(e) => internal(e),
        Ok(Some(p)) if p.app_identifier == partner.app_identifier => {
            json(StatusCode::OK, CONTENT_TYPE, &details_json(&p, &partner, &st.fixtures()))
        }
        Ok(_) => not_found(),
    }
}

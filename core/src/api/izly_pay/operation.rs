//! `OperationSMoney`, the Xpollens operation object that specs 002 describes twice with the same
//! members: in the init answer and in the callback body (Id, IdTransactionDebitIzly, Amount, Date,
//! Message, ClientOrderId, Status, CallbackParameters).

use super::dates;
use crate::lenient;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One web payment as Xpollens describes it in the init answer and the callback. Serialized (for
/// the bindings) with the same names, `Amount` exact and `Date` in ISO 8601.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OperationSMoney {
    /// "identifiant du transfert chez Xpollens": the OperationId of the details and refund calls.
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id_transaction_debit_izly: Option<String>,
    /// Euros: a string in the init example ("1.00"), accepted as a number too.
    #[serde(with = "crate::exact_decimal")]
    pub amount: Decimal,
    /// `dd/MM/yyyy HH:mm:ss` in both places.
    #[serde(default, deserialize_with = "dates::french", serialize_with = "dates::iso_out")]
    pub date: Option<NaiveDateTime>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// The partner's order reference; a callback without one matches no order and is refused.
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub client_order_id: Option<String>,
    #[serde(default)]
    pub callback_parameters: Option<String>,
}

use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of the `tva` resource. Specs 001: "la table de correspondance entre code et taux de tva".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Tva {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_tva: u32,
    /// The rate in percent: 10 for 10 %, 5.5 for 5.5 %.
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub taux: Decimal,
}

use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of `subventions`: the share of a meal's cost the Crous subsidises for a société/tarif.
///
/// The prices of `articles-societes-tarifs-periodes` are what the customer pays, subsidy already
/// deducted; specs 001 does not put subsidies on the ticket, so they are carried as reference
/// data for display and reporting only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subvention {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_subvention: u32,
    #[serde(default)]
    pub libelle: String,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    pub code_article: Option<u64>,
    #[serde(with = "exact_decimal")]
    pub montant: Decimal,
}

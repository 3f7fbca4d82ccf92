use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of `articles-societes-tarifs-periodes`: the TTC price of an article for a société/tarif
/// during a period. Specs 001: "Pour récupérer les prix des articles des sociétés 10 et 8000".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PrixArticle {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_article: u64,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub id_periode: u32,
    /// Unit price, VAT included, in euros.
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub prix_ttc: Decimal,
}

use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of `droits-entree`: an entry fee a société/tarif pays per meal, as its own ticket line.
///
/// Specs 001 lists the resource ("suivant demande du Crous") without saying how a fee joins a
/// tray; the reading below is our choice ([`crate::pricing`] applies it). When the profile
/// matches and `idPeriode` is absent or names a period containing the day, the fee is added
/// after the tray's lines: article `codeArticle`, unit TTC `montant`, quantity the number of
/// meals (items of the tray whose article is in `codesArticlesRepas`; 1 per ticket when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DroitEntree {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_droit_entree: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_type_droit_entree: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    /// The article the fee is sold as; required to sell it.
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code_article: Option<u64>,
    /// TTC euros per meal.
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub montant: Decimal,
    /// Absent: every period.
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub id_periode: Option<u32>,
    /// The articles that count as a meal; absent: one fee per ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub codes_articles_repas: Option<Vec<u64>>,
}

/// One row of `droits-entree-types`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DroitEntreeType {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_type_droit_entree: u32,
    pub libelle: String,
}

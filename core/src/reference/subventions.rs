use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of `subventions`: what the Crous pays toward one article for one société/tarif.
///
/// Specs 001 lists `subventions` among the resources "suivant demande du Crous" and gives no
/// schema nor rule; the reading below is our choice ([`crate::pricing`] applies it):
/// * `montant` is TTC euros per unit; the customer pays the price row's `prixTtc` − `montant`;
/// * a row applies to a line when `codeArticle` is the line's article, the profile matches and
///   `idPeriode` is absent or names a period containing the sale day;
/// * a row without `codeArticle` applies to no line: it is kept for reporting only.
///
/// The Crous ticket line has no subsidy field and the checks refuse negative amounts, so the
/// ticket carries the net price; the subsidy travels on the priced line and the receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Subvention {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_subvention: u32,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub libelle: String,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code_article: Option<u64>,
    /// Absent: every period.
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub id_periode: Option<u32>,
    /// TTC euros per unit.
    #[serde(with = "exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub montant: Decimal,
}

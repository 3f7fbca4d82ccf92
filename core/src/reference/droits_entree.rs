use crate::exact_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One row of `droits-entree`: an entry fee a société/tarif pays, sold as its own article.
///
/// Specs 001 lists the resource ("suivant demande du Crous") without saying how a fee joins a
/// tray; the pricing engine therefore does not add it on its own: a till that sells it puts its
/// `codeArticle` in the cart, and it is priced like any other article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    pub code_article: Option<u64>,
    #[serde(with = "exact_decimal")]
    pub montant: Decimal,
}

/// One row of `droits-entree-types`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DroitEntreeType {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_type_droit_entree: u32,
    pub libelle: String,
}

use serde::{Deserialize, Serialize};

/// One row of the `articles` resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Article {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_article: u64,
    pub libelle: String,
    /// The article's own VAT code, used when the customer's société/tarif has none.
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code_tva: Option<u32>,
    /// Specs 001: "versBornesPrepaiement = 1 pour récupérer uniquement les articles dédiés aux
    /// fonctionnement des bornes".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub vers_bornes_prepaiement: Option<bool>,
}

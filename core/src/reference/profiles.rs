//! Sociétés and tarifs. Specs 001: "Les profils tarifaires des clients sont répartis en société et
//! tarif, une société pouvant contenir plusieurs tarifs".

use serde::{Deserialize, Serialize};

/// A customer's pricing profile: société and tarif.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CustomerProfile {
    pub code_societe: u32,
    pub tarif: u32,
}

impl CustomerProfile {
    /// "société 10 tarif 1 représente le profil tarifaire associé aux étudiants".
    pub const ETUDIANT: CustomerProfile = CustomerProfile { code_societe: 10, tarif: 1 };
    /// "société 8000 tarif 1 représente le profil tarifaire associé aux hôtes de passages".
    pub const HOTE_DE_PASSAGE: CustomerProfile = CustomerProfile { code_societe: 8000, tarif: 1 };
    /// "société 8024 tarif 1 ... aux étudiants pour l'application Crous de commande en ligne".
    pub const ETUDIANT_COMMANDE_EN_LIGNE: CustomerProfile = CustomerProfile { code_societe: 8024, tarif: 1 };
    /// "société 8024 tarif 2 ... aux non étudiants pour l'application Crous de commande en ligne".
    pub const NON_ETUDIANT_COMMANDE_EN_LIGNE: CustomerProfile = CustomerProfile { code_societe: 8024, tarif: 2 };

    pub const fn new(code_societe: u32, tarif: u32) -> Self {
        CustomerProfile { code_societe, tarif }
    }
}

/// One row of the `societes` resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Societe {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    pub libelle: String,
}

/// One row of the `societes-tarifs` resource. Specs 001: "Afin de récupérer le taux de tva des
/// clients de ce societe/tarif, et l'appliquer dans le cas du paiement par CB".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SocieteTarif {
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub code_societe: u32,
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub tarif: u32,
    pub libelle: String,
    /// The VAT code of this profile's sales; overrides the article's when present.
    #[serde(default, deserialize_with = "crate::lenient::int_code::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub code_tva: Option<u32>,
}

impl SocieteTarif {
    pub fn profile(&self) -> CustomerProfile {
        CustomerProfile::new(self.code_societe, self.tarif)
    }
}

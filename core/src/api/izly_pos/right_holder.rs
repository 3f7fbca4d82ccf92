//! The right holder (ayant droit) both look-ups answer: searchQRCode (specs 001) and the card
//! look-up (our choice, docs/api-choices.md), one shape so a till treats a scanned QR code and a
//! tapped card alike.
//!
//! Our choice of fields, in the PascalCase of IzlyConnect's users (specs 003): `RightHolderId`,
//! `IdIzly`, `CodeClient`, `Societe`, `Tarif`, `Balance` (euros), and optional `Nom`, `Prenom`,
//! `Email`, `CodeCrous`, `RneEtablissement`, `NumeroAffectation`, `DateFinValidite`. `Societe`
//! and `Tarif` are the pricing profile the Crous right-holder API calls `idCompanyRate`/`idRate`
//! (public-facts.md): specs 001, "l'api Izly [...] permettra ensuite de connaître le profil
//! tarifaire de l'ayant droit".

use crate::builder::IzlyCustomer;
use crate::lenient;
use crate::reference::CustomerProfile;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A right holder (ayant droit) as searchQRCode answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(rename_all = "PascalCase")]
pub struct RightHolder {
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub right_holder_id: String,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    pub id_izly: Option<String>,
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub code_client: String,
    /// Société of the pricing profile (10 for students).
    #[serde(deserialize_with = "lenient::int_code::deserialize")]
    pub societe: u32,
    #[serde(deserialize_with = "lenient::int_code::deserialize")]
    pub tarif: u32,
    /// Balance in euros.
    #[serde(default, with = "crate::exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub balance: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prenom: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    pub code_crous: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rne_etablissement: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    pub numero_affectation: Option<String>,
    /// ISO 8601 with offset, as the ticket's dateFinValiditeClient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_fin_validite: Option<String>,
}

impl RightHolder {
    pub fn profile(&self) -> CustomerProfile {
        CustomerProfile::new(self.societe, self.tarif)
    }

    /// The ticket's customer fields; `solde_client` is left empty (it is the balance *after* the
    /// debit, which the debit's answer gives).
    pub fn to_izly_customer(&self) -> IzlyCustomer {
        let nom = match (&self.prenom, &self.nom) {
            (Some(p), Some(n)) => Some(format!("{p} {n}")),
            (None, Some(n)) => Some(n.clone()),
            (Some(p), None) => Some(p.clone()),
            (None, None) => None,
        };
        IzlyCustomer {
            code_client: Some(self.code_client.clone()),
            solde_client: None,
            nom_client: nom,
            date_fin_validite_client: self.date_fin_validite.clone(),
            code_crous_client: self.code_crous.clone(),
            rne_etablissement: self.rne_etablissement.clone(),
            affectation: self.numero_affectation.clone(),
            adresse_mail: self.email.clone(),
        }
    }
}

//! `GET /api/rightolders/searchQRCode?qrCode=<base64 of the QR text>`: who is behind a QR code.
//!
//! Our choice of answer, in the PascalCase of IzlyConnect's users (specs 003): `RightHolderId`,
//! `IdIzly`, `CodeClient`, `Societe`, `Tarif`, `Balance` (euros), and optional `Nom`, `Prenom`,
//! `Email`, `CodeCrous`, `RneEtablissement`, `NumeroAffectation`, `DateFinValidite`.

use super::error::{error_from_status, IzlyPosError};
use super::{wire, IzlyPosApi};
use crate::api::encoding::{base64_encode, query};
use crate::api::request::{ApiRequest, Method};
use crate::api::response::is_success;
use crate::builder::IzlyCustomer;
use crate::lenient;
use crate::reference::CustomerProfile;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A right holder (ayant droit) as searchQRCode answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

impl IzlyPosApi {
    /// Looks up the right holder behind the scanned QR text (sent base64-encoded). Safe to resend.
    pub fn search_qr_code(&self, qr_text: &str) -> ApiRequest {
        let b64 = base64_encode(qr_text.as_bytes());
        let url = format!("{}{}", self.base.join(wire::PATH_SEARCH_QR_CODE), query(&[(wire::Q_QR_CODE, &b64)]));
        self.request("izly_pos.search_qr_code", Method::Get, url)
    }
}

pub fn parse_search_qr_code(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<RightHolder, IzlyPosError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| IzlyPosError::Malformed { status, detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::izly_pos::IzlyPosKey;
    use crate::point_of_sale::PointOfSale;

    const QR: &str = "AIZ;u-1;2025-11-20 10:00:00;3;a1b2;MEUCIQ==";

    #[test]
    fn builds_with_base64_qr() {
        let api =
            IzlyPosApi::new(&Environment::Preprod, IzlyPosKey::new("k3y"), PointOfSale::new(5, 1, 9, 8, 14)).unwrap();
        let r = api.search_qr_code(QR);
        let b64 = base64_encode(QR.as_bytes());
        assert_eq!(
            r.url(),
            format!(
                "https://periph-pp.izly.fr/rest/api/rightolders/searchQRCode?qrCode={}",
                crate::api::encoding::encode_component(&b64)
            )
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.header_value("Authorization"), Some("Basic k3y"));
        assert_eq!(r.header_value("AppIdentifier"), Some("5-1-9-8-14"));
        assert!(r.is_safe_to_retry());
        assert!(!format!("{r:?}").contains("k3y"));
    }

    #[test]
    fn parses_the_right_holder() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_pos/search_qr_code.json");
        let h = parse_search_qr_code(200, &[], body).unwrap();
        assert_eq!(h.right_holder_id, "1288");
        assert_eq!(h.profile(), CustomerProfile::ETUDIANT);
        assert_eq!(h.balance.unwrap().to_string(), "15.25");
        let c = h.to_izly_customer();
        assert_eq!(c.code_client.as_deref(), Some("6000050617"));
        assert_eq!(c.nom_client.as_deref(), Some("Camille Martin"));
        assert!(matches!(parse_search_qr_code(200, &[], b"[]"), Err(IzlyPosError::Malformed { .. })));
        assert!(matches!(parse_search_qr_code(404, &[], b""), Err(IzlyPosError::NotFound(None))));
        assert!(matches!(parse_search_qr_code(410, &[], b""), Err(IzlyPosError::QrCodeRejected(None))));
    }
}

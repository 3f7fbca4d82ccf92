//! Who is at the till: the right holder behind a scanned QR code or a tapped card.
//!
//! * `GET /api/rightolders/searchQRCode?qrCode=<base64 of the QR text>` (specs 001; the query
//!   name is ours);
//! * `GET /api/rightolders/searchCard?idSupport=<idSupport>&numeroApplicatif=<numeroApplicatif>`
//!   (our choice: specs 001 says the card gives the ZDC and "l'api Izly, appelée à partir du
//!   logiciel de caisse, permettra ensuite de connaître le profil tarifaire de l'ayant droit", but
//!   names no route; we put it beside searchQRCode, keyed by the two ZDC fields the ticket carries).
//!
//! Both answer the same [`RightHolder`]. Refusals a cashier must tell apart get their own kinds:
//! an unknown card ([`IzlyPosError::UnknownCard`], 404), a blocked account
//! ([`IzlyPosError::AccountBlocked`], 423, or 422 with the Crous right-holder code -41) and an
//! expired right ([`IzlyPosError::RightExpired`], 422 with the Crous right-holder code -8 "due
//! date past", public-facts.md).

use super::error::{error_from_status, IzlyPosError};
use super::right_holder::RightHolder;
use super::{wire, IzlyPosApi};
use crate::api::encoding::{base64_encode, query};
use crate::api::request::{ApiRequest, Method};
use crate::api::response::is_success;

impl IzlyPosApi {
    /// Looks up the right holder behind the scanned QR text (sent base64-encoded). Safe to resend.
    /// The QR code pays: logs show the URL with it redacted.
    pub fn search_qr_code(&self, qr_text: &str) -> ApiRequest {
        let b64 = base64_encode(qr_text.as_bytes());
        let path = self.base.join(wire::PATH_SEARCH_QR_CODE);
        let url = format!("{path}{}", query(&[(wire::Q_QR_CODE, &b64)]));
        let shown = format!("{path}?{}=<redacted>", wire::Q_QR_CODE);
        self.request("izly_pos.search_qr_code", Method::Get, url).with_redacted_url(shown)
    }

    /// Looks up the right holder of a tapped card, by the idSupport and numeroApplicatif read
    /// from its ZDC. Safe to resend.
    /// Logs show the URL with the card's identifiers redacted.
    pub fn search_card(&self, id_support: &str, numero_applicatif: &str) -> ApiRequest {
        let path = self.base.join(wire::PATH_SEARCH_CARD);
        let q = query(&[(wire::Q_ID_SUPPORT, id_support), (wire::Q_NUMERO_APPLICATIF, numero_applicatif)]);
        let shown = format!("?{}=<redacted>&{}=<redacted>", wire::Q_ID_SUPPORT, wire::Q_NUMERO_APPLICATIF);
        self.request("izly_pos.search_card", Method::Get, format!("{path}{q}"))
            .with_redacted_url(format!("{path}{shown}"))
    }
}

fn parse_right_holder(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<RightHolder, IzlyPosError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| IzlyPosError::Malformed { status, detail: e.to_string() })
}

pub fn parse_search_qr_code(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<RightHolder, IzlyPosError> {
    parse_right_holder(status, headers, body)
}

/// The card look-up's answer; a 404 is [`IzlyPosError::UnknownCard`] (the card is not an Izly
/// support, or not this holder's).
pub fn parse_search_card(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<RightHolder, IzlyPosError> {
    parse_right_holder(status, headers, body).map_err(|e| match e {
        IzlyPosError::NotFound(x) => IzlyPosError::UnknownCard(x),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::encoding::base64_encode;
    use crate::api::environment::Environment;
    use crate::api::izly_pos::IzlyPosKey;
    use crate::point_of_sale::PointOfSale;
    use crate::reference::CustomerProfile;

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
        assert!(!format!("{r:?}").contains(&b64) && r.display_url().ends_with("?qrCode=<redacted>"));
        let card = api.search_card("04A1B2C3D4E5F6", "1000001");
        assert!(card.url().contains("04A1B2C3D4E5F6") && !card.display_url().contains("04A1B2C3D4E5F6"));
    }

    #[test]
    fn builds_the_card_look_up() {
        let api =
            IzlyPosApi::new(&Environment::Preprod, IzlyPosKey::new("k3y"), PointOfSale::new(5, 1, 9, 8, 14)).unwrap();
        let r = api.search_card("36882379", "0471928A083C80");
        assert_eq!(
            r.url(),
            "https://periph-pp.izly.fr/rest/api/rightolders/searchCard?idSupport=36882379&numeroApplicatif=0471928A083C80"
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.header_value("Authorization"), Some("Basic k3y"));
        assert_eq!(r.header_value("AppIdentifier"), Some("5-1-9-8-14"));
        assert!(r.is_safe_to_retry());
    }

    #[test]
    fn card_refusals_are_told_apart() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_pos/search_qr_code.json");
        assert_eq!(parse_search_card(200, &[], body).unwrap().code_client, "6000050617");
        let unknown = br#"{"Code":105,"ErrorMessage":"Support inconnu"}"#;
        assert!(matches!(parse_search_card(404, &[], unknown), Err(IzlyPosError::UnknownCard(Some(_)))));
        assert!(matches!(parse_search_qr_code(404, &[], unknown), Err(IzlyPosError::NotFound(Some(_)))));
        let expired = br#"{"Code":-8,"ErrorMessage":"Droits expir\u00e9s"}"#;
        assert!(matches!(parse_search_card(422, &[], expired), Err(IzlyPosError::RightExpired(Some(_)))));
        let opposed = br#"{"Code":-41,"ErrorMessage":"Client en opposition"}"#;
        assert!(matches!(parse_search_card(422, &[], opposed), Err(IzlyPosError::AccountBlocked(Some(_)))));
        assert!(matches!(parse_search_card(423, &[], b""), Err(IzlyPosError::AccountBlocked(None))));
        assert!(matches!(parse_search_card(422, &[], b"{}"), Err(IzlyPosError::Refused(None))));
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

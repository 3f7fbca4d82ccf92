//! `caisse`: specs 001 "Pour récupérer une clé d'authentification Izly". The till reads its Izly
//! key here and uses it for the Izly POS payment API.
//!
//! Our choice of shape (specs 001 gives none): `{"idCrous": 5, "idUg": 1, "idRu": 9, "idUd": 8,
//! "idCaisse": 14, "libelle": "Caisse 14", "cleAuthentificationIzly": "<key>"}`; only the key is
//! required.

use super::{error_from_status, CrousApi, CrousError, CrousToken};
use crate::api::izly_pos::IzlyPosKey;
use crate::api::request::ApiRequest;
use crate::api::response::is_success;
use serde::Deserialize;

/// What `caisse` tells a till about itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Caisse {
    #[serde(default)]
    pub libelle: Option<String>,
    /// The Izly authentication key of this till (never printed).
    pub cle_authentification_izly: IzlyPosKey,
}

impl CrousApi {
    /// `GET …/remontee-caisse/caisse/{crous}/{ug}/{ru}/{ud}/{caisse}`.
    pub fn caisse(&self, token: &CrousToken) -> ApiRequest {
        self.get("crous.caisse", &super::paths::caisse(&self.point_of_sale), &[], token)
    }
}

pub fn parse_caisse(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Caisse, CrousError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| CrousError::Malformed { status, detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::point_of_sale::PointOfSale;

    #[test]
    fn builds_and_parses() {
        let api =
            CrousApi::new(&Environment::Custom("http://127.0.0.1:1".into()), PointOfSale::new(5, 1, 9, 8, 14), "t")
                .unwrap();
        let r = api.caisse(&CrousToken::new("tok"));
        assert_eq!(r.url(), "http://127.0.0.1:1/vem/v1/5/remontee-caisse/caisse/5/1/9/8/14");
        let c = parse_caisse(200, &[], include_bytes!("../../../tests/fixtures/api/crous/caisse.json")).unwrap();
        assert_eq!(c.cle_authentification_izly.expose(), "izly-key-5-1-9-8-14");
        assert!(!format!("{c:?}").contains("izly-key"));
        assert!(matches!(parse_caisse(200, &[], b"{}"), Err(CrousError::Malformed { .. })));
        assert!(matches!(parse_caisse(200, &[], b"nope"), Err(CrousError::Malformed { .. })));
        assert_eq!(parse_caisse(401, &[], b""), Err(CrousError::Unauthorized));
        assert!(matches!(parse_caisse(404, &[], b""), Err(CrousError::NotFound(_))));
    }
}

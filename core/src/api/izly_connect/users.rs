//! `GET /api/izly/users` with `Authorization: Bearer {access_token}`: the right holder's details,
//! field names as specs 003's example shows them.

use super::error::{error_from_status, IzlyConnectError};
use super::{AccessToken, IzlyConnectApi, PATH_USERS};
use crate::api::request::{ApiRequest, Method};
use crate::api::response::is_success;
use crate::lenient;
use crate::reference::CustomerProfile;
use serde::{Deserialize, Serialize};

/// The users answer (specs 003). Identifiers are read from numbers or strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IzlyUser {
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub right_holder_id: String,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id_izly: Option<String>,
    #[serde(default, deserialize_with = "lenient::int_code::option")]
    pub societe: Option<u32>,
    #[serde(default, deserialize_with = "lenient::int_code::option")]
    pub tarif: Option<u32>,
    #[serde(default)]
    pub annee_univ: Option<String>,
    #[serde(default)]
    pub employeur: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub rne_etablissement: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub rne_composante: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub code_etu: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub ine: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub code_client: Option<String>,
    #[serde(default)]
    pub type_client: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub numero_affectation: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option")]
    pub id: Option<String>,
}

impl IzlyUser {
    /// The pricing profile, when both société and tarif are given.
    pub fn profile(&self) -> Option<CustomerProfile> {
        Some(CustomerProfile::new(self.societe?, self.tarif?))
    }
}

impl IzlyConnectApi {
    /// `GET /api/izly/users`. Safe to resend.
    pub fn users(&self, access_token: &AccessToken) -> ApiRequest {
        ApiRequest::new("izly_connect.users", Method::Get, self.base.join(PATH_USERS))
            .header("Authorization", format!("Bearer {}", access_token.expose()))
            .header("Accept", "application/json")
    }
}

pub fn parse_users(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<IzlyUser, IzlyConnectError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| IzlyConnectError::Malformed { status, detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::izly_connect::IzlyApiKey;

    #[test]
    fn builds_as_in_the_spec() {
        let api = IzlyConnectApi::new(&Environment::Preprod, "c", IzlyApiKey::new("k")).unwrap();
        let r = api.users(&AccessToken::new("MTs1NjtjR2I0anpsNncxRnNmeWFXcnUwXy5BOH5KMXhWT0g="));
        assert_eq!(r.url(), "https://rest-pp.izly.fr/api/izly/users");
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.header_value("Authorization"), Some("Bearer MTs1NjtjR2I0anpsNncxRnNmeWFXcnUwXy5BOH5KMXhWT0g="));
        assert!(r.is_safe_to_retry());
        assert!(!format!("{r:?}").contains("MTs1"));
    }

    #[test]
    fn parses_the_spec_example() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_connect/users.json");
        let u = parse_users(200, &[], body).unwrap();
        assert_eq!(u.right_holder_id, "1288");
        assert_eq!(u.id_izly.as_deref(), Some("6000001265"));
        assert_eq!(u.profile(), Some(CustomerProfile::new(1, 5)));
        assert_eq!(u.ine.as_deref(), Some("123457"));
        assert_eq!(u.numero_affectation.as_deref(), Some("1"));
        assert_eq!(u.id.as_deref(), Some("1255"));
        assert_eq!(u.annee_univ.as_deref(), Some(""));
        assert!(matches!(parse_users(200, &[], b"{}"), Err(IzlyConnectError::Malformed { .. })));
        assert!(matches!(parse_users(200, &[], br#"{"RightHolderId": 1.5}"#), Err(IzlyConnectError::Malformed { .. })));
        assert!(matches!(parse_users(401, &[], b""), Err(IzlyConnectError::Unauthorized(_))));
        assert!(matches!(parse_users(500, &[], b""), Err(IzlyConnectError::Server { .. })));
    }
}

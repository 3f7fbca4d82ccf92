//! `authenticate`: the point of sale's installation key in, a token out.
//!
//! Specs 001: "A chaque point de vente, crous ug ru ud caisse, doit correspondre une valeur de clé
//! d'installation différente"; public-facts.md: body `{"env": "PRD", "appId": "5-1-9-8-14",
//! "appSecret": "<installation key>"}`, token in the response's `Authorization` header.

use super::{error_from_status, CrousApi, CrousError, CONTENT_TYPE_JSON};
use crate::api::request::{ApiRequest, Method, Safety};
use crate::api::response::{header, is_success};
use serde::Serialize;
use std::fmt;

/// The installation key VEM generates for one point of sale. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct InstallationKey(String);

impl InstallationKey {
    pub fn new(key: impl Into<String>) -> Self {
        InstallationKey(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for InstallationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InstallationKey(<redacted>)")
    }
}

/// The token authenticate returns, sent back unchanged in `Authorization`. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct CrousToken(String);

impl CrousToken {
    pub fn new(token: impl Into<String>) -> Self {
        CrousToken(token.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CrousToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CrousToken(<redacted>)")
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticateBody<'a> {
    env: &'a str,
    app_id: String,
    app_secret: &'a str,
}

impl CrousApi {
    /// `POST /vem/v1/authenticate`. Safe to resend: logging in twice has no effect.
    pub fn authenticate(&self, key: &InstallationKey) -> ApiRequest {
        let body =
            AuthenticateBody { env: &self.env_code, app_id: self.point_of_sale.app_id(), app_secret: key.expose() };
        let json = serde_json::to_vec(&body).expect("a struct of strings serializes");
        ApiRequest::new("crous.authenticate", Method::Post, self.url(&super::paths::authenticate(), &[]))
            .header("Accept", CONTENT_TYPE_JSON)
            .json_body(CONTENT_TYPE_JSON, json)
            .with_safety(Safety::Idempotent)
    }
}

/// Reads the token from the `Authorization` header of a 2xx answer.
pub fn parse_authenticate(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<CrousToken, CrousError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    match header(headers, "authorization").map(str::trim) {
        Some(t) if !t.is_empty() => Ok(CrousToken(t.to_owned())),
        _ => Err(CrousError::MissingToken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::point_of_sale::PointOfSale;

    fn api(env: Environment) -> CrousApi {
        CrousApi::new(&env, PointOfSale::new(5, 1, 9, 8, 14), "crous-till").unwrap()
    }

    #[test]
    fn builds_the_public_body() {
        let r = api(Environment::Prod).authenticate(&InstallationKey::new("s3cret"));
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url(), "https://api.lescrous.fr/vem/v1/authenticate");
        assert_eq!(r.header_value("content-type"), Some("application/json"));
        let v: serde_json::Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
        let expected: serde_json::Value =
            serde_json::from_slice(include_bytes!("../../../tests/fixtures/api/crous/authenticate_request.json"))
                .unwrap();
        assert_eq!(v, expected);
        assert!(r.is_safe_to_retry());
        assert!(!format!("{r:?}").contains("s3cret"));
        let pp = api(Environment::Custom("http://127.0.0.1:9".into())).authenticate(&InstallationKey::new("k"));
        let v: serde_json::Value = serde_json::from_slice(pp.body.as_ref().unwrap()).unwrap();
        assert_eq!(v["env"], "PPD");
    }

    #[test]
    fn token_from_the_authorization_header() {
        let h = vec![("authorization".to_string(), "Bearer abc.def".to_string())];
        let t = parse_authenticate(200, &h, b"").unwrap();
        assert_eq!(t.expose(), "Bearer abc.def");
        assert_eq!(format!("{t:?}"), "CrousToken(<redacted>)");
        assert_eq!(parse_authenticate(200, &[], b"{}"), Err(CrousError::MissingToken));
        assert_eq!(parse_authenticate(401, &[], b""), Err(CrousError::Unauthorized));
        assert!(matches!(parse_authenticate(403, &[], b"{\"errors\":[]}"), Err(CrousError::Forbidden(_))));
        assert!(matches!(parse_authenticate(500, &[], b""), Err(CrousError::Server { status: 500, .. })));
    }

    #[test]
    fn every_call_carries_the_token_unchanged() {
        let r = api(Environment::Preprod).tva(&CrousToken::new("tok"));
        assert_eq!(r.url(), "https://api-pp.nuonet.fr/vem/v1/5/tva");
        assert_eq!(r.header_value("Authorization"), Some("tok"));
        assert!(!format!("{r:?}").contains("tok\""));
    }
}

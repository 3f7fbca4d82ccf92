//! The Token endpoint: a code or a refresh_token for tokens. The answer (specs 003):
//! `{"access_token", "token_type": "Bearer", "expires_in": 1797, "refresh_token",
//! "scope": "users_details payments izly pay"}`.

use super::error::{error_from_status, IzlyConnectError};
use super::{IzlyConnectApi, PATH_TOKEN};
use crate::api::encoding::query;
use crate::api::request::{ApiRequest, Method, Safety};
use crate::api::response::is_success;
use serde::Deserialize;
use std::fmt;

macro_rules! secret {
    ($name:ident) => {
        /// A token. Never printed.
        #[derive(Clone, PartialEq, Eq, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(v: impl Into<String>) -> Self {
                $name(v.into())
            }
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret!(AccessToken);
secret!(RefreshToken);

/// The token answer, field names as specs 003 shows them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    /// "Bearer".
    pub token_type: String,
    /// Seconds (example: 1797).
    #[serde(deserialize_with = "crate::lenient::int_code::deserialize")]
    pub expires_in: u64,
    #[serde(default)]
    pub refresh_token: Option<RefreshToken>,
    /// Space-separated, e.g. "users_details payments izly pay".
    #[serde(default)]
    pub scope: Option<String>,
}

impl TokenResponse {
    pub fn scopes(&self) -> Vec<&str> {
        self.scope.as_deref().map(|s| s.split_whitespace().collect()).unwrap_or_default()
    }
}

impl IzlyConnectApi {
    fn token_request(&self, endpoint: &'static str, params: &[(&str, &str)]) -> ApiRequest {
        ApiRequest::new(endpoint, Method::Post, format!("{}{}", self.base.join(PATH_TOKEN), query(params)))
            .header("Authorization", self.api_key.basic())
            .header("Accept", "application/json")
            // A code is single-use: a resend after a timeout would be refused, so it is not resent.
            .with_safety(Safety::unsafe_op(endpoint))
    }

    /// `POST /oauth/Home/Token?grant_type=authorization_code&code={code}`.
    pub fn token_from_code(&self, code: &str) -> ApiRequest {
        self.token_request("izly_connect.token_from_code", &[("grant_type", "authorization_code"), ("code", code)])
    }

    /// `POST /oauth/Home/Token?grant_type=refresh_token&refresh_token={token}`.
    pub fn token_from_refresh(&self, refresh_token: &RefreshToken) -> ApiRequest {
        self.token_request(
            "izly_connect.token_from_refresh",
            &[("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())],
        )
        .with_redacted_url(format!("{}?grant_type=refresh_token&refresh_token=<redacted>", self.base.join(PATH_TOKEN)))
    }
}

pub fn parse_token(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<TokenResponse, IzlyConnectError> {
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

    fn api() -> IzlyConnectApi {
        IzlyConnectApi::new(
            &Environment::Preprod,
            "Aix Marseille-777-777-777-777",
            IzlyApiKey::new("QWl4IE1hcnNlaWxsZS03Nzc="),
        )
        .unwrap()
    }

    #[test]
    fn token_requests_as_in_the_spec() {
        let code = "MTs1NjtleTI5R3IrNjRPdkFtRzJVNEZLQzIBbGdxYkhiUjQ=";
        let r = api().token_from_code(code);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url(),
            "https://rest-pp.izly.fr/oauth/Home/Token?grant_type=authorization_code&code=MTs1NjtleTI5R3IrNjRPdkFtRzJVNEZLQzIBbGdxYkhiUjQ%3D"
        );
        assert_eq!(r.header_value("authorization"), Some("Basic QWl4IE1hcnNlaWxsZS03Nzc="));
        assert!(r.body.is_none());
        assert!(!r.is_safe_to_retry());
        let refresh = RefreshToken::new("MTs1Njs5TGZ3TlRPanJJQlBpeEk4eEpNLnc4eEh4YkxjdXY=");
        let r = api().token_from_refresh(&refresh);
        assert_eq!(
            r.url(),
            "https://rest-pp.izly.fr/oauth/Home/Token?grant_type=refresh_token&refresh_token=MTs1Njs5TGZ3TlRPanJJQlBpeEk4eEpNLnc4eEh4YkxjdXY%3D"
        );
        assert!(!format!("{r:?}").contains("MTs1Njs5"), "{r:?}");
        assert!(!format!("{r:?}").contains("QWl4"), "{r:?}");
    }

    #[test]
    fn parses_the_spec_example() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_connect/token.json");
        let t = parse_token(200, &[], body).unwrap();
        assert_eq!(t.access_token.expose(), "MTsyODtQUURPVk0kQnFaRmhGZGZST212cTNBNDhYaHlaNi4=");
        assert_eq!(t.token_type, "Bearer");
        assert_eq!(t.expires_in, 1797);
        assert!(t.refresh_token.is_some());
        assert_eq!(t.scopes(), vec!["users_details", "payments", "izly", "pay"]);
        assert!(!format!("{t:?}").contains("MTsy"));
        assert!(matches!(
            parse_token(200, &[], b"{\"token_type\":\"Bearer\"}"),
            Err(IzlyConnectError::Malformed { .. })
        ));
        assert!(matches!(parse_token(200, &[], b"<html>"), Err(IzlyConnectError::Malformed { .. })));
        assert!(matches!(parse_token(400, &[], br#"{"error":"invalid_grant"}"#), Err(IzlyConnectError::BadRequest(_))));
        assert!(matches!(parse_token(401, &[], b""), Err(IzlyConnectError::Unauthorized(_))));
    }
}

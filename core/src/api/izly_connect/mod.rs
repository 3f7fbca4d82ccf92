//! IzlyConnect (specs 002/003): OAuth2 authorization code for Izly right holders.
//!
//! Fixed by the specs: `GET /oauth/Home/Authorize?response_type=code&client_id={app_identifier}
//! &scope=…`, `POST /oauth/Home/Token?grant_type=authorization_code&code={code}` and
//! `?grant_type=refresh_token&refresh_token={token}` with `Authorization: Basic {clé d'API}`,
//! `GET /api/izly/users` with `Authorization: Bearer {access_token}`, and the token and user JSON
//! of specs 003's screenshots.

mod error;
mod token;
mod users;

pub use error::{error_from_status, ErrorDetail, IzlyConnectError, OAuthError};
pub use token::{parse_token, AccessToken, RefreshToken, TokenResponse};
pub use users::{parse_users, IzlyUser};

use super::encoding::query;
use super::environment::{BaseUrl, Environment, EnvironmentError, IZLY_REST};
use std::fmt;

pub const PATH_AUTHORIZE: &str = "/oauth/Home/Authorize";
pub const PATH_TOKEN: &str = "/oauth/Home/Token";
pub const PATH_USERS: &str = "/api/izly/users";

/// The partner site's API key ("Clé d'API" in the Izly back office), sent as `Basic <key>`
/// unchanged. Never printed. Shared with IzlyPay.
#[derive(Clone, PartialEq, Eq)]
pub struct IzlyApiKey(String);

impl IzlyApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        IzlyApiKey(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub(crate) fn basic(&self) -> String {
        format!("Basic {}", self.0)
    }
}

impl fmt::Debug for IzlyApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IzlyApiKey(<redacted>)")
    }
}

/// The partner site's identity at Izly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IzlyConnectApi {
    base: BaseUrl,
    /// "Identifiant de l'application client" (e.g. `Site-en-ligne-16-16-16-13`).
    client_id: String,
    api_key: IzlyApiKey,
}

impl IzlyConnectApi {
    pub fn new(env: &Environment, client_id: impl Into<String>, api_key: IzlyApiKey) -> Result<Self, EnvironmentError> {
        Ok(IzlyConnectApi { base: env.base_url(&IZLY_REST)?, client_id: client_id.into(), api_key })
    }

    /// The page to send the user's browser to. `scope` as the back office gives it (specs: `1`,
    /// example `16385`); `state`, not in the specs, is appended when given (standard OAuth2
    /// protection against forged redirects).
    pub fn authorize_url(&self, scope: &str, state: Option<&str>) -> String {
        let mut params = vec![("response_type", "code"), ("client_id", self.client_id.as_str()), ("scope", scope)];
        if let Some(s) = state {
            params.push(("state", s));
        }
        format!("{}{}", self.base.join(PATH_AUTHORIZE), query(&params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_as_in_the_spec() {
        let api =
            IzlyConnectApi::new(&Environment::Preprod, "Aix Marseille-777-777-777-777", IzlyApiKey::new("k")).unwrap();
        assert_eq!(
            api.authorize_url("16385", None),
            "https://rest-pp.izly.fr/oauth/Home/Authorize?response_type=code&client_id=Aix%20Marseille-777-777-777-777&scope=16385"
        );
        assert!(api.authorize_url("1", Some("xyz")).ends_with("&scope=1&state=xyz"));
        assert!(!format!("{api:?}").contains("\"k\""));
    }
}

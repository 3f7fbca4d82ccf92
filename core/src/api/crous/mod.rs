//! The Crous API (specs 001): authenticate, caisse, the reference-data resources and tickets.
//!
//! Paths live in [`paths`] (one file); JSON shapes of the reference rows are the core's
//! [`crate::reference`] types; errors are [`CrousError`].
//!
//! Authentication (public-facts.md): `POST /vem/v1/authenticate` with
//! `{"env", "appId", "appSecret"}`; the token comes back in the response's `Authorization`
//! header and is sent back unchanged, in `Authorization`, on every call.

mod auth;
mod caisse;
mod error;
pub mod paths;
mod reference;
mod tickets;

pub use auth::{parse_authenticate, CrousToken, InstallationKey};
pub use caisse::{parse_caisse, Caisse};
pub use error::{error_from_status, CrousError, CrousErrorBody, CrousFieldError};
pub use paths::Resource;
pub use reference::*;
pub use tickets::{parse_ticket, TicketAccepted, TicketOptions, TicketRefused};

use super::encoding::query;
use super::environment::{BaseUrl, Environment, EnvironmentError, CROUS_API};
use super::request::{ApiRequest, Method};
use crate::point_of_sale::PointOfSale;

/// `env` of authenticate for production, as public code sends it.
pub const ENV_PRODUCTION: &str = "PRD";
/// `env` for preproduction (public code: `env=PPD`).
pub const ENV_PREPRODUCTION: &str = "PPD";

/// JSON content type of the Crous API.
pub const CONTENT_TYPE_JSON: &str = "application/json";

/// Everything the Crous API builders need: where, which till, which software.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrousApi {
    base: BaseUrl,
    point_of_sale: PointOfSale,
    env_code: String,
    software: String,
}

impl CrousApi {
    /// `software` is the `use=` value of tickets (the till software's name). The authenticate
    /// `env` is PRD for [`Environment::Prod`] and PPD otherwise (the sandbox included); change it
    /// with [`CrousApi::with_env_code`].
    pub fn new(
        env: &Environment,
        point_of_sale: PointOfSale,
        software: impl Into<String>,
    ) -> Result<Self, EnvironmentError> {
        let env_code = if *env == Environment::Prod { ENV_PRODUCTION } else { ENV_PREPRODUCTION };
        Ok(CrousApi {
            base: env.base_url(&CROUS_API)?,
            point_of_sale,
            env_code: env_code.into(),
            software: software.into(),
        })
    }

    pub fn with_env_code(mut self, env_code: impl Into<String>) -> Self {
        self.env_code = env_code.into();
        self
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.point_of_sale
    }

    /// The `env` authenticate sends (`PRD` for production, `PPD` otherwise, or as set).
    pub fn env_code(&self) -> &str {
        &self.env_code
    }

    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    fn url(&self, path: &str, params: &[(&str, &str)]) -> String {
        format!("{}{}", self.base.join(path), query(params))
    }

    fn get(&self, endpoint: &'static str, path: &str, params: &[(&str, &str)], token: &CrousToken) -> ApiRequest {
        ApiRequest::new(endpoint, Method::Get, self.url(path, params))
            .header("Authorization", token.expose())
            .header("Accept", CONTENT_TYPE_JSON)
    }
}

//! Izly POS payments (specs 001): who is behind a QR code, and a debit by QR code or by card.
//!
//! Specs 001 fixes the two paths, `GET /api/rightolders/searchQRCode` and
//! `POST /api/payments/debit/{type}/{code}` with `type = qrcode`, and "Le QR Code doit être encrypté
//! en Base 64 dans les API". Everything else (headers, query name, bodies, the card type, the
//! debit reference and its look-up path, the status table) is our choice, documented in
//! docs/api-choices.md and kept in [`wire`] (names) and the private `error` module (statuses).

mod debit;
mod error;
mod right_holder;
mod search;
pub mod wire;

pub use debit::{judge_debit_lookup, parse_debit, CardDebit, Debit, DebitBuildError, DebitReference, DebitTarget};
pub use error::{error_from_status, IzlyPosError};
pub use right_holder::RightHolder;
pub use search::{parse_search_card, parse_search_qr_code};

use super::environment::{BaseUrl, Environment, EnvironmentError, IZLY_POS};
use super::request::{ApiRequest, Method};
use crate::point_of_sale::PointOfSale;
use serde::Deserialize;
use std::fmt;

/// The till's Izly authentication key, read from the Crous `caisse` resource. Never printed.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct IzlyPosKey(String);

impl IzlyPosKey {
    pub fn new(key: impl Into<String>) -> Self {
        IzlyPosKey(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IzlyPosKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IzlyPosKey(<redacted>)")
    }
}

/// Where and as whom the till calls Izly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IzlyPosApi {
    base: BaseUrl,
    key: IzlyPosKey,
    point_of_sale: PointOfSale,
}

impl IzlyPosApi {
    pub fn new(env: &Environment, key: IzlyPosKey, point_of_sale: PointOfSale) -> Result<Self, EnvironmentError> {
        Ok(IzlyPosApi { base: env.base_url(&IZLY_POS)?, key, point_of_sale })
    }

    pub fn point_of_sale(&self) -> PointOfSale {
        self.point_of_sale
    }

    fn request(&self, endpoint: &'static str, method: Method, url: String) -> ApiRequest {
        ApiRequest::new(endpoint, method, url)
            .header(wire::H_AUTHORIZATION, format!("{}{}", wire::AUTH_SCHEME, self.key.expose()))
            .header(wire::H_APP_IDENTIFIER, self.point_of_sale.app_id())
            .header("Accept", wire::CONTENT_TYPE)
    }
}

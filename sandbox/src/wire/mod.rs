//! The wire literals the sandbox reads and writes, taken from the specs and public-facts.md by
//! the sandbox itself, never from core: a wrong path, header or name in core then fails a test
//! instead of being mirrored here.

/// IzlyPay / Izly POS JSON media type (specs 002/003: `Content-Type: application/vnd.Xpollens.v1+json`).
pub const XPOLLENS_JSON: &str = "application/vnd.Xpollens.v1+json";
/// IzlyPay's web payments resource (specs 002: `$baseUrl/api/Izly/WebPayments`).
pub const PATH_WEB_PAYMENTS: &str = "/api/Izly/WebPayments";
/// The IzlyPay partner's header (specs 002: `AppIdentifier: $AppIdentifier`).
pub const H_APP_IDENTIFIER: &str = "AppIdentifier";
/// Xpollens' "Opération introuvable" (specs 003: error 356).
pub const CODE_OPERATION_NOT_FOUND: i64 = 356;
/// IzlyPay's dates in its answers and callbacks (specs 003 example: `"Date": "03/05/2021 15:37:30"`).
pub const FRENCH_DATE: &str = "%d/%m/%Y %H:%M:%S";
/// The Crous API's `env` for anything but production (public-facts.md: `PRD` / `PPD`).
pub const CROUS_ENV_PREPRODUCTION: &str = "PPD";

mod form;
pub mod izly_connect;
pub mod izly_pos;
mod point_of_sale;
mod resource;
pub mod ticket;

pub use form::{encode_component, parse_form, percent_decode};
pub use point_of_sale::PointOfSale;
pub use resource::CrousResource;

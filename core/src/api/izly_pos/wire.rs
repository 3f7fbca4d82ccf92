//! Izly POS names: THE one place to correct them. Fixed by specs 001: the two paths and
//! `qrcode`. Everything else here is our choice (docs/api-choices.md), modelled on IzlyPay's
//! documented conventions (Basic key, AppIdentifier, Xpollens content type, PascalCase JSON,
//! request amounts in cents, response amounts in euros, the Xpollens error object).

/// `GET /api/rightolders/searchQRCode` (specs 001, spelling kept).
pub const PATH_SEARCH_QR_CODE: &str = "/api/rightolders/searchQRCode";
/// Query parameter carrying the base64 QR code (our choice).
pub const Q_QR_CODE: &str = "qrCode";
/// `GET /api/rightolders/searchCard`: the right holder of a tapped card (our choice, beside
/// searchQRCode).
pub const PATH_SEARCH_CARD: &str = "/api/rightolders/searchCard";
/// Query parameters of the card look-up: the ZDC's two fields, named as on the ticket (our choice).
pub const Q_ID_SUPPORT: &str = "idSupport";
pub const Q_NUMERO_APPLICATIF: &str = "numeroApplicatif";
/// `POST /api/payments/debit/{type}/{code}` (specs 001).
pub const PATH_DEBIT: &str = "/api/payments/debit";
/// `type` for a QR code (specs 001).
pub const TYPE_QR_CODE: &str = "qrcode";
/// `type` for an Izly card, `code` being its idSupport (our choice).
pub const TYPE_CARD: &str = "card";
/// `GET /api/payments/debit/reference/{reference}`: "did this debit happen?" (our choice).
pub const PATH_DEBIT_BY_REFERENCE: &str = "/api/payments/debit/reference";
/// Header repeating the debit's reference, for services that de-duplicate by header (our choice).
pub const H_IDEMPOTENCY_KEY: &str = "Idempotency-Key";
pub const H_AUTHORIZATION: &str = "Authorization";
/// `Authorization: Basic <caisse key>`, the key sent as VEM gives it (like IzlyPay's API key).
pub const AUTH_SCHEME: &str = "Basic ";
/// The point of sale's app id (`5-1-9-8-14`), like IzlyPay's AppIdentifier.
pub const H_APP_IDENTIFIER: &str = "AppIdentifier";
/// IzlyPay's content type (specs 002), used for Izly POS too.
pub const CONTENT_TYPE: &str = "application/vnd.Xpollens.v1+json";

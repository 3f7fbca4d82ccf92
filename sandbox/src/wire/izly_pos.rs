//! Izly POS, as the sandbox reads it: specs 001 fixes the two paths and `qrcode`; the rest is the
//! shape docs/api-choices.md writes down (modelled on IzlyPay's documented conventions), copied
//! here from that document rather than from core's constants.

/// `GET /api/rightolders/searchQRCode` (specs 001, spelling kept).
pub const PATH_SEARCH_QR_CODE: &str = "/api/rightolders/searchQRCode";
/// `GET /api/rightolders/searchCard?idSupport=&numeroApplicatif=` (api-choices.md).
pub const PATH_SEARCH_CARD: &str = "/api/rightolders/searchCard";
/// `GET /api/payments/debit/reference/{reference}`: "did this debit happen?" (api-choices.md).
pub const PATH_DEBIT_BY_REFERENCE: &str = "/api/payments/debit/reference/{reference}";
/// `POST /api/payments/debit/{type}/{code}` (specs 001).
pub const PATH_DEBIT: &str = "/api/payments/debit/{kind}/{code}";
/// The base64 QR text's query parameter (api-choices.md).
pub const Q_QR_CODE: &str = "qrCode";
/// `type` of a QR code debit (specs 001: `debit/qrcode/{code}`).
pub const TYPE_QR_CODE: &str = "qrcode";
/// `type` of a card debit, the code being its idSupport (api-choices.md).
pub const TYPE_CARD: &str = "card";
pub const H_AUTHORIZATION: &str = "Authorization";
/// `Authorization: Basic <cleAuthentificationIzly>` (api-choices.md, like IzlyPay's key).
pub const AUTH_SCHEME: &str = "Basic ";
/// The till's app id, like IzlyPay's `AppIdentifier` (api-choices.md).
pub const H_APP_IDENTIFIER: &str = "AppIdentifier";
/// The debit's reference again, for de-duplication (api-choices.md).
pub const H_IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// IzlyPay's media type (specs 002), used by Izly POS too (api-choices.md).
pub const CONTENT_TYPE: &str = super::XPOLLENS_JSON;

//! `POST /api/payments/debit/{type}/{code}`: debit an Izly account by QR code (`qrcode`, the QR
//! text base64-encoded, specs 001) or by card (`card`, keyed by the card's idSupport; our choice).
//!
//! Every debit carries the caller's idempotent [`DebitReference`], derived from stable business
//! identity (point of sale + idTicketEntete + payment attempt), in the body (`Reference`) and in
//! an `Idempotency-Key` header. After a timeout the executor asks
//! `GET /api/payments/debit/reference/{reference}` whether the debit happened before doing
//! anything else ([`judge_debit_lookup`]).
//!
//! Our choice of body: `{"Amount": <cents>, "Reference", "PointOfSale": "5-1-9-8-14",
//! "IdTicketEntete"}` plus, for a card, `"NumeroApplicatif"` and `"Sam"` (specs 001: the SAM,
//! application number and idSupport "indispensables pour l'opération de paiement Izly").
//! Answer: `{"IdTransactionIzly", "Reference", "Amount" (euros), "Balance" (euros, after),
//! "Date", "CodeClient"}`.

use super::error::{error_from_status, IzlyPosError};
use super::{wire, IzlyPosApi};
use crate::api::encoding::{base64_encode, encode_component};
use crate::api::request::{ApiRequest, Method, Safety, Verdict};
use crate::api::response::{is_success, ApiResponse};
use crate::api::xpollens::XpollensError;
use crate::lenient;
use crate::point_of_sale::PointOfSale;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The caller's idempotent reference of one debit: `{crous-ug-ru-ud-caisse}.{idTicketEntete}.{attempt}`.
///
/// The same reference must be reused by every resend of the same debit; a new payment attempt
/// for the same ticket (say, after "insufficient balance", with another QR code) takes the next
/// attempt number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DebitReference(String);

impl DebitReference {
    pub fn for_ticket(point_of_sale: &PointOfSale, id_ticket_entete: &str, attempt: u32) -> Self {
        DebitReference(format!("{}.{}.{}", point_of_sale.app_id(), id_ticket_entete, attempt))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DebitReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Izly card as the reader gives it (the ZDC via PC/SC or the Tetra's "DemandeZDC").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDebit {
    pub id_support: String,
    /// NUM_APPLICATIF of the ZDC, also the ticket's numeroApplicatif.
    pub numero_applicatif: String,
    /// The SAM's identity as the reader reports it, when it does.
    pub sam: Option<String>,
}

/// Whom to debit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DebitTarget {
    /// The scanned QR text (sent base64-encoded).
    QrCode(String),
    Card(CardDebit),
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DebitBody<'a> {
    amount: i64,
    reference: &'a str,
    point_of_sale: String,
    id_ticket_entete: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    numero_applicatif: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sam: Option<&'a str>,
}

/// What a debit answers (and what the reference look-up answers for a debit that happened).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields))]
#[serde(rename_all = "PascalCase")]
pub struct Debit {
    /// The ticket's idTransactionIzly.
    #[serde(deserialize_with = "lenient::ident::deserialize")]
    pub id_transaction_izly: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Euros.
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    /// Balance after the debit, euros: the ticket's soldeClient.
    #[serde(default, with = "crate::exact_decimal::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub balance: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "lenient::ident::option", skip_serializing_if = "Option::is_none")]
    pub code_client: Option<String>,
}

/// Why no debit request was built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DebitBuildError {
    #[error("the debit amount must be positive whole cents, got {0}")]
    InvalidAmount(Decimal),
}

impl IzlyPosApi {
    /// Debits `amount` euros (positive, whole cents; sent in cents). Unsafe: never resent after a
    /// timeout before the reference look-up says it did not happen.
    pub fn debit(
        &self,
        target: &DebitTarget,
        amount: Decimal,
        id_ticket_entete: &str,
        reference: &DebitReference,
    ) -> Result<ApiRequest, DebitBuildError> {
        let cents = (amount * Decimal::ONE_HUNDRED)
            .to_i64()
            .filter(|c| *c > 0 && amount.is_sign_positive() && crate::money::is_whole_cents(amount))
            .ok_or(DebitBuildError::InvalidAmount(amount))?;
        let (kind, code, card) = match target {
            DebitTarget::QrCode(text) => (wire::TYPE_QR_CODE, base64_encode(text.as_bytes()), None),
            DebitTarget::Card(c) => (wire::TYPE_CARD, c.id_support.clone(), Some(c)),
        };
        let body = DebitBody {
            amount: cents,
            reference: reference.as_str(),
            point_of_sale: self.point_of_sale.app_id(),
            id_ticket_entete,
            numero_applicatif: card.map(|c| c.numero_applicatif.as_str()),
            sam: card.and_then(|c| c.sam.as_deref()),
        };
        let url = self.base.join(&format!("{}/{kind}/{}", wire::PATH_DEBIT, encode_component(&code)));
        let json = serde_json::to_vec(&body).expect("debit body serializes");
        let safety = Safety::reconcilable(reference.as_str(), self.debit_lookup(reference), judge_debit_lookup);
        Ok(self
            .request("izly_pos.debit", Method::Post, url)
            .header(wire::H_IDEMPOTENCY_KEY, reference.as_str())
            .json_body(wire::CONTENT_TYPE, json)
            .with_safety(safety))
    }

    /// `GET /api/payments/debit/reference/{reference}`: the debit made under this reference, if
    /// any. Safe to resend.
    pub fn debit_lookup(&self, reference: &DebitReference) -> ApiRequest {
        let url =
            self.base.join(&format!("{}/{}", wire::PATH_DEBIT_BY_REFERENCE, encode_component(reference.as_str())));
        self.request("izly_pos.debit_lookup", Method::Get, url)
    }
}

/// Reads a debit's answer (or the look-up's answer for a debit that happened).
pub fn parse_debit(status: u16, headers: &[(String, String)], body: &[u8]) -> Result<Debit, IzlyPosError> {
    if !is_success(status) {
        return Err(error_from_status(status, headers, body));
    }
    serde_json::from_slice(body).map_err(|e| IzlyPosError::Malformed { status, detail: e.to_string() })
}

/// Reconciliation of a debit: a 2xx debit record means it happened (its answer is the debit's
/// own); a 404 carrying the Xpollens "Opération introuvable" (356) means it did not; anything
/// else, a bare 404 included (the look-up may not exist on that server), settles nothing.
pub fn judge_debit_lookup(status: u16, headers: &[(String, String)], body: &[u8]) -> Verdict {
    if is_success(status) {
        return match parse_debit(status, headers, body) {
            Ok(_) => Verdict::Applied(ApiResponse::new(status, headers.to_vec(), body.to_vec())),
            Err(e) => Verdict::Unknown(e.to_string()),
        };
    }
    match XpollensError::from_body(body) {
        Some(x) if status == 404 && x.is_operation_not_found() => Verdict::NotApplied,
        _ => Verdict::Unknown(error_from_status(status, headers, body).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::environment::Environment;
    use crate::api::izly_pos::IzlyPosKey;
    use crate::api::request::Safety;

    fn api() -> IzlyPosApi {
        IzlyPosApi::new(
            &Environment::Custom("http://127.0.0.1:1".into()),
            IzlyPosKey::new("k"),
            PointOfSale::new(5, 1, 9, 8, 14),
        )
        .unwrap()
    }

    fn reference() -> DebitReference {
        DebitReference::for_ticket(&PointOfSale::new(5, 1, 9, 8, 14), "140000011", 1)
    }

    #[test]
    fn qr_code_debit() {
        let r = api()
            .debit(&DebitTarget::QrCode("AIZ;u;x".into()), Decimal::new(330, 2), "140000011", &reference())
            .unwrap();
        assert_eq!(
            r.url(),
            format!("http://127.0.0.1:1/api/payments/debit/qrcode/{}", encode_component(&base64_encode(b"AIZ;u;x")))
        );
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.header_value("Idempotency-Key"), Some("5-1-9-8-14.140000011.1"));
        assert_eq!(r.header_value("Content-Type"), Some("application/vnd.Xpollens.v1+json"));
        let v: serde_json::Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"Amount":330,"IdTicketEntete":"140000011","PointOfSale":"5-1-9-8-14","Reference":"5-1-9-8-14.140000011.1"}"#
        );
        assert!(!r.is_safe_to_retry());
        let Safety::Unsafe(op) = &r.safety else { panic!() };
        assert_eq!(op.reference, "5-1-9-8-14.140000011.1");
        let q = &op.reconcile.as_ref().unwrap().query;
        assert_eq!(q.url(), "http://127.0.0.1:1/api/payments/debit/reference/5-1-9-8-14.140000011.1");
        assert!(q.is_safe_to_retry());
    }

    #[test]
    fn card_debit() {
        let card = CardDebit {
            id_support: "36882379".into(),
            numero_applicatif: "0471928A083C80".into(),
            sam: Some("SAM-1".into()),
        };
        let r = api().debit(&DebitTarget::Card(card), Decimal::new(810, 2), "140000012", &reference()).unwrap();
        assert_eq!(r.url(), "http://127.0.0.1:1/api/payments/debit/card/36882379");
        let v: serde_json::Value = serde_json::from_slice(r.body.as_ref().unwrap()).unwrap();
        assert_eq!(v["Amount"].to_string(), "810");
        assert_eq!(v["NumeroApplicatif"], "0471928A083C80");
        assert_eq!(v["Sam"], "SAM-1");
    }

    #[test]
    fn refuses_bad_amounts() {
        for bad in [Decimal::ZERO, Decimal::new(-1, 0), Decimal::new(1005, 3)] {
            let e = api().debit(&DebitTarget::QrCode("q".into()), bad, "1", &reference()).unwrap_err();
            assert_eq!(e, DebitBuildError::InvalidAmount(bad));
        }
    }

    #[test]
    fn parses_the_debit() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_pos/debit.json");
        let d = parse_debit(200, &[], body).unwrap();
        assert_eq!(d.id_transaction_izly, "63535");
        assert_eq!(d.amount.to_string(), "3.30");
        assert_eq!(d.balance.unwrap().to_string(), "11.95");
        assert!(matches!(parse_debit(200, &[], b"{\"Amount\":1}"), Err(IzlyPosError::Malformed { .. })));
        assert!(matches!(parse_debit(402, &[], b""), Err(IzlyPosError::InsufficientBalance(None))));
        assert!(matches!(parse_debit(423, &[], b""), Err(IzlyPosError::AccountBlocked(None))));
    }

    #[test]
    fn judges_the_lookup() {
        let body = include_bytes!("../../../tests/fixtures/api/izly_pos/debit.json");
        assert!(matches!(judge_debit_lookup(200, &[], body), Verdict::Applied(r) if r.body == body.to_vec()));
        let not_found = include_bytes!("../../../tests/fixtures/api/izly_pay/error_356.json");
        assert_eq!(judge_debit_lookup(404, &[], not_found), Verdict::NotApplied);
        assert!(matches!(judge_debit_lookup(404, &[], b""), Verdict::Unknown(_)));
        assert!(matches!(judge_debit_lookup(500, &[], not_found), Verdict::Unknown(_)));
        assert!(matches!(judge_debit_lookup(200, &[], b"{}"), Verdict::Unknown(_)));
    }
}

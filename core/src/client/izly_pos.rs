//! Izly at the till (specs 001): who a QR code or a card belongs to, and debits.
//!
//! Shared decisions: a search answers the right holder *with* the profile to price by and the
//! ticket's customer fields (so no front end maps `Societe`/`Tarif` itself); a debit's reference
//! is the ticket's (`<app id>.<idTicketEntete>.<attempt>`), so asking again for the same ticket is
//! the same debit, and a lost answer is looked up, never debited twice.

use super::failure::Failure;
use super::options::{environment, RetryOptions};
use super::transport::{call, Transport};
use crate::api::izly_pos::{
    self, CardDebit, Debit, DebitReference, DebitTarget, IzlyPosApi, IzlyPosError, IzlyPosKey, RightHolder,
};
use crate::api::{ApiRequest, Parser, RetryPolicy};
use crate::builder::IzlyCustomer;
use crate::point_of_sale::PointOfSale;
use crate::reference::CustomerProfile;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `new IzlyPos(options)` in both packages.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IzlyPosOptions {
    /// `"preprod"`, `"prod"` or a base URL (the sandbox's).
    pub environment: String,
    /// The till's Izly key (`cleAuthentificationIzly`, from `Crous.caisse()`).
    pub key: String,
    /// The till: `idCrous-idUg-idRu-idUd-idCaisse` (`"5-1-9-8-14"`).
    pub point_of_sale: String,
    pub retry: Option<RetryOptions>,
}

/// A tapped card, as the bridge's `readCard` gives it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IzlyCard {
    pub id_support: String,
    pub numero_applicatif: String,
    #[serde(default)]
    pub sam: Option<String>,
}

/// `debitQrCode`'s argument (amount in euros).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QrCodeDebit {
    pub qr_code: String,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub id_ticket_entete: String,
    /// 1 for the first try of this ticket; a new attempt after a refusal takes the next number.
    pub attempt: Option<u32>,
}

/// `debitCard`'s argument (amount in euros).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[cfg_attr(feature = "ts", ts(rename = "CardDebit"))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CardDebitInput {
    pub id_support: String,
    pub numero_applicatif: String,
    #[serde(default)]
    pub sam: Option<String>,
    #[serde(with = "crate::exact_decimal")]
    #[cfg_attr(feature = "ts", ts(type = "Amount"))]
    pub amount: Decimal,
    pub id_ticket_entete: String,
    pub attempt: Option<u32>,
}

/// `searchQrCode`'s and `searchCard`'s result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QrCodeHolder {
    /// The answer, with its wire names.
    pub right_holder: RightHolder,
    /// The profile to price by (`Societe`/`Tarif`).
    pub profile: CustomerProfile,
    /// The ticket's customer fields.
    pub customer: IzlyCustomer,
}

/// A debit's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct IzlyDebit {
    pub debit: Debit,
    pub attempts: u32,
    /// The answer was lost and the debit found by its reference.
    pub reconciled: bool,
}

/// Izly POS for one till, over a binding's [`Transport`].
pub struct IzlyPosClient<T> {
    api: IzlyPosApi,
    transport: T,
}

impl<T: Transport> IzlyPosClient<T> {
    pub fn new(
        options: IzlyPosOptions,
        transport: impl FnOnce(RetryPolicy) -> Result<T, Failure>,
    ) -> Result<Self, Failure> {
        let pos: PointOfSale = options.point_of_sale.parse().map_err(|e| Failure::of(&e))?;
        let env = environment(&options.environment).map_err(|e| Failure::of(&e))?;
        let api = IzlyPosApi::new(&env, IzlyPosKey::new(options.key), pos).map_err(|e| Failure::of(&e))?;
        Ok(IzlyPosClient { api, transport: transport(RetryOptions::policy(options.retry.as_ref()))? })
    }

    pub fn api(&self) -> &IzlyPosApi {
        &self.api
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Who the QR code belongs to.
    pub async fn search_qr_code(&self, qr_code: &str) -> Result<QrCodeHolder, Failure> {
        self.holder(self.api.search_qr_code(qr_code), izly_pos::parse_search_qr_code).await
    }

    /// Who the tapped card belongs to (refusals: `izly_pos.unknown_card`, `account_blocked`,
    /// `right_expired`; the cashier may then sell as a visitor).
    pub async fn search_card(&self, card: &IzlyCard) -> Result<QrCodeHolder, Failure> {
        self.holder(self.api.search_card(&card.id_support, &card.numero_applicatif), izly_pos::parse_search_card).await
    }

    pub async fn debit_qr_code(&self, d: QrCodeDebit) -> Result<IzlyDebit, Failure> {
        self.debit(DebitTarget::QrCode(d.qr_code), d.amount, &d.id_ticket_entete, d.attempt).await
    }

    pub async fn debit_card(&self, d: CardDebitInput) -> Result<IzlyDebit, Failure> {
        let card = CardDebit { id_support: d.id_support, numero_applicatif: d.numero_applicatif, sam: d.sam };
        self.debit(DebitTarget::Card(card), d.amount, &d.id_ticket_entete, d.attempt).await
    }

    async fn holder(
        &self,
        request: ApiRequest,
        parse: Parser<RightHolder, IzlyPosError>,
    ) -> Result<QrCodeHolder, Failure> {
        let holder = call(&self.transport, &request, parse).await.map_err(|e| Failure::of_call(&e))?.value;
        Ok(QrCodeHolder { profile: holder.profile(), customer: holder.to_izly_customer(), right_holder: holder })
    }

    async fn debit(
        &self,
        target: DebitTarget,
        amount: Decimal,
        id_ticket_entete: &str,
        attempt: Option<u32>,
    ) -> Result<IzlyDebit, Failure> {
        let reference =
            DebitReference::for_ticket(&self.api.point_of_sale(), id_ticket_entete, attempt.unwrap_or(1).max(1));
        let request = self.api.debit(&target, amount, id_ticket_entete, &reference).map_err(|e| Failure::of(&e))?;
        let c = call(&self.transport, &request, izly_pos::parse_debit).await.map_err(|e| Failure::of_call(&e))?;
        Ok(IzlyDebit { debit: c.value, attempts: c.attempts, reconciled: c.reconciled })
    }
}

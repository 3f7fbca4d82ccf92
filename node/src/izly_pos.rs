//! Izly at the till (specs 001): who a QR code belongs to (`searchQRCode`), and debits by QR code
//! or by card. Debits are idempotent by their reference (`<app id>.<idTicketEntete>.<attempt>`):
//! a lost answer is reconciled by looking the reference up, never by debiting again.

use crate::client::{call, environment, executor, RetryOptions};
use crate::js::{from_js, promise, sync, to_js, Failure, Outcome};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pos::{
    parse_debit, parse_search_card, parse_search_qr_code, CardDebit, DebitReference, DebitTarget, IzlyPosApi,
    IzlyPosError, IzlyPosKey, RightHolder,
};
use crous_till_core::point_of_sale::PointOfSale;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Value};

#[napi(object)]
#[derive(serde::Deserialize)]
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

/// A debit's argument (amount in euros).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DebitInput {
    #[serde(with = "crous_till_core::exact_decimal")]
    amount: Decimal,
    id_ticket_entete: String,
    /// 1 for the first try of this ticket; a new attempt after a refusal takes the next number.
    #[serde(default = "first")]
    attempt: u32,
    qr_code: Option<String>,
    id_support: Option<String>,
    numero_applicatif: Option<String>,
    sam: Option<String>,
}

/// A tapped card, as the bridge's `readCard` gives it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CardInput {
    id_support: String,
    numero_applicatif: String,
    #[serde(default)]
    #[allow(dead_code)]
    sam: Option<String>,
}

fn first() -> u32 {
    1
}

/// The Izly POS client of one till.
#[napi]
pub struct IzlyPos {
    api: IzlyPosApi,
    executor: NativeExecutor,
}

#[napi]
impl IzlyPos {
    #[napi(constructor, ts_args_type = "options: IzlyPosOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let options: IzlyPosOptions = sync(&env, from_js(&env, options, "options"))?;
        let made = (|| {
            let pos: PointOfSale = options.point_of_sale.parse().map_err(|e| Failure::of(&e))?;
            let api = IzlyPosApi::new(&environment(&options.environment), IzlyPosKey::new(options.key), pos)
                .map_err(|e| Failure::of(&e))?;
            Ok(IzlyPos { api, executor: executor(options.retry.as_ref())? })
        })();
        sync(&env, made)
    }

    /// Who the QR code belongs to: the right holder (wire names), their profile for pricing, and
    /// the `IzlyCustomer` a ticket wants. Errors: `izly_pos.*` (`qr_code_rejected`...), `network.*`.
    #[napi(ts_return_type = "Promise<QrCodeHolder>")]
    pub fn search_qr_code<'e>(&self, env: &'e Env, qr_code: String) -> napi::Result<PromiseRaw<'e, Value>> {
        self.holder(env, self.api.search_qr_code(&qr_code), parse_search_qr_code)
    }

    /// Who the tapped card belongs to (idSupport and numeroApplicatif from its ZDC), answered as
    /// `searchQrCode`. Errors: `izly_pos.unknown_card`, `izly_pos.account_blocked`,
    /// `izly_pos.right_expired` (sell as a visitor), `network.*`.
    #[napi(ts_args_type = "card: IzlyCard", ts_return_type = "Promise<QrCodeHolder>")]
    pub fn search_card<'e>(&self, env: &'e Env, card: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = crate::ready!(
            env,
            from_js::<CardInput>(env, card, "card").map(|c| self.api.search_card(&c.id_support, &c.numero_applicatif)),
        );
        self.holder(env, request, parse_search_card)
    }

    /// Debits a QR code. Errors: `izly_pos.invalid_amount`, `izly_pos.insufficient_balance`,
    /// `izly_pos.qr_code_rejected`, `network.outcome_unknown` (ask again with the same input).
    #[napi(ts_args_type = "debit: QrCodeDebit", ts_return_type = "Promise<IzlyDebit>")]
    pub fn debit_qr_code<'e>(&self, env: &'e Env, debit: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = crate::ready!(
            env,
            from_js::<DebitInput>(env, debit, "debit").and_then(|d| {
                let qr = d.qr_code.clone().ok_or_else(|| Failure::new("input.invalid", "debit.qrCode is missing"))?;
                self.request(&DebitTarget::QrCode(qr), &d)
            }),
        );
        self.send(env, request)
    }

    /// Debits a card by its support id (read from the card's ZDC by the till).
    #[napi(ts_args_type = "debit: CardDebit", ts_return_type = "Promise<IzlyDebit>")]
    pub fn debit_card<'e>(&self, env: &'e Env, debit: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let request = crate::ready!(
            env,
            from_js::<DebitInput>(env, debit, "debit").and_then(|d| {
                let missing = |f: &str| Failure::new("input.invalid", format!("debit.{f} is missing"));
                let card = CardDebit {
                    id_support: d.id_support.clone().ok_or_else(|| missing("idSupport"))?,
                    numero_applicatif: d.numero_applicatif.clone().ok_or_else(|| missing("numeroApplicatif"))?,
                    sam: d.sam.clone(),
                };
                self.request(&DebitTarget::Card(card), &d)
            }),
        );
        self.send(env, request)
    }
}

impl IzlyPos {
    /// The till's Izly API and executor, for the sale engine's payments ([`crate::till`]).
    pub(crate) fn parts(&self) -> (IzlyPosApi, NativeExecutor) {
        (self.api.clone(), self.executor.clone())
    }

    fn holder<'e>(
        &self,
        env: &'e Env,
        request: crous_till_core::api::ApiRequest,
        parse: crous_till_core::api::Parser<RightHolder, IzlyPosError>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let executor = self.executor.clone();
        promise(env, async move {
            let holder = call(&executor, &request, parse).await?;
            Ok(json!({
                "rightHolder": to_js(&holder)?,
                "profile": to_js(&holder.profile())?,
                "customer": to_js(&holder.to_izly_customer())?,
            }))
        })
    }

    fn request(&self, target: &DebitTarget, d: &DebitInput) -> Outcome<crous_till_core::api::ApiRequest> {
        let reference = DebitReference::for_ticket(&self.api.point_of_sale(), &d.id_ticket_entete, d.attempt);
        self.api.debit(target, d.amount, &d.id_ticket_entete, &reference).map_err(|e| Failure::of(&e))
    }

    fn send<'e>(&self, env: &'e Env, request: crous_till_core::api::ApiRequest) -> napi::Result<PromiseRaw<'e, Value>> {
        let executor = self.executor.clone();
        promise(env, async move { to_js(&call(&executor, &request, parse_debit).await?) })
    }
}

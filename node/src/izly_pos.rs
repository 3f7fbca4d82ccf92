//! `IzlyPos`: Izly at the till (specs 001), core's [`IzlyPosClient`] over the native executor.
//! Searches answer the right holder with its profile and the ticket's customer; a debit's
//! reference is the ticket's, so a lost answer is looked up, never debited twice (core's rules).

use crate::client::executor;
use crate::js::{from_js, promise, sync, to_js};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::client::{CardDebitInput, IzlyCard, IzlyPosClient, IzlyPosOptions, QrCodeDebit};
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;
use std::sync::Arc;

/// The Izly POS client of one till.
#[napi]
pub struct IzlyPos {
    client: Arc<IzlyPosClient<NativeExecutor>>,
}

#[napi]
impl IzlyPos {
    #[napi(constructor, ts_args_type = "options: IzlyPosOptions")]
    pub fn new(env: Env, options: Unknown) -> napi::Result<Self> {
        let made = from_js::<IzlyPosOptions>(&env, options, "options").and_then(|o| IzlyPosClient::new(o, executor));
        sync(&env, made).map(|c| IzlyPos { client: Arc::new(c) })
    }

    /// Who the QR code belongs to. Errors: `izly_pos.*` (`qr_code_rejected`...), `network.*`.
    #[napi(ts_return_type = "Promise<QrCodeHolder>")]
    pub fn search_qr_code<'e>(&self, env: &'e Env, qr_code: String) -> napi::Result<PromiseRaw<'e, Value>> {
        let client = self.client.clone();
        promise(env, async move { to_js(&client.search_qr_code(&qr_code).await?) })
    }

    /// Who the tapped card belongs to. Errors: `izly_pos.unknown_card`, `izly_pos.account_blocked`,
    /// `izly_pos.right_expired` (sell as a visitor), `network.*`.
    #[napi(ts_args_type = "card: IzlyCard", ts_return_type = "Promise<QrCodeHolder>")]
    pub fn search_card<'e>(&self, env: &'e Env, card: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let card: IzlyCard = crate::ready!(env, from_js(env, card, "card"));
        let client = self.client.clone();
        promise(env, async move { to_js(&client.search_card(&card).await?) })
    }

    /// Debits a QR code. Errors: `izly_pos.invalid_amount`, `izly_pos.insufficient_balance`,
    /// `izly_pos.qr_code_rejected`, `network.outcome_unknown` (ask again with the same input).
    #[napi(ts_args_type = "debit: QrCodeDebit", ts_return_type = "Promise<IzlyDebit>")]
    pub fn debit_qr_code<'e>(&self, env: &'e Env, debit: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let debit: QrCodeDebit = crate::ready!(env, from_js(env, debit, "debit"));
        let client = self.client.clone();
        promise(env, async move { to_js(&client.debit_qr_code(debit).await?) })
    }

    /// Debits a card by its support id (read from the card's ZDC by the till).
    #[napi(ts_args_type = "debit: CardDebit", ts_return_type = "Promise<IzlyDebit>")]
    pub fn debit_card<'e>(&self, env: &'e Env, debit: Unknown) -> napi::Result<PromiseRaw<'e, Value>> {
        let debit: CardDebitInput = crate::ready!(env, from_js(env, debit, "debit"));
        let client = self.client.clone();
        promise(env, async move { to_js(&client.debit_card(debit).await?) })
    }
}

impl IzlyPos {
    /// The client, for the sale engine's payments ([`crate::till`]).
    pub(crate) fn client(&self) -> Arc<IzlyPosClient<NativeExecutor>> {
        self.client.clone()
    }
}

//! `Till`'s web orders paid through IzlyPay (core's `Till::open_order` and what follows): the
//! order is priced and stored before the customer is sent to pay, its ticket number is taken
//! when `GET WebPayments/{id}` confirms the payment, and core decides every callback's answer.
//! This binding only sends the requests and performs the commits.

use crate::izly_pay::{answer, body, headers, IzlyPay};
use crate::js::{from_js, from_js_opt, promise, sync, to_js, Failure, Outcome};
use crate::outbox::{lock, now};
use crate::till::{Shared, Till};
use crous_till_core::api::executor::NativeExecutor;
use crous_till_core::api::izly_pay::{callback_error_answer, IzlyPayApi};
use crous_till_core::reference::ReferenceData;
use crous_till_core::sale::{OrderInput, OrderSettlement, WebOrderRecord};
use napi::bindgen_prelude::{Either, PromiseRaw, Uint8Array, Unknown};
use napi::Env;
use napi_derive::napi;
use serde::Deserialize;
use serde_json::{json, Value};

/// What the init carries besides the order's amount and ClientOrderId.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OrderOptions {
    /// Where IzlyPay sends the customer back after paying (`RedirectUrlAfterPayment`).
    redirect_url: Option<String>,
    /// Shown to the customer on the payment page (`Message`).
    message: Option<String>,
}

type Partner = (IzlyPayApi, NativeExecutor);

fn partner(till: &Till) -> Outcome<Partner> {
    let payments = lock(&till.payments);
    payments.izly_pay.clone().ok_or_else(|| Failure::new("sale.no_payment_client", "this till has no IzlyPay client"))
}

/// Looks up one order with `GET WebPayments/{id}` and records what it answered.
async fn look_up(
    till: &Shared,
    reference: &ReferenceData,
    (api, executor): &Partner,
    settlement: &OrderSettlement,
) -> Outcome<WebOrderRecord> {
    let id = settlement.client_order_id();
    let recorded = match (settlement, settlement.request(api)) {
        (OrderSettlement::LookUp { operation_id, .. }, Some(request)) => {
            let delivered = executor.execute(&request).await;
            lock(till).record_order_details(id, operation_id, delivered, reference, now()).cloned()
        }
        _ => lock(till).record_order_init(id, None, now()).cloned(),
    };
    recorded.map_err(|e| Failure::of(&e))
}

#[napi]
impl Till {
    /// Takes web orders (`order`, `orderCallback`, `settleOrders`) through this IzlyPay partner.
    #[napi]
    pub fn set_izly_pay(&self, izly_pay: &IzlyPay) {
        lock(&self.payments).izly_pay = Some(izly_pay.parts());
    }

    /// Opens a web order and starts its IzlyPay payment: resolves to the order, `waiting` with the
    /// `paymentUrl` to send the customer to, or `voided` when IzlyPay refused or could not be
    /// reached (nothing can have been paid). Throws `sale.invalid_order_id` (malformed or already
    /// used), `pricing.*`, `journal.*` before anything is stored or sent.
    #[napi(
        ts_args_type = "input: OrderInput, options?: { redirectUrl?: string; message?: string } | null",
        ts_return_type = "Promise<WebOrderRecord>"
    )]
    pub fn order<'e>(
        &self,
        env: &'e Env,
        input: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let opened = (|| {
            let input = from_js::<OrderInput>(env, input, "input")?;
            let options = from_js_opt::<OrderOptions>(env, options, "options")?.unwrap_or_default();
            let (api, executor) = partner(self)?;
            let order =
                lock(&self.till).open_order(input, &self.reference, now()).map_err(|e| Failure::of(&e))?.clone();
            let request = order.init_request(&api, options.redirect_url, options.message);
            Ok((order.client_order_id, request, executor))
        })();
        let (id, request, executor) = crate::ready!(env, opened);
        let till = self.till.clone();
        promise(env, async move {
            let delivered = match request {
                Ok(request) => Some(executor.execute(&request).await),
                Err(e) => return Err(Failure::of(&e)),
            };
            let order = lock(&till).record_order_init(&id, delivered, now()).map_err(|e| Failure::of(&e))?.clone();
            to_js(&order)
        })
    }

    /// Handles IzlyPay's callback (unsigned: it only says which payment to look up). Resolves to
    /// `{order, answer}`: the order as it now stands (null when the body names none of ours), and
    /// the HTTP answer to write back as is — 200 once the outcome is stored, 400 unreadable, 409
    /// not one of our orders, 503 not confirmed yet (a look-up failed, or still waiting), 500 when
    /// the store failed. Never rejects.
    #[napi(
        ts_args_type = "headers: IncomingHeaders, body: string | Uint8Array",
        ts_return_type = "Promise<OrderCallbackOutcome>"
    )]
    pub fn order_callback<'e>(
        &self,
        env: &'e Env,
        headers_in: Unknown,
        body_in: Either<String, Uint8Array>,
    ) -> napi::Result<PromiseRaw<'e, Value>> {
        let headers_read = crate::ready!(env, headers(env, headers_in));
        let asked = lock(&self.till).till().order_callback(&headers_read, &body(body_in));
        let (till, reference, partner) = (self.till.clone(), self.reference.clone(), partner(self));
        promise(env, async move {
            let settlement = match asked {
                Ok(s) => s,
                Err(ready) => return Ok(json!({"order": Value::Null, "answer": answer(&ready)})),
            };
            let known = lock(&till).till().order(settlement.client_order_id()).cloned();
            let looked = match partner {
                Ok(partner) => look_up(&till, &reference, &partner, &settlement).await,
                Err(e) => Err(e),
            };
            match looked {
                Ok(order) => Ok(json!({"order": to_js(&order)?, "answer": answer(&order.callback_answer())})),
                Err(e) => Ok(json!({
                    "order": to_js(&known)?,
                    "answer": answer(&callback_error_answer(500, -1, &e.message)),
                    "error": {"code": e.code, "message": e.message},
                })),
            }
        })
    }

    /// Looks up every open web order (after a restart, or from time to time: a lost callback is
    /// settled here): a payment IzlyPay confirms is completed with its ticket, one interrupted
    /// before its payment page was shown is voided. Resolves to the orders looked up.
    #[napi(ts_return_type = "Promise<WebOrderRecord[]>")]
    pub fn settle_orders<'e>(&self, env: &'e Env) -> napi::Result<PromiseRaw<'e, Value>> {
        let partner = crate::ready!(env, partner(self));
        let (till, reference) = (self.till.clone(), self.reference.clone());
        promise(env, async move {
            let settlements = lock(&till).till().order_settlements();
            let mut settled = Vec::new();
            for s in &settlements {
                settled.push(look_up(&till, &reference, &partner, s).await?);
            }
            to_js(&settled)
        })
    }

    /// Every web order, by ClientOrderId.
    #[napi(ts_return_type = "WebOrderRecord[]")]
    pub fn orders(&self, env: Env) -> napi::Result<Value> {
        let orders: Vec<WebOrderRecord> = lock(&self.till).till().orders().cloned().collect();
        sync(&env, to_js(&orders))
    }

    /// One web order, or null.
    #[napi(ts_return_type = "WebOrderRecord | null")]
    pub fn web_order(&self, env: Env, client_order_id: String) -> napi::Result<Value> {
        sync(&env, to_js(&lock(&self.till).till().order(&client_order_id)))
    }
}

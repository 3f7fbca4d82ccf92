//! A web payment as stored (table `web_payments`), its expiry, its dates in the two wire shapes,
//! and the `/sandbox` listing.

use super::{codes, status};
use crate::util::now_ms;
use crate::AppState;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde_json::{json, Value};

pub struct Payment {
    pub id: i64,
    pub token: String,
    pub app_identifier: String,
    pub client_order_id: String,
    pub amount_cents: i64,
    pub message: Option<String>,
    pub callback_parameters: Option<String>,
    pub redirect_url: Option<String>,
    pub software: Option<String>,
    pub status: String,
    pub id_izly: Option<String>,
    /// RFC 3339, UTC.
    pub created: String,
    pub paid: Option<String>,
    pub refunded: Option<String>,
    pub error_code: i64,
    pub error_message: String,
    pub callback_status: Option<i64>,
    pub id_transaction: i64,
    pub expires_ms: i64,
    pub callback_url: Option<String>,
    pub callback_answer: Option<String>,
    pub callback_error: Option<String>,
    pub callback_at: Option<String>,
}

const COLUMNS: &str = "id, token, app_identifier, client_order_id, amount_cents, message, callback_parameters, \
     redirect_url, software, status, id_izly, created, paid, refunded, error_code, error_message, callback_status, \
     id_transaction, expires_ms, callback_url, callback_answer, callback_error, callback_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        token: r.get(1)?,
        app_identifier: r.get(2)?,
        client_order_id: r.get(3)?,
        amount_cents: r.get(4)?,
        message: r.get(5)?,
        callback_parameters: r.get(6)?,
        redirect_url: r.get(7)?,
        software: r.get(8)?,
        status: r.get(9)?,
        id_izly: r.get(10)?,
        created: r.get(11)?,
        paid: r.get(12)?,
        refunded: r.get(13)?,
        error_code: r.get(14)?,
        error_message: r.get(15)?,
        callback_status: r.get(16)?,
        id_transaction: r.get(17)?,
        expires_ms: r.get(18)?,
        callback_url: r.get(19)?,
        callback_answer: r.get(20)?,
        callback_error: r.get(21)?,
        callback_at: r.get(22)?,
    })
}

/// The payment as stored.
pub fn fetch(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Option<Payment>> {
    tx.query_row(&format!("SELECT {COLUMNS} FROM web_payments WHERE id = ?1"), [id], from_row).optional()
}

/// The payment, a `Waiting` one past its page's expiry turned `Expired` first.
pub fn load(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<Option<Payment>> {
    let Some(mut p) = fetch(tx, id)? else { return Ok(None) };
    if p.status == status::WAITING && p.expires_ms <= now_ms() {
        set_outcome(tx, id, status::EXPIRED, None, codes::PAGE_EXPIRED, "Page de paiement expirée")?;
        p.status = status::EXPIRED.into();
        p.error_code = codes::PAGE_EXPIRED;
        p.error_message = "Page de paiement expirée".into();
    }
    Ok(Some(p))
}

/// Moves a `Waiting` payment to its outcome; false when it was no longer `Waiting`.
pub fn set_outcome(
    tx: &Transaction<'_>,
    id: i64,
    new_status: &str,
    id_izly: Option<&str>,
    error_code: i64,
    error_message: &str,
) -> rusqlite::Result<bool> {
    let paid = (new_status == status::COMPLETED).then(crate::util::now_rfc3339);
    let n = tx.execute(
        "UPDATE web_payments SET status = ?2, id_izly = COALESCE(?3, id_izly), error_code = ?4, error_message = ?5, \
         paid = COALESCE(?6, paid) WHERE id = ?1 AND status = 'Waiting'",
        params![id, new_status, id_izly, error_code, error_message, paid],
    )?;
    Ok(n == 1)
}

fn parse(rfc3339: &str) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(rfc3339).ok().map(|d| d.naive_utc())
}

/// `03/05/2021 15:37:30` (init answer and callback `Date`), UTC.
pub fn french_date(rfc3339: &str) -> Option<String> {
    parse(rfc3339).map(|d| d.format(crate::wire::FRENCH_DATE).to_string())
}

/// `2021-12-09T18:53:34` (details `PaymentDate`, refund `RefundDate`), UTC, no offset as in the spec.
pub fn iso_date(rfc3339: &str) -> Option<String> {
    parse(rfc3339).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
}

impl Payment {
    /// The operation's error for the details: `""` when none, as in the spec's example.
    pub fn error_json(&self) -> Value {
        if self.error_code == 0 {
            json!("")
        } else {
            json!({"Code": self.error_code, "Message": self.error_message})
        }
    }

    /// The hosted page, as a path with its token.
    pub fn page_path(&self) -> String {
        let mut path = format!("{}/{}/Authorize?token={}", crate::wire::PATH_WEB_PAYMENTS, self.id, self.token);
        if let Some(s) = &self.software {
            path.push_str(&format!("&software={s}"));
        }
        path
    }
}

/// Every web payment, for `GET /sandbox/izly/web-payments`.
pub fn list(st: &AppState) -> rusqlite::Result<Vec<Value>> {
    st.db.tx(|tx| {
        let ids: Vec<i64> = tx
            .prepare("SELECT id FROM web_payments ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(p) = load(tx, id)? else { continue };
            out.push(json!({
                "OperationId": p.id, "IdTransactionDebitIzly": p.id_transaction, "AppIdentifier": p.app_identifier,
                "ClientOrderId": p.client_order_id, "AmountCents": p.amount_cents, "Status": p.status,
                "IdIzly": p.id_izly, "Created": p.created, "Paid": p.paid, "Refunded": p.refunded,
                "ErrorCode": p.error_code, "ErrorMessage": p.error_message, "Message": p.message,
                "CallbackParameters": p.callback_parameters, "RedirectUrlAfterPayment": p.redirect_url,
                "PaymentAuthorizationUrl": format!("{}{}", st.base_url, p.page_path()),
                "CallbackUrl": p.callback_url, "CallbackStatus": p.callback_status, "CallbackAnswer": p.callback_answer,
                "CallbackError": p.callback_error, "CallbackAt": p.callback_at,
            }));
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_shapes() {
        assert_eq!(french_date("2021-05-03T15:37:30+00:00").as_deref(), Some("03/05/2021 15:37:30"));
        assert_eq!(iso_date("2021-12-09T18:53:34+00:00").as_deref(), Some("2021-12-09T18:53:34"));
        assert_eq!(iso_date("nope"), None);
    }
}

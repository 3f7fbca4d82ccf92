//! The Izly payment QR code, minted and verified by the public algorithm (public-facts.md, "The
//! Izly payment QR code, step by step"):
//!
//! 1. `content = "AIZ;" + userPublicId + ";" + date (UTC, yyyy-MM-dd HH:mm:ss) + ";3"`;
//! 2. a one-time code: base64url(HMAC-SHA1(key = SEED, message = the counter, big-endian));
//! 3. `hmac = hex(HMAC-SHA1(key = the one-time code's bytes, message = content + "+" + NSSE))`;
//! 4. `payload = content + ";" + hmac + ";"`, and the QR text is `payload` followed by
//!    base64(DER ECDSA-P256 signature of SHA-256(payload)).
//!
//! The sandbox's choices: each account's SEED, NSSE and P-256 key are derived from its id (a
//! sandbox has no secrets to keep, and the fixtures stay unchanged); the user public id is the
//! account's `IdIzly`; the one-time code is padded base64url; a code is accepted for a counter
//! above the last one paid with, up to [`COUNTER_WINDOW`] ahead (codes minted and never used).

use base64::Engine;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// How far ahead of the last counter used a code may be (codes minted, never shown).
pub const COUNTER_WINDOW: u64 = 50;
/// A code dated this far in the future is refused (clock skew between the phone and Izly).
pub const MAX_SKEW_SECONDS: i64 = 60;
const DATE: &str = "%Y-%m-%d %H:%M:%S";

/// Why a QR code is refused, each with its own Xpollens-style code (`izly_pos::codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrRefusal {
    /// Not the `AIZ;…` shape.
    Unreadable,
    /// No Izly account has this user public id.
    UnknownAccount,
    /// The signature does not verify with the account's key.
    BadSignature,
    /// No counter in the window gives this HMAC.
    BadHmac,
    /// A counter at or below the last one paid with.
    Replayed,
    /// Older than the sandbox's code lifetime, or dated in the future.
    Stale,
}

/// A verified code: whose it is and its counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    pub id_izly: String,
    pub counter: u64,
}

/// One account's secrets, as the app receives them at logon.
struct Secrets {
    seed: [u8; 32],
    nsse: String,
    key: SigningKey,
}

fn derive(label: &str, id_izly: &str) -> [u8; 32] {
    Sha256::digest(format!("crous-till-sandbox|{label}|{id_izly}")).into()
}

fn secrets(id_izly: &str) -> Secrets {
    let mut material = derive("key", id_izly);
    let key = loop {
        // A hash is below the group order with overwhelming probability; hash again otherwise.
        match SigningKey::from_slice(&material) {
            Ok(k) => break k,
            Err(_) => material = Sha256::digest(material).into(),
        }
    };
    let nsse = derive("nsse", id_izly).iter().take(8).map(|b| format!("{b:02x}")).collect();
    Secrets { seed: derive("seed", id_izly), nsse, key }
}

fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// Step 3's `hmac` for a content and counter.
fn code_hmac(s: &Secrets, content: &str, counter: u64) -> String {
    let one_time = base64::engine::general_purpose::URL_SAFE.encode(hmac_sha1(&s.seed, &counter.to_be_bytes()));
    let mac = hmac_sha1(one_time.as_bytes(), format!("{content}+{}", s.nsse).as_bytes());
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

/// The QR text the app shows for `counter`, dated `date`.
pub fn mint(id_izly: &str, counter: u64, date: chrono::DateTime<chrono::Utc>) -> String {
    let s = secrets(id_izly);
    let content = format!("AIZ;{id_izly};{};3", date.format(DATE));
    let payload = format!("{content};{};", code_hmac(&s, &content, counter));
    let signature: Signature = s.key.sign(payload.as_bytes());
    let der: DerSignature = signature.to_der();
    format!("{payload}{}", base64::engine::general_purpose::STANDARD.encode(der.as_bytes()))
}

/// Verifies a QR text: its signature, its HMAC for a counter above `last_used(id)` (within the
/// window), and its date against `now` and `max_age`.
pub fn verify(
    text: &str,
    last_used: impl FnOnce(&str) -> Option<u64>,
    now: chrono::DateTime<chrono::Utc>,
    max_age: chrono::Duration,
) -> Result<QrCode, QrRefusal> {
    let parts: Vec<&str> = text.split(';').collect();
    let [prefix, id, date, version, mac, signature] = parts[..] else { return Err(QrRefusal::Unreadable) };
    if prefix != "AIZ" || version != "3" || id.is_empty() || mac.is_empty() {
        return Err(QrRefusal::Unreadable);
    }
    let date = chrono::NaiveDateTime::parse_from_str(date, DATE).map_err(|_| QrRefusal::Unreadable)?.and_utc();
    let Some(last) = last_used(id) else { return Err(QrRefusal::UnknownAccount) };
    let s = secrets(id);
    let payload = &text[..text.len() - signature.len()];
    let der = base64::engine::general_purpose::STANDARD.decode(signature).map_err(|_| QrRefusal::BadSignature)?;
    let sig = Signature::from_der(&der).map_err(|_| QrRefusal::BadSignature)?;
    VerifyingKey::from(&s.key).verify(payload.as_bytes(), &sig).map_err(|_| QrRefusal::BadSignature)?;
    let content = &payload[..payload.len() - mac.len() - 2];
    let mac = mac.to_ascii_lowercase();
    let counter = (1..=last + COUNTER_WINDOW).find(|&c| code_hmac(&s, content, c) == mac).ok_or(QrRefusal::BadHmac)?;
    if counter <= last {
        return Err(QrRefusal::Replayed);
    }
    if now - date > max_age || date - now > chrono::Duration::seconds(MAX_SKEW_SECONDS) {
        return Err(QrRefusal::Stale);
    }
    Ok(QrCode { id_izly: id.to_owned(), counter })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6000001265";

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    fn check(text: &str, last: u64) -> Result<QrCode, QrRefusal> {
        verify(text, |id| (id == ID).then_some(last), now(), chrono::Duration::seconds(120))
    }

    #[test]
    fn a_minted_code_verifies_once_per_counter() {
        let text = mint(ID, 3, now());
        assert!(text.starts_with(&format!("AIZ;{ID};")));
        assert_eq!(check(&text, 2), Ok(QrCode { id_izly: ID.into(), counter: 3 }));
        assert_eq!(check(&text, 3), Err(QrRefusal::Replayed));
        assert_eq!(check(&text, 9), Err(QrRefusal::Replayed), "older than the last paid with");
        assert_eq!(check(&mint(ID, 2 + COUNTER_WINDOW + 1, now()), 2), Err(QrRefusal::BadHmac), "beyond the window");
    }

    #[test]
    fn each_alteration_has_its_own_refusal() {
        let text = mint(ID, 1, now());
        let parts: Vec<&str> = text.split(';').collect();
        // Another HMAC, signed again with the right key: the HMAC is what fails.
        let s = secrets(ID);
        let payload = format!("{};{};{};{};{};", parts[0], parts[1], parts[2], parts[3], "00".repeat(20));
        let resigned: Signature = s.key.sign(payload.as_bytes());
        let forged =
            format!("{payload}{}", base64::engine::general_purpose::STANDARD.encode(resigned.to_der().as_bytes()));
        assert_eq!(check(&forged, 0), Err(QrRefusal::BadHmac));
        // The right HMAC, another account's signature.
        let other = mint("6000001301", 1, now());
        let other_sig = other.rsplit(';').next().unwrap();
        let swapped = format!("{}{other_sig}", &text[..text.len() - parts[5].len()]);
        assert_eq!(check(&swapped, 0), Err(QrRefusal::BadSignature));
        // A changed date breaks the signature too; an old code signed as such is stale.
        assert_eq!(check(&text.replacen(parts[2], "2020-01-01 00:00:00", 1), 0), Err(QrRefusal::BadSignature));
        assert_eq!(check(&mint(ID, 1, now() - chrono::Duration::seconds(121)), 0), Err(QrRefusal::Stale));
        assert_eq!(check(&mint(ID, 1, now() + chrono::Duration::seconds(600)), 0), Err(QrRefusal::Stale));
        assert_eq!(check("AIZ;x", 0), Err(QrRefusal::Unreadable));
        assert_eq!(check(&mint("unknown", 1, now()), 0), Err(QrRefusal::UnknownAccount));
    }
}

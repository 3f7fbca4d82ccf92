//! The chain hash: `SHA-256(previousHash || canonical JSON)`, written as 64 lowercase hex digits.
//!
//! Practice (Odoo `l10n_fr_pos_cert`): `hash = sha256(previous_hash + canonical_json)`. Each record
//! carries its predecessor's hash, so changing, removing or moving any record breaks the link of
//! the next one: the "inaltérabilité" of art. 286 I-3° bis CGI made checkable.
//!
//! Plain SHA-256 rather than an HMAC keyed per till: anyone (a tax auditor, the Crous) can check
//! the chain without holding a secret. A chain that someone recomputed end to end is caught by
//! what they cannot recompute: the Ed25519 signature over the head ([`super::archive`]) and the
//! separately kept head marker ([`super::Head`]).

use sha2::{Digest, Sha256};

/// `previousHash` of the first record of a chain: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `hex(SHA-256(ascii(previous_hash) || utf8(canonical_json)))`.
pub fn chain_hash(previous_hash: &str, canonical_json: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous_hash.as_bytes());
    hasher.update(canonical_json.as_bytes());
    to_hex(&hasher.finalize())
}

/// Lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
    out
}

/// Hex (either case) to exactly `N` bytes.
pub fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim().as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; N];
    for (i, pair) in text.chunks(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha256_and_hex_round_trip() {
        // SHA-256("abc"), FIPS 180-2 example, split as previous hash "a" + text "bc".
        assert_eq!(chain_hash("a", "bc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(from_hex::<2>("0aFf"), Some([0x0a, 0xff]));
        assert_eq!(to_hex(&[0x0a, 0xff]), "0aff");
        assert_eq!(from_hex::<2>("0aF"), None);
        assert_eq!(from_hex::<1>("zz"), None);
    }
}

//! Decoding (and, for the virtual cards, encoding) the two ZDC fields a till needs.
//!
//! Specs 001: the ZDC ("Zone de Données Cnous") "contient un identifiant unique, spécifique au
//! fonctionnement des œuvres Universitaires, qui est le point d'entrée pour les appels des
//! webservices". The ticket needs `idSupport` ("obligatoire si paiement à partir de la carte Izly")
//! and `numeroApplicatif` ("si idSupport renseigné"). public-facts.md: idSupport = NUM_CARTE, "a
//! number of up to 15 digits"; numeroApplicatif = NUM_APPLICATIF, upper hex, seen equal to the UID.

use thiserror::Error;

use crate::apdu::hex_upper;
use crate::profile::{Encoding, Field, ZdcLayout};

/// The largest idSupport: 15 digits.
pub const MAX_ID_SUPPORT: u64 = 999_999_999_999_999;

/// What the till takes from the ZDC. Both travel as strings (the core's ticket keeps them so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zdc {
    pub id_support: String,
    pub numero_applicatif: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ZdcError {
    #[error("{0} lies outside the data read from the card")]
    OutOfRange(&'static str),
    #[error("idSupport is not a number of 1 to 15 digits")]
    BadIdSupport,
    #[error("{0} has an invalid BCD digit")]
    BadBcd(&'static str),
}

/// Extracts the fields from `data` (and the UID, for `encoding = "uid"`).
pub fn decode(layout: &ZdcLayout, data: &[u8], uid: &[u8]) -> Result<Zdc, ZdcError> {
    let id_support = field(&layout.id_support, "idSupport", data, uid)?;
    let id_support = match id_support.trim_start_matches('0') {
        "" => return Err(ZdcError::BadIdSupport),
        digits if digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) => digits.to_string(),
        _ => return Err(ZdcError::BadIdSupport),
    };
    let numero_applicatif = field(&layout.numero_applicatif, "numeroApplicatif", data, uid)?;
    Ok(Zdc { id_support, numero_applicatif })
}

fn field(spec: &Field, name: &'static str, data: &[u8], uid: &[u8]) -> Result<String, ZdcError> {
    if spec.encoding == Encoding::Uid {
        return Ok(hex_upper(uid));
    }
    let bytes = data.get(spec.offset..spec.offset + spec.length).ok_or(ZdcError::OutOfRange(name))?;
    Ok(match spec.encoding {
        Encoding::Hex => hex_upper(bytes),
        Encoding::UintBe => {
            if bytes.len() > 8 {
                return Err(ZdcError::BadIdSupport);
            }
            bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)).to_string()
        }
        Encoding::Bcd => {
            let mut digits = String::new();
            for nibble in bytes.iter().flat_map(|b| [b >> 4, b & 0x0F]) {
                match nibble {
                    0..=9 => digits.push(char::from(b'0' + nibble)),
                    0x0F => {}
                    _ => return Err(ZdcError::BadBcd(name)),
                }
            }
            digits
        }
        Encoding::Uid => unreachable!(),
    })
}

/// Writes `zdc` into a zeroed buffer of `len` bytes following `layout` (virtual cards).
/// Panics when the values do not fit: this builds test data.
pub fn encode(layout: &ZdcLayout, zdc: &Zdc, len: usize) -> Vec<u8> {
    let mut data = vec![0u8; len];
    put(&layout.id_support, &zdc.id_support, &mut data);
    put(&layout.numero_applicatif, &zdc.numero_applicatif, &mut data);
    data
}

fn put(spec: &Field, value: &str, data: &mut [u8]) {
    let out = &mut data[spec.offset..spec.offset + spec.length];
    match spec.encoding {
        Encoding::Uid => {}
        Encoding::Hex => {
            let bytes = crate::apdu::parse_hex(value).expect("hex value");
            out[spec.length - bytes.len()..].copy_from_slice(&bytes);
        }
        Encoding::UintBe => {
            let n: u64 = value.parse().expect("decimal value");
            let be = n.to_be_bytes();
            out.copy_from_slice(&be[8 - spec.length..]);
        }
        Encoding::Bcd => {
            let width = spec.length * 2;
            let padded = format!("{value:0>width$}");
            for (i, pair) in padded.as_bytes().chunks(2).enumerate() {
                out[i] = ((pair[0] - b'0') << 4) | (pair[1] - b'0');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::CardProfile;

    #[test]
    fn round_trips_each_test_layout() {
        let p = CardProfile::test_cards();
        let uid = [0x04, 0x71, 0x92, 0x8A, 0x08, 0x3C, 0x80];
        let zdc = Zdc { id_support: "36882379".into(), numero_applicatif: "0471928A083C80".into() };
        let d = p.desfire.unwrap();
        assert_eq!(decode(&d.layout, &encode(&d.layout, &zdc, 32), &[]).unwrap(), zdc);
        let c = p.calypso.unwrap();
        let z2 = Zdc { id_support: "123456789012345".into(), numero_applicatif: "1122334455667788".into() };
        assert_eq!(decode(&c.layout, &encode(&c.layout, &z2, 29), &[]).unwrap(), z2);
        let cl = p.classic.unwrap();
        assert_eq!(decode(&cl.layout, &encode(&cl.layout, &zdc, 32), &uid).unwrap(), zdc);
    }

    #[test]
    fn refuses_bad_id_support() {
        let p = CardProfile::test_cards().desfire.unwrap();
        assert_eq!(decode(&p.layout, &[0; 32], &[]), Err(ZdcError::BadIdSupport));
        let mut data = [0u8; 32];
        data[0] = 0xA1;
        assert_eq!(decode(&p.layout, &data, &[]), Err(ZdcError::BadBcd("idSupport")));
        assert_eq!(decode(&p.layout, &data[..4], &[]), Err(ZdcError::OutOfRange("idSupport")));
        // 16 digits: too long.
        let c = CardProfile::test_cards().calypso.unwrap();
        let mut data = [0u8; 29];
        data[..8].copy_from_slice(&10_000_000_000_000_000u64.to_be_bytes());
        assert_eq!(decode(&c.layout, &data, &[]), Err(ZdcError::BadIdSupport));
    }
}

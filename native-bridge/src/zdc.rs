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

/// The longest idSupport, in characters: NUM_CARTE is "a number of up to 15 digits"
/// (public-facts.md); a hex field is held to the same width (at most 7 bytes).
pub const MAX_ID_SUPPORT_CHARS: usize = 15;

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
    #[error("idSupport is empty, all zeros, or longer than 15 characters")]
    BadIdSupport,
    #[error("numeroApplicatif is empty")]
    EmptyNumeroApplicatif,
    #[error("{0} has an invalid BCD digit")]
    BadBcd(&'static str),
    #[error("{0} does not fit its field in the layout")]
    DoesNotFit(&'static str),
}

/// Extracts the fields from `data` (and the UID, for `encoding = "uid"`).
///
/// idSupport, where the spec is silent on the encoding (our choice, docs in README.md): from a
/// decimal field (`bcd`, `uint-be`) it is the number without leading zeros; from a `hex` or `uid`
/// field it is the bytes in upper-case hex, leading `0` kept (the sandbox's card numbers, e.g.
/// `04A1B2C3D4E5F6`, are such 7-byte values). Either way 1 to 15 characters and not all zeros.
pub fn decode(layout: &ZdcLayout, data: &[u8], uid: &[u8]) -> Result<Zdc, ZdcError> {
    let id_support = field(&layout.id_support, "idSupport", data, uid)?;
    let id_support = match layout.id_support.encoding {
        Encoding::Bcd | Encoding::UintBe => id_support.trim_start_matches('0').to_string(),
        Encoding::Hex | Encoding::Uid => id_support,
    };
    let all_zero = id_support.bytes().all(|b| b == b'0');
    if all_zero || id_support.len() > MAX_ID_SUPPORT_CHARS || !id_support.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ZdcError::BadIdSupport);
    }
    let numero_applicatif = field(&layout.numero_applicatif, "numeroApplicatif", data, uid)?;
    if numero_applicatif.is_empty() {
        return Err(ZdcError::EmptyNumeroApplicatif);
    }
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

/// Writes `zdc` into a zeroed buffer of `len` bytes following `layout` (virtual cards). A value
/// that does not fit its field is an error; `uid` fields are not written (the card's UID is used).
pub fn encode(layout: &ZdcLayout, zdc: &Zdc, len: usize) -> Result<Vec<u8>, ZdcError> {
    let mut data = vec![0u8; len];
    put(&layout.id_support, "idSupport", &zdc.id_support, &mut data)?;
    put(&layout.numero_applicatif, "numeroApplicatif", &zdc.numero_applicatif, &mut data)?;
    Ok(data)
}

fn put(spec: &Field, name: &'static str, value: &str, data: &mut [u8]) -> Result<(), ZdcError> {
    if spec.encoding == Encoding::Uid {
        return Ok(());
    }
    let out = data.get_mut(spec.offset..spec.offset + spec.length).ok_or(ZdcError::OutOfRange(name))?;
    match spec.encoding {
        Encoding::Uid => {}
        Encoding::Hex => {
            let bytes = crate::apdu::parse_hex(value).filter(|b| b.len() <= spec.length);
            let bytes = bytes.ok_or(ZdcError::DoesNotFit(name))?;
            out[spec.length - bytes.len()..].copy_from_slice(&bytes);
        }
        Encoding::UintBe => {
            let n: u64 = value.parse().map_err(|_| ZdcError::DoesNotFit(name))?;
            let be = n.to_be_bytes();
            if spec.length < 8 && n >> (8 * spec.length) != 0 || spec.length > 8 {
                return Err(ZdcError::DoesNotFit(name));
            }
            out.copy_from_slice(&be[8 - spec.length..]);
        }
        Encoding::Bcd => {
            // Left-padded with `F` nibbles, which the decoder skips: "1000001" stays 7 digits.
            let width = spec.length * 2;
            if value.len() > width || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ZdcError::DoesNotFit(name));
            }
            let padded: Vec<u8> =
                std::iter::repeat_n(0x0F, width - value.len()).chain(value.bytes().map(|b| b - b'0')).collect();
            for (i, pair) in padded.chunks(2).enumerate() {
                out[i] = (pair[0] << 4) | pair[1];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::CardProfile;

    fn layout(id_support: (usize, usize, Encoding), numero: (usize, usize, Encoding)) -> ZdcLayout {
        let field = |(offset, length, encoding)| Field { offset, length, encoding };
        ZdcLayout { id_support: field(id_support), numero_applicatif: field(numero) }
    }

    fn zdc(id_support: &str, numero_applicatif: &str) -> Zdc {
        Zdc { id_support: id_support.into(), numero_applicatif: numero_applicatif.into() }
    }

    #[test]
    fn round_trips_the_sandbox_cards_in_each_test_layout() {
        let p = CardProfile::test_cards();
        let camille = zdc("04A1B2C3D4E5F6", "1000001");
        for (layout, len) in [
            (&p.desfire.as_ref().unwrap().layout, 32),
            (&p.calypso.as_ref().unwrap().layout, 29),
            (&p.classic.as_ref().unwrap().layout, 32),
            (&p.ultralight_c.as_ref().unwrap().layout, 32),
        ] {
            assert_eq!(decode(layout, &encode(layout, &camille, len).unwrap(), &[]).unwrap(), camille);
        }
    }

    #[test]
    fn decimal_and_uid_encodings() {
        let uid = [0x04, 0x71, 0x92, 0x8A, 0x08, 0x3C, 0x80];
        // The ZDC seen in public code: idZdc 36882379, rid = the UID.
        let seen = layout((0, 8, Encoding::Bcd), (0, 0, Encoding::Uid));
        let z = zdc("36882379", "0471928A083C80");
        assert_eq!(decode(&seen, &encode(&seen, &z, 16).unwrap(), &uid).unwrap(), z);
        // Zero-padded BCD and big-endian integers lose their leading zeros.
        assert_eq!(decode(&seen, &[0, 0, 0, 0, 0x36, 0x88, 0x23, 0x79], &uid).unwrap(), z);
        let be = layout((0, 8, Encoding::UintBe), (8, 8, Encoding::Hex));
        let z = zdc("123456789012345", "00000000AABBCCDD");
        assert_eq!(decode(&be, &encode(&be, &z, 16).unwrap(), &[]).unwrap(), z);
    }

    #[test]
    fn refuses_bad_id_support() {
        let bcd = layout((0, 8, Encoding::Bcd), (8, 4, Encoding::Bcd));
        assert_eq!(decode(&bcd, &[0; 12], &[]), Err(ZdcError::BadIdSupport));
        let mut data = [0u8; 12];
        data[0] = 0xA1;
        assert_eq!(decode(&bcd, &data, &[]), Err(ZdcError::BadBcd("idSupport")));
        assert_eq!(decode(&bcd, &data[..4], &[]), Err(ZdcError::OutOfRange("idSupport")));
        // 16 digits: too long.
        let be = layout((0, 8, Encoding::UintBe), (8, 4, Encoding::Hex));
        let mut data = [0u8; 12];
        data[..8].copy_from_slice(&10_000_000_000_000_000u64.to_be_bytes());
        assert_eq!(decode(&be, &data, &[]), Err(ZdcError::BadIdSupport));
        // A hex idSupport: all zeros, or 8 bytes (16 characters), is refused.
        let hex = layout((0, 8, Encoding::Hex), (8, 4, Encoding::Bcd));
        let mut data = [0u8; 12];
        data[8..].copy_from_slice(&[0xF1, 0, 0, 1]);
        assert_eq!(decode(&hex, &data, &[]), Err(ZdcError::BadIdSupport));
        data[..8].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(decode(&hex, &data, &[]), Err(ZdcError::BadIdSupport));
        // Leading zero bytes are kept; an empty numeroApplicatif (all padding) is refused.
        data[0] = 0;
        let hex = layout((1, 7, Encoding::Hex), (8, 4, Encoding::Bcd));
        assert_eq!(decode(&hex, &data, &[]).unwrap(), zdc("02030405060708", "1000001"));
        data[1] = 0;
        assert_eq!(decode(&hex, &data, &[]).unwrap().id_support, "00030405060708");
        data[8..].copy_from_slice(&[0xFF; 4]);
        assert_eq!(decode(&hex, &data, &[]), Err(ZdcError::EmptyNumeroApplicatif));
    }

    #[test]
    fn refuses_values_that_do_not_fit() {
        let l = layout((0, 2, Encoding::UintBe), (2, 2, Encoding::Bcd));
        assert_eq!(encode(&l, &zdc("65536", "12"), 4), Err(ZdcError::DoesNotFit("idSupport")));
        assert_eq!(encode(&l, &zdc("65535", "12345"), 4), Err(ZdcError::DoesNotFit("numeroApplicatif")));
        assert_eq!(encode(&l, &zdc("1", "12"), 3), Err(ZdcError::OutOfRange("numeroApplicatif")));
    }
}

//! Telling the card technology from its ATR.
//!
//! Contactless readers build an ATR for the card (PC/SC part 3). Facts from
//! shared/research/card-reading.md (PC/SC part 3 and pcsc-tools' smartcard list):
//!
//! * storage cards: `3B 8F 80 01 80 4F 0C A0 00 00 03 06 SS NN NN 00 00 00 00 TCK`, SS `03`
//!   (ISO 14443A-3) and NN `0001` Classic 1K, `0002` Classic 4K, `0003` Ultralight, `003A` Ultralight C;
//! * DESFire: `3B 81 80 01 80 80`;
//! * Calypso B′: `3B 8. 80 01 (80)? 5A 0A …`;
//! * other ISO 14443-4 cards: `3B 8x 80 01 …`.
//!
//! The spec (001, "Les types de cartes à prendre en compte") lists Mifare DESFire EV1 and EV2,
//! Ultralight C, Classic 1K and 4K, and Calypso. EV1 vs EV2 is not in the ATR: the DESFire reader
//! refines it with GetVersion.

use serde::Serialize;

/// The card technologies of specs 001, plus what the bridge can see but not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardType {
    /// DESFire seen from the ATR only, before GetVersion.
    Desfire,
    DesfireEv1,
    DesfireEv2,
    DesfireEv3,
    UltralightC,
    /// An Ultralight (not C): no ZDC defined for it in the spec.
    Ultralight,
    Classic1k,
    Classic4k,
    Calypso,
    /// Another ISO 14443-4 card.
    Iso14443_4,
    Unknown,
}

impl CardType {
    /// The stable name used in JSON (`cardType`).
    pub fn as_str(self) -> &'static str {
        match self {
            CardType::Desfire => "desfire",
            CardType::DesfireEv1 => "desfire-ev1",
            CardType::DesfireEv2 => "desfire-ev2",
            CardType::DesfireEv3 => "desfire-ev3",
            CardType::UltralightC => "ultralight-c",
            CardType::Ultralight => "ultralight",
            CardType::Classic1k => "classic-1k",
            CardType::Classic4k => "classic-4k",
            CardType::Calypso => "calypso",
            CardType::Iso14443_4 => "iso14443-4",
            CardType::Unknown => "unknown",
        }
    }
}

impl Serialize for CardType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The PC/SC storage-card ATR prefix, up to and including the RID and standard byte position.
const STORAGE_PREFIX: [u8; 12] = [0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06];

/// The DESFire ATR as PC/SC readers build it.
pub const DESFIRE_ATR: [u8; 6] = [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];

/// Classifies an ATR.
pub fn detect(atr: &[u8]) -> CardType {
    if atr.starts_with(&STORAGE_PREFIX) && atr.len() >= 15 {
        return match (atr[12], u16::from_be_bytes([atr[13], atr[14]])) {
            (0x03, 0x0001) => CardType::Classic1k,
            (0x03, 0x0002) => CardType::Classic4k,
            (0x03, 0x0003) => CardType::Ultralight,
            (0x03, 0x003A) => CardType::UltralightC,
            _ => CardType::Unknown,
        };
    }
    if atr == DESFIRE_ATR {
        return CardType::Desfire;
    }
    if atr.len() >= 5 && atr[0] == 0x3B && atr[1] & 0xF0 == 0x80 && atr[2..4] == [0x80, 0x01] {
        let historical = &atr[4..atr.len() - 1];
        let historical = historical.strip_prefix(&[0x80]).unwrap_or(historical);
        if historical.starts_with(&[0x5A, 0x0A]) {
            return CardType::Calypso;
        }
        return CardType::Iso14443_4;
    }
    CardType::Unknown
}

/// Builds a contactless ATR `3B 8n 80 01 <historical> TCK` (TCK = XOR of T0..last historical byte).
pub fn contactless_atr(historical: &[u8]) -> Vec<u8> {
    assert!(historical.len() <= 15, "at most 15 historical bytes");
    let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x80, 0x01];
    atr.extend_from_slice(historical);
    let tck = atr[1..].iter().fold(0, |acc, b| acc ^ b);
    atr.push(tck);
    atr
}

/// Builds the PC/SC part 3 storage-card ATR for standard `ss` and card name `nn`.
pub fn storage_atr(ss: u8, nn: u16) -> Vec<u8> {
    let [n1, n2] = nn.to_be_bytes();
    let mut historical = vec![0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, ss, n1, n2];
    historical.extend_from_slice(&[0, 0, 0, 0]);
    contactless_atr(&historical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_match_the_published_atrs() {
        assert_eq!(contactless_atr(&[0x80]), DESFIRE_ATR);
        // pcsc-tools' list: Mifare Classic 1K.
        assert_eq!(
            storage_atr(0x03, 0x0001),
            [0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0, 0, 0x03, 0x06, 0x03, 0, 0x01, 0, 0, 0, 0, 0x6A]
        );
    }

    #[test]
    fn detects_each_technology() {
        assert_eq!(detect(&DESFIRE_ATR), CardType::Desfire);
        assert_eq!(detect(&storage_atr(3, 1)), CardType::Classic1k);
        assert_eq!(detect(&storage_atr(3, 2)), CardType::Classic4k);
        assert_eq!(detect(&storage_atr(3, 3)), CardType::Ultralight);
        assert_eq!(detect(&storage_atr(3, 0x3A)), CardType::UltralightC);
        assert_eq!(detect(&contactless_atr(&[0x80, 0x5A, 0x0A, 1, 2, 0x20])), CardType::Calypso);
        assert_eq!(detect(&contactless_atr(&[0x5A, 0x0A, 1])), CardType::Calypso);
        assert_eq!(detect(&contactless_atr(&[0x80, 0x73])), CardType::Iso14443_4);
        assert_eq!(detect(&[0x3B, 0x00]), CardType::Unknown);
        assert_eq!(serde_json::to_string(&CardType::Classic1k).unwrap(), "\"classic-1k\"");
    }
}

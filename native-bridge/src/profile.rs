//! The card profile: where the ZDC lives on each card technology, and which keys open it.
//!
//! **This file format is the stand-in for the Cnous's proprietary card specifications.** Specs 001
//! ("Lecture de la carte Izly") says the ZDC reading programs need documents "à demander au cnous":
//! *CNOUS CARTE-SPEC DLL-GA.pdf* (NXP cards: DESFire, Ultralight C, Classic) and *Spécification
//! Lecture Carte Calypso sans SAM V1.pdf*, plus a DESFire AV2 SAM holding the keys. Their AIDs, file
//! numbers, offsets and keys are not public (public-facts.md), so the bridge implements the public
//! protocols and reads every one of those values from a profile file the operator installs
//! (`--profile`). The profile shipped in `profiles/test-cards.toml` describes the project's virtual
//! test cards only; it is not the Cnous layout.
//!
//! Keys: a DESFire section names either a `key` (test cards only: the key is then in a file on the
//! till) or a `sam` key reference (production: the key stays in the SAM in the second reader slot).

use std::path::Path;

use serde::{Deserialize, Deserializer};
use thiserror::Error;

use crate::apdu::parse_hex;

/// A whole card profile (TOML).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProfile {
    /// A human name, shown in logs ("test-cards", "cnous-2024"...).
    pub name: String,
    pub desfire: Option<DesfireProfile>,
    pub calypso: Option<CalypsoProfile>,
    pub classic: Option<ClassicProfile>,
    pub ultralight_c: Option<UltralightProfile>,
}

/// DESFire EV1/EV2: SelectApplication, AuthenticateAES, ReadData (plain communication mode).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesfireProfile {
    /// 3-byte application id, written most significant byte first (sent LSB first).
    #[serde(deserialize_with = "aid3")]
    pub aid: [u8; 3],
    /// The card key number used by AuthenticateAES.
    pub key_no: u8,
    /// AES-128 key, hex. Test cards only.
    #[serde(default, deserialize_with = "opt_key16")]
    pub key: Option<[u8; 16]>,
    /// Where the SAM holds the key (used when `key` is absent).
    pub sam: Option<SamKeyRef>,
    pub file_no: u8,
    pub offset: u32,
    pub length: u32,
    pub layout: ZdcLayout,
}

/// A key entry in the SAM AV2 key store.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamKeyRef {
    pub key_no: u8,
    pub key_version: u8,
}

/// Calypso: select by AID, then Read Record (the spec's "lecture sans SAM").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalypsoProfile {
    #[serde(deserialize_with = "hex_bytes")]
    pub aid: Vec<u8>,
    pub sfi: u8,
    pub record: u8,
    /// Le of Read Record (0 = whole record).
    #[serde(default)]
    pub length: u8,
    pub layout: ZdcLayout,
}

/// Mifare Classic 1K/4K through the PC/SC storage-card pseudo-APDUs (LOAD KEY, GENERAL
/// AUTHENTICATE, READ BINARY).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassicProfile {
    pub key_type: ClassicKeyType,
    #[serde(deserialize_with = "key6")]
    pub key: [u8; 6],
    /// Blocks read, in order; their 16-byte contents are concatenated.
    pub blocks: Vec<u8>,
    pub layout: ZdcLayout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ClassicKeyType {
    A,
    B,
}

/// Ultralight C through READ BINARY of pages (4 bytes each).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UltralightProfile {
    pub start_page: u8,
    pub pages: u8,
    pub layout: ZdcLayout,
}

/// Where idSupport and numeroApplicatif sit in the bytes read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZdcLayout {
    /// NUM_CARTE: "un nombre jusqu'à 15 chiffres" (public-facts.md: idZdc).
    pub id_support: Field,
    /// NUM_APPLICATIF (`rid`), seen equal to the 7-byte UID.
    pub numero_applicatif: Field,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub length: usize,
    pub encoding: Encoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Packed BCD, `F` nibbles as padding.
    Bcd,
    /// Unsigned big-endian integer.
    UintBe,
    /// The bytes as upper-case hex.
    Hex,
    /// Not in the data: the card's UID as upper-case hex (offset/length ignored).
    Uid,
}

#[derive(Debug, Error)]
pub enum ProfileError {
    #[error("cannot read card profile {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("invalid card profile {path}: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("invalid card profile: {0}")]
    Invalid(String),
}

impl CardProfile {
    /// Loads and checks a profile file.
    pub fn load(path: &Path) -> Result<Self, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io { path: shown.clone(), source })?;
        let profile: Self = toml::from_str(&text).map_err(|source| ProfileError::Parse { path: shown, source })?;
        profile.check()?;
        Ok(profile)
    }

    /// Parses a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        let profile: Self =
            toml::from_str(text).map_err(|source| ProfileError::Parse { path: "<text>".into(), source })?;
        profile.check()?;
        Ok(profile)
    }

    /// The profile of the project's virtual test cards (`profiles/test-cards.toml`).
    pub fn test_cards() -> Self {
        Self::from_toml(include_str!("../profiles/test-cards.toml")).expect("the bundled test profile is valid")
    }

    /// Whether reading a card needs the SAM reader.
    pub fn needs_sam(&self) -> bool {
        self.desfire.as_ref().is_some_and(|d| d.key.is_none())
    }

    fn check(&self) -> Result<(), ProfileError> {
        if let Some(d) = &self.desfire {
            if d.key.is_none() && d.sam.is_none() {
                return Err(ProfileError::Invalid("[desfire] needs either `key` (test cards) or `sam`".into()));
            }
            check_layout("desfire", &d.layout, d.length as usize)?;
        }
        if let Some(c) = &self.calypso {
            if c.aid.is_empty() || c.aid.len() > 16 {
                return Err(ProfileError::Invalid("[calypso] aid must be 1 to 16 bytes".into()));
            }
            if c.sfi == 0 || c.sfi > 30 {
                return Err(ProfileError::Invalid("[calypso] sfi must be 1..=30".into()));
            }
            check_layout("calypso", &c.layout, if c.length == 0 { 255 } else { c.length as usize })?;
        }
        if let Some(c) = &self.classic {
            if c.blocks.is_empty() || c.blocks.iter().any(|b| is_sector_trailer(*b)) {
                return Err(ProfileError::Invalid("[classic] blocks must be non-empty data blocks".into()));
            }
            check_layout("classic", &c.layout, c.blocks.len() * 16)?;
        }
        if let Some(u) = &self.ultralight_c {
            if u.pages == 0 {
                return Err(ProfileError::Invalid("[ultralight_c] pages must be > 0".into()));
            }
            check_layout("ultralight_c", &u.layout, u.pages as usize * 4)?;
        }
        Ok(())
    }
}

/// Classic sector of a block (1K: 16 sectors of 4 blocks; 4K: then 8 sectors of 16 blocks).
pub fn classic_sector(block: u8) -> u8 {
    if block < 128 { block / 4 } else { 32 + (block - 128) / 16 }
}

fn is_sector_trailer(block: u8) -> bool {
    if block < 128 { block % 4 == 3 } else { (block - 128) % 16 == 15 }
}

fn check_layout(section: &str, layout: &ZdcLayout, available: usize) -> Result<(), ProfileError> {
    for (name, field) in [("id_support", &layout.id_support), ("numero_applicatif", &layout.numero_applicatif)] {
        if field.encoding == Encoding::Uid {
            continue;
        }
        if field.length == 0 || field.offset + field.length > available {
            return Err(ProfileError::Invalid(format!(
                "[{section}.layout] {name} ({} bytes at {}) does not fit in the {available} bytes read",
                field.length, field.offset
            )));
        }
    }
    Ok(())
}

fn hex_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    parse_hex(&text).ok_or_else(|| serde::de::Error::custom(format!("not hex: {text:?}")))
}

fn fixed<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
    let bytes = hex_bytes(d)?;
    bytes.try_into().map_err(|b: Vec<u8>| serde::de::Error::custom(format!("expected {N} bytes, got {}", b.len())))
}

fn aid3<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 3], D::Error> {
    fixed::<D, 3>(d)
}

fn key6<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 6], D::Error> {
    fixed::<D, 6>(d)
}

fn opt_key16<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[u8; 16]>, D::Error> {
    fixed::<D, 16>(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_test_profile_loads() {
        let p = CardProfile::test_cards();
        assert!(p.desfire.is_some() && p.calypso.is_some() && p.classic.is_some() && p.ultralight_c.is_some());
        assert!(!p.needs_sam());
    }

    #[test]
    fn refuses_a_layout_outside_the_data_read() {
        let text = include_str!("../profiles/test-cards.toml").replace("pages = 8", "pages = 1");
        assert!(matches!(CardProfile::from_toml(&text), Err(ProfileError::Invalid(_))));
    }

    #[test]
    fn refuses_desfire_without_key_source() {
        let text = include_str!("../profiles/test-cards.toml")
            .replace("key = \"2B7E151628AED2A6ABF7158809CF4F3C\"", "");
        let text = text.replace("[desfire.sam]\nkey_no = 32\nkey_version = 0\n", "");
        assert!(CardProfile::from_toml(&text).is_err());
    }

    #[test]
    fn sectors() {
        assert_eq!(classic_sector(5), 1);
        assert_eq!(classic_sector(130), 32);
        assert!(is_sector_trailer(7) && is_sector_trailer(143) && !is_sector_trailer(4));
    }
}

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
use crate::virtual_card::{Technology, TestIdentity};
use crate::zdc;

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
    /// Named virtual test cards (`[[test_cards]]`): the cards the simulated reader can "tap"
    /// (`--simulated`, `simulateTap`). Test profiles only; a production profile has none.
    #[serde(default)]
    pub test_cards: Vec<TestCardSpec>,
}

/// One named virtual test card: its technology and identifiers, laid out on the card as the rest
/// of the profile says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCardSpec {
    /// The name a page sends in `simulateTap` (unique in the profile).
    pub name: String,
    /// What a page may show on a button.
    pub label: Option<String>,
    pub technology: Technology,
    #[serde(deserialize_with = "hex_bytes")]
    pub uid: Vec<u8>,
    pub id_support: String,
    pub numero_applicatif: String,
}

impl TestCardSpec {
    /// The identifiers the card carries.
    pub fn identity(&self) -> TestIdentity {
        TestIdentity::new(&self.uid, &self.id_support, &self.numero_applicatif)
    }
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

    /// The test card named `name`.
    pub fn test_card(&self, name: &str) -> Option<&TestCardSpec> {
        self.test_cards.iter().find(|c| c.name == name)
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
        for (i, card) in self.test_cards.iter().enumerate() {
            if card.name.is_empty() || self.test_cards[..i].iter().any(|c| c.name == card.name) {
                return Err(ProfileError::Invalid(format!("[[test_cards]] name {:?} is empty or repeated", card.name)));
            }
            if !(4..=10).contains(&card.uid.len()) {
                return Err(ProfileError::Invalid(format!("test card {:?}: uid must be 4 to 10 bytes", card.name)));
            }
            self.check_test_card(card)
                .map_err(|why| ProfileError::Invalid(format!("test card {:?}: {why}", card.name)))?;
        }
        Ok(())
    }
}

impl CardProfile {
    /// A test card's identifiers must survive its technology's layout: written as the virtual card
    /// writes them, they must read back unchanged (else the card could never be "tapped").
    fn check_test_card(&self, card: &TestCardSpec) -> Result<(), String> {
        let section = match card.technology {
            Technology::DesfireEv1 | Technology::DesfireEv2 => {
                self.desfire.as_ref().map(|d| (&d.layout, d.length as usize))
            }
            // The virtual Calypso card's record is 29 bytes.
            Technology::Calypso => self.calypso.as_ref().map(|c| (&c.layout, 29)),
            Technology::Classic1k | Technology::Classic4k => {
                self.classic.as_ref().map(|c| (&c.layout, c.blocks.len() * 16))
            }
            Technology::UltralightC => self.ultralight_c.as_ref().map(|u| (&u.layout, u.pages as usize * 4)),
        };
        let (layout, len) = section.ok_or("its technology has no section in the profile")?;
        let identity = card.identity();
        let data = zdc::encode(layout, &identity.zdc, len).map_err(|e| e.to_string())?;
        let back = zdc::decode(layout, &data, &card.uid).map_err(|e| e.to_string())?;
        if back != identity.zdc {
            return Err(format!("reads back as {back:?} with this layout"));
        }
        Ok(())
    }
}

/// Classic sector of a block (1K: 16 sectors of 4 blocks; 4K: then 8 sectors of 16 blocks).
pub fn classic_sector(block: u8) -> u8 {
    if block < 128 {
        block / 4
    } else {
        32 + (block - 128) / 16
    }
}

fn is_sector_trailer(block: u8) -> bool {
    if block < 128 {
        block % 4 == 3
    } else {
        (block - 128) % 16 == 15
    }
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
        let camille = p.test_card("camille-desfire-ev2").unwrap();
        assert_eq!((camille.id_support.as_str(), camille.numero_applicatif.as_str()), ("04A1B2C3D4E5F6", "1000001"));
        for technology in [
            Technology::DesfireEv1,
            Technology::DesfireEv2,
            Technology::Calypso,
            Technology::Classic1k,
            Technology::Classic4k,
            Technology::UltralightC,
        ] {
            assert!(p.test_cards.iter().any(|c| c.technology == technology), "{technology:?}");
        }
    }

    #[test]
    fn refuses_test_cards_that_cannot_be_made() {
        let text = include_str!("../profiles/test-cards.toml");
        let repeated = text.replace("name = \"ines-desfire-ev2\"", "name = \"leo-desfire-ev2\"");
        assert!(matches!(CardProfile::from_toml(&repeated), Err(ProfileError::Invalid(_))));
        // 16 hex digits do not fit the 7-byte idSupport field.
        let too_long = text.replace("id_support = \"04C0FFEE000001\"", "id_support = \"04C0FFEE00000102\"");
        assert!(matches!(CardProfile::from_toml(&too_long), Err(ProfileError::Invalid(_))));
        // A BCD field holds digits only.
        let not_digits = text.replace("numero_applicatif = \"1000002\"", "numero_applicatif = \"10A0002\"");
        assert!(matches!(CardProfile::from_toml(&not_digits), Err(ProfileError::Invalid(_))));
    }

    #[test]
    fn refuses_a_layout_outside_the_data_read() {
        let text = include_str!("../profiles/test-cards.toml").replace("pages = 8", "pages = 1");
        assert!(matches!(CardProfile::from_toml(&text), Err(ProfileError::Invalid(_))));
    }

    #[test]
    fn refuses_desfire_without_key_source() {
        let text =
            include_str!("../profiles/test-cards.toml").replace("key = \"2B7E151628AED2A6ABF7158809CF4F3C\"", "");
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

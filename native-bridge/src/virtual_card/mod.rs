//! Virtual cards and a virtual SAM, speaking the vpcd protocol (shared/TOOLCHAIN.md).
//!
//! They let the tests (and the demo) go through a real pcscd with the `vsmartcard-vpcd` driver:
//! vpcd waits for a card on TCP 127.0.0.1:35963 ("Virtual PCD 00 00") and :35964 ("Virtual PCD
//! 00 01"); a card is a TCP client answering 2-byte-length-framed messages; closing the socket
//! removes the card. The card logic ([`VirtualCard`]) is independent of that transport, so the same
//! cards also serve as in-process channels in unit tests and on the simulated reader
//! ([`crate::simulated`], `--simulated`). The profile's `[[test_cards]]` name the ones a page taps.
//!
//! None of these cards carries Cnous data or keys: their layout is `profiles/test-cards.toml`.

pub mod calypso;
pub mod desfire;
pub mod sam;
pub mod storage;
pub mod vpcd;

use crate::apdu::{CardChannel, ChannelError};
use crate::profile::CardProfile;
use crate::zdc::Zdc;

/// The behaviour of a card: its ATR and its answers to command APDUs.
pub trait VirtualCard: Send {
    fn atr(&self) -> Vec<u8>;
    /// Power-on or reset: forget any session state.
    fn reset(&mut self);
    /// Answers one command APDU (response data + SW1 SW2).
    fn process(&mut self, apdu: &[u8]) -> Vec<u8>;
}

impl<C: VirtualCard + ?Sized> VirtualCard for Box<C> {
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
    fn reset(&mut self) {
        (**self).reset()
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        (**self).process(apdu)
    }
}

impl<C: VirtualCard + ?Sized> VirtualCard for &mut C {
    fn atr(&self) -> Vec<u8> {
        (**self).atr()
    }
    fn reset(&mut self) {
        (**self).reset()
    }
    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        (**self).process(apdu)
    }
}

/// An in-process channel to a virtual card (no pcscd): unit tests and the simulator.
pub struct Direct<C>(pub C);

impl<C: VirtualCard> CardChannel for Direct<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ChannelError> {
        Ok(self.0.process(command))
    }
}

/// The identifiers a test card carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestIdentity {
    pub uid: Vec<u8>,
    pub zdc: Zdc,
}

impl TestIdentity {
    pub fn new(uid: &[u8], id_support: &str, numero_applicatif: &str) -> Self {
        Self {
            uid: uid.to_vec(),
            zdc: Zdc { id_support: id_support.into(), numero_applicatif: numero_applicatif.into() },
        }
    }
}

/// Which test card to make (kebab-case in a profile's `[[test_cards]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Technology {
    DesfireEv1,
    DesfireEv2,
    Calypso,
    #[serde(rename = "classic-1k")]
    Classic1k,
    #[serde(rename = "classic-4k")]
    Classic4k,
    UltralightC,
}

impl Technology {
    /// The name used in profiles and in `listTestCards`.
    pub fn as_str(self) -> &'static str {
        match self {
            Technology::DesfireEv1 => "desfire-ev1",
            Technology::DesfireEv2 => "desfire-ev2",
            Technology::Calypso => "calypso",
            Technology::Classic1k => "classic-1k",
            Technology::Classic4k => "classic-4k",
            Technology::UltralightC => "ultralight-c",
        }
    }
}

/// The panic message of a virtual card whose identifiers do not fit the layout: test data only
/// (a profile's `[[test_cards]]` are checked when it loads).
pub(crate) const FITS: &str = "the test card's identifiers fit the profile's layout";

/// Builds a virtual card of `technology` holding `identity`, laid out as `profile` says.
/// A DESFire card needs the profile's test `key` (see [`can_make`]).
pub fn make_card(technology: Technology, profile: &CardProfile, identity: &TestIdentity) -> Box<dyn VirtualCard> {
    match technology {
        Technology::DesfireEv1 => Box::new(desfire::VirtualDesfire::new(profile, identity, 0x01)),
        Technology::DesfireEv2 => Box::new(desfire::VirtualDesfire::new(profile, identity, 0x12)),
        Technology::Calypso => Box::new(calypso::VirtualCalypso::new(profile, identity)),
        Technology::Classic1k => Box::new(storage::VirtualClassic::new(profile, identity, false)),
        Technology::Classic4k => Box::new(storage::VirtualClassic::new(profile, identity, true)),
        Technology::UltralightC => Box::new(storage::VirtualUltralightC::new(profile, identity)),
    }
}

/// Whether [`make_card`] can build `technology` from `profile`: a DESFire card is keyed with the
/// profile's test key, absent from a production (SAM) profile.
pub fn can_make(technology: Technology, profile: &CardProfile) -> bool {
    match technology {
        Technology::DesfireEv1 | Technology::DesfireEv2 => profile.desfire.as_ref().is_some_and(|d| d.key.is_some()),
        Technology::Calypso => profile.calypso.is_some(),
        Technology::Classic1k | Technology::Classic4k => profile.classic.is_some(),
        Technology::UltralightC => profile.ultralight_c.is_some(),
    }
}

/// The `FF CA 00 00 00` answer every virtual contactless card gives (the reader's job in real life).
pub(crate) fn get_data_uid(apdu: &[u8], uid: &[u8]) -> Option<Vec<u8>> {
    if apdu.len() >= 4 && apdu[..4] == [0xFF, 0xCA, 0x00, 0x00] {
        return Some([uid, &[0x90, 0x00]].concat());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::read_card;

    fn read(technology: Technology, identity: &TestIdentity) -> crate::read::CardRead {
        let profile = CardProfile::test_cards();
        let card = make_card(technology, &profile, identity);
        let atr = card.atr();
        let mut channel = Direct(card);
        read_card(&mut channel, None, &atr, &profile).unwrap()
    }

    #[test]
    fn every_named_test_card_reads_in_process_as_its_ids() {
        let profile = CardProfile::test_cards();
        for spec in &profile.test_cards {
            let got = read(spec.technology, &spec.identity());
            assert_eq!(got.card_type.as_str(), spec.technology.as_str(), "{}", spec.name);
            assert_eq!(got.uid, crate::apdu::hex_upper(&spec.uid));
            assert_eq!(
                (got.id_support.as_str(), got.numero_applicatif.as_str()),
                (&*spec.id_support, &*spec.numero_applicatif)
            );
        }
    }

    #[test]
    fn desfire_through_the_virtual_sam() {
        let cards = CardProfile::test_cards();
        let mut profile = cards.clone();
        let key = profile.desfire.as_mut().unwrap().key.take().unwrap();
        assert!(profile.needs_sam());
        let id = TestIdentity::new(&[4, 1, 2, 3, 4, 5, 6], "04010203040506", "42");
        let card = make_card(Technology::DesfireEv1, &cards, &id);
        let atr = card.atr();
        let mut channel = Direct(card);
        let mut sam = Direct(sam::VirtualSam::new(&[(32, 0, key)]));
        let got = read_card(&mut channel, Some(&mut sam), &atr, &profile).unwrap();
        assert_eq!((got.id_support.as_str(), got.numero_applicatif.as_str()), ("04010203040506", "42"));
        // Without the SAM: a clean error. With a SAM holding a wrong key: authentication fails.
        let mut channel = Direct(make_card(Technology::DesfireEv1, &cards, &id));
        let err = read_card(&mut channel, None, &atr, &profile).unwrap_err();
        assert_eq!(err.code(), "samError");
        let mut channel = Direct(make_card(Technology::DesfireEv1, &cards, &id));
        let mut bad_sam = Direct(sam::VirtualSam::new(&[(32, 0, [9; 16])]));
        let err = read_card(&mut channel, Some(&mut bad_sam), &atr, &profile).unwrap_err();
        assert_eq!(err.code(), "authenticationFailed");
    }

    #[test]
    fn wrong_test_key_is_an_authentication_error() {
        let mut profile = CardProfile::test_cards();
        let id = TestIdentity::new(&[4, 1, 2, 3, 4, 5, 6], "04010203040506", "42");
        let card = make_card(Technology::DesfireEv1, &profile, &id);
        profile.desfire.as_mut().unwrap().key = Some([0; 16]);
        let atr = card.atr();
        let err = read_card(&mut Direct(card), None, &atr, &profile).unwrap_err();
        assert_eq!(err.code(), "authenticationFailed");
    }
}

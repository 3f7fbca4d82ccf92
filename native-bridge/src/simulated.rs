//! The in-process simulated reader (`--simulated`): one reader, [`SIMULATED_READER`], on which a
//! page "taps" the profile's named test cards (`[[test_cards]]`), so that the demo runs on a machine
//! without PC/SC. No pcscd is involved: the cards are the same [`crate::virtual_card`] objects the
//! vpcd tests insert into a real pcscd, and they are read by the same ZDC code
//! ([`crate::read::read_counted`]) through an in-process channel.
//!
//! Our choices (the specs know nothing of a simulator):
//! * `simulateTap` puts the card on the reader, where it stays, as an Izly card left on a till's
//!   reader: `cardInserted` now, any number of `readCard`, `cardRemoved` at `simulateRemove`;
//! * tapping while a card is on the reader lifts that card first (`cardRemoved`, then `cardInserted`);
//! * each reading starts from a reset card (a PC/SC connect powers the card up);
//! * the simulated reader has no SAM: a profile whose DESFire key is in the SAM cannot simulate
//!   DESFire cards (refused at start).

use std::sync::Mutex;

use thiserror::Error;

use crate::apdu::ChannelError;
use crate::atr::{detect, CardType};
use crate::profile::CardProfile;
use crate::read::{read_counted, Reading};
use crate::reader_access::ReaderAccess;
use crate::tech::ReadError;
use crate::virtual_card::{can_make, make_card, Direct, VirtualCard};
use crate::watcher::{Feed, Watcher};

/// The simulated reader's name, as `listReaders` and events show it.
pub const SIMULATED_READER: &str = "crous-till Simulated Reader 00";

/// Why the simulated reader cannot start, or refused a page's request.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SimulationError {
    #[error("the card profile has no [[test_cards]] to simulate")]
    NoTestCards,
    #[error("test card {0:?} cannot be simulated: its DESFire key is in the SAM (no `key` in [desfire])")]
    CannotMake(String),
    #[error("no test card named {0:?} (see listTestCards)")]
    UnknownCard(String),
    #[error("no reader named {0:?}")]
    UnknownReader(String),
    #[error("no card on the simulated reader")]
    NoCard,
}

impl SimulationError {
    /// The stable error code sent to pages.
    pub fn code(&self) -> &'static str {
        match self {
            SimulationError::UnknownCard(_) => "unknownTestCard",
            SimulationError::UnknownReader(_) => "unknownReader",
            SimulationError::NoCard => "noCard",
            SimulationError::NoTestCards | SimulationError::CannotMake(_) => "internal",
        }
    }
}

/// The card on the reader.
struct OnReader {
    name: String,
    card: Box<dyn VirtualCard>,
}

/// The simulated reader and its card slot.
pub struct SimulatedReader {
    profile: CardProfile,
    slot: Mutex<Option<OnReader>>,
    feed: Feed,
}

/// What a tap put on the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tapped {
    pub reader: &'static str,
    pub card: String,
    pub card_type: CardType,
}

impl SimulatedReader {
    /// A simulated reader for `profile`'s test cards, with the watcher pages subscribe to. Every
    /// test card must be buildable.
    pub fn new(profile: &CardProfile) -> Result<(Self, Watcher), SimulationError> {
        if profile.test_cards.is_empty() {
            return Err(SimulationError::NoTestCards);
        }
        if let Some(card) = profile.test_cards.iter().find(|c| !can_make(c.technology, profile)) {
            return Err(SimulationError::CannotMake(card.name.clone()));
        }
        let (watcher, feed) = Watcher::fed();
        feed.reader_added(SIMULATED_READER);
        Ok((Self { profile: profile.clone(), slot: Mutex::new(None), feed }, watcher))
    }

    /// The profile holding the test cards.
    pub fn profile(&self) -> &CardProfile {
        &self.profile
    }

    /// The name of the card on the reader, if any.
    pub fn card_on_reader(&self) -> Option<String> {
        self.slot.lock().expect("slot lock").as_ref().map(|c| c.name.clone())
    }

    fn check_reader(reader: Option<&str>) -> Result<(), SimulationError> {
        match reader {
            Some(name) if name != SIMULATED_READER => Err(SimulationError::UnknownReader(name.into())),
            _ => Ok(()),
        }
    }

    /// Puts the test card `name` on the reader (lifting the one there first). An unknown name
    /// changes nothing.
    pub fn tap(&self, name: &str, reader: Option<&str>) -> Result<Tapped, SimulationError> {
        Self::check_reader(reader)?;
        let spec = self.profile.test_card(name).ok_or_else(|| SimulationError::UnknownCard(name.into()))?;
        let card = make_card(spec.technology, &self.profile, &spec.identity());
        let atr = card.atr();
        // Events are sent under the slot lock, so concurrent taps give well-ordered events.
        let mut slot = self.slot.lock().expect("slot lock");
        if slot.take().is_some() {
            self.feed.card_removed(SIMULATED_READER);
        }
        *slot = Some(OnReader { name: name.into(), card });
        self.feed.card_inserted(SIMULATED_READER, &atr);
        Ok(Tapped { reader: SIMULATED_READER, card: name.into(), card_type: detect(&atr) })
    }

    /// Takes the card off the reader; returns its name.
    pub fn remove(&self, reader: Option<&str>) -> Result<String, SimulationError> {
        Self::check_reader(reader)?;
        let mut slot = self.slot.lock().expect("slot lock");
        let card = slot.take().ok_or(SimulationError::NoCard)?;
        self.feed.card_removed(SIMULATED_READER);
        Ok(card.name)
    }

    /// Runs `f` on the card on `reader`.
    fn with_card<T>(
        &self,
        reader: &str,
        f: impl FnOnce(&mut dyn VirtualCard) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        if reader != SIMULATED_READER {
            return Err(ReadError::Channel(ChannelError::ReaderUnavailable));
        }
        let mut slot = self.slot.lock().expect("slot lock");
        let on_reader = slot.as_mut().ok_or(ReadError::Channel(ChannelError::NoCard))?;
        f(on_reader.card.as_mut())
    }
}

impl ReaderAccess for SimulatedReader {
    /// The simulated reader has no SAM slot: `sam_reader` is not used.
    fn read(&self, reader: &str, _sam_reader: Option<&str>, profile: &CardProfile) -> Result<Reading, ReadError> {
        self.with_card(reader, |card| {
            card.reset();
            let atr = card.atr();
            read_counted(&mut Direct(card), None, &atr, profile)
        })
    }

    fn transmit(&self, reader: &str, apdu: &[u8]) -> Result<Vec<u8>, ChannelError> {
        self.with_card(reader, |card| Ok(card.process(apdu))).map_err(|error| match error {
            ReadError::Channel(channel) => channel,
            other => ChannelError::Transport(other.to_string()),
        })
    }

    fn simulator(&self) -> Option<&SimulatedReader> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watcher::ReaderEvent;

    #[test]
    fn tap_read_and_remove_in_process() {
        let profile = CardProfile::test_cards();
        let (reader, watcher) = SimulatedReader::new(&profile).unwrap();
        let mut events = watcher.subscribe();
        assert_eq!(reader.tap("nobody", None), Err(SimulationError::UnknownCard("nobody".into())));
        assert!(events.try_recv().is_err(), "an unknown card changes nothing");
        let err = reader.read(SIMULATED_READER, None, &profile).err().unwrap();
        assert_eq!(err.code(), "noCard");

        let tapped = reader.tap("ines-desfire-ev2", None).unwrap();
        assert_eq!(tapped.card_type, CardType::Desfire);
        assert!(matches!(events.try_recv(), Ok(ReaderEvent::CardInserted { .. })));
        let reading = reader.read(SIMULATED_READER, None, &profile).unwrap();
        assert_eq!(
            (reading.card.id_support.as_str(), reading.card.numero_applicatif.as_str()),
            ("04C0FFEE000001", "1000002")
        );
        // A second tap lifts the first card.
        reader.tap("leo-desfire-ev2", None).unwrap();
        assert!(matches!(events.try_recv(), Ok(ReaderEvent::CardRemoved { .. })));
        assert!(matches!(events.try_recv(), Ok(ReaderEvent::CardInserted { .. })));
        assert_eq!(reader.read(SIMULATED_READER, None, &profile).unwrap().card.id_support, "04B10C4ED00001");
        assert_eq!(reader.remove(None).unwrap(), "leo-desfire-ev2");
        assert_eq!(reader.remove(None), Err(SimulationError::NoCard));
        assert!(!watcher.readers()[0].card_present);
    }

    #[test]
    fn refuses_a_profile_it_cannot_simulate() {
        let mut profile = CardProfile::test_cards();
        profile.desfire.as_mut().unwrap().key = None;
        assert!(matches!(SimulatedReader::new(&profile), Err(SimulationError::CannotMake(_))));
        profile.test_cards.clear();
        assert!(matches!(SimulatedReader::new(&profile), Err(SimulationError::NoTestCards)));
    }
}

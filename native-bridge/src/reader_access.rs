//! Reader access behind one trait, so that the server, the watcher's events and readCard are the
//! same code whether the cards are in PC/SC readers (pcscd) or on the in-process simulated reader
//! (`--simulated`, [`crate::simulated`]).

use std::sync::Arc;

use crate::apdu::ChannelError;
use crate::pcsc_io;
use crate::profile::CardProfile;
use crate::read::Reading;
use crate::simulated::{SimulatedReader, SimulationError};
use crate::tech::ReadError;
use crate::watcher::Watcher;

/// Where the cards are read. The calls block (the server runs them on tokio's blocking pool).
pub trait ReaderAccess: Send + Sync {
    /// Reads the card in `reader`, with the SAM in `sam_reader` when the profile needs it.
    fn read(&self, reader: &str, sam_reader: Option<&str>, profile: &CardProfile) -> Result<Reading, ReadError>;

    /// Sends one raw APDU to the card in `reader` (only when the operator enabled raw APDUs).
    fn transmit(&self, reader: &str, apdu: &[u8]) -> Result<Vec<u8>, ChannelError>;

    /// The simulated reader, when this is one: `simulateTap` / `simulateRemove` reach it.
    fn simulator(&self) -> Option<&SimulatedReader> {
        None
    }
}

/// The PC/SC readers, through pcscd.
pub struct Pcsc;

impl ReaderAccess for Pcsc {
    fn read(&self, reader: &str, sam_reader: Option<&str>, profile: &CardProfile) -> Result<Reading, ReadError> {
        pcsc_io::read_reader(reader, sam_reader, profile)
    }

    fn transmit(&self, reader: &str, apdu: &[u8]) -> Result<Vec<u8>, ChannelError> {
        pcsc_io::transmit_raw(reader, apdu)
    }
}

/// The watcher and the reader access of a bridge: PC/SC (the readers named in `hidden`, the SAM
/// slot, left out), or the simulated reader holding `profile`'s test cards.
pub fn open(
    simulated: bool,
    hidden: Vec<String>,
    profile: &CardProfile,
) -> Result<(Arc<Watcher>, Arc<dyn ReaderAccess>), SimulationError> {
    if simulated {
        let (reader, watcher) = SimulatedReader::new(profile)?;
        Ok((Arc::new(watcher), Arc::new(reader)))
    } else {
        Ok((Arc::new(Watcher::spawn(hidden)), Arc::new(Pcsc)))
    }
}

//! Reading a card through pcscd: a [`CardChannel`] over a `pcsc::Card`, and the error mapping.
//!
//! Each reading establishes its own PC/SC context: after pcscd restarts, an old context answers
//! `NoService` forever (research/card-reading.md), and a reading is rare enough for the cost.

use pcsc::{Card, Context, Error, Protocols, Scope, ShareMode};

use crate::apdu::{CardChannel, ChannelError};
use crate::profile::CardProfile;
use crate::read::read_counted;
pub use crate::read::Reading;
use crate::tech::ReadError;

/// Maps a PC/SC error to what it means for the exchange under way.
pub fn map_error(error: Error) -> ChannelError {
    match error {
        Error::RemovedCard | Error::ResetCard | Error::UnpoweredCard | Error::UnresponsiveCard => {
            ChannelError::CardRemoved
        }
        Error::NoSmartcard => ChannelError::NoCard,
        Error::NoService
        | Error::ServiceStopped
        | Error::ReaderUnavailable
        | Error::UnknownReader
        | Error::InvalidHandle
        | Error::NoReadersAvailable => ChannelError::ReaderUnavailable,
        other => ChannelError::Transport(other.to_string()),
    }
}

/// An APDU channel over a connected card.
pub struct PcscChannel<'a> {
    card: &'a Card,
    buffer: Vec<u8>,
}

impl<'a> PcscChannel<'a> {
    pub fn new(card: &'a Card) -> Self {
        Self { card, buffer: vec![0; pcsc::MAX_BUFFER_SIZE] }
    }
}

impl CardChannel for PcscChannel<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ChannelError> {
        match self.card.transmit(command, &mut self.buffer) {
            // vpcd (and some readers) report a card lost mid-exchange as an empty response.
            Ok([]) | Ok([_]) if !card_still_there(self.card) => Err(ChannelError::CardRemoved),
            Ok(answer) => Ok(answer.to_vec()),
            Err(error) => {
                // A transport error while the card left the field is a removal: ask the reader.
                let mapped = map_error(error);
                if matches!(mapped, ChannelError::Transport(_)) && !card_still_there(self.card) {
                    return Err(ChannelError::CardRemoved);
                }
                Err(mapped)
            }
        }
    }
}

/// Whether the card is still in the field. pcscd learns of a removal from the reader's polling,
/// so a "yes" is re-checked for a short while before it is believed.
fn card_still_there(card: &Card) -> bool {
    for _ in 0..10 {
        let present = card.status2_owned().is_ok_and(|s| s.status().contains(pcsc::Status::PRESENT));
        if !present {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    true
}

fn connect(ctx: &Context, reader: &str) -> Result<Card, ChannelError> {
    let name = std::ffi::CString::new(reader).map_err(|_| ChannelError::ReaderUnavailable)?;
    ctx.connect(&name, ShareMode::Exclusive, Protocols::ANY).map_err(map_error)
}

/// Reads the card in `reader`, using the SAM in `sam_reader` when the profile needs it.
pub fn read_reader(reader: &str, sam_reader: Option<&str>, profile: &CardProfile) -> Result<Reading, ReadError> {
    let ctx = Context::establish(Scope::User).map_err(map_error)?;
    let card = connect(&ctx, reader)?;
    let atr = card.status2_owned().map_err(map_error)?.atr().to_vec();
    let mut channel = PcscChannel::new(&card);
    let sam_card = match (profile.needs_sam(), sam_reader) {
        (true, Some(sam)) => Some(connect(&ctx, sam).map_err(|_| ReadError::SamUnavailable)?),
        _ => None,
    };
    let mut sam_channel = sam_card.as_ref().map(PcscChannel::new);
    let result = read_counted(&mut channel, sam_channel.as_mut().map(|c| c as &mut dyn CardChannel), &atr, profile);
    let _ = card.disconnect(pcsc::Disposition::LeaveCard);
    result
}

/// Sends one raw APDU (only when the operator enabled raw APDUs; never to the SAM reader).
pub fn transmit_raw(reader: &str, apdu: &[u8]) -> Result<Vec<u8>, ChannelError> {
    let ctx = Context::establish(Scope::User).map_err(map_error)?;
    let card = connect(&ctx, reader)?;
    PcscChannel::new(&card).transmit(apdu)
}

//! ZDC reading, one implementation of [`ZdcReader`] per card technology.
//!
//! Each implements a public protocol (DESFire native commands ISO-wrapped, Calypso select + read
//! record, PC/SC storage-card pseudo-APDUs); where the data sits and which keys open it comes from
//! the [`CardProfile`](crate::profile::CardProfile), the stand-in for the Cnous's documents.

pub mod calypso;
pub mod desfire;
pub mod storage;

use thiserror::Error;

use crate::apdu::{CardChannel, ChannelError, Response, TruncatedResponse};
use crate::atr::CardType;
use crate::zdc::ZdcError;

/// The raw ZDC bytes, and the card type when reading refined it (DESFire EV1/EV2 from GetVersion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawZdc {
    pub card_type: Option<CardType>,
    pub data: Vec<u8>,
}

/// Reads the ZDC bytes of one card technology.
pub trait ZdcReader {
    /// Reads the bytes the profile's layout is applied to, from `card`, with the SAM slot's
    /// channel when one is connected; `uid` was read before (GET DATA).
    fn read_zdc(
        &self,
        card: &mut dyn CardChannel,
        sam: Option<&mut dyn CardChannel>,
        uid: &[u8],
    ) -> Result<RawZdc, ReadError>;
}

/// Why a card could not be read. Each maps to one stable `error.code` of the WebSocket protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error("card type {0} is not supported")]
    Unsupported(&'static str),
    #[error("the card profile has no [{0}] section")]
    NotInProfile(&'static str),
    #[error("{step} failed with status {sw:04X}")]
    Status { step: &'static str, sw: u16 },
    #[error("the card failed authentication")]
    AuthenticationFailed,
    #[error("the profile needs the SAM but no SAM is available")]
    SamUnavailable,
    #[error("the SAM refused: status {0:04X}")]
    Sam(u16),
    #[error("malformed card response: {0}")]
    Malformed(String),
    #[error("invalid ZDC: {0}")]
    Zdc(#[from] ZdcError),
}

impl ReadError {
    /// The stable error code sent to pages.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Channel(ChannelError::CardRemoved) => "cardRemoved",
            ReadError::Channel(ChannelError::NoCard) => "noCard",
            ReadError::Channel(ChannelError::ReaderUnavailable) => "readerUnavailable",
            ReadError::Channel(ChannelError::Transport(_)) => "transmitFailed",
            ReadError::Unsupported(_) => "unsupportedCard",
            ReadError::NotInProfile(_) => "profileMissing",
            ReadError::Status { .. } | ReadError::Malformed(_) => "cardError",
            ReadError::AuthenticationFailed => "authenticationFailed",
            ReadError::SamUnavailable | ReadError::Sam(_) => "samError",
            ReadError::Zdc(_) => "zdcInvalid",
        }
    }
}

impl From<TruncatedResponse> for ReadError {
    fn from(e: TruncatedResponse) -> Self {
        ReadError::Malformed(e.to_string())
    }
}

/// Sends `command` and requires status `expected`; returns the data.
pub(crate) fn expect(
    channel: &mut dyn CardChannel,
    step: &'static str,
    command: &[u8],
    expected: u16,
) -> Result<Vec<u8>, ReadError> {
    let response = Response::parse(&channel.transmit(command)?)?;
    if response.sw != expected {
        return Err(ReadError::Status { step, sw: response.sw });
    }
    Ok(response.data)
}

/// The PC/SC GET DATA pseudo-APDU for the UID: `FF CA 00 00 00`.
pub fn read_uid(channel: &mut dyn CardChannel) -> Result<Vec<u8>, ReadError> {
    let uid = expect(channel, "GET DATA (UID)", &[0xFF, 0xCA, 0x00, 0x00, 0x00], crate::apdu::SW_OK)?;
    if uid.is_empty() || uid.len() > 10 {
        return Err(ReadError::Malformed(format!("UID of {} bytes", uid.len())));
    }
    Ok(uid)
}

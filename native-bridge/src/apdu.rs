//! Command/response APDUs and the channel a card is reached through.
//!
//! Every technology module talks to the card through [`CardChannel`]: a PC/SC card handle in the
//! bridge, the virtual card itself in the in-process simulator and in unit tests. That keeps the
//! ZDC logic testable without a reader and identical on both paths.

use thiserror::Error;

/// ISO 7816-4 "normal processing" status word.
pub const SW_OK: u16 = 0x9000;

/// Why an exchange with a card failed below the application level.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChannelError {
    /// The card left the field (or its virtual socket closed) during the exchange.
    #[error("the card was removed")]
    CardRemoved,
    /// There is no card in the reader.
    #[error("no card in the reader")]
    NoCard,
    /// The reader itself went away, or pcscd stopped.
    #[error("the reader is no longer available")]
    ReaderUnavailable,
    /// Anything else the transport reported.
    #[error("transmission failed: {0}")]
    Transport(String),
}

/// One half-duplex APDU exchange with a card: command bytes in, response bytes (data + SW1 SW2) out.
pub trait CardChannel {
    /// Sends `command` and returns the raw response, status word included.
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ChannelError>;
}

impl<T: CardChannel + ?Sized> CardChannel for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ChannelError> {
        (**self).transmit(command)
    }
}

/// A response APDU split into its data and its status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

/// A response shorter than its two status bytes.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("response APDU of {0} byte(s) has no status word")]
pub struct TruncatedResponse(pub usize);

impl Response {
    /// Splits `raw` into data and SW1 SW2.
    pub fn parse(raw: &[u8]) -> Result<Self, TruncatedResponse> {
        if raw.len() < 2 {
            return Err(TruncatedResponse(raw.len()));
        }
        let (data, sw) = raw.split_at(raw.len() - 2);
        Ok(Self { data: data.to_vec(), sw: u16::from_be_bytes([sw[0], sw[1]]) })
    }
}

/// Counts the APDUs sent through a channel (for the benchmark's "APDUs per readCard").
pub struct Counting<C> {
    pub inner: C,
    pub count: usize,
}

impl<C: CardChannel> CardChannel for Counting<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, ChannelError> {
        self.count += 1;
        self.inner.transmit(command)
    }
}

/// Upper-case hex, the form the Crous API uses for `uid` / `rid` (public-facts.md).
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Parses hex (spaces and colons allowed), as written in the card profile.
pub fn parse_hex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !matches!(b, b' ' | b':' | b'_')).collect();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

/// A card identifier shortened for logs: "card identifiers never logged in full".
pub fn redact(id: &str) -> String {
    let keep = id.len().min(4);
    format!("…{}", &id[id.len() - keep..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_status_word() {
        assert_eq!(Response::parse(&[1, 2, 0x90, 0]).unwrap(), Response { data: vec![1, 2], sw: SW_OK });
        assert!(Response::parse(&[0x90]).is_err());
    }

    #[test]
    fn hex_round_trip_and_redaction() {
        assert_eq!(parse_hex("04 71:92"), Some(vec![4, 0x71, 0x92]));
        assert_eq!(parse_hex("047"), None);
        assert_eq!(hex_upper(&[4, 0xab]), "04AB");
        assert_eq!(redact("0471928A083C80"), "…3C80");
        assert_eq!(redact("12"), "…12");
    }
}

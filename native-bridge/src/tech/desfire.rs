//! DESFire EV1/EV2 in ISO 7816 wrapping (`90 INS 00 00 Lc data 00`, answers `91 xx`):
//! GetVersion, SelectApplication, AuthenticateAES, ReadData (research/card-reading.md).
//!
//! The AES key comes from the profile for test cards, or stays in a SAM AV2 in the second reader
//! slot: the host then relays E(RndB) to the SAM ("AuthenticatePICC" part 1, `80 0A`), the SAM's
//! E(RndA‖RndB') to the card, and the card's E(RndA') back to the SAM (part 2), which verifies it.
//! Specs 001: "Un SAM Desfire AV2 permettant la lecture de la ZDC".
//!
//! ReadData is read in plain communication mode: a file in MACed or enciphered mode would need
//! the session key, which only the SAM has in production (a further SAM command, not done here).

use super::{expect, RawZdc, ReadError, ZdcReader};
use crate::apdu::{CardChannel, Response};
use crate::atr::CardType;
use crate::crypto;
use crate::profile::DesfireProfile;

/// DESFire status words (SW1 = 0x91).
pub const OK: u16 = 0x9100;
pub const MORE: u16 = 0x91AF;
pub const AUTH_ERROR: u16 = 0x91AE;
pub const PERMISSION_DENIED: u16 = 0x919D;
pub const APPLICATION_NOT_FOUND: u16 = 0x91A0;
pub const FILE_NOT_FOUND: u16 = 0x91F0;
pub const LENGTH_ERROR: u16 = 0x917E;
pub const BOUNDARY_ERROR: u16 = 0x91BE;
pub const COMMAND_ABORTED: u16 = 0x91CA;
pub const ILLEGAL_COMMAND: u16 = 0x911C;

pub const INS_GET_VERSION: u8 = 0x60;
pub const INS_SELECT_APPLICATION: u8 = 0x5A;
pub const INS_AUTHENTICATE_AES: u8 = 0xAA;
pub const INS_READ_DATA: u8 = 0xBD;
pub const INS_ADDITIONAL_FRAME: u8 = 0xAF;

/// Wraps a native command: `90 INS 00 00 [Lc data] 00`.
pub fn wrap(ins: u8, data: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x90, ins, 0x00, 0x00];
    if !data.is_empty() {
        apdu.push(data.len() as u8);
        apdu.extend_from_slice(data);
    }
    apdu.push(0x00);
    apdu
}

/// The SAM AV2 "SAM_AuthenticatePICC" command class and instruction.
pub const SAM_CLA: u8 = 0x80;
pub const SAM_INS_AUTHENTICATE_PICC: u8 = 0x0A;

/// Reads the ZDC of a DESFire card per the profile's `[desfire]` section.
pub struct Desfire<'p>(pub &'p DesfireProfile);

impl ZdcReader for Desfire<'_> {
    fn read_zdc(
        &self,
        card: &mut dyn CardChannel,
        sam: Option<&mut dyn CardChannel>,
        _uid: &[u8],
    ) -> Result<RawZdc, ReadError> {
        let profile = self.0;
        let card_type = get_version(card)?;
        let mut aid = profile.aid;
        aid.reverse(); // LSB first on the wire
        expect(card, "SelectApplication", &wrap(INS_SELECT_APPLICATION, &aid), OK)?;
        match (&profile.key, sam, profile.sam) {
            (Some(key), _, _) => authenticate_with_key(card, profile.key_no, key)?,
            (None, Some(sam), Some(entry)) => {
                authenticate_with_sam(card, sam, profile.key_no, entry.key_no, entry.key_version)?
            }
            (None, _, _) => return Err(ReadError::SamUnavailable),
        }
        let data = read_data(card, profile.file_no, profile.offset, profile.length)?;
        Ok(RawZdc { card_type: Some(card_type), data })
    }
}

/// GetVersion (`60`, then `AF` twice): the hardware major version tells EV1 / EV2 / EV3.
pub fn get_version(card: &mut dyn CardChannel) -> Result<CardType, ReadError> {
    let hw = expect(card, "GetVersion", &wrap(INS_GET_VERSION, &[]), MORE)?;
    expect(card, "GetVersion (software)", &wrap(INS_ADDITIONAL_FRAME, &[]), MORE)?;
    expect(card, "GetVersion (production)", &wrap(INS_ADDITIONAL_FRAME, &[]), OK)?;
    let major = *hw.get(3).ok_or_else(|| ReadError::Malformed("GetVersion hardware part too short".into()))?;
    Ok(match major {
        0x00 | 0x01 => CardType::DesfireEv1,
        0x12 => CardType::DesfireEv2,
        0x33 => CardType::DesfireEv3,
        _ => CardType::Desfire,
    })
}

/// EV1 AuthenticateAES with a key the host holds (test cards).
fn authenticate_with_key(card: &mut dyn CardChannel, key_no: u8, key: &crypto::Key) -> Result<(), ReadError> {
    let ek_rnd_b = auth_first(card, key_no)?;
    let rnd_b = crypto::cbc_decrypt(key, &[0; 16], &ek_rnd_b);
    let rnd_a = crypto::random_block();
    let token = [rnd_a.as_slice(), &crypto::rotate_left(&rnd_b)].concat();
    let ek_token = crypto::cbc_encrypt(key, &crypto::last_block(&ek_rnd_b), &token);
    let ek_rnd_a2 = auth_second(card, &ek_token)?;
    let rnd_a2 = crypto::cbc_decrypt(key, &crypto::last_block(&ek_token), &ek_rnd_a2);
    if rnd_a2 != crypto::rotate_left(&rnd_a) {
        return Err(ReadError::AuthenticationFailed);
    }
    Ok(())
}

/// EV1 AuthenticateAES relayed through a SAM AV2 (the key never leaves the SAM).
fn authenticate_with_sam(
    card: &mut dyn CardChannel,
    sam: &mut dyn CardChannel,
    key_no: u8,
    sam_key_no: u8,
    sam_key_version: u8,
) -> Result<(), ReadError> {
    let ek_rnd_b = auth_first(card, key_no)?;
    let mut part1 =
        vec![SAM_CLA, SAM_INS_AUTHENTICATE_PICC, 0x00, 0x00, 2 + ek_rnd_b.len() as u8, sam_key_no, sam_key_version];
    part1.extend_from_slice(&ek_rnd_b);
    part1.push(0x00);
    let answer = Response::parse(&sam.transmit(&part1)?)?;
    if answer.sw != 0x90AF || answer.data.len() != 32 {
        return Err(ReadError::Sam(answer.sw));
    }
    let ek_rnd_a2 = auth_second(card, &answer.data)?;
    let mut part2 = vec![SAM_CLA, SAM_INS_AUTHENTICATE_PICC, 0x00, 0x00, ek_rnd_a2.len() as u8];
    part2.extend_from_slice(&ek_rnd_a2);
    part2.push(0x00);
    let verdict = Response::parse(&sam.transmit(&part2)?)?;
    match verdict.sw {
        0x9000 => Ok(()),
        // The SAM's "integrity error": the card did not prove the key.
        0x901E => Err(ReadError::AuthenticationFailed),
        sw => Err(ReadError::Sam(sw)),
    }
}

fn auth_first(card: &mut dyn CardChannel, key_no: u8) -> Result<Vec<u8>, ReadError> {
    let ek_rnd_b = auth_status(expect_any(card, &wrap(INS_AUTHENTICATE_AES, &[key_no]))?, MORE)?;
    if ek_rnd_b.len() != 16 {
        return Err(ReadError::Malformed("E(RndB) is not 16 bytes".into()));
    }
    Ok(ek_rnd_b)
}

fn auth_second(card: &mut dyn CardChannel, ek_token: &[u8]) -> Result<Vec<u8>, ReadError> {
    let ek_rnd_a2 = auth_status(expect_any(card, &wrap(INS_ADDITIONAL_FRAME, ek_token))?, OK)?;
    if ek_rnd_a2.len() != 16 {
        return Err(ReadError::Malformed("E(RndA') is not 16 bytes".into()));
    }
    Ok(ek_rnd_a2)
}

fn expect_any(card: &mut dyn CardChannel, command: &[u8]) -> Result<Response, ReadError> {
    Ok(Response::parse(&card.transmit(command)?)?)
}

fn auth_status(response: Response, expected: u16) -> Result<Vec<u8>, ReadError> {
    match response.sw {
        sw if sw == expected => Ok(response.data),
        AUTH_ERROR => Err(ReadError::AuthenticationFailed),
        sw => Err(ReadError::Status { step: "AuthenticateAES", sw }),
    }
}

/// ReadData (`BD` file, offset 3 bytes LE, length 3 bytes LE), following `91 AF` frames.
pub fn read_data(card: &mut dyn CardChannel, file_no: u8, offset: u32, length: u32) -> Result<Vec<u8>, ReadError> {
    let mut args = vec![file_no];
    args.extend_from_slice(&offset.to_le_bytes()[..3]);
    args.extend_from_slice(&length.to_le_bytes()[..3]);
    let mut out = Vec::new();
    let mut response = expect_any(card, &wrap(INS_READ_DATA, &args))?;
    loop {
        out.extend_from_slice(&response.data);
        match response.sw {
            OK => break,
            MORE => response = expect_any(card, &wrap(INS_ADDITIONAL_FRAME, &[]))?,
            sw => return Err(ReadError::Status { step: "ReadData", sw }),
        }
    }
    if out.len() != length as usize {
        return Err(ReadError::Malformed(format!("ReadData returned {} bytes, {length} asked", out.len())));
    }
    Ok(out)
}

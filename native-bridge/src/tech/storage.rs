//! Mifare Classic and Ultralight C through the PC/SC part 3 storage-card pseudo-APDUs:
//! LOAD KEYS `FF 82 00 slot 06 key`, GENERAL AUTHENTICATE `FF 86 00 00 05 01 00 block type slot`,
//! READ BINARY `FF B0 00 block|page Le`.
//!
//! Ultralight C pages are read without its 3DES authentication: PC/SC part 3 has no pseudo-APDU
//! for it, so a profile pointing at protected pages needs a reader-specific command (not done).

use super::{expect, RawZdc, ReadError, ZdcReader};
use crate::apdu::{CardChannel, SW_OK};
use crate::profile::{classic_sector, ClassicKeyType, ClassicProfile, UltralightProfile};

/// The reader's volatile key slot used for the Classic key.
const KEY_SLOT: u8 = 0x00;

pub fn load_key_command(key: &[u8; 6]) -> Vec<u8> {
    let mut apdu = vec![0xFF, 0x82, 0x00, KEY_SLOT, 0x06];
    apdu.extend_from_slice(key);
    apdu
}

pub fn authenticate_command(block: u8, key_type: ClassicKeyType) -> Vec<u8> {
    let kt = match key_type {
        ClassicKeyType::A => 0x60,
        ClassicKeyType::B => 0x61,
    };
    vec![0xFF, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, kt, KEY_SLOT]
}

pub fn read_binary_command(address: u8, le: u8) -> Vec<u8> {
    vec![0xFF, 0xB0, 0x00, address, le]
}

pub struct Classic<'p>(pub &'p ClassicProfile);

impl ZdcReader for Classic<'_> {
    fn read_zdc(
        &self,
        card: &mut dyn CardChannel,
        _sam: Option<&mut dyn CardChannel>,
        _uid: &[u8],
    ) -> Result<RawZdc, ReadError> {
        let p = self.0;
        expect(card, "LOAD KEYS", &load_key_command(&p.key), SW_OK)?;
        let mut authenticated: Option<u8> = None;
        let mut data = Vec::with_capacity(p.blocks.len() * 16);
        for &block in &p.blocks {
            let sector = classic_sector(block);
            if authenticated != Some(sector) {
                let answer = expect(card, "GENERAL AUTHENTICATE", &authenticate_command(block, p.key_type), SW_OK);
                if let Err(ReadError::Status { .. }) = answer {
                    return Err(ReadError::AuthenticationFailed);
                }
                answer?;
                authenticated = Some(sector);
            }
            let bytes = expect(card, "READ BINARY", &read_binary_command(block, 16), SW_OK)?;
            if bytes.len() != 16 {
                return Err(ReadError::Malformed(format!("block {block}: {} bytes", bytes.len())));
            }
            data.extend_from_slice(&bytes);
        }
        Ok(RawZdc { card_type: None, data })
    }
}

pub struct UltralightC<'p>(pub &'p UltralightProfile);

impl ZdcReader for UltralightC<'_> {
    fn read_zdc(
        &self,
        card: &mut dyn CardChannel,
        _sam: Option<&mut dyn CardChannel>,
        _uid: &[u8],
    ) -> Result<RawZdc, ReadError> {
        let p = self.0;
        let wanted = p.pages as usize * 4;
        let mut data = Vec::with_capacity(wanted + 12);
        let mut page = p.start_page;
        while data.len() < wanted {
            // READ returns 4 pages (16 bytes) from the one addressed.
            let bytes = expect(card, "READ BINARY", &read_binary_command(page, 16), SW_OK)?;
            if bytes.len() != 16 {
                return Err(ReadError::Malformed(format!("page {page}: {} bytes", bytes.len())));
            }
            data.extend_from_slice(&bytes);
            page = page.wrapping_add(4);
        }
        data.truncate(wanted);
        Ok(RawZdc { card_type: None, data })
    }
}

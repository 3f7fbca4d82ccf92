//! Storage cards as a PC/SC reader presents them: Mifare Classic 1K/4K (LOAD KEYS, GENERAL
//! AUTHENTICATE, READ BINARY) and Ultralight C (READ BINARY of pages). The reader, not the card,
//! answers these pseudo-APDUs in real life; the virtual card plays both.

use super::{get_data_uid, TestIdentity, VirtualCard, FITS};
use crate::atr::storage_atr;
use crate::profile::{classic_sector, CardProfile, ClassicKeyType};
use crate::zdc;

pub struct VirtualClassic {
    uid: Vec<u8>,
    four_k: bool,
    key_type: ClassicKeyType,
    key: [u8; 6],
    blocks: Vec<[u8; 16]>,
    loaded: Option<[u8; 6]>,
    authenticated: Option<u8>,
}

impl VirtualClassic {
    pub fn new(profile: &CardProfile, identity: &TestIdentity, four_k: bool) -> Self {
        let p = profile.classic.as_ref().expect("profile has [classic]");
        let mut blocks = vec![[0u8; 16]; if four_k { 256 } else { 64 }];
        let data = zdc::encode(&p.layout, &identity.zdc, p.blocks.len() * 16).expect(FITS);
        for (chunk, &block) in data.chunks(16).zip(&p.blocks) {
            blocks[block as usize].copy_from_slice(chunk);
        }
        Self {
            uid: identity.uid.clone(),
            four_k,
            key_type: p.key_type,
            key: p.key,
            blocks,
            loaded: None,
            authenticated: None,
        }
    }
}

impl VirtualCard for VirtualClassic {
    fn atr(&self) -> Vec<u8> {
        storage_atr(0x03, if self.four_k { 0x0002 } else { 0x0001 })
    }

    fn reset(&mut self) {
        self.loaded = None;
        self.authenticated = None;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(answer) = get_data_uid(apdu, &self.uid) {
            return answer;
        }
        match apdu {
            [0xFF, 0x82, 0x00, 0x00, 0x06, key @ ..] if key.len() == 6 => {
                self.loaded = Some(key.try_into().expect("6 bytes"));
                vec![0x90, 0x00]
            }
            [0xFF, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, kt, 0x00] => {
                let wanted = match self.key_type {
                    ClassicKeyType::A => 0x60,
                    ClassicKeyType::B => 0x61,
                };
                if (*block as usize) < self.blocks.len() && *kt == wanted && self.loaded == Some(self.key) {
                    self.authenticated = Some(classic_sector(*block));
                    vec![0x90, 0x00]
                } else {
                    self.authenticated = None;
                    vec![0x63, 0x00]
                }
            }
            [0xFF, 0xB0, 0x00, block, 0x10] => {
                if (*block as usize) >= self.blocks.len() {
                    return vec![0x6A, 0x82];
                }
                if self.authenticated != Some(classic_sector(*block)) {
                    return vec![0x69, 0x82];
                }
                [&self.blocks[*block as usize][..], &[0x90, 0x00]].concat()
            }
            _ => vec![0x6D, 0x00],
        }
    }
}

/// Ultralight C: 48 pages of 4 bytes.
pub struct VirtualUltralightC {
    uid: Vec<u8>,
    pages: Vec<u8>,
}

impl VirtualUltralightC {
    pub fn new(profile: &CardProfile, identity: &TestIdentity) -> Self {
        let p = profile.ultralight_c.as_ref().expect("profile has [ultralight_c]");
        let mut pages = vec![0u8; 48 * 4];
        let start = p.start_page as usize * 4;
        let data = zdc::encode(&p.layout, &identity.zdc, p.pages as usize * 4).expect(FITS);
        pages[start..start + data.len()].copy_from_slice(&data);
        pages[..identity.uid.len().min(8)].copy_from_slice(&identity.uid[..identity.uid.len().min(8)]);
        Self { uid: identity.uid.clone(), pages }
    }
}

impl VirtualCard for VirtualUltralightC {
    fn atr(&self) -> Vec<u8> {
        storage_atr(0x03, 0x003A)
    }

    fn reset(&mut self) {}

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(answer) = get_data_uid(apdu, &self.uid) {
            return answer;
        }
        match apdu {
            [0xFF, 0xB0, 0x00, page, 0x10] if (*page as usize) < 48 => {
                // READ wraps around past the last page, as the Ultralight READ command does.
                let mut out: Vec<u8> =
                    (0..16).map(|i| self.pages[(*page as usize * 4 + i) % self.pages.len()]).collect();
                out.extend_from_slice(&[0x90, 0x00]);
                out
            }
            [0xFF, 0xB0, ..] => vec![0x6A, 0x82],
            _ => vec![0x6D, 0x00],
        }
    }
}

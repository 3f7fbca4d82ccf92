//! A DESFire-like card: GetVersion, SelectApplication, AuthenticateAES (EV1), ReadData, with the
//! `91 xx` status words. One application (the profile's AID) with one plain-mode data file.

use super::{get_data_uid, TestIdentity, VirtualCard, FITS};
use crate::atr::DESFIRE_ATR;
use crate::crypto::{self, Block, Key};
use crate::profile::CardProfile;
use crate::tech::desfire::*;
use crate::zdc;

/// Largest data part of one response frame (ISO-wrapped DESFire answers up to 59 bytes + 91 xx).
const FRAME: usize = 59;

enum Pending {
    None,
    Version(u8),
    Auth { rnd_b: Block, ek_rnd_b: Vec<u8> },
    Read(Vec<u8>),
}

pub struct VirtualDesfire {
    uid: Vec<u8>,
    hw_major: u8,
    aid: [u8; 3],
    key_no: u8,
    key: Key,
    file_no: u8,
    file: Vec<u8>,
    selected: bool,
    authenticated: bool,
    pending: Pending,
}

impl VirtualDesfire {
    /// `hw_major`: 0x01 EV1, 0x12 EV2. The profile must carry the test key.
    pub fn new(profile: &CardProfile, identity: &TestIdentity, hw_major: u8) -> Self {
        let p = profile.desfire.as_ref().expect("profile has [desfire]");
        let len = (p.offset + p.length) as usize;
        let mut file = vec![0u8; p.offset as usize];
        file.extend(zdc::encode(&p.layout, &identity.zdc, p.length as usize).expect(FITS));
        debug_assert_eq!(file.len(), len);
        Self {
            uid: identity.uid.clone(),
            hw_major,
            aid: p.aid,
            key_no: p.key_no,
            key: p.key.expect("a virtual DESFire card needs the profile's test key"),
            file_no: p.file_no,
            file,
            selected: false,
            authenticated: false,
            pending: Pending::None,
        }
    }

    fn frame(&mut self, mut data: Vec<u8>) -> Vec<u8> {
        if data.len() > FRAME {
            let rest = data.split_off(FRAME);
            self.pending = Pending::Read(rest);
            data.extend_from_slice(&MORE.to_be_bytes());
        } else {
            data.extend_from_slice(&OK.to_be_bytes());
        }
        data
    }
}

fn sw(sw: u16) -> Vec<u8> {
    sw.to_be_bytes().to_vec()
}

fn with_sw(mut data: Vec<u8>, status: u16) -> Vec<u8> {
    data.extend_from_slice(&status.to_be_bytes());
    data
}

fn le24(bytes: &[u8]) -> usize {
    bytes[0] as usize | (bytes[1] as usize) << 8 | (bytes[2] as usize) << 16
}

impl VirtualCard for VirtualDesfire {
    fn atr(&self) -> Vec<u8> {
        DESFIRE_ATR.to_vec()
    }

    fn reset(&mut self) {
        self.selected = false;
        self.authenticated = false;
        self.pending = Pending::None;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(answer) = get_data_uid(apdu, &self.uid) {
            return answer;
        }
        if apdu.len() < 5 || apdu[0] != 0x90 {
            return sw(0x6E00); // class not supported
        }
        let ins = apdu[1];
        let data: &[u8] = if apdu.len() > 5 { &apdu[5..(5 + apdu[4] as usize).min(apdu.len())] } else { &[] };
        let pending = std::mem::replace(&mut self.pending, Pending::None);
        match (ins, pending) {
            (INS_GET_VERSION, _) => {
                self.pending = Pending::Version(1);
                with_sw(vec![0x04, 0x01, 0x01, self.hw_major, 0x00, 0x1A, 0x05], MORE)
            }
            (INS_ADDITIONAL_FRAME, Pending::Version(1)) => {
                self.pending = Pending::Version(2);
                with_sw(vec![0x04, 0x01, 0x01, self.hw_major, 0x00, 0x1A, 0x05], MORE)
            }
            (INS_ADDITIONAL_FRAME, Pending::Version(_)) => {
                let mut uid7 = self.uid.clone();
                uid7.resize(7, 0);
                with_sw([uid7, vec![0xBA, 0x7C, 0x00, 0x00, 0x00, 0x24, 0x21]].concat(), OK)
            }
            (INS_SELECT_APPLICATION, _) => {
                self.authenticated = false;
                let mut aid = self.aid;
                aid.reverse();
                if data == aid {
                    self.selected = true;
                    sw(OK)
                } else {
                    self.selected = false;
                    sw(APPLICATION_NOT_FOUND)
                }
            }
            (INS_AUTHENTICATE_AES, _) => {
                self.authenticated = false;
                if !self.selected {
                    return sw(PERMISSION_DENIED);
                }
                if data != [self.key_no] {
                    return sw(0x9140); // no such key
                }
                let rnd_b = crypto::random_block();
                let ek_rnd_b = crypto::cbc_encrypt(&self.key, &[0; 16], &rnd_b);
                self.pending = Pending::Auth { rnd_b, ek_rnd_b: ek_rnd_b.clone() };
                with_sw(ek_rnd_b, MORE)
            }
            (INS_ADDITIONAL_FRAME, Pending::Auth { rnd_b, ek_rnd_b }) => {
                if data.len() != 32 {
                    return sw(LENGTH_ERROR);
                }
                let plain = crypto::cbc_decrypt(&self.key, &crypto::last_block(&ek_rnd_b), data);
                if plain[16..] != crypto::rotate_left(&rnd_b) {
                    return sw(AUTH_ERROR);
                }
                self.authenticated = true;
                let rnd_a2 = crypto::rotate_left(&plain[..16]);
                with_sw(crypto::cbc_encrypt(&self.key, &crypto::last_block(data), &rnd_a2), OK)
            }
            (INS_READ_DATA, _) => {
                if !self.authenticated {
                    return sw(PERMISSION_DENIED);
                }
                if data.len() != 7 {
                    return sw(LENGTH_ERROR);
                }
                if data[0] != self.file_no {
                    return sw(FILE_NOT_FOUND);
                }
                let (offset, length) = (le24(&data[1..4]), le24(&data[4..7]));
                let end = if length == 0 { self.file.len() } else { offset + length };
                if offset > self.file.len() || end > self.file.len() {
                    return sw(BOUNDARY_ERROR);
                }
                let bytes = self.file[offset..end].to_vec();
                self.frame(bytes)
            }
            (INS_ADDITIONAL_FRAME, Pending::Read(rest)) => self.frame(rest),
            _ => sw(ILLEGAL_COMMAND),
        }
    }
}

//! A virtual SAM AV2 for the second reader slot: it holds DESFire AES keys by (key number,
//! version) and performs the host side of AuthenticateAES ("SAM_AuthenticatePICC", `80 0A`) in two
//! parts, so the key never reaches the host.

use super::VirtualCard;
use crate::crypto::{self, Key};

/// ATR of an NXP SAM AV2 (pcsc-tools' smartcard list: "MIFARE Plus SAM" historical bytes).
pub const SAM_AV2_ATR: [u8; 28] = [
    0x3B, 0xDF, 0x18, 0xFF, 0x81, 0xF1, 0xFE, 0x43, 0x00, 0x3F, 0x03, 0x83, 0x4D, 0x49, 0x46, 0x41, 0x52, 0x45, 0x20,
    0x50, 0x6C, 0x75, 0x73, 0x20, 0x53, 0x41, 0x4D, 0x3B,
];

pub struct VirtualSam {
    keys: Vec<(u8, u8, Key)>,
    pending: Option<(Key, Vec<u8>, Vec<u8>)>,
}

impl VirtualSam {
    /// `keys`: (key number, key version, AES key).
    pub fn new(keys: &[(u8, u8, Key)]) -> Self {
        Self { keys: keys.to_vec(), pending: None }
    }
}

impl VirtualCard for VirtualSam {
    fn atr(&self) -> Vec<u8> {
        SAM_AV2_ATR.to_vec()
    }

    fn reset(&mut self) {
        self.pending = None;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        let pending = self.pending.take();
        match apdu {
            // Part 1: key number, key version, E(RndB) → E(RndA ‖ RndB'), 90 AF.
            [0x80, 0x0A, _, _, 18, key_no, key_version, rest @ ..] if rest.len() >= 16 => {
                let Some(&(_, _, key)) = self.keys.iter().find(|(n, v, _)| n == key_no && v == key_version) else {
                    return vec![0x6A, 0x88]; // referenced key not found
                };
                let ek_rnd_b = &rest[..16];
                let rnd_b = crypto::cbc_decrypt(&key, &[0; 16], ek_rnd_b);
                let rnd_a = crypto::random_block();
                let token = [rnd_a.as_slice(), &crypto::rotate_left(&rnd_b)].concat();
                let ek_token = crypto::cbc_encrypt(&key, &crypto::last_block(ek_rnd_b), &token);
                self.pending = Some((key, rnd_a.to_vec(), ek_token.clone()));
                [ek_token, vec![0x90, 0xAF]].concat()
            }
            // Part 2: E(RndA') → 90 00 when the card proved the key, 90 1E otherwise.
            [0x80, 0x0A, _, _, 16, rest @ ..] if rest.len() >= 16 => {
                let Some((key, rnd_a, ek_token)) = pending else {
                    return vec![0x69, 0x85]; // conditions of use not satisfied
                };
                let rnd_a2 = crypto::cbc_decrypt(&key, &crypto::last_block(&ek_token), &rest[..16]);
                if rnd_a2 == crypto::rotate_left(&rnd_a) {
                    vec![0x90, 0x00]
                } else {
                    vec![0x90, 0x1E]
                }
            }
            _ => vec![0x6D, 0x00],
        }
    }
}

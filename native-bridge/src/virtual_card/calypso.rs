//! A Calypso-like card: Select Application by AID, Read Record by SFI. One record holds the ZDC.

use super::{get_data_uid, TestIdentity, VirtualCard, FITS};
use crate::atr::contactless_atr;
use crate::profile::CardProfile;
use crate::zdc;

/// Historical bytes of the virtual Calypso card: `80 5A 0A …` (research: Calypso B′ pattern).
const HISTORICAL: [u8; 11] = [0x80, 0x5A, 0x0A, 0x01, 0x02, 0x20, 0x03, 0x11, 0x14, 0x10, 0x01];

/// Record size (Calypso records are 29 bytes).
const RECORD: usize = 29;

pub struct VirtualCalypso {
    uid: Vec<u8>,
    aid: Vec<u8>,
    sfi: u8,
    record_no: u8,
    record: Vec<u8>,
    selected: bool,
}

impl VirtualCalypso {
    pub fn new(profile: &CardProfile, identity: &TestIdentity) -> Self {
        let p = profile.calypso.as_ref().expect("profile has [calypso]");
        Self {
            uid: identity.uid.clone(),
            aid: p.aid.clone(),
            sfi: p.sfi,
            record_no: p.record,
            record: zdc::encode(&p.layout, &identity.zdc, RECORD).expect(FITS),
            selected: false,
        }
    }
}

impl VirtualCard for VirtualCalypso {
    fn atr(&self) -> Vec<u8> {
        contactless_atr(&HISTORICAL)
    }

    fn reset(&mut self) {
        self.selected = false;
    }

    fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        if let Some(answer) = get_data_uid(apdu, &self.uid) {
            return answer;
        }
        match apdu {
            [0x00, 0xA4, 0x04, 0x00, lc, rest @ ..] if rest.len() >= *lc as usize => {
                self.selected = rest[..*lc as usize] == self.aid[..];
                if !self.selected {
                    return vec![0x6A, 0x82];
                }
                // FCI: 6F L 84 L AID A5 00
                let mut fci = vec![0x6F, (self.aid.len() + 4) as u8, 0x84, self.aid.len() as u8];
                fci.extend_from_slice(&self.aid);
                fci.extend_from_slice(&[0xA5, 0x00, 0x90, 0x00]);
                fci
            }
            [0x00, 0xB2, record, p2, le] => {
                if !self.selected {
                    return vec![0x69, 0x85];
                }
                if p2 & 0x07 != 0x04 || p2 >> 3 != self.sfi {
                    return vec![0x6A, 0x82];
                }
                if *record != self.record_no {
                    return vec![0x6A, 0x83];
                }
                let n = if *le == 0 { RECORD } else { (*le as usize).min(RECORD) };
                [&self.record[..n], &[0x90, 0x00]].concat()
            }
            [0x00, 0xB2, ..] => vec![0x67, 0x00],
            _ => vec![0x6D, 0x00],
        }
    }
}

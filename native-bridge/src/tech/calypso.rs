//! Calypso: select the application by AID (`00 A4 04 00 Lc AID 00`), then Read Record
//! (`00 B2 rec (SFI<<3)|4 Le`). Specs 001 lists "Spécification Lecture Carte Calypso sans SAM":
//! this reading needs no SAM. (Old Rev1/B′ cards use CLA `94`: not handled.)

use super::{expect, RawZdc, ReadError, ZdcReader};
use crate::apdu::{CardChannel, SW_OK};
use crate::profile::CalypsoProfile;

pub struct Calypso<'p>(pub &'p CalypsoProfile);

/// `00 A4 04 00 Lc AID 00`.
pub fn select_command(aid: &[u8]) -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x00, aid.len() as u8];
    apdu.extend_from_slice(aid);
    apdu.push(0x00);
    apdu
}

/// `00 B2 record (SFI<<3)|4 Le`.
pub fn read_record_command(sfi: u8, record: u8, le: u8) -> Vec<u8> {
    vec![0x00, 0xB2, record, (sfi << 3) | 0x04, le]
}

impl ZdcReader for Calypso<'_> {
    fn read_zdc(
        &self,
        card: &mut dyn CardChannel,
        _sam: Option<&mut dyn CardChannel>,
        _uid: &[u8],
    ) -> Result<RawZdc, ReadError> {
        let p = self.0;
        expect(card, "Select Application", &select_command(&p.aid), SW_OK)?;
        let data = expect(card, "Read Record", &read_record_command(p.sfi, p.record, p.length), SW_OK)?;
        Ok(RawZdc { card_type: None, data })
    }
}

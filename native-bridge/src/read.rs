//! readCard: ATR → technology, GET DATA → UID, the technology's [`ZdcReader`] → ZDC.

use serde::Serialize;

use crate::apdu::{hex_upper, CardChannel, Counting};
use crate::atr::{detect, CardType};
use crate::profile::CardProfile;
use crate::tech::calypso::Calypso;
use crate::tech::desfire::Desfire;
use crate::tech::storage::{Classic, UltralightC};
use crate::tech::{read_uid, ReadError, ZdcReader};
use crate::zdc;

/// The answer to `readCard`: `{cardType, uid, idSupport, numeroApplicatif}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardRead {
    pub card_type: CardType,
    /// NUM_PROTOCOLAIRE: the UID, upper hex.
    pub uid: String,
    pub id_support: String,
    pub numero_applicatif: String,
}

/// Reads a card whose ATR is `atr`. `sam` is the SAM slot's channel, when one is connected.
pub fn read_card(
    card: &mut dyn CardChannel,
    sam: Option<&mut dyn CardChannel>,
    atr: &[u8],
    profile: &CardProfile,
) -> Result<CardRead, ReadError> {
    let card_type = detect(atr);
    let uid = read_uid(card)?;
    let (reader, layout): (Box<dyn ZdcReader + '_>, _) = match card_type {
        CardType::Desfire | CardType::DesfireEv1 | CardType::DesfireEv2 | CardType::DesfireEv3 => {
            let p = profile.desfire.as_ref().ok_or(ReadError::NotInProfile("desfire"))?;
            (Box::new(Desfire(p)), &p.layout)
        }
        CardType::Calypso => {
            let p = profile.calypso.as_ref().ok_or(ReadError::NotInProfile("calypso"))?;
            (Box::new(Calypso(p)), &p.layout)
        }
        CardType::Classic1k | CardType::Classic4k => {
            let p = profile.classic.as_ref().ok_or(ReadError::NotInProfile("classic"))?;
            (Box::new(Classic(p)), &p.layout)
        }
        CardType::UltralightC => {
            let p = profile.ultralight_c.as_ref().ok_or(ReadError::NotInProfile("ultralight_c"))?;
            (Box::new(UltralightC(p)), &p.layout)
        }
        other => return Err(ReadError::Unsupported(other.as_str())),
    };
    let raw = reader.read_zdc(card, sam, &uid)?;
    let zdc = zdc::decode(layout, &raw.data, &uid)?;
    Ok(CardRead {
        card_type: raw.card_type.unwrap_or(card_type),
        uid: hex_upper(&uid),
        id_support: zdc.id_support,
        numero_applicatif: zdc.numero_applicatif,
    })
}

/// The result of a reading, with the number of APDUs it took (card + SAM).
pub struct Reading {
    pub card: CardRead,
    pub apdus: usize,
}

/// [`read_card`], counting the APDUs sent to the card and to the SAM (PC/SC and simulated readers).
pub fn read_counted(
    card: &mut dyn CardChannel,
    sam: Option<&mut dyn CardChannel>,
    atr: &[u8],
    profile: &CardProfile,
) -> Result<Reading, ReadError> {
    let mut card = Counting { inner: card, count: 0 };
    let mut sam = sam.map(|inner| Counting { inner, count: 0 });
    let result = read_card(&mut card, sam.as_mut().map(|c| c as &mut dyn CardChannel), atr, profile);
    let apdus = card.count + sam.map_or(0, |c| c.count);
    result.map(|card| Reading { card, apdus })
}

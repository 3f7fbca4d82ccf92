//! crous-till native bridge: PC/SC card readers (the Izly card and the SAM) for the browser till,
//! over a WebSocket on 127.0.0.1.
//!
//! * [`atr`], [`tech`], [`read`]: which card is this, and its ZDC (`idSupport`, `numeroApplicatif`),
//!   one [`tech::ZdcReader`] per technology of specs 001 (DESFire EV1/EV2, Ultralight C, Classic
//!   1K/4K, Calypso);
//! * [`profile`]: the installable card profile, **the stand-in for the Cnous's proprietary card
//!   specifications** (AIDs, files, offsets, keys are not public);
//! * [`virtual_card`]: virtual cards and a virtual SAM speaking vpcd, for tests through a real pcscd;
//! * [`reader_access`]: reading cards behind one trait, [`pcsc_io`] (pcscd) or [`simulated`] (the
//!   in-process simulated reader of `--simulated`, on which a page taps the profile's test cards);
//! * [`watcher`]: reader/card events and the readers' snapshot, fed by either;
//! * [`server`], [`config`]: the WebSocket server and its configuration.

pub mod apdu;
pub mod atr;
pub mod config;
pub mod crypto;
pub mod pcsc_io;
pub mod profile;
pub mod read;
pub mod reader_access;
pub mod server;
pub mod simulated;
pub mod tech;
pub mod virtual_card;
pub mod watcher;
pub mod zdc;

//! The reader watcher: readers plugged / unplugged, cards inserted / removed, as events on a
//! broadcast channel, plus a snapshot for `listReaders`.
//!
//! It waits in `SCardGetStatusChange` on every reader and on the PnP pseudo-reader
//! (research/card-reading.md: "monitor with get_status_change over PNP_NOTIFICATION() plus every
//! reader"). When pcscd stops or restarts the context answers `NoService` forever, so the watcher
//! reports every reader removed, then establishes a new context until pcscd is back.
//! Readers named in `hidden` (the SAM slot) give no events and are never listed: "the SAM slot never
//! reachable from a page".

use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use pcsc::{Context, Error, ReaderState, Scope, State, PNP_NOTIFICATION};
use serde::Serialize;
use tokio::sync::broadcast;

use crate::apdu::hex_upper;
use crate::atr::{detect, CardType};

/// An event pushed to subscribed pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ReaderEvent {
    ReaderAdded { reader: String },
    ReaderRemoved { reader: String },
    CardInserted { reader: String, card_type: CardType, atr: String },
    CardRemoved { reader: String },
}

/// One reader as `listReaders` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReaderInfo {
    pub name: String,
    pub card_present: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_type: Option<CardType>,
}

type Snapshot = Arc<Mutex<BTreeMap<String, Option<Vec<u8>>>>>;

/// A running watcher. Dropping it stops its thread (within the poll interval).
pub struct Watcher {
    events: broadcast::Sender<ReaderEvent>,
    snapshot: Snapshot,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// When the watcher last saw a change (for the latency benchmark).
    pub last_change: Arc<Mutex<Option<Instant>>>,
}

/// How long one `get_status_change` waits before re-listing readers and checking for stop.
const POLL: Duration = Duration::from_millis(500);

impl Watcher {
    pub fn spawn(hidden: Vec<String>) -> Self {
        let (events, _) = broadcast::channel(256);
        let snapshot: Snapshot = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let last_change = Arc::new(Mutex::new(None));
        let mut run = Run {
            events: events.clone(),
            snapshot: snapshot.clone(),
            stop: stop.clone(),
            hidden,
            counts: Mutex::default(),
        };
        let thread = std::thread::Builder::new()
            .name("reader-watcher".into())
            .spawn(move || run.run())
            .expect("spawn the watcher thread");
        Self { events, snapshot, stop, thread: Some(thread), last_change }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ReaderEvent> {
        self.events.subscribe()
    }

    /// The visible readers and whether a card is in each.
    pub fn readers(&self) -> Vec<ReaderInfo> {
        let map = self.snapshot.lock().expect("snapshot lock");
        map.iter()
            .map(|(name, atr)| ReaderInfo {
                name: name.clone(),
                card_present: atr.is_some(),
                card_type: atr.as_deref().map(detect),
            })
            .collect()
    }

    /// The ATR of the card in `reader`, if the watcher sees one.
    pub fn card_atr(&self, reader: &str) -> Option<Vec<u8>> {
        self.snapshot.lock().expect("snapshot lock").get(reader).cloned().flatten()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Run {
    events: broadcast::Sender<ReaderEvent>,
    snapshot: Snapshot,
    stop: Arc<AtomicBool>,
    hidden: Vec<String>,
    counts: Mutex<BTreeMap<String, u32>>,
}

fn fatal(error: Error) -> bool {
    matches!(error, Error::NoService | Error::ServiceStopped | Error::InvalidHandle | Error::NoReadersAvailable)
}

impl Run {
    fn emit(&self, event: ReaderEvent) {
        tracing::debug!(?event, "reader event");
        let _ = self.events.send(event);
    }

    fn run(&mut self) {
        while !self.stop.load(Ordering::SeqCst) {
            match Context::establish(Scope::User) {
                Ok(ctx) => {
                    tracing::info!("PC/SC context established");
                    self.watch(&ctx);
                    self.forget_all();
                }
                Err(error) => {
                    tracing::debug!(%error, "pcscd not available; retrying");
                    std::thread::sleep(POLL);
                }
            }
        }
        self.forget_all();
    }

    /// Watches until the context dies or stop is asked.
    fn watch(&mut self, ctx: &Context) {
        let mut states = vec![ReaderState::new(PNP_NOTIFICATION(), State::UNAWARE)];
        while !self.stop.load(Ordering::SeqCst) {
            let names = match ctx.list_readers_owned() {
                Ok(names) => names,
                Err(Error::NoReadersAvailable) => Vec::new(),
                Err(error) if fatal(error) => return,
                Err(error) => {
                    tracing::warn!(%error, "listing readers failed");
                    std::thread::sleep(POLL);
                    continue;
                }
            };
            let visible: Vec<CString> =
                names.into_iter().filter(|n| !self.hidden.iter().any(|h| n.to_str() == Ok(h.as_str()))).collect();
            self.sync_readers(&mut states, &visible);
            match ctx.get_status_change(POLL, &mut states) {
                Ok(()) => {}
                Err(Error::Timeout) => continue,
                Err(Error::UnknownReader) => continue, // a reader left between list and wait
                Err(Error::NoReadersAvailable) => continue,
                Err(error) if fatal(error) => {
                    tracing::warn!(%error, "pcscd went away; re-establishing the context");
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "get_status_change failed");
                    std::thread::sleep(POLL);
                    continue;
                }
            }
            for state in states.iter_mut().skip(1) {
                if state.event_state().contains(State::CHANGED) {
                    self.card_change(state);
                }
                state.sync_current_state();
            }
            states[0].sync_current_state();
        }
    }

    /// Adds / drops reader states to match the listed readers, with their events.
    fn sync_readers(&self, states: &mut Vec<ReaderState>, names: &[CString]) {
        let mut gone = Vec::new();
        states.retain(|s| {
            let keep = s.name() == PNP_NOTIFICATION() || names.iter().any(|n| n.as_c_str() == s.name());
            if !keep {
                gone.push(s.name().to_string_lossy().into_owned());
            }
            keep
        });
        for reader in gone {
            self.reader_removed(&reader);
        }
        for name in names {
            if !states.iter().any(|s| s.name() == name.as_c_str()) {
                let reader = name.to_string_lossy().into_owned();
                self.snapshot.lock().expect("snapshot lock").insert(reader.clone(), None);
                self.emit(ReaderEvent::ReaderAdded { reader });
                states.push(ReaderState::new(name.clone(), State::UNAWARE));
            }
        }
    }

    fn card_change(&self, state: &ReaderState) {
        let reader = state.name().to_string_lossy().into_owned();
        let event = state.event_state();
        let present = event.contains(State::PRESENT) && !event.contains(State::MUTE);
        let before = self.snapshot.lock().expect("snapshot lock").get(&reader).cloned().flatten();
        // pcsc-lite counts insertions and removals in the high word of the event state.
        let count = state.event_count();
        let last = self.counts.lock().expect("counts lock").insert(reader.clone(), count);
        let count_changed = last.is_some_and(|last| count > last + 1);
        match (before.is_some(), present) {
            (true, false) => self.card_removed(&reader),
            (false, true) => self.card_inserted(&reader, state.atr()),
            (true, true) if count_changed => {
                // Pulled and put back between two waits.
                self.card_removed(&reader);
                self.card_inserted(&reader, state.atr());
            }
            _ => {}
        }
    }

    fn card_inserted(&self, reader: &str, atr: &[u8]) {
        self.snapshot.lock().expect("snapshot lock").insert(reader.into(), Some(atr.to_vec()));
        self.emit(ReaderEvent::CardInserted { reader: reader.into(), card_type: detect(atr), atr: hex_upper(atr) });
    }

    fn card_removed(&self, reader: &str) {
        self.snapshot.lock().expect("snapshot lock").insert(reader.into(), None);
        self.emit(ReaderEvent::CardRemoved { reader: reader.into() });
    }

    fn reader_removed(&self, reader: &str) {
        let had_card = self.snapshot.lock().expect("snapshot lock").remove(reader).flatten().is_some();
        if had_card {
            self.emit(ReaderEvent::CardRemoved { reader: reader.into() });
        }
        self.emit(ReaderEvent::ReaderRemoved { reader: reader.into() });
    }

    fn forget_all(&self) {
        let readers: Vec<String> = self.snapshot.lock().expect("snapshot lock").keys().cloned().collect();
        for reader in readers {
            self.reader_removed(&reader);
        }
    }
}

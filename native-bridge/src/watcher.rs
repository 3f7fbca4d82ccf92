//! The reader watcher: readers plugged / unplugged, cards inserted / removed, as events on a
//! broadcast channel, plus a snapshot for `listReaders`.
//!
//! It waits in `SCardGetStatusChange` on every reader and on the PnP pseudo-reader
//! (research/card-reading.md: "monitor with get_status_change over PNP_NOTIFICATION() plus every
//! reader"). When pcscd stops or restarts the context answers `NoService` forever, so the watcher
//! reports every reader removed, then establishes a new context until pcscd is back.
//! Readers named in `hidden` (the SAM slot) give no events and are never listed: "the SAM slot never
//! reachable from a page".
//!
//! The snapshot and the events are kept by a [`Feed`]; the PC/SC thread is one source feeding it,
//! the in-process simulated reader ([`crate::simulated`]) is the other. Pages see the same events
//! from both.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

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

/// The readers' state as pages see it (snapshot + events), fed by one source of reader changes.
#[derive(Clone)]
pub struct Feed {
    events: broadcast::Sender<ReaderEvent>,
    snapshot: Snapshot,
}

impl Feed {
    fn new() -> Self {
        Self { events: broadcast::channel(256).0, snapshot: Arc::default() }
    }

    fn emit(&self, event: ReaderEvent) {
        tracing::debug!(?event, "reader event");
        let _ = self.events.send(event);
    }

    /// A reader appeared (no card yet).
    pub fn reader_added(&self, reader: &str) {
        self.snapshot.lock().expect("snapshot lock").insert(reader.into(), None);
        self.emit(ReaderEvent::ReaderAdded { reader: reader.into() });
    }

    /// A card with `atr` is now in `reader`.
    pub fn card_inserted(&self, reader: &str, atr: &[u8]) {
        self.snapshot.lock().expect("snapshot lock").insert(reader.into(), Some(atr.to_vec()));
        self.emit(ReaderEvent::CardInserted { reader: reader.into(), card_type: detect(atr), atr: hex_upper(atr) });
    }

    /// The card left `reader`.
    pub fn card_removed(&self, reader: &str) {
        self.snapshot.lock().expect("snapshot lock").insert(reader.into(), None);
        self.emit(ReaderEvent::CardRemoved { reader: reader.into() });
    }

    /// `reader` went away (with its card, if one was in).
    pub fn reader_removed(&self, reader: &str) {
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

    fn has_card(&self, reader: &str) -> bool {
        self.snapshot.lock().expect("snapshot lock").get(reader).is_some_and(Option::is_some)
    }
}

/// A running watcher. Dropping it stops its PC/SC thread, if any (within the poll interval).
pub struct Watcher {
    feed: Feed,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// How long one `get_status_change` waits before re-listing readers and checking for stop.
const POLL: Duration = Duration::from_millis(500);

impl Watcher {
    /// Watches the PC/SC readers in a thread; readers named in `hidden` are left out.
    pub fn spawn(hidden: Vec<String>) -> Self {
        let feed = Feed::new();
        let stop = Arc::new(AtomicBool::new(false));
        let mut run = Run { feed: feed.clone(), stop: stop.clone(), hidden, counts: Mutex::default() };
        let thread = std::thread::Builder::new()
            .name("reader-watcher".into())
            .spawn(move || run.run())
            .expect("spawn the watcher thread");
        Self { feed, stop, thread: Some(thread) }
    }

    /// A watcher without a thread, fed by the caller (the simulated reader).
    pub fn fed() -> (Self, Feed) {
        let feed = Feed::new();
        (Self { feed: feed.clone(), stop: Arc::default(), thread: None }, feed)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ReaderEvent> {
        self.feed.events.subscribe()
    }

    /// The visible readers and whether a card is in each.
    pub fn readers(&self) -> Vec<ReaderInfo> {
        let map = self.feed.snapshot.lock().expect("snapshot lock");
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
        self.feed.snapshot.lock().expect("snapshot lock").get(reader).cloned().flatten()
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
    feed: Feed,
    stop: Arc<AtomicBool>,
    hidden: Vec<String>,
    counts: Mutex<BTreeMap<String, u32>>,
}

fn fatal(error: Error) -> bool {
    matches!(error, Error::NoService | Error::ServiceStopped | Error::InvalidHandle | Error::NoReadersAvailable)
}

impl Run {
    fn run(&mut self) {
        while !self.stop.load(Ordering::SeqCst) {
            match Context::establish(Scope::User) {
                Ok(ctx) => {
                    tracing::info!("PC/SC context established");
                    self.watch(&ctx);
                    self.feed.forget_all();
                }
                Err(error) => {
                    tracing::debug!(%error, "pcscd not available; retrying");
                    std::thread::sleep(POLL);
                }
            }
        }
        self.feed.forget_all();
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
            self.feed.reader_removed(&reader);
        }
        for name in names {
            if !states.iter().any(|s| s.name() == name.as_c_str()) {
                self.feed.reader_added(&name.to_string_lossy());
                states.push(ReaderState::new(name.clone(), State::UNAWARE));
            }
        }
    }

    fn card_change(&self, state: &ReaderState) {
        let reader = state.name().to_string_lossy().into_owned();
        let event = state.event_state();
        let present = event.contains(State::PRESENT) && !event.contains(State::MUTE);
        let before = self.feed.has_card(&reader);
        // pcsc-lite counts insertions and removals in the high word of the event state.
        let count = state.event_count();
        let last = self.counts.lock().expect("counts lock").insert(reader.clone(), count);
        let count_changed = last.is_some_and(|last| count > last + 1);
        match (before, present) {
            (true, false) => self.feed.card_removed(&reader),
            (false, true) => self.feed.card_inserted(&reader, state.atr()),
            (true, true) if count_changed => {
                // Pulled and put back between two waits.
                self.feed.card_removed(&reader);
                self.feed.card_inserted(&reader, state.atr());
            }
            _ => {}
        }
    }
}

//! The technical event journal ("journal des événements techniques", JET): what happened to the
//! till itself, chained like the sales.
//!
//! `../shared/specs/public-facts.md` (what art. 286 I-3° bis CGI asks in practice): "a technical
//! event journal (JET), with codes such as 20 period archive, 30 year archive, 50 period closure,
//! 60 year closure, 70 offline start, 80 start/login, 90 integrity defect, 110 export, 130 rights
//! change, 190 cancellation, 250 new version, 280 tax audit, 330 closing start". Core records
//! the codes of that list it can observe ([`EventKind`]), under their numbers; two events the list
//! does not number, a stop and a clock going backwards, take numbers of ours next to their
//! relatives (81 beside 80 start, 91 beside 90 integrity defect), written down here and in
//! `docs/api-choices.md`.
//!
//! Each event is a record of its own chain: `sequence` 1, 2, 3… without gaps and
//! `hash = SHA-256(previousHash || canonical JSON of the event without "hash" and
//! "previousHash")`, as for entries and closures; the head marker counts it
//! ([`super::Head::event_count`]) and the archive carries it, so a deleted start or export shows
//! as a gap, and a cut tail against the signed head.
//!
//! `at` is the till's clock when the event was recorded (RFC 3339, UTC, milliseconds). The clock
//! is not trusted: an event whose time is before the previous event's is preceded by a
//! [`EventKind::ClockBackwards`] event saying by how much ([`record_events`]).

use super::canonical::{canonical_record_body, CanonicalError};
use super::hash::{chain_hash, GENESIS_HASH};
use super::FORMAT_VERSION;
use crate::point_of_sale::PointOfSale;
use chrono::{DateTime, SecondsFormat};
use serde::{Deserialize, Serialize};

/// What a technical event is. [`EventKind::code`] is the number stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// 50: a day or month closure was made (`detail`: the period).
    PeriodClosure,
    /// 60: a year closure was made.
    YearClosure,
    /// 70: the till started without reaching the Crous: its first send since the start failed
    /// for want of a connection, before any answer came.
    OfflineStart,
    /// 80: the till's store was opened by a program (a page, a server, the CLI).
    Start,
    /// 81 (ours): the till was shut down by its program; a start with no stop before it says, in
    /// its `detail`, that the previous run ended without one.
    Stop,
    /// 90: the stored journal did not verify when the till opened it (`detail`: the finding).
    IntegrityDefect,
    /// 91 (ours): the till's clock reads earlier than the previous event's time.
    ClockBackwards,
    /// 110: the journal was exported as a signed archive.
    Export,
    /// 330: a closure was asked for; 50 or 60 follows when it is made.
    ClosingStart,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::PeriodClosure,
        EventKind::YearClosure,
        EventKind::OfflineStart,
        EventKind::Start,
        EventKind::Stop,
        EventKind::IntegrityDefect,
        EventKind::ClockBackwards,
        EventKind::Export,
        EventKind::ClosingStart,
    ];

    /// The JET number.
    pub fn code(self) -> u16 {
        match self {
            EventKind::PeriodClosure => 50,
            EventKind::YearClosure => 60,
            EventKind::OfflineStart => 70,
            EventKind::Start => 80,
            EventKind::Stop => 81,
            EventKind::IntegrityDefect => 90,
            EventKind::ClockBackwards => 91,
            EventKind::Export => 110,
            EventKind::ClosingStart => 330,
        }
    }

    /// The kind a stored number stands for (`None`: a code this version does not record).
    pub fn of_code(code: u16) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A French label, as an auditor reads the JET.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::PeriodClosure => "clôture de période",
            EventKind::YearClosure => "clôture d'exercice",
            EventKind::OfflineStart => "démarrage hors ligne",
            EventKind::Start => "démarrage",
            EventKind::Stop => "arrêt",
            EventKind::IntegrityDefect => "défaut d'intégrité",
            EventKind::ClockBackwards => "horloge reculée",
            EventKind::Export => "export des données",
            EventKind::ClosingStart => "début de clôture",
        }
    }
}

/// One technical event, as stored and as archived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub format_version: u32,
    pub point_of_sale: PointOfSale,
    /// 1, 2, 3… without gaps, per point of sale.
    pub sequence: u64,
    /// The JET number ([`EventKind::code`]).
    pub code: u16,
    /// The till's clock, RFC 3339 UTC with milliseconds.
    pub at: String,
    /// What the event is about, in words (a period, a finding, a program); may be empty.
    pub detail: String,
    pub previous_hash: String,
    pub hash: String,
}

impl Event {
    /// The canonical JSON of the event without `hash` and `previousHash`.
    pub fn canonical_body(&self) -> Result<String, CanonicalError> {
        canonical_record_body(self, &[])
    }

    pub fn compute_hash(&self) -> Result<String, CanonicalError> {
        Ok(chain_hash(&self.previous_hash, &self.canonical_body()?))
    }

    pub fn kind(&self) -> Option<EventKind> {
        EventKind::of_code(self.code)
    }

    /// `at` in milliseconds since the epoch (`None` when it is not RFC 3339).
    pub fn at_millis(&self) -> Option<i64> {
        DateTime::parse_from_rfc3339(&self.at).ok().map(|t| t.timestamp_millis())
    }
}

/// What recording needs to know of the event chain: its last event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventTip {
    pub point_of_sale: PointOfSale,
    /// Sequence of the last event, 0 before the first.
    pub last_sequence: u64,
    /// Hash of the last event, [`GENESIS_HASH`] before the first.
    pub last_hash: String,
    /// Time of the last event, in milliseconds since the epoch.
    pub last_at: Option<i64>,
    /// Kind of the last event.
    #[serde(skip)]
    pub last_kind: Option<EventKind>,
}

impl EventTip {
    pub fn genesis(point_of_sale: PointOfSale) -> Self {
        EventTip { point_of_sale, last_sequence: 0, last_hash: GENESIS_HASH.to_owned(), last_at: None, last_kind: None }
    }

    /// The tip after `event`.
    pub fn after(event: &Event) -> Self {
        EventTip {
            point_of_sale: event.point_of_sale,
            last_sequence: event.sequence,
            last_hash: event.hash.clone(),
            last_at: event.at_millis(),
            last_kind: event.kind(),
        }
    }

    /// The tip after the last of `events` (in chain order).
    pub fn of(point_of_sale: PointOfSale, events: &[Event]) -> Self {
        events.last().map_or_else(|| EventTip::genesis(point_of_sale), EventTip::after)
    }
}

/// Why an event could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the time {0} ms is not a date")]
    BadTime(i64),
    #[error("the event journal's sequence is exhausted")]
    Exhausted,
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
}

/// The event that follows `tip`.
pub fn record_event(tip: &EventTip, kind: EventKind, at: i64, detail: String) -> Result<Event, EventError> {
    let time = DateTime::from_timestamp_millis(at).ok_or(EventError::BadTime(at))?;
    let mut event = Event {
        format_version: FORMAT_VERSION,
        point_of_sale: tip.point_of_sale,
        sequence: tip.last_sequence.checked_add(1).ok_or(EventError::Exhausted)?,
        code: kind.code(),
        at: time.to_rfc3339_opts(SecondsFormat::Millis, true),
        detail,
        previous_hash: tip.last_hash.clone(),
        hash: String::new(),
    };
    event.hash = event.compute_hash()?;
    Ok(event)
}

/// Records `kind` at `at` after `tip`, preceded by a [`EventKind::ClockBackwards`] event when
/// `at` is earlier than the last event's time. Returns the events in order (one or two).
pub fn record_events(tip: &EventTip, kind: EventKind, at: i64, detail: String) -> Result<Vec<Event>, EventError> {
    let mut events = Vec::with_capacity(2);
    let mut tip = tip.clone();
    if let Some(last) = tip.last_at.filter(|&last| at < last) {
        let back = record_event(&tip, EventKind::ClockBackwards, at, clock_detail(last, at))?;
        tip = EventTip::after(&back);
        events.push(back);
    }
    events.push(record_event(&tip, kind, at, detail)?);
    Ok(events)
}

fn clock_detail(last: i64, at: i64) -> String {
    let shown = |ms: i64| {
        DateTime::from_timestamp_millis(ms)
            .map_or_else(|| ms.to_string(), |t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
    };
    format!("the clock reads {}, {} ms before the previous event ({})", shown(at), last - at, shown(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos() -> PointOfSale {
        "5-1-9-8-14".parse().unwrap()
    }

    #[test]
    fn events_chain_and_hash_their_content() {
        let first =
            record_event(&EventTip::genesis(pos()), EventKind::Start, 1_764_000_000_000, "node".into()).unwrap();
        assert_eq!((first.sequence, first.code, first.previous_hash.as_str()), (1, 80, GENESIS_HASH));
        assert_eq!(first.at, "2025-11-24T16:00:00.000Z");
        let second =
            record_event(&EventTip::after(&first), EventKind::Export, 1_764_000_001_000, String::new()).unwrap();
        assert_eq!((second.sequence, second.previous_hash.clone()), (2, first.hash.clone()));
        let mut altered = second.clone();
        altered.detail = "changed".into();
        assert_ne!(altered.compute_hash().unwrap(), second.hash);
    }

    #[test]
    fn a_clock_going_backwards_is_an_event_of_its_own() {
        let start =
            record_event(&EventTip::genesis(pos()), EventKind::Start, 1_764_000_000_000, String::new()).unwrap();
        let events =
            record_events(&EventTip::after(&start), EventKind::Stop, 1_763_999_000_000, String::new()).unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind().unwrap()).collect();
        assert_eq!(kinds, [EventKind::ClockBackwards, EventKind::Stop]);
        assert!(events[0].detail.contains("1000000 ms before"), "{}", events[0].detail);
        assert_eq!(events[1].previous_hash, events[0].hash);
        let forward =
            record_events(&EventTip::after(&start), EventKind::Stop, 1_764_000_000_000, String::new()).unwrap();
        assert_eq!(forward.len(), 1, "the same millisecond is not backwards");
    }

    #[test]
    fn every_code_names_one_kind() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::of_code(kind.code()), Some(kind));
        }
        assert_eq!(EventKind::of_code(20), None);
    }
}

//! The WebSocket server, on 127.0.0.1 only.
//!
//! Upgrade checks (research/card-reading.md, "Security practice for a localhost bridge"): the
//! `Origin` must be one of the configured origins, exactly (a missing Origin is refused), and `Host`
//! must be `127.0.0.1:PORT` or `localhost:PORT` (a DNS-rebinding page sends its own host name).
//! Either failure answers HTTP 403 and no WebSocket is opened.
//!
//! Messages are JSON text frames: `{"id": …, "type": "listReaders" | "subscribe" | "unsubscribe" |
//! "readCard" | "transmit" | "listTestCards" | "simulateTap" | "simulateRemove", …}`, answered by
//! `{"id": …, "type": "result", "result": …}` or `{"id": …, "type": "error", "code": "<stable code>",
//! "message": …}`; events are
//! `{"type": "event", "event": "cardInserted" | "cardRemoved" | "readerAdded" | "readerRemoved", …}`.
//! A message larger than `max_message_bytes`, or beyond the per-connection rate, is refused
//! (error `messageTooLarge` / `rateLimited`) and has no effect; frames larger than
//! [`HARD_FRAME_LIMIT`] close the connection. Card identifiers are never logged in full.
//!
//! The readers are reached through a [`ReaderAccess`]: PC/SC, or the simulated reader of
//! `--simulated`. `simulateTap` / `simulateRemove` reach the simulated reader only; with PC/SC they
//! are refused with `simulationDisabled` and change nothing. `listTestCards` answers in both modes
//! (`simulated: false` and no cards with PC/SC), so a page knows whether to show tap buttons.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc, Mutex};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use crate::apdu::{hex_upper, parse_hex, redact};
use crate::config::Config;
use crate::profile::CardProfile;
use crate::reader_access::ReaderAccess;
use crate::simulated::SimulationError;
use crate::tech::ReadError;
use crate::watcher::{ReaderEvent, Watcher};

/// Frames above this close the connection (tungstenite refuses to buffer them).
pub const HARD_FRAME_LIMIT: usize = 64 * 1024;

/// The bridge's shared state.
pub struct Bridge {
    pub config: Config,
    pub profile: Arc<CardProfile>,
    pub watcher: Arc<Watcher>,
    /// PC/SC or the simulated reader.
    pub readers: Arc<dyn ReaderAccess>,
    /// One reading at a time.
    reading: Mutex<()>,
    /// The port actually bound (for the Host check).
    port: u16,
}

/// Binds 127.0.0.1:`config.port` and returns the listener with the bridge state. `watcher` and
/// `readers` come from [`crate::reader_access::open`].
pub async fn bind(
    config: Config,
    profile: CardProfile,
    watcher: Arc<Watcher>,
    readers: Arc<dyn ReaderAccess>,
) -> std::io::Result<(TcpListener, Arc<Bridge>)> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], config.port))).await?;
    let port = listener.local_addr()?.port();
    let profile = Arc::new(profile);
    let bridge = Arc::new(Bridge { config, profile, watcher, readers, reading: Mutex::new(()), port });
    Ok((listener, bridge))
}

/// Accepts connections forever.
pub async fn serve(listener: TcpListener, bridge: Arc<Bridge>) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let bridge = bridge.clone();
                tokio::spawn(async move {
                    if let Err(error) = connection(stream, bridge).await {
                        tracing::debug!(%peer, %error, "connection ended");
                    }
                });
            }
            Err(error) => tracing::warn!(%error, "accept failed"),
        }
    }
}

impl Bridge {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The upgrade check: `Ok(())` or the reason for a 403.
    pub fn check_upgrade(&self, request: &Request) -> Result<(), &'static str> {
        let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
        let Some(origin) = header("origin") else {
            return Err("missing Origin");
        };
        if !self.config.allowed_origins.iter().any(|allowed| allowed == origin) {
            return Err("Origin not allowed");
        }
        let host = header("host").unwrap_or_default().to_ascii_lowercase();
        if host != format!("127.0.0.1:{}", self.port) && host != format!("localhost:{}", self.port) {
            return Err("Host is not this loopback bridge");
        }
        Ok(())
    }
}

fn forbidden(reason: &str) -> ErrorResponse {
    let mut response = ErrorResponse::new(Some(format!("forbidden: {reason}\n")));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

/// A request from a page.
#[derive(Debug, Deserialize)]
struct RequestMessage {
    id: Value,
    #[serde(rename = "type")]
    kind: String,
    reader: Option<String>,
    apdu: Option<String>,
    /// `simulateTap`: the test card's name.
    card: Option<String>,
}

/// A refusal with a stable code.
struct Refusal {
    code: &'static str,
    message: String,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

fn error_message(id: &Value, refusal: &Refusal) -> String {
    json!({"id": id, "type": "error", "code": refusal.code, "message": refusal.message}).to_string()
}

/// A token bucket per connection.
struct RateLimit {
    tokens: f64,
    burst: f64,
    per_second: f64,
    last: Instant,
}

impl RateLimit {
    fn allow(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.per_second).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[allow(clippy::result_large_err)] // the upgrade callback's error type is tungstenite's
async fn connection(stream: TcpStream, bridge: Arc<Bridge>) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    let ws_config =
        WebSocketConfig::default().max_message_size(Some(HARD_FRAME_LIMIT)).max_frame_size(Some(HARD_FRAME_LIMIT));
    let check = bridge.clone();
    let ws = tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        move |request: &Request, response: Response| match check.check_upgrade(request) {
            Ok(()) => Ok(response),
            Err(reason) => {
                tracing::warn!(reason, origin = ?request.headers().get("origin"), "upgrade refused");
                Err(forbidden(reason))
            }
        },
        Some(ws_config),
    )
    .await?;
    let (mut sink, mut incoming) = ws.split();
    let (out, mut outgoing) = mpsc::channel::<String>(64);
    let writer = tokio::spawn(async move {
        while let Some(text) = outgoing.recv().await {
            if sink.send(Message::text(text)).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut rate = RateLimit {
        tokens: bridge.config.rate_burst as f64,
        burst: bridge.config.rate_burst as f64,
        per_second: bridge.config.rate_per_second as f64,
        last: Instant::now(),
    };
    let mut subscription: Option<tokio::task::JoinHandle<()>> = None;
    let result = loop {
        let message = match incoming.next().await {
            None => break Ok(()),
            Some(Err(error)) => break Err(error),
            Some(Ok(message)) => message,
        };
        let text = match message {
            Message::Text(text) => text.to_string(),
            Message::Binary(_) => {
                let _ = out
                    .send(error_message(&Value::Null, &Refusal::new("badRequest", "binary frames are not accepted")))
                    .await;
                continue;
            }
            Message::Close(_) => break Ok(()),
            _ => continue,
        };
        if !rate.allow() {
            let _ = out.send(error_message(&Value::Null, &Refusal::new("rateLimited", "too many messages"))).await;
            continue;
        }
        if text.len() > bridge.config.max_message_bytes {
            let refusal = Refusal::new(
                "messageTooLarge",
                format!("messages are limited to {} bytes", bridge.config.max_message_bytes),
            );
            let _ = out.send(error_message(&Value::Null, &refusal)).await;
            continue;
        }
        let request: RequestMessage = match serde_json::from_str(&text) {
            Ok(request) => request,
            Err(error) => {
                let refusal = Refusal::new("badRequest", format!("not a request: {error}"));
                let _ = out.send(error_message(&Value::Null, &refusal)).await;
                continue;
            }
        };
        let id = request.id.clone();
        let answer = match request.kind.as_str() {
            "listReaders" => Ok(json!({"readers": bridge.watcher.readers()})),
            "subscribe" => {
                if subscription.is_none() {
                    subscription = Some(tokio::spawn(forward_events(bridge.watcher.subscribe(), out.clone())));
                }
                Ok(json!({"subscribed": true, "readers": bridge.watcher.readers()}))
            }
            "unsubscribe" => {
                if let Some(task) = subscription.take() {
                    task.abort();
                }
                Ok(json!({"subscribed": false}))
            }
            "readCard" => read_card(&bridge, request.reader.as_deref()).await,
            "transmit" => transmit(&bridge, request.reader.as_deref(), request.apdu.as_deref()).await,
            "listTestCards" => Ok(list_test_cards(&bridge)),
            "simulateTap" => simulate_tap(&bridge, request.card.as_deref(), request.reader.as_deref()),
            "simulateRemove" => simulate_remove(&bridge, request.reader.as_deref()),
            other => Err(Refusal::new("unknownType", format!("unknown request type {other:?}"))),
        };
        let text = match answer {
            Ok(result) => json!({"id": id, "type": "result", "result": result}).to_string(),
            Err(refusal) => error_message(&id, &refusal),
        };
        if out.send(text).await.is_err() {
            break Ok(());
        }
    };
    if let Some(task) = subscription {
        task.abort();
    }
    drop(out);
    let _ = writer.await;
    result
}

async fn forward_events(mut events: broadcast::Receiver<ReaderEvent>, out: mpsc::Sender<String>) {
    loop {
        let text = match events.recv().await {
            Ok(event) => {
                let mut value = serde_json::to_value(&event).expect("events serialize");
                value["type"] = json!("event");
                value.to_string()
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                error_message(&Value::Null, &Refusal::new("eventsLost", format!("{n} events were dropped")))
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if out.send(text).await.is_err() {
            return;
        }
    }
}

/// The reader a request names, or the first one with a card; never the SAM reader.
fn pick_reader(bridge: &Bridge, reader: Option<&str>) -> Result<String, Refusal> {
    let readers = bridge.watcher.readers();
    if let Some(name) = reader {
        if bridge.config.sam_reader.as_deref() == Some(name) {
            return Err(Refusal::new("forbiddenReader", "this reader is not available to pages"));
        }
        return match readers.iter().find(|r| r.name == name) {
            Some(r) if r.card_present => Ok(r.name.clone()),
            Some(_) => Err(Refusal::new("noCard", "no card in the reader")),
            None => Err(Refusal::new("unknownReader", format!("no reader named {name:?}"))),
        };
    }
    readers
        .into_iter()
        .find(|r| r.card_present)
        .map(|r| r.name)
        .ok_or_else(|| Refusal::new("noCard", "no card in any reader"))
}

async fn read_card(bridge: &Arc<Bridge>, reader: Option<&str>) -> Result<Value, Refusal> {
    let reader = pick_reader(bridge, reader)?;
    let _reading = bridge.reading.lock().await;
    let profile = bridge.profile.clone();
    let sam = bridge.config.sam_reader.clone();
    let started = Instant::now();
    let name = reader.clone();
    let readers = bridge.readers.clone();
    let outcome = tokio::task::spawn_blocking(move || readers.read(&name, sam.as_deref(), &profile))
        .await
        .map_err(|_| Refusal::new("internal", "the reading task failed"))?;
    match outcome {
        Ok(reading) => {
            tracing::info!(
                reader,
                card_type = reading.card.card_type.as_str(),
                uid = %redact(&reading.card.uid),
                id_support = %redact(&reading.card.id_support),
                apdus = reading.apdus,
                ms = started.elapsed().as_millis() as u64,
                "card read"
            );
            Ok(serde_json::to_value(&reading.card).expect("CardRead serializes"))
        }
        Err(error) => {
            tracing::info!(reader, code = error.code(), %error, "card not read");
            Err(refusal_of(&error))
        }
    }
}

fn refusal_of(error: &ReadError) -> Refusal {
    Refusal::new(error.code(), error.to_string())
}

async fn transmit(bridge: &Arc<Bridge>, reader: Option<&str>, apdu: Option<&str>) -> Result<Value, Refusal> {
    if !bridge.config.allow_raw_apdu {
        return Err(Refusal::new("rawApduDisabled", "raw APDUs are disabled by the operator"));
    }
    let reader = pick_reader(bridge, reader)?;
    let apdu = apdu
        .and_then(parse_hex)
        .filter(|a| (4..=261).contains(&a.len()))
        .ok_or_else(|| Refusal::new("badRequest", "apdu must be 4 to 261 bytes of hex"))?;
    let _reading = bridge.reading.lock().await;
    let readers = bridge.readers.clone();
    let answer = tokio::task::spawn_blocking(move || readers.transmit(&reader, &apdu))
        .await
        .map_err(|_| Refusal::new("internal", "the transmit task failed"))?;
    answer
        .map(|response| json!({"response": hex_upper(&response)}))
        .map_err(|error| refusal_of(&ReadError::Channel(error)))
}

fn simulation_refusal(error: &SimulationError) -> Refusal {
    Refusal::new(error.code(), error.to_string())
}

fn simulation_disabled() -> Refusal {
    Refusal::new("simulationDisabled", "the bridge reads PC/SC readers; start it with --simulated to tap test cards")
}

/// `{simulated, reader?, cardOnReader?, cards: [{name, label?, technology}]}`.
fn list_test_cards(bridge: &Bridge) -> Value {
    let Some(simulator) = bridge.readers.simulator() else {
        return json!({"simulated": false, "cards": []});
    };
    let cards: Vec<Value> = simulator
        .profile()
        .test_cards
        .iter()
        .map(|c| {
            let mut card = json!({"name": c.name, "technology": c.technology.as_str()});
            if let Some(label) = &c.label {
                card["label"] = json!(label);
            }
            card
        })
        .collect();
    json!({
        "simulated": true,
        "reader": crate::simulated::SIMULATED_READER,
        "cardOnReader": simulator.card_on_reader(),
        "cards": cards,
    })
}

/// `simulateTap` (`card`, `reader?`): `{reader, card, cardType}`; the events follow.
fn simulate_tap(bridge: &Bridge, card: Option<&str>, reader: Option<&str>) -> Result<Value, Refusal> {
    let simulator = bridge.readers.simulator().ok_or_else(simulation_disabled)?;
    let card = card.ok_or_else(|| Refusal::new("badRequest", "simulateTap needs `card`, a test card name"))?;
    let tapped = simulator.tap(card, reader).map_err(|e| simulation_refusal(&e))?;
    tracing::info!(card = tapped.card, "simulated tap");
    Ok(json!({"reader": tapped.reader, "card": tapped.card, "cardType": tapped.card_type}))
}

/// `simulateRemove` (`reader?`): `{reader, card}` (the card taken off).
fn simulate_remove(bridge: &Bridge, reader: Option<&str>) -> Result<Value, Refusal> {
    let simulator = bridge.readers.simulator().ok_or_else(simulation_disabled)?;
    let card = simulator.remove(reader).map_err(|e| simulation_refusal(&e))?;
    tracing::info!(card, "simulated removal");
    Ok(json!({"reader": crate::simulated::SIMULATED_READER, "card": card}))
}

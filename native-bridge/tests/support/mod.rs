//! Test support: a real pcscd with the vpcd driver, and a bridge on a free port of 127.0.0.1.
//!
//! Tests touching pcscd take [`Pcscd::acquire`]: a process-wide mutex plus a file lock (other test
//! processes on this machine use the same vpcd ports), then a pcscd: the one already running
//! (left running afterwards), or one started here with `pcscd --foreground` (stopped on drop).

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crous_till_native_bridge::config::Config;
use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::reader_access::{self, Pcsc};
use crous_till_native_bridge::server;
use crous_till_native_bridge::virtual_card::vpcd::{CARD_READER, SAM_READER};
use crous_till_native_bridge::watcher::Watcher;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const ORIGIN: &str = "https://till.test";
/// Generous: only to fail instead of hanging.
pub const TIMEOUT: Duration = Duration::from_secs(20);

static IN_PROCESS: Mutex<()> = Mutex::new(());

pub struct Pcscd {
    child: Option<Child>,
    _lock: TcpListener,
    _guard: MutexGuard<'static, ()>,
}

fn pcscd_answers() -> bool {
    pcsc::Context::establish(pcsc::Scope::User).is_ok()
}

fn vpcd_readers_listed() -> bool {
    let Ok(ctx) = pcsc::Context::establish(pcsc::Scope::User) else { return false };
    let Ok(names) = ctx.list_readers_owned() else { return false };
    let names: Vec<String> = names.iter().map(|n| n.to_string_lossy().into_owned()).collect();
    names.iter().any(|n| n == CARD_READER) && names.iter().any(|n| n == SAM_READER)
}

/// Other test processes on this machine (parallel `cargo test` runs) use the same vpcd ports: they
/// queue on a listening socket on a fixed loopback port, released by the OS even on a crash
/// (`File::lock` would need Rust 1.89, above the workspace's MSRV).
fn cross_process_lock() -> TcpListener {
    const LOCK_PORT: u16 = 35960;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        match TcpListener::bind(("127.0.0.1", LOCK_PORT)) {
            Ok(listener) => return listener,
            Err(error) if Instant::now() > deadline => panic!("pcscd test lock (port {LOCK_PORT}): {error}"),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

impl Pcscd {
    pub fn acquire() -> Self {
        let guard = IN_PROCESS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let lock = cross_process_lock();
        let mut this = Self { child: None, _lock: lock, _guard: guard };
        this.start();
        this
    }

    /// Starts pcscd unless one already answers; waits for the two vpcd readers.
    ///
    /// vpcd binds its ports (35963/35964, inside Linux's ephemeral range) without SO_REUSEADDR: a
    /// slot fails when a socket of another process, or a TIME_WAIT one, holds its port at start. A
    /// pcscd started here is then restarted until both readers appear.
    pub fn start(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(150);
        loop {
            if !pcscd_answers() {
                let child = Command::new("pcscd")
                    .arg("--foreground")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("start pcscd (run scripts/install-pcscd.sh)");
                self.child = Some(child);
            }
            let attempt = Instant::now() + Duration::from_secs(10);
            while !vpcd_readers_listed() && Instant::now() < attempt {
                std::thread::sleep(Duration::from_millis(100));
            }
            if vpcd_readers_listed() {
                return;
            }
            assert!(
                Instant::now() < deadline && self.owned(),
                "pcscd did not list the vpcd readers (is vsmartcard-vpcd installed? ports 35963/35964 free?)"
            );
            self.stop();
            std::thread::sleep(Duration::from_secs(2));
        }
    }

    /// Whether this test started pcscd (and so may stop it).
    pub fn owned(&self) -> bool {
        self.child.is_some()
    }

    /// Stops the pcscd this test started (SIGTERM, so it removes its socket).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while child.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits until pcscd sees a card in `reader` (the SAM slot gives no bridge event to wait for).
pub fn wait_card_present(reader: &str) {
    let ctx = pcsc::Context::establish(pcsc::Scope::User).expect("pcscd");
    let name = std::ffi::CString::new(reader).expect("reader name");
    let mut states = vec![pcsc::ReaderState::new(name, pcsc::State::UNAWARE)];
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let _ = ctx.get_status_change(Duration::from_millis(500), &mut states);
        if states[0].event_state().contains(pcsc::State::PRESENT) {
            return;
        }
        assert!(Instant::now() < deadline, "pcscd did not see the card in {reader}");
        states[0].sync_current_state();
    }
}

/// A bridge served in the test's runtime.
pub struct TestBridge {
    pub port: u16,
    pub watcher: Arc<Watcher>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestBridge {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start_bridge(profile: CardProfile, sam: bool) -> TestBridge {
    let config = Config {
        port: 0,
        allowed_origins: vec![ORIGIN.into()],
        sam_reader: Some(SAM_READER.into()),
        ..Config::default()
    };
    let _ = sam;
    let watcher = Arc::new(Watcher::spawn(vec![SAM_READER.into()]));
    let (listener, bridge) = server::bind(config, profile, watcher.clone(), Arc::new(Pcsc)).await.expect("bind");
    let port = bridge.port();
    let task = tokio::spawn(server::serve(listener, bridge));
    // The watcher has seen the readers once they are listed.
    let deadline = Instant::now() + TIMEOUT;
    while !watcher.readers().iter().any(|r| r.name == CARD_READER) {
        assert!(Instant::now() < deadline, "the watcher did not see the card reader");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    TestBridge { port, watcher, task }
}

/// A bridge on the in-process simulated reader (`--simulated`): no pcscd.
pub async fn start_simulated_bridge(profile: CardProfile) -> TestBridge {
    // The tests tap every test card in a row, faster than a cashier: a burst above the default 20.
    let config =
        Config { port: 0, allowed_origins: vec![ORIGIN.into()], simulated: true, rate_burst: 100, ..Config::default() };
    let (watcher, readers) = reader_access::open(true, Vec::new(), &profile).expect("a simulable profile");
    let (listener, bridge) = server::bind(config, profile, watcher.clone(), readers).await.expect("bind");
    let port = bridge.port();
    let task = tokio::spawn(server::serve(listener, bridge));
    TestBridge { port, watcher, task }
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a WebSocket with the given Origin (None: no header) and Host.
pub async fn connect_with(
    port: u16,
    origin: Option<&str>,
    host: Option<&str>,
) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://127.0.0.1:{port}/").into_client_request().expect("request");
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().expect("header"));
    }
    if let Some(host) = host {
        request.headers_mut().insert("host", host.parse().expect("header"));
    }
    tokio_tungstenite::connect_async(request).await.map(|(ws, _)| ws)
}

pub async fn connect(port: u16) -> Ws {
    connect_with(port, Some(ORIGIN), None).await.expect("allowed connection")
}

pub async fn send(ws: &mut Ws, value: Value) {
    ws.send(Message::text(value.to_string())).await.expect("send");
}

/// The next JSON message matching `pred`, skipping others.
pub async fn next_matching(ws: &mut Ws, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let wait = async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON from the bridge");
                    if pred(&value) {
                        return value;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("connection ended while waiting for {what}: {other:?}"),
            }
        }
    };
    tokio::time::timeout(TIMEOUT, wait).await.unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// Sends a request and returns its answer (result or error).
pub async fn request(ws: &mut Ws, id: u64, kind: &str, extra: Value) -> Value {
    let mut message = json!({"id": id, "type": kind});
    if let Value::Object(fields) = extra {
        for (k, v) in fields {
            message[k] = v;
        }
    }
    send(ws, message).await;
    next_matching(ws, &format!("answer to {kind}"), |v| v["id"] == json!(id)).await
}

pub async fn event(ws: &mut Ws, name: &str, reader: &str) -> Value {
    next_matching(ws, name, |v| v["type"] == "event" && v["event"] == name && v["reader"] == reader).await
}

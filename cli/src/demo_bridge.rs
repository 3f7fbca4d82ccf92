//! The native bridge (crate `crous-till-native-bridge`) inside `crous-till demo`: the same server
//! as `crous-till-native-bridge --simulated --allow-origin <the page>`, on a free loopback port.

use crous_till_native_bridge::config::Config;
use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::{reader_access, server};
use std::path::PathBuf;

/// Which readers the bridge gives the page.
pub enum BridgeChoice {
    /// The in-process simulated reader and the profile's test cards (no pcscd needed).
    Simulated,
    /// The machine's PC/SC readers, read with this card profile (default: the test-card one).
    Pcsc(Option<PathBuf>),
}

pub struct RunningBridge {
    /// `ws://127.0.0.1:<port>`.
    pub url: String,
    /// "simulated reader" or "PC/SC readers", for the start-up line.
    pub kind: &'static str,
    task: tokio::task::JoinHandle<()>,
}

impl RunningBridge {
    pub fn stop(self) {
        self.task.abort();
    }
}

/// Binds the bridge on 127.0.0.1 (any free port), allowing exactly `origins`, and serves it.
pub async fn start(origins: Vec<String>, choice: BridgeChoice) -> Result<RunningBridge, String> {
    let (simulated, profile_path) = match choice {
        BridgeChoice::Simulated => (true, None),
        BridgeChoice::Pcsc(path) => (false, path),
    };
    let config =
        Config { port: 0, allowed_origins: origins, simulated, profile: profile_path.clone(), ..Config::default() };
    config.check().map_err(|e| e.to_string())?;
    let profile = match &profile_path {
        Some(path) => CardProfile::load(path).map_err(|e| e.to_string())?,
        None => CardProfile::test_cards(),
    };
    let (watcher, readers) = reader_access::open(simulated, Vec::new(), &profile).map_err(|e| e.to_string())?;
    let (listener, bridge) = server::bind(config, profile, watcher, readers).await.map_err(|e| e.to_string())?;
    let url = format!("ws://127.0.0.1:{}", bridge.port());
    let task = tokio::spawn(server::serve(listener, bridge));
    Ok(RunningBridge { url, kind: if simulated { "simulated reader" } else { "PC/SC readers" }, task })
}

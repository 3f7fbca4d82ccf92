//! `crous-till-native-bridge`: see `--help` and README.md.

use std::process::ExitCode;

use clap::Parser;
use crous_till_native_bridge::config::{Cli, Config};
use crous_till_native_bridge::profile::CardProfile;
use crous_till_native_bridge::simulated::SIMULATED_READER;
use crous_till_native_bridge::{reader_access, server};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = match Config::from_cli(&cli) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    if config.allowed_origins.is_empty() {
        tracing::warn!("no --allow-origin: every page will be refused");
    }
    let profile = match &config.profile {
        Some(path) => match CardProfile::load(path) {
            Ok(profile) => profile,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        },
        None => {
            tracing::warn!("no --profile: using the bundled TEST-CARD profile (not the Cnous layout)");
            CardProfile::test_cards()
        }
    };
    let hidden: Vec<String> = config.sam_reader.iter().cloned().collect();
    let (watcher, readers) = match reader_access::open(config.simulated, hidden, &profile) {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("error: --simulated: {error}");
            return ExitCode::from(2);
        }
    };
    if config.simulated {
        tracing::warn!(reader = SIMULATED_READER, "SIMULATED reader: test cards only, no PC/SC (demo mode)");
    }
    let (listener, bridge) = match server::bind(config, profile, watcher, readers).await {
        Ok(bound) => bound,
        Err(error) => {
            eprintln!("error: cannot listen: {error}");
            return ExitCode::from(1);
        }
    };
    tracing::info!(port = bridge.port(), profile = %bridge.profile.name, "listening on 127.0.0.1");
    tokio::select! {
        () = server::serve(listener, bridge) => {}
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    ExitCode::SUCCESS
}

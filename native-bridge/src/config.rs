//! Configuration: a TOML file (`--config`), overridden by flags. See `bridge.example.toml`.

use std::path::{Path, PathBuf};

use clap::Parser;
use serde::Deserialize;
use thiserror::Error;

/// The port the bridge listens on by default (127.0.0.1 only).
pub const DEFAULT_PORT: u16 = 47810;
/// research/card-reading.md: "small frames (8 KiB)".
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 8 * 1024;

/// crous-till native bridge: the till PC's card readers (Izly card + SAM) for the browser till, over
/// a WebSocket on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "crous-till-native-bridge", version)]
pub struct Cli {
    /// TOML configuration file (flags override its values).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Port on 127.0.0.1 [default: 47810].
    #[arg(long)]
    pub port: Option<u16>,
    /// An allowed page origin, exactly as the browser sends it (e.g. https://till.example.fr).
    /// Repeatable. Requests without an Origin header are always refused.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,
    /// The card profile (TOML): the stand-in for the Cnous card specifications.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// The reader holding the SAM (never visible to pages).
    #[arg(long, value_name = "READER")]
    pub sam_reader: Option<String>,
    /// Let pages send raw APDUs to the card reader (off by default; never to the SAM).
    #[arg(long)]
    pub allow_raw_apdu: bool,
    /// Demo/test mode, no PC/SC needed: one in-process simulated reader ("crous-till Simulated
    /// Reader 00") on which a page taps the profile's [[test_cards]] with
    /// {"type":"simulateTap","id":…,"card":"<name>"} and lifts it with {"type":"simulateRemove"};
    /// {"type":"listTestCards"} lists the names. Without this flag those messages are refused
    /// (error code simulationDisabled). Never on a real till.
    #[arg(long)]
    pub simulated: bool,
    /// Largest accepted WebSocket message, in bytes [default: 8192].
    #[arg(long)]
    pub max_message_bytes: Option<usize>,
    /// Messages per second allowed per connection, sustained [default: 10].
    #[arg(long)]
    pub rate_per_second: Option<u32>,
    /// Messages allowed per connection in a burst [default: 20].
    #[arg(long)]
    pub rate_burst: Option<u32>,
}

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub port: Option<u16>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    pub profile: Option<PathBuf>,
    pub sam_reader: Option<String>,
    #[serde(default)]
    pub allow_raw_apdu: bool,
    #[serde(default)]
    pub simulated: bool,
    pub max_message_bytes: Option<usize>,
    pub rate_per_second: Option<u32>,
    pub rate_burst: Option<u32>,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// 0 = any free port (tests).
    pub port: u16,
    pub allowed_origins: Vec<String>,
    pub profile: Option<PathBuf>,
    pub sam_reader: Option<String>,
    pub allow_raw_apdu: bool,
    /// The in-process simulated reader instead of PC/SC.
    pub simulated: bool,
    pub max_message_bytes: usize,
    pub rate_per_second: u32,
    pub rate_burst: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: DEFAULT_PORT,
            allowed_origins: Vec::new(),
            profile: None,
            sam_reader: None,
            allow_raw_apdu: false,
            simulated: false,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            rate_per_second: 10,
            rate_burst: 20,
        }
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("invalid configuration {path}: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Merges the file (if any) and the flags.
    pub fn from_cli(cli: &Cli) -> Result<Self, ConfigError> {
        let file = match &cli.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let d = Config::default();
        let mut allowed_origins = file.allowed_origins;
        allowed_origins.extend(cli.allow_origins.iter().cloned());
        let config = Config {
            port: cli.port.or(file.port).unwrap_or(d.port),
            allowed_origins,
            profile: cli.profile.clone().or(file.profile),
            sam_reader: cli.sam_reader.clone().or(file.sam_reader),
            allow_raw_apdu: cli.allow_raw_apdu || file.allow_raw_apdu,
            simulated: cli.simulated || file.simulated,
            max_message_bytes: cli.max_message_bytes.or(file.max_message_bytes).unwrap_or(d.max_message_bytes),
            rate_per_second: cli.rate_per_second.or(file.rate_per_second).unwrap_or(d.rate_per_second),
            rate_burst: cli.rate_burst.or(file.rate_burst).unwrap_or(d.rate_burst),
        };
        config.check()?;
        Ok(config)
    }

    pub fn check(&self) -> Result<(), ConfigError> {
        for origin in &self.allowed_origins {
            if origin == "*" || origin == "null" || !(origin.starts_with("https://") || origin.starts_with("http://")) {
                return Err(ConfigError::Invalid(format!(
                    "allowed origin {origin:?} must be an exact http(s) origin (no wildcard, no null)"
                )));
            }
            if origin.ends_with('/') {
                return Err(ConfigError::Invalid(format!("allowed origin {origin:?} must not end with '/'")));
            }
        }
        if self.max_message_bytes == 0 || self.max_message_bytes > 64 * 1024 {
            return Err(ConfigError::Invalid("max_message_bytes must be 1..=65536".into()));
        }
        if self.rate_per_second == 0 || self.rate_burst == 0 {
            return Err(ConfigError::Invalid("rate_per_second and rate_burst must be > 0".into()));
        }
        Ok(())
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: shown.clone(), source })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse { path: shown, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_parses_and_flags_override() {
        let file: FileConfig = toml::from_str(include_str!("../bridge.example.toml")).unwrap();
        assert!(!file.allow_raw_apdu);
        let cli = Cli::parse_from(["x", "--port", "9000", "--allow-origin", "https://till.example.fr"]);
        let config = Config::from_cli(&cli).unwrap();
        assert_eq!(config.port, 9000);
        assert_eq!(config.max_message_bytes, 8192);
        assert!(!config.simulated);
        assert!(Config::from_cli(&Cli::parse_from(["x", "--simulated"])).unwrap().simulated);
    }

    #[test]
    fn refuses_wildcard_origins() {
        let cli = Cli::parse_from(["x", "--allow-origin", "*"]);
        assert!(Config::from_cli(&cli).is_err());
        let cli = Cli::parse_from(["x", "--allow-origin", "https://a.fr/"]);
        assert!(Config::from_cli(&cli).is_err());
    }
}

//! The probe's configuration file: which services to probe, where, with which credentials.
//!
//! JSON, unknown fields refused. A secret is a string, or `{"env": "VARIABLE"}` to read it from
//! the environment at start (a missing variable is named, never a value). A service absent from
//! the file is not probed; its rows are "not exercised".
//!
//! ```json
//! {"crous": {"environment": "preprod", "pointOfSale": "5-1-9-8-14", "installationKey": {"env": "CROUS_KEY"}},
//!  "izlyPos": {"environment": "preprod", "qrCode": {"env": "IZLY_TEST_QR"},
//!              "card": {"idSupport": "04A1B2C3D4E5F6", "numeroApplicatif": "1000001"}},
//!  "izlyPay": {"environment": "preprod", "appIdentifier": "my-shop", "apiKey": {"env": "IZLY_API_KEY"}},
//!  "esipay": {"environment": "prod", "uuid": "0b7f…", "returnListen": "127.0.0.1:8099",
//!             "card": {"number": {"env": "TEST_CARD"}, "month": 12, "year": 2030}}}
//! ```
//!
//! esipay runs only with `--allow-payments`: it pays 0,01 € with the test card and refunds it at
//! once. esipay tells the transaction only in its return POST, to the enterprise's registered
//! return URL: the probe listens on `returnListen` for it, so that URL must reach this address.
//!
//! Izly POS takes its key from the Crous `caisse` answer (`cleAuthentificationIzly`) when `crous`
//! is configured, else from `izlyPos.key`.

use crous_till_core::api::Environment;
use crous_till_core::client::environment;
use crous_till_core::point_of_sale::PointOfSale;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Secret {
    Text(String),
    Env { env: String },
}

impl Secret {
    /// The value, or an error naming the variable that is not set.
    pub fn resolve(&self, what: &str) -> Result<String, String> {
        match self {
            Secret::Text(t) if !t.is_empty() => Ok(t.clone()),
            Secret::Text(_) => Err(format!("{what} is empty")),
            Secret::Env { env } => match std::env::var(env) {
                Ok(v) if !v.is_empty() => Ok(v),
                _ => Err(format!("{what}: the environment variable {env} is not set")),
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct File {
    pub crous: Option<CrousFile>,
    pub izly_pos: Option<IzlyPosFile>,
    pub izly_pay: Option<IzlyPayFile>,
    pub esipay: Option<EsipayFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EsipayFile {
    pub environment: String,
    pub uuid: String,
    /// Where the probe receives esipay's return POST (`127.0.0.1:8099`).
    pub return_listen: String,
    pub card: EsipayCardFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EsipayCardFile {
    pub number: Secret,
    pub month: u8,
    pub year: u16,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CrousFile {
    pub environment: String,
    pub point_of_sale: String,
    pub installation_key: Secret,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IzlyPosFile {
    pub environment: String,
    /// Defaults to the Crous till's.
    pub point_of_sale: Option<String>,
    /// Needed when `crous` is not configured.
    pub key: Option<Secret>,
    /// The text of a test QR code (one-time codes expire: pass it by the environment). The
    /// sandbox's searchQRCode does not use a code up; whether the real one does is not known, so
    /// give the probe a code you will not pay with.
    pub qr_code: Option<Secret>,
    pub card: Option<CardFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CardFile {
    pub id_support: Secret,
    pub numero_applicatif: Secret,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IzlyPayFile {
    pub environment: String,
    pub app_identifier: String,
    pub api_key: Secret,
}

/// The configuration, secrets read and values checked.
pub struct Config {
    pub crous: Option<Crous>,
    pub izly_pos: Option<IzlyPos>,
    pub izly_pay: Option<IzlyPay>,
    pub esipay: Option<Esipay>,
}

pub struct Crous {
    pub environment: Environment,
    pub point_of_sale: PointOfSale,
    pub installation_key: String,
}

pub struct IzlyPos {
    pub environment: Environment,
    pub point_of_sale: PointOfSale,
    pub key: Option<String>,
    pub qr_code: Option<String>,
    pub card: Option<(String, String)>,
}

pub struct IzlyPay {
    pub environment: Environment,
    pub app_identifier: String,
    pub api_key: String,
}

pub struct Esipay {
    pub environment: Environment,
    pub uuid: String,
    pub return_listen: std::net::SocketAddr,
    pub card: (crous_till_core::api::CardNumber, u8, u16),
}

impl Config {
    /// Every secret's value, to redact from what the probe writes.
    pub fn secrets(&self) -> Vec<String> {
        let mut all = Vec::new();
        if let Some(c) = &self.crous {
            all.push(c.installation_key.clone());
        }
        if let Some(p) = &self.izly_pos {
            all.extend(p.key.iter().chain(&p.qr_code).cloned());
            all.extend(p.card.iter().flat_map(|(a, b)| [a.clone(), b.clone()]));
        }
        if let Some(w) = &self.izly_pay {
            all.push(w.api_key.clone());
        }
        if let Some(e) = &self.esipay {
            all.push(e.card.0.expose_digits().to_owned());
        }
        all
    }

    fn environments(&self) -> Vec<&Environment> {
        let crous = self.crous.as_ref().map(|c| &c.environment);
        let pos = self.izly_pos.as_ref().map(|p| &p.environment);
        let pay = self.izly_pay.as_ref().map(|w| &w.environment);
        let esipay = self.esipay.as_ref().map(|e| &e.environment);
        [crous, pos, pay, esipay].into_iter().flatten().collect()
    }
}

fn env(text: &str, what: &str) -> Result<Environment, String> {
    environment(text).map_err(|e| format!("{what}: {e}"))
}

fn pos(text: &str, what: &str) -> Result<PointOfSale, String> {
    text.parse().map_err(|e| format!("{what} {text:?}: {e}"))
}

/// Reads and checks the configuration `text`. `in_ci`: refuse anything but loopback base URLs
/// (the probe never runs against the real hosts in tests or CI).
pub fn read(text: &str, in_ci: bool) -> Result<Config, String> {
    let file: File = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
    let crous = match &file.crous {
        None => None,
        Some(c) => Some(Crous {
            environment: env(&c.environment, "crous.environment")?,
            point_of_sale: pos(&c.point_of_sale, "crous.pointOfSale")?,
            installation_key: c.installation_key.resolve("crous.installationKey")?,
        }),
    };
    let izly_pos = match &file.izly_pos {
        None => None,
        Some(p) => {
            let point_of_sale = match (&p.point_of_sale, &crous) {
                (Some(text), _) => pos(text, "izlyPos.pointOfSale")?,
                (None, Some(c)) => c.point_of_sale,
                (None, None) => return Err("izlyPos.pointOfSale is needed without crous".into()),
            };
            let key = p.key.as_ref().map(|k| k.resolve("izlyPos.key")).transpose()?;
            if key.is_none() && crous.is_none() {
                return Err("izlyPos.key is needed without crous (whose caisse answer gives it)".into());
            }
            let card = match &p.card {
                None => None,
                Some(c) => Some((
                    c.id_support.resolve("izlyPos.card.idSupport")?,
                    c.numero_applicatif.resolve("izlyPos.card.numeroApplicatif")?,
                )),
            };
            Some(IzlyPos {
                environment: env(&p.environment, "izlyPos.environment")?,
                point_of_sale,
                key,
                qr_code: p.qr_code.as_ref().map(|q| q.resolve("izlyPos.qrCode")).transpose()?,
                card,
            })
        }
    };
    let izly_pay = match &file.izly_pay {
        None => None,
        Some(w) => Some(IzlyPay {
            environment: env(&w.environment, "izlyPay.environment")?,
            app_identifier: w.app_identifier.clone(),
            api_key: w.api_key.resolve("izlyPay.apiKey")?,
        }),
    };
    let esipay = match &file.esipay {
        None => None,
        Some(e) => {
            let number = e.card.number.resolve("esipay.card.number")?;
            let card =
                crous_till_core::api::CardNumber::parse(&number).map_err(|err| format!("esipay.card.number: {err}"))?;
            if !(1..=12).contains(&e.card.month) {
                return Err(format!("esipay.card.month {} is not 1 to 12", e.card.month));
            }
            let listen =
                e.return_listen.parse().map_err(|err| format!("esipay.returnListen {:?}: {err}", e.return_listen))?;
            Some(Esipay {
                environment: env(&e.environment, "esipay.environment")?,
                uuid: e.uuid.clone(),
                return_listen: listen,
                card: (card, e.card.month, e.card.year),
            })
        }
    };
    let config = Config { crous, izly_pos, izly_pay, esipay };
    if config.environments().is_empty() {
        return Err("no service to probe: name crous, izlyPos, izlyPay or esipay".into());
    }
    if in_ci {
        if let Some(e) = config.environments().into_iter().find(|e| !is_loopback(e)) {
            return Err(format!("CI is set: the probe runs only against 127.0.0.1 there, not {e:?}"));
        }
    }
    Ok(config)
}

fn is_loopback(environment: &Environment) -> bool {
    match environment {
        Environment::Custom(url) => {
            ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"].iter().any(|p| url.starts_with(p))
        }
        _ => false,
    }
}

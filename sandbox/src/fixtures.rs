//! The sandbox's fixtures: a demo Crous (restaurant, tills, installation and Izly keys, reference
//! data), Izly test accounts (balances, QR codes, cards, IzlyConnect logins), IzlyPay partner
//! sites, esipay enterprises and test cards. `sandbox/fixtures/demo.json` is the default set and
//! the model for `--fixtures FILE`.

use crate::wire::PointOfSale;
use crous_till_core::reference::ReferenceData;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The default fixtures, `sandbox/fixtures/demo.json`.
pub const DEMO_JSON: &str = include_str!("../fixtures/demo.json");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    pub crous: CrousFixture,
    pub izly: IzlyFixture,
    pub esipay: EsipayFixture,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrousFixture {
    pub id_crous: u32,
    pub libelle: String,
    pub restaurants: Vec<Restaurant>,
    /// The reference resources as specs 001 names them (`tva`, `articles`, `societesTarifs`...),
    /// served as they are written; the POSTed tickets are checked against them by core's rules.
    pub reference: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restaurant {
    pub libelle: String,
    pub tills: Vec<Till>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Till {
    /// `crous-ug-ru-ud-caisse`, such as `5-1-9-8-14` (the authenticate appId).
    pub point_of_sale: PointOfSale,
    pub libelle: String,
    /// The appSecret of `POST /vem/v1/authenticate` for this point of sale only.
    pub installation_key: String,
    /// The caisse's cleAuthentificationIzly, sent as `Authorization: Basic <key>` to Izly POS.
    pub izly_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IzlyFixture {
    pub accounts: Vec<IzlyAccount>,
    pub partners: Vec<IzlyPartner>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IzlyAccount {
    pub right_holder_id: u64,
    pub id_izly: String,
    pub code_client: String,
    pub societe: u32,
    pub tarif: u32,
    pub balance_cents: i64,
    #[serde(default)]
    pub blocked: bool,
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub code_crous: Option<u32>,
    pub rne_etablissement: Option<String>,
    pub numero_affectation: Option<String>,
    pub date_fin_validite: Option<String>,
    /// IzlyConnect / IzlyPay hosted page "identifiant" and "mot de passe".
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub qr_codes: Vec<QrCodeFixture>,
    #[serde(default)]
    pub cards: Vec<CardFixture>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrCodeFixture {
    /// The QR text, `AIZ;<user id>;<yyyy-MM-dd HH:mm:ss UTC>;3;<hex one-time code>;<base64 signature>`.
    pub text: String,
    /// RFC 3339; `null`: valid until used.
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardFixture {
    pub id_support: String,
    pub numero_applicatif: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IzlyPartner {
    /// Shown on the hosted payment page.
    pub site_name: String,
    /// The partner's AppIdentifier (IzlyConnect client_id).
    pub app_identifier: String,
    /// `Authorization: Basic <api_key>` on IzlyConnect tokens and IzlyPay.
    pub api_key: String,
    pub beneficiary_id: String,
    /// Where IzlyPay POSTs the payment notification.
    pub callback_url: String,
    /// Where IzlyConnect may send the browser back with a code.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsipayFixture {
    pub enterprises: Vec<EsipayEnterprise>,
    #[serde(default)]
    pub cards: Vec<EsipayCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsipayEnterprise {
    pub uuid: String,
    pub name: String,
    /// Callers allowed by IP (`127.0.0.1`); any other caller gets 403.
    pub allowed_ips: Vec<String>,
    pub return_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsipayCard {
    pub number: String,
    pub balance_cents: i64,
}

/// Why a fixtures document is refused.
#[derive(Debug, thiserror::Error)]
pub enum FixturesError {
    #[error("fixtures are not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid fixtures: {0}")]
    Invalid(String),
}

impl Fixtures {
    pub fn demo() -> Self {
        Self::from_json(DEMO_JSON).expect("the demo fixtures are valid")
    }

    pub fn from_json(text: &str) -> Result<Self, FixturesError> {
        let f: Fixtures = serde_json::from_str(text)?;
        f.validate()?;
        Ok(f)
    }

    pub fn tills(&self) -> impl Iterator<Item = &Till> {
        self.crous.restaurants.iter().flat_map(|r| r.tills.iter())
    }

    /// The till of a point of sale (the sandbox's own type, or any that prints as its app id).
    pub fn till(&self, pos: &impl std::fmt::Display) -> Option<&Till> {
        let app_id = pos.to_string();
        self.tills().find(|t| t.point_of_sale.app_id() == app_id)
    }

    pub fn till_by_izly_key(&self, key: &str) -> Option<&Till> {
        self.tills().find(|t| t.izly_key == key)
    }

    pub fn partner_by_key(&self, api_key: &str) -> Option<&IzlyPartner> {
        self.izly.partners.iter().find(|p| p.api_key == api_key)
    }

    pub fn partner_by_app(&self, app: &str) -> Option<&IzlyPartner> {
        self.izly.partners.iter().find(|p| p.app_identifier == app)
    }

    pub fn enterprise(&self, uuid: &str) -> Option<&EsipayEnterprise> {
        self.esipay.enterprises.iter().find(|e| e.uuid == uuid)
    }

    /// Uniqueness of every key the sandbox looks things up by.
    pub fn validate(&self) -> Result<(), FixturesError> {
        fn unique<'a>(what: &str, items: impl Iterator<Item = &'a str>) -> Result<(), FixturesError> {
            let mut seen = HashSet::new();
            for i in items {
                if !seen.insert(i) {
                    return Err(FixturesError::Invalid(format!("duplicate {what}: {i:?}")));
                }
            }
            Ok(())
        }
        let pos: Vec<String> = self.tills().map(|t| t.point_of_sale.to_string()).collect();
        unique("till point_of_sale", pos.iter().map(String::as_str))?;
        for t in self.tills() {
            if t.point_of_sale.id_crous != self.crous.id_crous {
                return Err(FixturesError::Invalid(format!(
                    "till {} is not in Crous {}",
                    t.point_of_sale, self.crous.id_crous
                )));
            }
        }
        unique("installation_key", self.tills().map(|t| t.installation_key.as_str()))?;
        unique("izly_key", self.tills().map(|t| t.izly_key.as_str()))?;
        let accounts = &self.izly.accounts;
        unique("account id_izly", accounts.iter().map(|a| a.id_izly.as_str()))?;
        unique("account login", accounts.iter().map(|a| a.login.as_str()))?;
        unique("QR code", accounts.iter().flat_map(|a| a.qr_codes.iter().map(|q| q.text.as_str())))?;
        unique("card id_support", accounts.iter().flat_map(|a| a.cards.iter().map(|c| c.id_support.as_str())))?;
        for a in accounts {
            if a.balance_cents < 0 {
                return Err(FixturesError::Invalid(format!("account {} has a negative balance", a.id_izly)));
            }
            for q in &a.qr_codes {
                if let Some(e) = &q.expires_at {
                    chrono::DateTime::parse_from_rfc3339(e)
                        .map_err(|_| FixturesError::Invalid(format!("QR code expires_at is not RFC 3339: {e:?}")))?;
                }
            }
        }
        unique("partner app_identifier", self.izly.partners.iter().map(|p| p.app_identifier.as_str()))?;
        unique("partner api_key", self.izly.partners.iter().map(|p| p.api_key.as_str()))?;
        unique("esipay uuid", self.esipay.enterprises.iter().map(|e| e.uuid.as_str()))?;
        unique("esipay card", self.esipay.cards.iter().map(|c| c.number.as_str()))?;
        self.crous.parse_rules().map(|_| ())
    }
}

impl CrousFixture {
    /// The reference data as core's coherence checks take it (the fixtures were checked to
    /// parse when loaded).
    pub fn ticket_rules(&self) -> ReferenceData {
        self.parse_rules().unwrap_or_default()
    }

    fn parse_rules(&self) -> Result<ReferenceData, FixturesError> {
        serde_json::from_value(self.reference.clone())
            .map_err(|e| FixturesError::Invalid(format!("crous.reference is not specs 001's reference data: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_valid_and_round_trips() {
        let f = Fixtures::demo();
        assert_eq!(f.tills().count(), 2);
        let back = Fixtures::from_json(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back, f);
        assert!(f.crous.ticket_rules().article(100).is_some());
    }

    #[test]
    fn duplicates_are_refused() {
        let mut f = Fixtures::demo();
        let t = f.crous.restaurants[0].tills[0].clone();
        f.crous.restaurants[0].tills.push(t);
        assert!(f.validate().is_err());
    }
}

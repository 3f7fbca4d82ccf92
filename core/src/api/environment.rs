//! Where each service lives: preprod, prod (the hosts the specs name, as constants), or any base
//! URL (the sandbox on 127.0.0.1). Tests never use the first two.

use std::fmt;

/// Which instance of a service to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    Preprod,
    Prod,
    /// Any base URL, such as the sandbox's `http://127.0.0.1:8080`.
    Custom(String),
}

/// The hosts of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceHosts {
    pub service: &'static str,
    /// `None` when the spec names no preproduction instance.
    pub preprod: Option<&'static str>,
    pub prod: &'static str,
}

/// Crous API (VEM). Not in specs 001 (which names only the portal developers.lescrous.fr): the
/// hosts are those public esup-sgc code uses; the `/vem/v1` base path is in `crous/paths.rs`.
pub const CROUS_API: ServiceHosts =
    ServiceHosts { service: "crous", preprod: Some("https://api-pp.nuonet.fr"), prod: "https://api.lescrous.fr" };

/// Izly POS payments (searchQRCode, debit). Specs 001 names the preprod swagger
/// `https://periph-pp.izly.fr/rest/swagger/ui/index`, so the API root is `…/rest`; the prod host
/// is our inference by the `-pp` convention of every other Izly host.
pub const IZLY_POS: ServiceHosts = ServiceHosts {
    service: "izly_pos",
    preprod: Some("https://periph-pp.izly.fr/rest"),
    prod: "https://periph.izly.fr/rest",
};

/// IzlyConnect and IzlyPay share one host. Specs 002: `https://rest-pp.izly.fr` (PREPROD) and
/// `https://rest.izly.fr` (PROD).
pub const IZLY_REST: ServiceHosts =
    ServiceHosts { service: "izly_rest", preprod: Some("https://rest-pp.izly.fr"), prod: "https://rest.izly.fr" };

/// esipay v2. Specs 004: "Adresse IP du service : 10.0.0.6, Port TCP : 6543, Protocole : HTTP";
/// no preproduction instance is named.
pub const ESIPAY: ServiceHosts = ServiceHosts { service: "esipay", preprod: None, prod: "http://10.0.0.6:6543" };

/// Why an environment gives no usable base URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvironmentError {
    #[error("the {0} service has no preproduction host in the specs: use Prod or a custom base URL")]
    NoPreprod(&'static str),
    #[error("not an http(s) base URL: {0:?}")]
    InvalidBaseUrl(String),
}

/// A validated base URL: `http://` or `https://`, no query, no fragment, no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(text: &str) -> Result<Self, EnvironmentError> {
        let t = text.trim();
        let rest = t
            .strip_prefix("http://")
            .or_else(|| t.strip_prefix("https://"))
            .ok_or_else(|| EnvironmentError::InvalidBaseUrl(text.to_owned()))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() || t.contains(['?', '#', ' ']) {
            return Err(EnvironmentError::InvalidBaseUrl(text.to_owned()));
        }
        Ok(BaseUrl(t.trim_end_matches('/').to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `path` must start with `/`.
    pub fn join(&self, path: &str) -> String {
        debug_assert!(path.starts_with('/'));
        format!("{}{}", self.0, path)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Environment {
    /// The base URL of `hosts` in this environment.
    pub fn base_url(&self, hosts: &ServiceHosts) -> Result<BaseUrl, EnvironmentError> {
        match self {
            Environment::Preprod => BaseUrl::parse(hosts.preprod.ok_or(EnvironmentError::NoPreprod(hosts.service))?),
            Environment::Prod => BaseUrl::parse(hosts.prod),
            Environment::Custom(url) => BaseUrl::parse(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_each_environment() {
        assert_eq!(Environment::Preprod.base_url(&IZLY_REST).unwrap().as_str(), "https://rest-pp.izly.fr");
        assert_eq!(Environment::Prod.base_url(&IZLY_REST).unwrap().as_str(), "https://rest.izly.fr");
        assert_eq!(Environment::Prod.base_url(&ESIPAY).unwrap().as_str(), "http://10.0.0.6:6543");
        assert_eq!(Environment::Preprod.base_url(&ESIPAY), Err(EnvironmentError::NoPreprod("esipay")));
        let custom = Environment::Custom("http://127.0.0.1:8080/".into()).base_url(&CROUS_API).unwrap();
        assert_eq!(custom.join("/vem/v1/authenticate"), "http://127.0.0.1:8080/vem/v1/authenticate");
        assert_eq!(
            Environment::Preprod.base_url(&IZLY_POS).unwrap().join("/api/x"),
            "https://periph-pp.izly.fr/rest/api/x"
        );
    }

    #[test]
    fn refuses_bad_base_urls() {
        for bad in ["", "127.0.0.1:80", "ftp://x", "http://", "http://h/?a=1", "http://h/#x"] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}

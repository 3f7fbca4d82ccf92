//! Query strings and `application/x-www-form-urlencoded` bodies read into name/value pairs, with
//! a parameter given twice refused (RFC 6749 §3.1: "Request and response parameters MUST NOT be
//! included more than once").

use crate::util::media_type;
use crate::wire::parse_form;
use axum::http::HeaderMap;

pub const FORM: &str = "application/x-www-form-urlencoded";

/// Decoded pairs, in order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// A raw query (`None`: no query).
    pub fn from_query(raw: Option<&str>) -> Result<Params, String> {
        Self::parse(raw.unwrap_or(""))
    }

    /// A form body; its Content-Type must be the form one.
    pub fn from_form(headers: &HeaderMap, body: &[u8]) -> Result<Params, String> {
        if media_type(headers).as_deref() != Some(FORM) {
            return Err(format!("le formulaire doit être envoyé en {FORM}"));
        }
        let text = std::str::from_utf8(body).map_err(|_| "formulaire illisible (UTF-8 invalide)".to_owned())?;
        Self::parse(text)
    }

    fn parse(text: &str) -> Result<Params, String> {
        parse_form(text).map(Params).ok_or_else(|| "paramètres mal encodés".to_owned())
    }

    /// Adds the pairs of `other` (the token endpoint reads the query and a form body).
    pub fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }

    /// The value of `name`; an error when it is given more than once.
    pub fn get(&self, name: &str) -> Result<Option<&str>, String> {
        let mut found = self.0.iter().filter(|(k, _)| k == name);
        let first = found.next().map(|(_, v)| v.as_str());
        if found.next().is_some() {
            return Err(format!("le paramètre {name} est donné plusieurs fois"));
        }
        Ok(first)
    }

    /// Like [`Params::get`], an empty value counting as absent.
    pub fn non_empty(&self, name: &str) -> Result<Option<&str>, String> {
        Ok(self.get(name)?.map(str::trim).filter(|v| !v.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_refuses_duplicates() {
        let p = Params::from_query(Some("a=1&b=x%2By+z&c=")).unwrap();
        assert_eq!(p.get("b").unwrap(), Some("x+y z"));
        assert_eq!(p.get("c").unwrap(), Some(""));
        assert_eq!(p.non_empty("c").unwrap(), None);
        assert_eq!(p.get("d").unwrap(), None);
        assert!(Params::from_query(Some("a=1&a=2")).unwrap().get("a").is_err());
        assert!(Params::from_query(Some("a=%zz")).is_err());
    }
}

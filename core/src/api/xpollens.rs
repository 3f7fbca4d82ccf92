//! The Xpollens (Izly) error object. Specs 002/003, "Si l'opération n'existe pas, Xpollens retourne
//! un Objet JSON « Error »": `Code` (Int), `ErrorMessage` (String), `Title` (String),
//! `Priority` (Int); example `{"Code":356, "ErrorMessage":"Opération introuvable", "Title":
//! "L'opération ne peut pas aboutir", "Priority":2}`. Izly POS answers use the same object (our
//! choice, docs/api-choices.md).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Code 356: "Opération introuvable".
pub const CODE_OPERATION_NOT_FOUND: i64 = 356;

/// `{Code, ErrorMessage, Title, Priority}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct XpollensError {
    #[serde(deserialize_with = "int::deserialize")]
    pub code: i64,
    #[serde(default)]
    pub error_message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "int::option", skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

impl XpollensError {
    /// Reads the object from a body; `None` when the body is not one.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    pub fn is_operation_not_found(&self) -> bool {
        self.code == CODE_OPERATION_NOT_FOUND
    }
}

impl fmt::Display for XpollensError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Xpollens error {}: {}", self.code, self.error_message)?;
        if let Some(t) = &self.title {
            write!(f, " ({t})")?;
        }
        Ok(())
    }
}

/// Signed integer codes read from a JSON number or a numeric string, without going through f64.
pub(crate) mod int {
    use crate::exact_decimal;
    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;
    use serde::{de, Deserializer};

    fn integral(d: Decimal) -> Result<i64, String> {
        if d.fract() != Decimal::ZERO {
            return Err(format!("{d} is not an integer"));
        }
        d.to_i64().ok_or_else(|| format!("{d} is out of range"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        integral(exact_decimal::deserialize(d)?).map_err(de::Error::custom)
    }

    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match exact_decimal::option::deserialize(d)? {
            Some(v) => integral(v).map(Some).map_err(de::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example() {
        let body = include_bytes!("../../tests/fixtures/api/izly_pay/error_356.json");
        let e = XpollensError::from_body(body).unwrap();
        assert_eq!(e.code, 356);
        assert_eq!(e.error_message, "Opération introuvable");
        assert_eq!(e.title.as_deref(), Some("L'opération ne peut pas aboutir"));
        assert_eq!(e.priority, Some(2));
        assert!(e.is_operation_not_found());
        assert_eq!(e.to_string(), "Xpollens error 356: Opération introuvable (L'opération ne peut pas aboutir)");
    }

    #[test]
    fn refuses_what_is_not_one() {
        assert!(XpollensError::from_body(b"not json").is_none());
        assert!(XpollensError::from_body(b"{\"ErrorMessage\":\"x\"}").is_none());
        assert_eq!(XpollensError::from_body(b"{\"Code\":\"12\"}").unwrap().code, 12);
    }
}

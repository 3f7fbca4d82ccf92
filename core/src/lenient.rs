//! Readers for identifiers and integer codes that public code shows travelling either as JSON
//! numbers or as strings (public-facts.md: "A reader should accept either strings or numbers for
//! these identifiers and write strings"). Integer codes are written back as numbers, identifiers
//! as strings.

use crate::exact_decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::Deserializer;
use std::fmt;

/// Turns an integral, non-negative decimal into `T`, or explains why it can't.
fn integral<T: TryFrom<u64>>(d: Decimal) -> Result<T, String> {
    if d.fract() != Decimal::ZERO || d.is_sign_negative() {
        return Err(format!("{d} is not a non-negative integer"));
    }
    d.to_u64().and_then(|v| T::try_from(v).ok()).ok_or_else(|| format!("{d} is out of range"))
}

/// Integer codes (codeTva, codeReglement, codeArticle, ...): a JSON number or a numeric string.
pub mod int_code {
    use super::*;

    pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<u64>,
    {
        integral(exact_decimal::deserialize(d)?).map_err(de::Error::custom)
    }

    /// The optional form; use with `#[serde(default)]`.
    pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<u64>,
    {
        match exact_decimal::option::deserialize(d)? {
            Some(v) => integral(v).map(Some).map_err(de::Error::custom),
            None => Ok(None),
        }
    }
}

struct IdentVisitor;

impl<'de> Visitor<'de> for IdentVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an identifier (string or integer)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Err(E::custom(format!("identifier {v} is not an integer")))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        // serde_json's arbitrary-precision number: accept it only if it is an integer literal.
        let d = exact_decimal::deserialize(de::value::MapAccessDeserializer::new(map))?;
        integral::<u64>(d).map(|v| v.to_string()).map_err(de::Error::custom)
    }
}

/// Identifiers (idTicketEntete, numeroTicket, idSupport, ...): a string or an integer, kept as text.
pub mod ident {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_any(IdentVisitor)
    }

    struct OptionIdentVisitor;

    impl<'de> Visitor<'de> for OptionIdentVisitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an identifier (string or integer) or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            deserialize(d).map(Some)
        }
    }

    /// The optional form; use with `#[serde(default)]`.
    pub fn option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(OptionIdentVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct H {
        #[serde(default, deserialize_with = "super::int_code::option")]
        code: Option<u32>,
        #[serde(default, deserialize_with = "super::ident::option")]
        id: Option<String>,
    }

    fn read(json: &str) -> Result<H, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn codes_from_numbers_or_strings() {
        assert_eq!(read(r#"{"code": 9}"#).unwrap().code, Some(9));
        assert_eq!(read(r#"{"code": "12"}"#).unwrap().code, Some(12));
        assert_eq!(read(r#"{"code": null}"#).unwrap().code, None);
        assert_eq!(read(r#"{}"#).unwrap().code, None);
        assert!(read(r#"{"code": 1.5}"#).is_err());
        assert!(read(r#"{"code": -4}"#).is_err());
        assert!(read(r#"{"code": 99999999999}"#).is_err());
    }

    #[test]
    fn idents_from_numbers_or_strings() {
        assert_eq!(read(r#"{"id": 140000011}"#).unwrap().id.as_deref(), Some("140000011"));
        assert_eq!(read(r#"{"id": "210402149"}"#).unwrap().id.as_deref(), Some("210402149"));
        assert!(read(r#"{"id": 1.5}"#).is_err());
        assert!(read(r#"{"id": [1]}"#).is_err());
    }
}

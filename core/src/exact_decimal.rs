//! Reading and writing money and quantities as `Decimal` without ever going through `f64`.
//!
//! A JSON number such as `1.10` is read digit for digit (serde_json's `arbitrary_precision`
//! feature hands us the literal text), and a numeric string such as `"1.10"` is accepted too
//! (public code shows the Crous and Izly APIs sending both). Values are written back as JSON
//! numbers with their scale kept (`3.30`, not `3.3`), so golden files show cents exactly.
//!
//! A deserializer may still hand over an `f64`: `serde_json::Value` does so exactly when the
//! float's shortest round-trip text *is* the literal that was parsed (`15.25`), and a JavaScript
//! number arrives as one. Such a float is read through that shortest text, never by arithmetic,
//! so `15.25` stays 15.25 and a computed `0.30000000000000004` stays visibly wrong (the checks
//! then refuse it as sub-cent) instead of being quietly rounded.

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

/// The private key serde_json uses to hand over a number's literal text.
const SERDE_JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Parses the text of a decimal literal (`"12"`, `"-0.5"`, `"1.10"`, `"1e2"`).
pub fn parse_decimal_text(text: &str) -> Option<Decimal> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    Decimal::from_str(trimmed).ok().or_else(|| Decimal::from_scientific(trimmed).ok())
}

struct ExactDecimalVisitor;

impl<'de> Visitor<'de> for ExactDecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number (JSON number or numeric string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0).map_err(|_| E::custom(format!("{v} does not fit a 28-digit decimal")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .map_err(|_| E::custom(format!("{v} does not fit a 28-digit decimal")))
            .and_then(|v| self.visit_i128(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("{v} is not a number")));
        }
        // Rust's `Display` for f64 prints the shortest text that round-trips (never an exponent).
        let text = v.to_string();
        parse_decimal_text(&text).ok_or_else(|| E::custom(format!("number {text} does not fit a 28-digit decimal")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal_text(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == SERDE_JSON_NUMBER_TOKEN => {
                let text: String = map.next_value()?;
                parse_decimal_text(&text)
                    .ok_or_else(|| de::Error::custom(format!("number {text} does not fit a 28-digit decimal")))
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// A bare amount argument (`12.5` or `"12.50"`), read exactly: what a binding reads when a
/// function takes an amount on its own (`partialRefund(transaction, amount)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Exact(#[serde(deserialize_with = "deserialize")] pub Decimal);

/// `#[serde(with = "exact_decimal")]` for a required `Decimal`.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(ExactDecimalVisitor)
}

/// Writes the decimal, scale kept: as a JSON number literal to serde_json (the wire, golden files,
/// the journal), and as a decimal string to any other serializer, such as the JavaScript bindings'
/// (a JS number cannot hold every amount exactly: 90071992547409.91 is not a double), or inside
/// [`as_strings`].
pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    if writes_json::<S>() && !STRINGS.with(Cell::get) {
        serde_json::Number::from_str(&value.to_string()).map_err(serde::ser::Error::custom)?.serialize(s)
    } else {
        s.collect_str(value)
    }
}

thread_local! {
    static STRINGS: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every decimal written as a string, serde_json's `Value` included: for a binding
/// that hands JavaScript a `Value` (napi), so that money reaches it exactly.
pub fn as_strings<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            STRINGS.with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STRINGS.with(|s| s.replace(true)));
    f()
}

/// Whether `S` is one of serde_json's serializers (text or `Value`), which read the number literal
/// serde_json's `arbitrary_precision` hands them. Any other serializer would see that literal as a
/// one-field struct, so it gets a string instead.
pub(crate) fn writes_json<S: Serializer>() -> bool {
    std::any::type_name::<S>().contains("serde_json::")
}

/// `#[serde(with = "exact_decimal::option", default)]` for an optional `Decimal`.
pub mod option {
    use super::*;

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a decimal number or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => super::serialize(v, s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Serialize)]
    struct Holder {
        #[serde(with = "super")]
        v: Decimal,
    }

    fn read(json: &str) -> Result<Decimal, serde_json::Error> {
        serde_json::from_str::<Holder>(json).map(|h| h.v)
    }

    #[test]
    fn reads_numbers_and_strings_exactly() {
        assert_eq!(read(r#"{"v": 1.10}"#).unwrap().to_string(), "1.10");
        assert_eq!(read(r#"{"v": "1.10"}"#).unwrap().to_string(), "1.10");
        assert_eq!(read(r#"{"v": 3}"#).unwrap().to_string(), "3");
        assert_eq!(
            read(r#"{"v": 0.1000000000000000055511151231257827}"#).unwrap().to_string(),
            "0.1000000000000000055511151231"
        );
    }

    #[test]
    fn refuses_what_is_not_a_decimal() {
        assert!(read(r#"{"v": "abc"}"#).is_err());
        assert!(read(r#"{"v": ""}"#).is_err());
        assert!(read(r#"{"v": true}"#).is_err());
        assert!(read(r#"{"v": 1e40}"#).is_err());
    }

    #[test]
    fn floats_from_a_json_value_keep_their_literal() {
        let from_value = |v: serde_json::Value| serde_json::from_value::<Holder>(v).map(|h| h.v.to_string());
        let parsed: serde_json::Value = serde_json::from_str(r#"{"v": 15.25}"#).unwrap();
        assert_eq!(from_value(parsed).unwrap(), "15.25");
        assert_eq!(from_value(serde_json::json!({"v": 0.1 + 0.2})).unwrap(), "0.30000000000000004");
        let nan = serde::de::value::F64Deserializer::<serde::de::value::Error>::new(f64::NAN);
        assert!(deserialize(nan).is_err());
    }

    #[test]
    fn writes_a_string_to_serializers_other_than_serde_json() {
        use serde_test::{assert_ser_tokens, Token};
        let holder = |v| Holder { v };
        let field = |text: &'static str| {
            [Token::Struct { name: "Holder", len: 1 }, Token::Str("v"), Token::Str(text), Token::StructEnd]
        };
        // 2^53 - 1 cents: no JS number holds it, the string does.
        assert_ser_tokens(&holder(Decimal::new(9_007_199_254_740_991, 2)), &field("90071992547409.91"));
        assert_ser_tokens(&holder(Decimal::new(330, 2)), &field("3.30"));
    }

    #[test]
    fn as_strings_writes_strings_to_serde_json_too_then_stops() {
        let h = Holder { v: Decimal::new(330, 2) };
        assert_eq!(as_strings(|| serde_json::to_value(&h).unwrap()), serde_json::json!({"v": "3.30"}));
        assert_eq!(serde_json::to_string(&h).unwrap(), r#"{"v":3.30}"#);
    }

    #[test]
    fn writes_scale_kept() {
        let h = Holder { v: Decimal::new(330, 2) };
        assert_eq!(serde_json::to_string(&h).unwrap(), r#"{"v":3.30}"#);
    }
}

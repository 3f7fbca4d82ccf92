//! A `serde_json::Value` written for serializers other than serde_json's, such as the JavaScript
//! bindings' (serde-wasm-bindgen, napi).
//!
//! With serde_json's `arbitrary_precision` (on, so that money is read digit for digit), a
//! `Value`'s number serializes as a one-field struct only serde_json understands; any other
//! serializer would hand JavaScript `{"$serde_json::private::Number": "0"}`. [`PlainJson`] writes
//! such a number as an integer when it is one, else as the double its literal denotes. Use it for
//! the free-form parts of a service's answer (an error object, a body); money has its own typed
//! fields, written exactly by [`crate::exact_decimal`].

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// `value`, serialized with plain numbers.
pub struct PlainJson<'a>(pub &'a Value);

impl Serialize for PlainJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    s.serialize_i64(i)
                } else if let Some(u) = n.as_u64() {
                    s.serialize_u64(u)
                } else {
                    let text = n.to_string();
                    let float = text.parse::<f64>().map_err(|_| serde::ser::Error::custom(format!("number {text}")))?;
                    s.serialize_f64(float)
                }
            }
            Value::String(t) => s.serialize_str(t),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&PlainJson(item))?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, &PlainJson(v))?;
                }
                map.end()
            }
        }
    }
}

/// `#[serde(serialize_with = "crate::plain_json::option")]` for an optional free-form field:
/// serde_json gets the value as it is, other serializers plain numbers.
pub fn option<S: Serializer>(value: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) if !crate::exact_decimal::writes_json::<S>() => s.serialize_some(&PlainJson(v)),
        other => other.serialize(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_test::{assert_ser_tokens, Token};

    #[test]
    fn numbers_are_plain_for_other_serializers() {
        let value: Value =
            serde_json::from_str(r#"{"Code": 356, "Rate": 1.5, "Big": 18446744073709551615, "L": [null, true, "x"]}"#)
                .unwrap();
        assert_ser_tokens(
            &PlainJson(&value),
            &[
                Token::Map { len: Some(4) },
                Token::Str("Big"),
                Token::U64(u64::MAX),
                Token::Str("Code"),
                Token::I64(356),
                Token::Str("L"),
                Token::Seq { len: Some(3) },
                Token::Unit,
                Token::Bool(true),
                Token::Str("x"),
                Token::SeqEnd,
                Token::Str("Rate"),
                Token::F64(1.5),
                Token::MapEnd,
            ],
        );
    }

    #[test]
    fn serde_json_still_gets_the_literal() {
        #[derive(Serialize)]
        struct Holder {
            #[serde(serialize_with = "option")]
            v: Option<Value>,
        }
        let v = serde_json::from_str::<Value>("1.10").unwrap();
        assert_eq!(serde_json::to_string(&Holder { v: Some(v) }).unwrap(), r#"{"v":1.10}"#);
    }
}

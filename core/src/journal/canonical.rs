//! The canonical JSON that the journal hashes and signs.
//!
//! Practice (Odoo `l10n_fr_pos_cert`): hash a canonical JSON with sorted keys and compact
//! separators, so that the same record always gives the same bytes, whatever wrote it (Rust,
//! JavaScript, Python) and whatever order a storage layer kept its members in. The rules, precise
//! enough to write a verifier in another language:
//!
//! 1. **Objects**: members sorted by key, comparing keys as UTF-8 byte strings (all keys of
//!    format 1 are ASCII, so JavaScript's default `sort()` gives the same order). Members whose
//!    value is `null` are left out, so "absent" and "null" hash alike. Written `{"k":v,"k2":v2}`:
//!    no whitespace anywhere.
//! 2. **Arrays**: in their order, `[a,b]`.
//! 3. **Strings**: `"` and `\` escaped as `\"` and `\\`; U+0008, U+000C, U+000A, U+000D, U+0009
//!    as `\b`, `\f`, `\n`, `\r`, `\t`; every other character below U+0020 as `\u00xx` with
//!    lowercase hex; every other character (non-ASCII included, U+007F and U+2028 included)
//!    written as itself in UTF-8. This is what `JSON.stringify` and Python's
//!    `json.dumps(s, ensure_ascii=False)` produce.
//! 4. **Numbers**: the exact decimal value, written in plain notation with no exponent, no
//!    trailing zeros after the point and no trailing point, `-` only for negative non-zero values:
//!    `3.30` → `3.3`, `1e2` → `100`, `-0` → `0`, `2.50` → `2.5`. The value must fit a 28-digit
//!    decimal (`rust_decimal`). Money is exact in the journal, so a binary float never enters the
//!    hash; a JavaScript verifier that parses with `JSON.parse` gets the same text from
//!    `String(x)` for every amount, quantity and counter of a till (fewer than 16 significant
//!    digits and between 1e-6 and 1e21), and must use a decimal parser beyond that.
//! 5. **true**, **false**, **null** (the latter only inside arrays) as themselves.
//!
//! The bytes hashed are the UTF-8 encoding of that text.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

/// Why a value has no canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalError {
    #[error("number {0} does not fit a 28-digit decimal")]
    Number(String),
    #[error("cannot serialize: {0}")]
    Serialize(String),
}

/// The canonical JSON text of any serializable value.
pub fn to_canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String, CanonicalError> {
    let value = serde_json::to_value(value).map_err(|e| CanonicalError::Serialize(e.to_string()))?;
    canonicalize(&value)
}

/// The canonical JSON text of a JSON value.
/// The canonical JSON of a record without the members its chain does not hash (`hash`,
/// `previousHash`, and any `also` given: a closure's `signature`).
pub fn canonical_record_body<T: Serialize>(record: &T, also: &[&str]) -> Result<String, CanonicalError> {
    let mut value = serde_json::to_value(record).map_err(|e| CanonicalError::Serialize(e.to_string()))?;
    if let Some(map) = value.as_object_mut() {
        for name in ["hash", "previousHash"].iter().chain(also) {
            map.remove(*name);
        }
    }
    canonicalize(&value)
}

pub fn canonicalize(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&canonical_number(&n.to_string())?),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_null()).collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Rule 4: the number's exact value in plain notation, trailing zeros dropped.
pub fn canonical_number(text: &str) -> Result<String, CanonicalError> {
    let value =
        crate::exact_decimal::parse_decimal_text(text).ok_or_else(|| CanonicalError::Number(text.to_owned()))?;
    Ok(canonical_decimal(value))
}

/// Rule 4 for a decimal already in hand.
pub fn canonical_decimal(value: Decimal) -> String {
    if value.is_zero() {
        return "0".to_owned();
    }
    value.normalize().to_string()
}

/// Rule 3. serde_json escapes exactly these characters, with lowercase hex.
fn write_string(s: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(s).expect("a string always serializes"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(json: &str) -> String {
        canonicalize(&serde_json::from_str(json).unwrap()).unwrap()
    }

    #[test]
    fn keys_sorted_compact_nulls_dropped() {
        assert_eq!(
            canon(r#"{ "b": 1, "a": [true, null, "x"], "c": null, "B": {} }"#),
            r#"{"B":{},"a":[true,null,"x"],"b":1}"#
        );
    }

    #[test]
    fn numbers_are_exact_plain_and_trimmed() {
        assert_eq!(
            canon("[3.30, 1e2, -0, 2.50, 0.000, 12, -1.10, 0.1000000000000000055511151231]"),
            "[3.3,100,0,2.5,0,12,-1.1,0.1000000000000000055511151231]"
        );
        assert!(canonicalize(&serde_json::from_str("1e40").unwrap()).is_err());
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        assert_eq!(canon(r#"["é\u0001\n\"\\\u2028\u007f"]"#), "[\"é\\u0001\\n\\\"\\\\\u{2028}\u{7f}\"]");
    }
}

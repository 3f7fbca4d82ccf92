//! One serde reader of JavaScript values, for both bindings (the browser package over js_sys, the
//! Node addon over raw napi calls): arguments cross as values, not as JSON text, and core's serde
//! types stay the one definition of every shape.
//!
//! It follows what `JSON.stringify` would have kept, so that core's types read a value as they
//! would read its JSON: every own enumerable key is read (types that refuse unknown fields see
//! them), a property whose value is `undefined` is absent, an object with a `toJSON` method (a
//! `Date`) is read as what that method returns, and a number is an integer when it is one within
//! ±(2^53 − 1), else a float (core's `exact_decimal` reads it through its shortest text).
//! BigInts, functions and symbols are refused.
//!
//! A binding implements [`JsSource`] over its own value type; nothing here does I/O.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use std::fmt;

/// What a JS value is, as `typeof` and `Array.isArray` tell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsKind {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String,
    Array,
    Object,
    /// A BigInt, function or symbol: never read.
    Other(&'static str),
}

/// A binding's JS value, as the reader needs it.
pub trait JsSource: Sized {
    fn kind(&self) -> JsKind;
    /// The text of a string value (`None` for anything else).
    fn text(&self) -> Option<String>;
    /// An array's length.
    fn length(&self) -> u32;
    fn index(&self, i: u32) -> Self;
    /// An object's own enumerable string keys (as `Object.keys`), as values.
    fn keys(&self) -> Vec<Self>;
    fn get(&self, key: &Self) -> Self;
    /// The property `name` (a Rust type's field name: a binding may keep its JS string).
    fn field(&self, name: &'static str) -> Self;
    /// How many own enumerable string keys the object has.
    fn key_count(&self) -> u32;
    /// What `value.toJSON()` returns, when the object has such a method.
    fn to_json(&self) -> Option<Self>;
}

/// Why a value could not be read: serde's message, with the offending JS kind where it helps.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError(msg.to_string())
    }
}

/// Reads a `T` from a JS value.
pub fn read<T: de::DeserializeOwned, S: JsSource>(value: S) -> Result<T, ReadError> {
    T::deserialize(JsReader(value))
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A serde `Deserializer` over one JS value.
pub struct JsReader<S>(pub S);

impl<'de, S: JsSource> de::Deserializer<'de> for JsReader<S> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.kind() {
            JsKind::Undefined | JsKind::Null => visitor.visit_unit(),
            JsKind::Bool(b) => visitor.visit_bool(b),
            JsKind::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => {
                if n >= 0.0 {
                    visitor.visit_u64(n as u64)
                } else {
                    visitor.visit_i64(n as i64)
                }
            }
            JsKind::Number(n) => visitor.visit_f64(n),
            JsKind::String => visitor.visit_string(self.0.text().unwrap_or_default()),
            JsKind::Array => {
                let length = self.0.length();
                visitor.visit_seq(Elements { array: self.0, next: 0, length })
            }
            JsKind::Object => match self.0.to_json() {
                Some(json) => JsReader(json).deserialize_any(visitor),
                None => {
                    let keys = self.0.keys().into_iter();
                    visitor.visit_map(Entries { object: self.0, keys, value: None })
                }
            },
            JsKind::Other(what) => Err(ReadError(format!("a {what} cannot be read"))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.kind() {
            JsKind::Undefined | JsKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// A struct's declared fields are read by name; when the object has other keys (a misspelt
    /// field, one set to `undefined`), every key is read instead, so that a type refusing unknown
    /// fields names it.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // (A `Date` has no own keys: it takes the path below and misses its fields, as its JSON
        // string would.)
        if self.0.kind() != JsKind::Object {
            return self.deserialize_any(visitor);
        }
        let present: Vec<(&'static str, S)> = fields
            .iter()
            .map(|&name| (name, self.0.field(name)))
            .filter(|(_, value)| value.kind() != JsKind::Undefined)
            .collect();
        if present.len() as u32 != self.0.key_count() {
            return self.deserialize_any(visitor);
        }
        visitor.visit_map(Fields { fields: present.into_iter(), value: None })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    /// `"Variant"` for a unit variant, `{Variant: payload}` otherwise, as serde_json reads them.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.0.kind() {
            JsKind::String => visitor.visit_enum(self.0.text().unwrap_or_default().into_deserializer()),
            JsKind::Object => {
                let mut keys = self.0.keys();
                if keys.len() != 1 {
                    return Err(ReadError("an enum object has exactly one key".into()));
                }
                let key = keys.remove(0);
                let value = self.0.get(&key);
                visitor.visit_enum(Variant { name: key.text().unwrap_or_default(), value })
            }
            other => Err(ReadError(format!("an enum is a string or a one-key object, not {other:?}"))),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct Elements<S> {
    array: S,
    next: u32,
    length: u32,
}

impl<'de, S: JsSource> SeqAccess<'de> for Elements<S> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ReadError> {
        if self.next >= self.length {
            return Ok(None);
        }
        let item = self.array.index(self.next);
        self.next += 1;
        seed.deserialize(JsReader(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

struct Entries<S> {
    object: S,
    keys: std::vec::IntoIter<S>,
    value: Option<S>,
}

impl<'de, S: JsSource> MapAccess<'de> for Entries<S> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        for key in self.keys.by_ref() {
            let value = self.object.get(&key);
            if value.kind() == JsKind::Undefined {
                continue; // JSON.stringify would leave it out
            }
            self.value = Some(value);
            return seed.deserialize(key.text().unwrap_or_default().into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let value = self.value.take().ok_or_else(|| ReadError("a value without its key".into()))?;
        seed.deserialize(JsReader(value))
    }
}

/// A struct's present fields, by their declared names.
struct Fields<S> {
    fields: std::vec::IntoIter<(&'static str, S)>,
    value: Option<S>,
}

impl<'de, S: JsSource> MapAccess<'de> for Fields<S> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        let Some((name, value)) = self.fields.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let value = self.value.take().ok_or_else(|| ReadError("a value without its key".into()))?;
        seed.deserialize(JsReader(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

struct Variant<S> {
    name: String,
    value: S,
}

impl<'de, S: JsSource> de::EnumAccess<'de> for Variant<S> {
    type Error = ReadError;
    type Variant = JsReader<S>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, JsReader<S>), ReadError> {
        let name = seed.deserialize(self.name.into_deserializer())?;
        Ok((name, JsReader(self.value)))
    }
}

impl<'de, S: JsSource> de::VariantAccess<'de> for JsReader<S> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

#[cfg(test)]
#[path = "js_reader_tests.rs"]
mod tests;

//! The two date shapes of IzlyPay, each parsed explicitly.
//!
//! * `dd/MM/yyyy HH:mm:ss` (init answer and callback `Date`, e.g. `03/05/2021 15:37:30`);
//! * ISO 8601 without offset (details `PaymentDate`, refund `RefundDate`, e.g.
//!   `2021-12-09T18:53:34`), fractional seconds and an offset tolerated (an offset is dropped:
//!   the local time is kept, as the offset-less examples are local times).

use chrono::NaiveDateTime;
use serde::{de, Deserialize, Deserializer};

pub const FRENCH_FORMAT: &str = "%d/%m/%Y %H:%M:%S";

pub fn parse_french(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), FRENCH_FORMAT).ok()
}

pub fn parse_iso(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc3339(t).ok().map(|d| d.naive_local()))
}

fn optional<'de, D: Deserializer<'de>>(
    d: D,
    parse: fn(&str) -> Option<NaiveDateTime>,
    shape: &str,
) -> Result<Option<NaiveDateTime>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| de::Error::custom(format!("date {s:?} is not {shape}"))),
    }
}

/// `#[serde(default, deserialize_with = "dates::french")]`.
pub fn french<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    optional(d, parse_french, "dd/MM/yyyy HH:mm:ss")
}

/// `#[serde(default, deserialize_with = "dates::iso")]`.
pub fn iso<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    optional(d, parse_iso, "ISO 8601")
}

/// `#[serde(serialize_with = "dates::iso_out")]`: a date as bindings hand it out, whatever shape
/// it arrived in: ISO 8601 local time without offset (`2021-05-03T15:37:30`), or `null`.
pub fn iso_out<S: serde::Serializer>(d: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes() {
        let f = parse_french("03/05/2021 15:37:30").unwrap();
        assert_eq!(f.to_string(), "2021-05-03 15:37:30");
        assert!(parse_french("2021-05-03T15:37:30").is_none());
        assert!(parse_french("31/02/2021 10:00:00").is_none());
        assert_eq!(parse_iso("2021-12-09T18:53:34").unwrap().to_string(), "2021-12-09 18:53:34");
        assert_eq!(parse_iso("2021-12-09T18:53:34.120").unwrap().to_string(), "2021-12-09 18:53:34.120");
        assert_eq!(parse_iso("2021-12-09T18:53:34+01:00").unwrap().to_string(), "2021-12-09 18:53:34");
        assert!(parse_iso("09/12/2021 18:53:34").is_none());
    }
}

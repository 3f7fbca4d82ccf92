//! Which tickets a day, a month and a year hold.
//!
//! **A ticket's business day is the calendar date of its `date` field, in the UTC offset written
//! in that field.** The builder writes the till's local time with its offset
//! (`2026-11-23T11:45:02.123+01:00`), so a ticket sold at 00:30 in Paris on 1 January belongs to
//! 1 January although it is still 31 December in UTC. Only RFC 3339 dates are accepted (`Z` is
//! offset zero); a ticket without a readable date cannot be journaled. The same date is the one
//! the numbering uses for `numeroTicket`, so a closure's day and the tickets' numbers agree.
//!
//! A month holds the tickets whose business day is in that calendar month, a year those whose
//! business day is in that calendar year.

use crate::ticket::Ticket;
use chrono::{DateTime, Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The business day of a ticket (see the module doc), or `None` without a readable date.
pub fn business_day(ticket: &Ticket) -> Option<NaiveDate> {
    let date = ticket.date.as_deref()?;
    DateTime::parse_from_rfc3339(date).ok().map(|d| d.date_naive())
}

/// The three kinds of closure, from finest to coarsest.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClosureKind {
    Day,
    Month,
    Year,
}

impl ClosureKind {
    pub const ALL: [ClosureKind; 3] = [ClosureKind::Day, ClosureKind::Month, ClosureKind::Year];

    /// The kind whose closures must cover a period before this kind closes it (days before a
    /// month, months before a year), so that a month is the sum of its days.
    pub const fn finer(self) -> Option<ClosureKind> {
        match self {
            ClosureKind::Day => None,
            ClosureKind::Month => Some(ClosureKind::Day),
            ClosureKind::Year => Some(ClosureKind::Month),
        }
    }
}

impl fmt::Display for ClosureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClosureKind::Day => "day",
            ClosureKind::Month => "month",
            ClosureKind::Year => "year",
        })
    }
}

/// A closed period. In JSON a string: `"2026-11-23"` (day), `"2026-11"` (month), `"2026"` (year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
}

impl Period {
    /// The month `month` (1–12) of `year`, if it exists.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Period::Month { year, month })
    }

    pub const fn kind(&self) -> ClosureKind {
        match self {
            Period::Day(_) => ClosureKind::Day,
            Period::Month { .. } => ClosureKind::Month,
            Period::Year(_) => ClosureKind::Year,
        }
    }

    /// First day of the period.
    pub fn start(&self) -> NaiveDate {
        match *self {
            Period::Day(d) => d,
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month"),
            Period::Year(year) => NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year"),
        }
    }

    /// Last day of the period.
    pub fn end(&self) -> NaiveDate {
        match *self {
            Period::Day(d) => d,
            Period::Month { year, month } => {
                let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).expect("a valid month")
            }
            Period::Year(year) => NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year"),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// The period of `kind` that holds `day`.
    pub fn of(kind: ClosureKind, day: NaiveDate) -> Period {
        match kind {
            ClosureKind::Day => Period::Day(day),
            ClosureKind::Month => Period::Month { year: day.year(), month: day.month() },
            ClosureKind::Year => Period::Year(day.year()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Period::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("not a period (YYYY-MM-DD, YYYY-MM or YYYY): {s:?}");
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = s.split('-').collect();
        match parts[..] {
            [y] if digits(y, 4) => Ok(Period::Year(y.parse().map_err(|_| err())?)),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                Period::month(y.parse().map_err(|_| err())?, m.parse().map_err(|_| err())?).ok_or_else(err)
            }
            [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Period::Day).map_err(|_| err())
            }
            _ => Err(err()),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn business_day_is_the_local_date_written_in_the_ticket() {
        let t = |d: &str| Ticket { date: Some(d.into()), ..Ticket::default() };
        assert_eq!(business_day(&t("2027-01-01T00:30:00.000+01:00")), Some(day("2027-01-01")));
        assert_eq!(business_day(&t("2026-12-31T23:30:00.000Z")), Some(day("2026-12-31")));
        assert_eq!(business_day(&t("31/12/2026")), None);
        assert_eq!(business_day(&Ticket::default()), None);
    }

    #[test]
    fn periods_parse_print_and_bound() {
        for text in ["2026-11-23", "2026-02", "2026"] {
            assert_eq!(text.parse::<Period>().unwrap().to_string(), text);
        }
        assert!("2026-13".parse::<Period>().is_err());
        assert!("2026-2".parse::<Period>().is_err());
        assert!("2026-02-30".parse::<Period>().is_err());
        let feb = Period::month(2028, 2).unwrap();
        assert_eq!((feb.start(), feb.end()), (day("2028-02-01"), day("2028-02-29")));
        let dec = Period::month(2026, 12).unwrap();
        assert_eq!(dec.end(), day("2026-12-31"));
        assert!(Period::Year(2026).contains(day("2026-12-31")));
        assert!(!Period::Year(2026).contains(day("2027-01-01")));
    }
}

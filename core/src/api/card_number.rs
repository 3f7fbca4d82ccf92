//! A bank card number that never shows itself: `Debug` and `Display` print only its last four
//! digits, errors about it never quote it, and it has no `Serialize`. The one way to read the
//! digits is [`CardNumber::expose_digits`], called only where the esipay URL is built.

use std::fmt;

/// A bank card number (PAN): 12 to 19 digits, spaces and dashes removed on input.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

/// Why a text is not a card number. Never contains the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("card number contains a character that is not a digit")]
    NotDigits,
    #[error("card number has {0} digits, expected 12 to 19")]
    BadLength(usize),
}

impl CardNumber {
    pub fn parse(text: &str) -> Result<Self, CardNumberError> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CardNumberError::NotDigits);
        }
        if !(12..=19).contains(&digits.len()) {
            return Err(CardNumberError::BadLength(digits.len()));
        }
        Ok(CardNumber(digits))
    }

    /// The digits, to put in the request that needs them. Never log the result.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }

    /// The last four digits, as receipts print them.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    /// `************1234`: as many stars as hidden digits, then the last four.
    pub fn masked(&self) -> String {
        format!("{}{}", "*".repeat(self.0.len() - 4), self.last4())
    }

    /// Whether the Luhn checksum holds (the esipay spec does not say it checks it; we don't refuse).
    pub fn luhn_valid(&self) -> bool {
        let sum: u32 = self
            .0
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let d2 = d * 2;
                    if d2 > 9 {
                        d2 - 9
                    } else {
                        d2
                    }
                } else {
                    d
                }
            })
            .sum();
        sum % 10 == 0
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", self.masked())
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl std::str::FromStr for CardNumber {
    type Err = CardNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardNumber::parse(s)
    }
}

/// Masks every run of 12 or more digits that reads as a card number in free text (a gateway's
/// error body, say), so that such text may be logged or shown.
pub fn mask_card_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        match CardNumber::parse(digits) {
            Ok(c) if digits.len() >= 12 => out.push_str(&c.masked()),
            _ => out.push_str(digits),
        }
        digits.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut out);
            out.push(ch);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself() {
        let c = CardNumber::parse("4970 1012 3456 7890").unwrap();
        assert_eq!(c.expose_digits(), "4970101234567890");
        assert_eq!(format!("{c}"), "************7890");
        assert_eq!(format!("{c:?}"), "CardNumber(************7890)");
        assert!(!format!("{c:#?}").contains("49701012"));
    }

    #[test]
    fn refuses_without_quoting() {
        let e = CardNumber::parse("4970x01234567890").unwrap_err();
        assert_eq!(e, CardNumberError::NotDigits);
        assert!(!e.to_string().contains("4970"));
        assert_eq!(CardNumber::parse("12345").unwrap_err(), CardNumberError::BadLength(5));
        assert_eq!(CardNumber::parse("").unwrap_err(), CardNumberError::BadLength(0));
    }

    #[test]
    fn luhn() {
        assert!(CardNumber::parse("4111111111111111").unwrap().luhn_valid());
        assert!(!CardNumber::parse("4111111111111112").unwrap().luhn_valid());
    }
}

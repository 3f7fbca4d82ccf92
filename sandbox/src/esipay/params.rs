//! Reading the path parameters of specs 004, each refusal naming the parameter (never quoting a
//! card number). "400 : un des paramètres de la requête est incorrect."

use chrono::Datelike;

/// Why a parameter is refused: the stable code and the French message of the 400 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub message: String,
}

fn invalid(code: &'static str, message: impl Into<String>) -> Invalid {
    Invalid { code, message: message.into() }
}

/// The longest cid or transaction id accepted.
pub const MAX_ID_LEN: usize = 200;

/// The largest amount accepted: 999 999 999.99 € (nine digits before the '.'), so that cents fit
/// an `i64` with room to add.
const MAX_EURO_DIGITS: usize = 9;

/// "cid : identifiant paiement coté entreprise (texte)"; also a transaction id: not blank, at
/// most [`MAX_ID_LEN`] bytes.
pub fn identifier(name: &'static str, text: &str) -> Result<String, Invalid> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_ID_LEN || t.chars().any(char::is_control) {
        return Err(invalid(
            "invalid_parameter",
            format!("{name} : texte non vide de {MAX_ID_LEN} octets au plus, sans caractère de contrôle"),
        ));
    }
    Ok(t.to_owned())
}

/// "cardnumber : numéro de carte bancaire (texte)": 12 to 19 digits with a valid Luhn key (the
/// spec does not say esipay checks the key; the sandbox does, as an acquirer would).
pub fn card_number(text: &str) -> Result<String, Invalid> {
    if !(12..=19).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("invalid_card_number", "cardnumber : 12 à 19 chiffres attendus"));
    }
    if !luhn_valid(text) {
        return Err(invalid("invalid_card_number", "cardnumber : clé de Luhn invalide"));
    }
    Ok(text.to_owned())
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match i % 2 {
                0 => d,
                _ if d * 2 > 9 => d * 2 - 9,
                _ => d * 2,
            }
        })
        .sum();
    sum % 10 == 0
}

/// "cardmonth : mois d'expiration de la carte (entier)": 1 to 12, a leading zero accepted.
pub fn card_month(text: &str) -> Result<u32, Invalid> {
    let bad = || invalid("invalid_card_month", "cardmonth : entier de 1 à 12 attendu");
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let m: u32 = text.parse().map_err(|_| bad())?;
    if (1..=12).contains(&m) {
        Ok(m)
    } else {
        Err(bad())
    }
}

/// "cardyear : année d'expiration de la carte (entier)": four digits, 2000 to 2099 (core sends
/// four digits; a two-digit year is refused rather than guessed).
pub fn card_year(text: &str) -> Result<i32, Invalid> {
    let bad = || invalid("invalid_card_year", "cardyear : année sur quatre chiffres (2000 à 2099) attendue");
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i32 = text.parse().map_err(|_| bad())?;
    if (2000..=2099).contains(&y) {
        Ok(y)
    } else {
        Err(bad())
    }
}

/// A card is valid through the last day of its expiry month (UTC).
pub fn not_expired(month: u32, year: i32, today: chrono::NaiveDate) -> Result<(), Invalid> {
    if (year, month) < (today.year(), today.month()) {
        return Err(invalid("card_expired", format!("carte expirée ({month:02}/{year})")));
    }
    Ok(())
}

/// "amount : montant (réel, séparateur : .)": digits, optionally '.' and one or two decimals
/// (`12`, `12.5`, `12.50`); more than zero. Refused: `,`, a sign, an exponent, a third decimal.
/// Returns cents.
pub fn amount_cents(text: &str) -> Result<i64, Invalid> {
    let bad = || {
        invalid("invalid_amount", "amount : montant positif attendu, séparateur '.', deux décimales au plus (12.50)")
    };
    let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty()
        || units.len() > MAX_EURO_DIGITS
        || !digits(units)
        || (text.contains('.') && decimals.is_empty())
        || decimals.len() > 2
        || !digits(decimals)
    {
        return Err(bad());
    }
    let euros: i64 = units.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{decimals:0<2}").parse().map_err(|_| bad())?;
    let total = euros * 100 + cents;
    if total <= 0 {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(amount_cents("12.50"), Ok(1250));
        assert_eq!(amount_cents("12.5"), Ok(1250));
        assert_eq!(amount_cents("12"), Ok(1200));
        assert_eq!(amount_cents("0.01"), Ok(1));
        assert_eq!(amount_cents("999999999.99"), Ok(99_999_999_999));
        for bad in
            ["0", "0.00", "-1.00", "+1.00", "1,50", "1.", ".5", "1.001", "1e2", "", "abc", "1000000000.00", "1.5x"]
        {
            assert_eq!(amount_cents(bad).unwrap_err().code, "invalid_amount", "{bad}");
        }
    }

    #[test]
    fn card_numbers() {
        assert!(card_number("4970100000000014").is_ok());
        assert_eq!(card_number("4970100000000015").unwrap_err().code, "invalid_card_number");
        assert!(card_number("49701").is_err());
        assert!(card_number("4970 1000 0000 0014").is_err());
        assert!(card_number("49701000000000141234").is_err());
        let e = card_number("4970100000000015").unwrap_err();
        assert!(!e.message.contains("4970"), "{e:?}");
    }

    #[test]
    fn expiry() {
        assert_eq!(card_month("3"), Ok(3));
        assert_eq!(card_month("03"), Ok(3));
        assert_eq!(card_month("12"), Ok(12));
        for bad in ["0", "13", "", "003", "-1", "a"] {
            assert!(card_month(bad).is_err(), "{bad}");
        }
        assert_eq!(card_year("2027"), Ok(2027));
        for bad in ["27", "1999", "2100", "20x7", ""] {
            assert!(card_year(bad).is_err(), "{bad}");
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(not_expired(11, 2026, today).is_ok());
        assert!(not_expired(1, 2027, today).is_ok());
        assert_eq!(not_expired(10, 2026, today).unwrap_err().code, "card_expired");
        assert!(not_expired(12, 2025, today).is_err());
    }

    #[test]
    fn identifiers() {
        assert_eq!(identifier("cid", " order 7 "), Ok("order 7".into()));
        assert!(identifier("cid", " ").is_err());
        assert!(identifier("cid", &"x".repeat(201)).is_err());
        assert!(identifier("cid", "a\nb").is_err());
    }
}

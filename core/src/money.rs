//! The few rounding rules of the project, in one place so that the browser, Node and the sandbox
//! round the same way.
//!
//! Specs 001 asks, per line, "total = PU * quantité" and "calcul de la TVA". The Crous publishes
//! prices TTC (the price on the menu board), so TTC is authoritative and HT is derived from it:
//!
//! * unit price HT = TTC / (1 + rate), rounded half-up to the cent ([`ht_from_ttc`]);
//! * line total = unit price × quantity, rounded half-up to the cent, for HT and TTC alike
//!   ([`line_total`]); with whole quantities no rounding happens at all;
//! * VAT of a line = total TTC − total HT, so that HT + TVA = TTC on every line and every receipt.
//!
//! "Half-up" means a midpoint goes away from zero (0.125 → 0.13); all amounts here are positive.

use rust_decimal::{Decimal, RoundingStrategy};

/// Amounts on the wire are euros with at most two decimals.
pub const CENT_SCALE: u32 = 2;

/// The largest amount the project handles: 2^53 − 1 cents, the largest integer number of cents a
/// JavaScript number holds exactly (IzlyPay sends amounts as integer cents). Anything above is
/// refused as an overflow rather than rounded.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xFFFF_FFFF, 0x001F_FFFF, 0, false, 2);

/// [`MAX_AMOUNT`] in cents.
const MAX_CENTS: u128 = (1 << 53) - 1;

/// True when `value` is within ±[`MAX_AMOUNT`]. Compared on the integer mantissa (value =
/// mantissa / 10^scale), which every check and line total runs: no `Decimal` rescaling.
pub fn in_range(value: Decimal) -> bool {
    let mantissa = value.mantissa().unsigned_abs();
    let scale = value.scale();
    if scale <= CENT_SCALE {
        mantissa.checked_mul(10u128.pow(CENT_SCALE - scale)).is_some_and(|cents| cents <= MAX_CENTS)
    } else {
        // |value| ≤ MAX ⇔ mantissa ≤ MAX_CENTS · 10^(scale − 2); beyond u128 that bound exceeds
        // any mantissa (at most 2^96).
        10u128
            .checked_pow(scale - CENT_SCALE)
            .and_then(|p| p.checked_mul(MAX_CENTS))
            .is_none_or(|limit| mantissa <= limit)
    }
}

/// Rounds half-up to the cent.
pub fn round_cent(value: Decimal) -> Decimal {
    let mut v = value.round_dp_with_strategy(CENT_SCALE, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(CENT_SCALE);
    v
}

/// True when `value` has no more than two significant decimals (1.10 and 1.1 do, 1.105 doesn't).
pub fn is_whole_cents(value: Decimal) -> bool {
    let scale = value.scale();
    scale <= CENT_SCALE || value.mantissa() % 10i128.pow(scale - CENT_SCALE) == 0
}

/// `unit × quantity` rounded to the cent, or `None` beyond [`MAX_AMOUNT`].
pub fn line_total(unit_price: Decimal, quantity: Decimal) -> Option<Decimal> {
    unit_price.checked_mul(quantity).filter(|t| in_range(*t)).map(round_cent)
}

/// Unit price HT from unit price TTC and a VAT rate in percent (5.5 for 5.5 %), rounded half-up
/// to the cent.
///
/// Computed in exact integer arithmetic: with TTC = T cents and rate = R / 10^s percent,
/// HT = T · 100·10^s / (100·10^s + R), and half-up rounding is floor((2·num + den) / (2·den)).
/// No binary float and no 28-digit truncation can move a result across a half-cent.
/// `None` when TTC is not whole cents, when it or the rate is negative, or on overflow.
pub fn ht_from_ttc(ttc: Decimal, rate_percent: Decimal) -> Option<Decimal> {
    if ttc < Decimal::ZERO || rate_percent < Decimal::ZERO || !is_whole_cents(ttc) || !in_range(ttc) {
        return None;
    }
    let cents = round_cent(ttc).mantissa();
    let rate = rate_percent.normalize();
    let scale = 10i128.checked_pow(rate.scale())?;
    let hundred = 100i128.checked_mul(scale)?;
    let den = hundred.checked_add(rate.mantissa())?;
    let num = cents.checked_mul(hundred)?;
    let rounded = num.checked_mul(2)?.checked_add(den)?.checked_div(den.checked_mul(2)?)?;
    let mantissa = i64::try_from(rounded).ok()?;
    Some(Decimal::new(mantissa, CENT_SCALE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    proptest! {
        /// The integer forms agree with the plain `Decimal` definitions, over every scale.
        #[test]
        fn range_and_cents_match_their_decimal_definitions(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
                                                            negative in any::<bool>(), scale in 0u32..=28) {
            let value = Decimal::from_parts(lo, mid % 4, hi % 2, negative, scale);
            prop_assert_eq!(in_range(value), value.abs() <= MAX_AMOUNT, "{}", value);
            prop_assert_eq!(is_whole_cents(value), value.normalize().scale() <= CENT_SCALE, "{}", value);
            let big = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(in_range(big), big.abs() <= MAX_AMOUNT, "{}", big);
            prop_assert_eq!(is_whole_cents(big), big.normalize().scale() <= CENT_SCALE, "{}", big);
        }
    }

    #[test]
    fn range_limits() {
        assert!(in_range(MAX_AMOUNT) && in_range(-MAX_AMOUNT));
        assert!(!in_range(MAX_AMOUNT + dec!(0.01)));
        assert!(in_range(dec!(90071992547409.9100000)) && !in_range(dec!(90071992547409.9100001)));
        assert!(is_whole_cents(dec!(1.1000)) && !is_whole_cents(dec!(1.1050)));
    }

    #[test]
    fn ht_from_ttc_known_values() {
        assert_eq!(ht_from_ttc(dec!(3.30), dec!(10)), Some(dec!(3.00)));
        assert_eq!(ht_from_ttc(dec!(0.20), dec!(5.5)), Some(dec!(0.19)));
        assert_eq!(ht_from_ttc(dec!(1.00), dec!(20)), Some(dec!(0.83)));
        assert_eq!(ht_from_ttc(dec!(1.10), dec!(0)), Some(dec!(1.10)));
        // 0.11 / 1.1 = 0.1 exactly; 0.165 / 1.1 = 0.15: midpoints are found exactly.
        assert_eq!(ht_from_ttc(dec!(0.11), dec!(10)), Some(dec!(0.10)));
        // 1.05 / 1.05 = 1.00 exactly, 0.21/1.2 = 0.175 → 0.18 (half-up).
        assert_eq!(ht_from_ttc(dec!(1.05), dec!(5)), Some(dec!(1.00)));
        assert_eq!(ht_from_ttc(dec!(0.21), dec!(20)), Some(dec!(0.18)));
    }

    #[test]
    fn ht_from_ttc_refuses_bad_input() {
        assert_eq!(ht_from_ttc(dec!(1.005), dec!(10)), None);
        assert_eq!(ht_from_ttc(dec!(-1.00), dec!(10)), None);
        assert_eq!(ht_from_ttc(dec!(1.00), dec!(-10)), None);
        assert_eq!(ht_from_ttc(dec!(-0.00), dec!(10)), Some(dec!(0.00)));
    }

    #[test]
    fn line_totals_that_binary_floats_get_wrong() {
        // 3 × 1.10 is 3.3000000000000003 in f64; 7 × 0.10 is 0.7000000000000001.
        assert_eq!(line_total(dec!(1.10), dec!(3)), Some(dec!(3.30)));
        assert_eq!(line_total(dec!(0.10), dec!(7)), Some(dec!(0.70)));
        assert_eq!(line_total(dec!(2.35), dec!(0.5)), Some(dec!(1.18)));
        assert_eq!(line_total(Decimal::MAX, dec!(2)), None);
        assert_eq!(line_total(dec!(1.00), Decimal::MAX), None);
        assert_eq!(MAX_AMOUNT.to_string(), "90071992547409.91");
        assert_eq!(line_total(dec!(0.01), dec!(9007199254740991)), Some(MAX_AMOUNT));
    }

    #[test]
    fn whole_cents() {
        assert!(is_whole_cents(dec!(1.10)));
        assert!(is_whole_cents(dec!(1.100)));
        assert!(is_whole_cents(dec!(3)));
        assert!(!is_whole_cents(dec!(1.105)));
    }
}

//! Money without floating point. Rates and per-message amounts are integer **micros**
//! (millionths of the currency's major unit: € 0.0512 = 51 200 µ€), so sums are exact;
//! amounts become the currency's minor units (cents, or whole yen) once, at a total, by
//! [`to_minor`]: half to even (banker's rounding), the one rounding rule of billing.
//! Decimal text is read with `rust_decimal`, never through `f64`.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Millionths of a currency unit.
pub const MICROS_PER_UNIT: i64 = 1_000_000;

/// The largest rate or amount a card, rule or price may state: one million units per message.
pub const MAX_MICROS: i64 = 1_000_000 * MICROS_PER_UNIT;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AmountError {
    #[error("not a decimal number")]
    NotANumber,
    #[error("more than six decimal places")]
    TooPrecise,
    #[error("negative")]
    Negative,
    #[error("too large")]
    TooLarge,
}

/// Reads a non-negative decimal ("0.0512", "1", "1.5e-2" is refused) into micros.
pub fn parse_micros(raw: &str) -> Result<i64, AmountError> {
    parse_scaled(raw, 6)
}

/// Reads a total (a month's cost, say) into micros: like [`parse_micros`], without the
/// per-message ceiling (up to about 9 × 10^12 units).
pub fn parse_total_micros(raw: &str) -> Result<i64, AmountError> {
    parse_bounded(raw, 6, i64::MAX)
}

/// Reads a non-negative decimal with at most `dp` decimal places, scaled by 10^dp.
pub fn parse_scaled(raw: &str, dp: u32) -> Result<i64, AmountError> {
    parse_bounded(raw, dp, MAX_MICROS)
}

fn parse_bounded(raw: &str, dp: u32, max: i64) -> Result<i64, AmountError> {
    let t = raw.trim();
    if t.is_empty() || t.contains(['e', 'E']) || t.starts_with('+') {
        return Err(AmountError::NotANumber);
    }
    let d = Decimal::from_str_exact(t)
        .map_err(|_| AmountError::NotANumber)?
        .normalize();
    if d.is_sign_negative() && !d.is_zero() {
        return Err(AmountError::Negative);
    }
    if d.scale() > dp {
        return Err(AmountError::TooPrecise);
    }
    let scaled = d
        .checked_mul(Decimal::from(10_i64.pow(dp)))
        .ok_or(AmountError::TooLarge)?;
    let v = scaled.to_i64().ok_or(AmountError::TooLarge)?;
    if v > max {
        return Err(AmountError::TooLarge);
    }
    Ok(v)
}

/// Micros as the shortest decimal text ("0.0512", "2", "0").
pub fn format_micros(m: i64) -> String {
    Decimal::new(m, 6).normalize().to_string()
}

/// `n / d` rounded half to even. `d > 0`.
pub fn div_half_even(n: i128, d: i128) -> i128 {
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// The number of minor units of a currency (2 for EUR, 0 for JPY and CLP, 3 for KWD).
pub fn exponent(currency: &str) -> u32 {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map_or(2, u32::from)
}

/// A total in micros as minor units of `currency`, half to even: the rounding of billing.
pub fn to_minor(micros: i64, currency: &str) -> i64 {
    let per_minor = i128::from(MICROS_PER_UNIT) / 10_i128.pow(exponent(currency));
    i64::try_from(div_half_even(i128::from(micros), per_minor)).unwrap_or(i64::MAX)
}

/// Minor units as text with the currency's decimals ("12.35", "1200" for JPY, "-0.40").
pub fn format_minor(minor: i64, currency: &str) -> String {
    Decimal::new(minor, exponent(currency)).to_string()
}

/// Minor units with the currency code for people ("EUR 12.35").
pub fn display(minor: i64, currency: &str) -> String {
    format!("{currency} {}", format_minor(minor, currency))
}

/// Reads a decimal amount with the currency's decimals into minor units (an invoice
/// figure, a reconciliation cost); more decimals are refused.
pub fn parse_minor(raw: &str, currency: &str) -> Result<i64, AmountError> {
    let t = raw.trim();
    let neg = t.starts_with('-');
    let v = parse_scaled(t.trim_start_matches('-'), exponent(currency))?;
    Ok(if neg { -v } else { v })
}

/// Checks a text is a decimal at all, for forms.
pub fn is_decimal(raw: &str) -> bool {
    Decimal::from_str(raw.trim()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rates_exactly() {
        assert_eq!(parse_micros("0.0512"), Ok(51_200));
        assert_eq!(parse_micros(" 2.4971 "), Ok(2_497_100));
        assert_eq!(parse_micros("0"), Ok(0));
        assert_eq!(parse_micros("0.000001"), Ok(1));
        assert_eq!(
            parse_micros("0.10000000"),
            Ok(100_000),
            "trailing zeros are no precision"
        );
        assert_eq!(parse_micros("0.0000001"), Err(AmountError::TooPrecise));
        assert_eq!(parse_micros("-0.01"), Err(AmountError::Negative));
        assert_eq!(parse_micros("1e-2"), Err(AmountError::NotANumber));
        assert_eq!(parse_micros("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_micros(""), Err(AmountError::NotANumber));
        assert_eq!(parse_micros("0,05"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_micros("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(
            parse_micros("2000000"),
            Err(AmountError::TooLarge),
            "no message costs two million"
        );
        assert_eq!(
            parse_total_micros("2000000.5"),
            Ok(2_000_000_500_000),
            "a month of IDR may"
        );
        assert_eq!(format_micros(51_200), "0.0512");
        assert_eq!(format_micros(2_000_000), "2");
        assert_eq!(format_micros(0), "0");
    }

    #[test]
    fn totals_round_half_to_even_once() {
        // € 0.005 → 0 or 1 cent? Half to even: 0.005 → 0.00, 0.015 → 0.02, 0.025 → 0.02.
        assert_eq!(to_minor(5_000, "EUR"), 0);
        assert_eq!(to_minor(15_000, "EUR"), 2);
        assert_eq!(to_minor(25_000, "EUR"), 2);
        assert_eq!(to_minor(25_001, "EUR"), 3);
        assert_eq!(to_minor(24_999, "EUR"), 2);
        assert_eq!(to_minor(-15_000, "EUR"), -2);
        // 1,000 messages at € 0.0512 = € 51.20 exactly; per-message rounding would say € 50.
        assert_eq!(to_minor(1_000 * 51_200, "EUR"), 5_120);
        // Currencies without minor units and with three.
        assert_eq!(to_minor(2_500_000, "JPY"), 2);
        assert_eq!(to_minor(3_500_000, "CLP"), 4);
        assert_eq!(to_minor(1_234_500, "KWD"), 1_234);
        assert_eq!(to_minor(1_235_500, "KWD"), 1_236);
        assert_eq!(format_minor(1_235, "EUR"), "12.35");
        assert_eq!(format_minor(-40, "EUR"), "-0.40");
        assert_eq!(format_minor(1_200, "JPY"), "1200");
        assert_eq!(display(5_120, "EUR"), "EUR 51.20");
        assert_eq!(parse_minor("12.35", "EUR"), Ok(1_235));
        assert_eq!(parse_minor("-0.4", "EUR"), Ok(-40));
        assert_eq!(parse_minor("12.345", "EUR"), Err(AmountError::TooPrecise));
    }

    #[test]
    fn half_even_division() {
        assert_eq!(div_half_even(5, 2), 2);
        assert_eq!(div_half_even(7, 2), 4);
        assert_eq!(div_half_even(-5, 2), -2);
        assert_eq!(div_half_even(-7, 2), -4);
        assert_eq!(div_half_even(10, 3), 3);
        assert_eq!(div_half_even(11, 3), 4);
    }
}

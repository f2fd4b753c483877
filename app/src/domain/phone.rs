//! Business phone numbers in E.164, validated and country-detected with libphonenumber's
//! metadata (the `phonenumber` crate), never with a hand-written pattern.

use super::validation::FieldCode;
use serde::{Deserialize, Serialize};

/// A valid phone number in E.164 form (`+15551234567`) with its ISO 3166-1 alpha-2 region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct E164 {
    pub number: String,
    pub country: String,
}

/// The region of an international number given as digits (a webhook's `recipient_id` or
/// `wa_id`), valid or not: only the calling code and leading digits matter for a market.
/// Whether a search term is a phone number (7 digits or more, with only the signs people
/// write numbers with), not an order number or an id.
pub fn looks_like_number(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 7
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

pub fn country_of(digits: &str) -> Option<String> {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    if d.is_empty() || d.len() > 17 {
        return None;
    }
    let parsed = phonenumber::parse(None, format!("+{d}")).ok()?;
    parsed.country().id().map(|c| format!("{c:?}"))
}

impl E164 {
    /// Parses an international number. Spaces, dashes, dots and brackets are allowed;
    /// a leading `00` is read as `+`. Numbers without a country code are refused, since a
    /// BSP registers numbers from every country.
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldCode::Required);
        }
        if t.chars().count() > 32 {
            return Err(FieldCode::InvalidPhone);
        }
        let t = match t.strip_prefix("00") {
            Some(rest) => format!("+{rest}"),
            None => t.to_owned(),
        };
        if !t.starts_with('+') {
            return Err(FieldCode::InvalidPhone);
        }
        let parsed = phonenumber::parse(None, &t).map_err(|_| FieldCode::InvalidPhone)?;
        if !phonenumber::is_valid(&parsed) {
            return Err(FieldCode::InvalidPhone);
        }
        let country = parsed
            .country()
            .id()
            .map(|c| format!("{c:?}"))
            .ok_or(FieldCode::InvalidPhone)?;
        Ok(Self {
            number: parsed.format().mode(phonenumber::Mode::E164).to_string(),
            country,
        })
    }
}

/// A platform identifier: digits only (WABA ids, phone number ids), 1–32 long.
pub fn parse_platform_id(raw: &str) -> Result<String, FieldCode> {
    let t = raw.trim();
    if t.is_empty() {
        Err(FieldCode::Required)
    } else if t.len() > 32 || !t.bytes().all(|b| b.is_ascii_digit()) {
        Err(FieldCode::InvalidDigits)
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_told_from_other_search_terms() {
        for n in ["447700900123", "+44 7700 900123", "(020) 7946-0000"] {
            assert!(looks_like_number(n), "{n}");
        }
        for t in ["58213", "wamid.HBgM1234567", "order 1234567", ""] {
            assert!(!looks_like_number(t), "{t}");
        }
    }

    #[test]
    fn international_numbers_normalise_to_e164_with_their_country() {
        let cases = [
            ("+1 650-555-1234", "+16505551234", "US"),
            ("+44 20 7946 0958", "+442079460958", "GB"),
            ("0033 6 12 34 56 78", "+33612345678", "FR"),
            ("+91 98765 43210", "+919876543210", "IN"),
            ("+55 11 91234-5678", "+5511912345678", "BR"),
        ];
        for (raw, number, country) in cases {
            assert_eq!(
                E164::parse(raw),
                Ok(E164 {
                    number: number.into(),
                    country: country.into()
                }),
                "{raw}"
            );
        }
    }

    #[test]
    fn national_garbage_and_impossible_numbers_are_refused() {
        for bad in [
            "",
            "06 12 34 56 78",
            "+1",
            "+999 123",
            "hello",
            "+33 6 12",
            &"9".repeat(40),
        ] {
            assert!(E164::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn platform_ids_are_digits_only() {
        assert_eq!(parse_platform_id(" 1234567890 "), Ok("1234567890".into()));
        assert_eq!(parse_platform_id("12a"), Err(FieldCode::InvalidDigits));
        assert_eq!(parse_platform_id(""), Err(FieldCode::Required));
    }
}

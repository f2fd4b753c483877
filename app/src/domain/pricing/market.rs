//! Markets of the platform's rate cards and the recipient → market mapping, as versioned data.
//!
//! The mapping is Meta's "country calling codes" table (https://developers.facebook.com/docs/whatsapp/pricing/conversation-based-pricing) with the later moves
//! dated: Zimbabwe joins Rest of Africa on 2025-10-01; six markets become standalone on
//! 2026-07-01 and nine more on 2026-10-01. A number is parsed with libphonenumber, then its
//! digits are matched against the longest calling-code prefix in force on the delivery date
//! (so +1 809 is the Dominican Republic's Rest of Latin America, +1 212 North America).
//! A webhook's country (ISO 3166-1) maps through the same rows.
//!
//! Kazakhstan shares Russia's +7: until it becomes a market of its own (2026-10-01) a +7
//! number is priced as Russia, as the longest-prefix rule gives; the reference leaves it open.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A market of a rate card, by its stable code (`north_america`, `rest_of_africa` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Market(pub &'static str);

impl<'de> Deserialize<'de> for Market {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Market::parse(&s).ok_or_else(|| serde::de::Error::custom("unknown market"))
    }
}

/// (code, name) of every market that has ever been on a card, in the cards' order.
pub const MARKETS: &[(&str, &str)] = &[
    ("argentina", "Argentina"),
    ("bangladesh", "Bangladesh"),
    ("brazil", "Brazil"),
    ("chile", "Chile"),
    ("colombia", "Colombia"),
    ("egypt", "Egypt"),
    ("france", "France"),
    ("germany", "Germany"),
    ("hong_kong", "Hong Kong"),
    ("hungary", "Hungary"),
    ("india", "India"),
    ("indonesia", "Indonesia"),
    ("iraq", "Iraq"),
    ("israel", "Israel"),
    ("italy", "Italy"),
    ("kazakhstan", "Kazakhstan"),
    ("kuwait", "Kuwait"),
    ("malaysia", "Malaysia"),
    ("mexico", "Mexico"),
    ("morocco", "Morocco"),
    ("nepal", "Nepal"),
    ("netherlands", "Netherlands"),
    ("nigeria", "Nigeria"),
    ("oman", "Oman"),
    ("pakistan", "Pakistan"),
    ("peru", "Peru"),
    ("poland", "Poland"),
    ("qatar", "Qatar"),
    ("romania", "Romania"),
    ("russia", "Russia"),
    ("saudi_arabia", "Saudi Arabia"),
    ("singapore", "Singapore"),
    ("south_africa", "South Africa"),
    ("spain", "Spain"),
    ("sri_lanka", "Sri Lanka"),
    ("turkey", "Turkey"),
    ("ukraine", "Ukraine"),
    ("united_arab_emirates", "United Arab Emirates"),
    ("united_kingdom", "United Kingdom"),
    ("north_america", "North America"),
    ("rest_of_africa", "Rest of Africa"),
    ("rest_of_asia_pacific", "Rest of Asia Pacific"),
    (
        "rest_of_central_eastern_europe",
        "Rest of Central & Eastern Europe",
    ),
    ("rest_of_latin_america", "Rest of Latin America"),
    ("rest_of_middle_east", "Rest of Middle East"),
    ("rest_of_western_europe", "Rest of Western Europe"),
    ("other", "Other"),
];

pub const OTHER: Market = Market("other");

fn d(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// One row of the mapping: a country's calling-code prefixes belong to a market from `from`
/// (inclusive) until `until` (exclusive).
struct Row {
    market: &'static str,
    region: &'static str,
    prefixes: &'static [&'static str],
    from: Option<(i32, u32)>,
    until: Option<(i32, u32)>,
}

const fn r(market: &'static str, region: &'static str, prefixes: &'static [&'static str]) -> Row {
    Row {
        market,
        region,
        prefixes,
        from: None,
        until: None,
    }
}
const fn until(
    market: &'static str,
    region: &'static str,
    prefixes: &'static [&'static str],
    y: i32,
    m: u32,
) -> Row {
    Row {
        market,
        region,
        prefixes,
        from: None,
        until: Some((y, m)),
    }
}
const fn from(
    market: &'static str,
    region: &'static str,
    prefixes: &'static [&'static str],
    y: i32,
    m: u32,
) -> Row {
    Row {
        market,
        region,
        prefixes,
        from: Some((y, m)),
        until: None,
    }
}

const JUL26: (i32, u32) = (2026, 7);
const OCT26: (i32, u32) = (2026, 10);

#[rustfmt::skip]
const ROWS: &[Row] = &[
    r("argentina", "AR", &["54"]), r("brazil", "BR", &["55"]), r("chile", "CL", &["56"]), r("colombia", "CO", &["57"]),
    r("egypt", "EG", &["20"]), r("france", "FR", &["33"]), r("germany", "DE", &["49"]), r("india", "IN", &["91"]),
    r("indonesia", "ID", &["62"]), r("israel", "IL", &["972"]), r("italy", "IT", &["39"]), r("malaysia", "MY", &["60"]),
    r("mexico", "MX", &["52"]), r("netherlands", "NL", &["31"]), r("nigeria", "NG", &["234"]), r("pakistan", "PK", &["92"]),
    r("peru", "PE", &["51"]), r("russia", "RU", &["7"]), r("saudi_arabia", "SA", &["966"]), r("south_africa", "ZA", &["27"]),
    r("spain", "ES", &["34"]), r("turkey", "TR", &["90"]), r("united_arab_emirates", "AE", &["971"]), r("united_kingdom", "GB", &["44"]),
    r("north_america", "US", &["1"]), r("north_america", "CA", &[]),
    // Kazakhstan: +7 6xx / 7xx.
    until("russia", "KZ", &["76", "77"], OCT26.0, OCT26.1), from("kazakhstan", "KZ", &["76", "77"], OCT26.0, OCT26.1),
    // Rest of Africa
    r("rest_of_africa", "DZ", &["213"]), r("rest_of_africa", "AO", &["244"]), r("rest_of_africa", "BJ", &["229"]), r("rest_of_africa", "BW", &["267"]),
    r("rest_of_africa", "BF", &["226"]), r("rest_of_africa", "BI", &["257"]), r("rest_of_africa", "CM", &["237"]), r("rest_of_africa", "TD", &["235"]),
    r("rest_of_africa", "CG", &["242"]), r("rest_of_africa", "ER", &["291"]), r("rest_of_africa", "ET", &["251"]), r("rest_of_africa", "GA", &["241"]),
    r("rest_of_africa", "GM", &["220"]), r("rest_of_africa", "GH", &["233"]), r("rest_of_africa", "GW", &["245"]), r("rest_of_africa", "CI", &["225"]),
    r("rest_of_africa", "KE", &["254"]), r("rest_of_africa", "LS", &["266"]), r("rest_of_africa", "LR", &["231"]), r("rest_of_africa", "LY", &["218"]),
    r("rest_of_africa", "MG", &["261"]), r("rest_of_africa", "MW", &["265"]), r("rest_of_africa", "ML", &["223"]), r("rest_of_africa", "MR", &["222"]),
    r("rest_of_africa", "MZ", &["258"]), r("rest_of_africa", "NA", &["264"]), r("rest_of_africa", "NE", &["227"]),
    r("rest_of_africa", "RW", &["250"]), r("rest_of_africa", "SN", &["221"]), r("rest_of_africa", "SL", &["232"]), r("rest_of_africa", "SO", &["252"]),
    r("rest_of_africa", "SS", &["211"]), r("rest_of_africa", "SD", &["249"]), r("rest_of_africa", "SZ", &["268"]), r("rest_of_africa", "TZ", &["255"]),
    r("rest_of_africa", "TG", &["228"]), r("rest_of_africa", "TN", &["216"]), r("rest_of_africa", "UG", &["256"]), r("rest_of_africa", "ZM", &["260"]),
    from("rest_of_africa", "ZW", &["263"], 2025, 10),
    until("rest_of_africa", "MA", &["212"], OCT26.0, OCT26.1), from("morocco", "MA", &["212"], OCT26.0, OCT26.1),
    // Rest of Asia Pacific
    r("rest_of_asia_pacific", "AF", &["93"]), r("rest_of_asia_pacific", "AU", &["61"]), r("rest_of_asia_pacific", "KH", &["855"]),
    r("rest_of_asia_pacific", "CN", &["86"]), r("rest_of_asia_pacific", "JP", &["81"]), r("rest_of_asia_pacific", "LA", &["856"]),
    r("rest_of_asia_pacific", "MN", &["976"]), r("rest_of_asia_pacific", "NZ", &["64"]), r("rest_of_asia_pacific", "PG", &["675"]),
    r("rest_of_asia_pacific", "PH", &["63"]), r("rest_of_asia_pacific", "TW", &["886"]), r("rest_of_asia_pacific", "TJ", &["992"]),
    r("rest_of_asia_pacific", "TH", &["66"]), r("rest_of_asia_pacific", "TM", &["993"]), r("rest_of_asia_pacific", "UZ", &["998"]),
    r("rest_of_asia_pacific", "VN", &["84"]),
    until("rest_of_asia_pacific", "HK", &["852"], JUL26.0, JUL26.1), from("hong_kong", "HK", &["852"], JUL26.0, JUL26.1),
    until("rest_of_asia_pacific", "SG", &["65"], JUL26.0, JUL26.1), from("singapore", "SG", &["65"], JUL26.0, JUL26.1),
    until("rest_of_asia_pacific", "BD", &["880"], OCT26.0, OCT26.1), from("bangladesh", "BD", &["880"], OCT26.0, OCT26.1),
    until("rest_of_asia_pacific", "NP", &["977"], OCT26.0, OCT26.1), from("nepal", "NP", &["977"], OCT26.0, OCT26.1),
    until("rest_of_asia_pacific", "LK", &["94"], OCT26.0, OCT26.1), from("sri_lanka", "LK", &["94"], OCT26.0, OCT26.1),
    // Rest of Central & Eastern Europe
    r("rest_of_central_eastern_europe", "AL", &["355"]), r("rest_of_central_eastern_europe", "AM", &["374"]),
    r("rest_of_central_eastern_europe", "AZ", &["994"]), r("rest_of_central_eastern_europe", "BY", &["375"]),
    r("rest_of_central_eastern_europe", "BG", &["359"]), r("rest_of_central_eastern_europe", "HR", &["385"]),
    r("rest_of_central_eastern_europe", "CZ", &["420"]), r("rest_of_central_eastern_europe", "GE", &["995"]),
    r("rest_of_central_eastern_europe", "GR", &["30"]), r("rest_of_central_eastern_europe", "LV", &["371"]),
    r("rest_of_central_eastern_europe", "LT", &["370"]), r("rest_of_central_eastern_europe", "MD", &["373"]),
    r("rest_of_central_eastern_europe", "MK", &["389"]), r("rest_of_central_eastern_europe", "RS", &["381"]),
    r("rest_of_central_eastern_europe", "SK", &["421"]), r("rest_of_central_eastern_europe", "SI", &["386"]),
    until("rest_of_central_eastern_europe", "HU", &["36"], JUL26.0, JUL26.1), from("hungary", "HU", &["36"], JUL26.0, JUL26.1),
    until("rest_of_central_eastern_europe", "PL", &["48"], JUL26.0, JUL26.1), from("poland", "PL", &["48"], JUL26.0, JUL26.1),
    until("rest_of_central_eastern_europe", "RO", &["40"], JUL26.0, JUL26.1), from("romania", "RO", &["40"], JUL26.0, JUL26.1),
    until("rest_of_central_eastern_europe", "UA", &["380"], OCT26.0, OCT26.1), from("ukraine", "UA", &["380"], OCT26.0, OCT26.1),
    // Rest of Western Europe
    r("rest_of_western_europe", "AT", &["43"]), r("rest_of_western_europe", "BE", &["32"]), r("rest_of_western_europe", "DK", &["45"]),
    r("rest_of_western_europe", "FI", &["358"]), r("rest_of_western_europe", "IE", &["353"]), r("rest_of_western_europe", "NO", &["47"]),
    r("rest_of_western_europe", "PT", &["351"]), r("rest_of_western_europe", "SE", &["46"]), r("rest_of_western_europe", "CH", &["41"]),
    // Rest of Latin America
    r("rest_of_latin_america", "BO", &["591"]), r("rest_of_latin_america", "CR", &["506"]),
    r("rest_of_latin_america", "DO", &["1809", "1829", "1849"]), r("rest_of_latin_america", "EC", &["593"]),
    r("rest_of_latin_america", "SV", &["503"]), r("rest_of_latin_america", "GT", &["502"]), r("rest_of_latin_america", "HT", &["509"]),
    r("rest_of_latin_america", "HN", &["504"]), r("rest_of_latin_america", "JM", &["1658", "1876"]), r("rest_of_latin_america", "NI", &["505"]),
    r("rest_of_latin_america", "PA", &["507"]), r("rest_of_latin_america", "PY", &["595"]), r("rest_of_latin_america", "PR", &["1787", "1939"]),
    r("rest_of_latin_america", "UY", &["598"]), r("rest_of_latin_america", "VE", &["58"]),
    // Rest of Middle East
    r("rest_of_middle_east", "BH", &["973"]), r("rest_of_middle_east", "JO", &["962"]), r("rest_of_middle_east", "LB", &["961"]),
    r("rest_of_middle_east", "YE", &["967"]),
    until("rest_of_middle_east", "QA", &["974"], JUL26.0, JUL26.1), from("qatar", "QA", &["974"], JUL26.0, JUL26.1),
    until("rest_of_middle_east", "IQ", &["964"], OCT26.0, OCT26.1), from("iraq", "IQ", &["964"], OCT26.0, OCT26.1),
    until("rest_of_middle_east", "KW", &["965"], OCT26.0, OCT26.1), from("kuwait", "KW", &["965"], OCT26.0, OCT26.1),
    until("rest_of_middle_east", "OM", &["968"], OCT26.0, OCT26.1), from("oman", "OM", &["968"], OCT26.0, OCT26.1),
];

impl Row {
    fn in_force(&self, on: NaiveDate) -> bool {
        self.from.and_then(|(y, m)| d(y, m)).is_none_or(|f| on >= f)
            && self.until.and_then(|(y, m)| d(y, m)).is_none_or(|u| on < u)
    }
}

impl Market {
    /// By code or by the name a rate card prints ("Rest of Central & Eastern Europe"),
    /// case-insensitive.
    pub fn parse(raw: &str) -> Option<Market> {
        let t = raw.trim();
        MARKETS
            .iter()
            .find(|(code, name)| code.eq_ignore_ascii_case(t) || name.eq_ignore_ascii_case(t))
            .map(|(code, _)| Market(code))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn name(self) -> &'static str {
        MARKETS
            .iter()
            .find(|(c, _)| *c == self.0)
            .map_or(self.0, |(_, n)| n)
    }

    /// The markets on the cards in force on `on`, in card order.
    pub fn all_on(on: NaiveDate) -> Vec<Market> {
        MARKETS
            .iter()
            .map(|(c, _)| Market(c))
            .filter(|m| {
                *m == OTHER
                    || m.0.starts_with("rest_of_")
                    || m.0 == "north_america"
                    || ROWS.iter().any(|r| {
                        r.market == m.0 && r.in_force(on) && !r.market.starts_with("rest_of_")
                    })
            })
            .collect()
    }

    /// The market of a recipient's country (ISO 3166-1 alpha-2, as a webhook gives it or as
    /// derived from the number) on a date. Unlisted countries are `Other`.
    pub fn of_region(region: &str, on: NaiveDate) -> Market {
        let region = region.trim();
        ROWS.iter()
            .find(|r| r.region.eq_ignore_ascii_case(region) && r.in_force(on))
            .map_or(OTHER, |r| Market(r.market))
    }

    /// The market of a recipient's number (digits, with or without `+`) on a date: parsed with
    /// libphonenumber, then the longest calling-code prefix in force. `None` when the digits
    /// are no international number at all.
    pub fn of_number(raw: &str, on: NaiveDate) -> Option<Market> {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 17 {
            return None;
        }
        let parsed = phonenumber::parse(None, format!("+{digits}")).ok()?;
        let full = format!("{}{}", parsed.code().value(), parsed.national().value());
        let best = ROWS
            .iter()
            .filter(|r| r.in_force(on))
            .flat_map(|r| r.prefixes.iter().map(move |p| (p, r.market)))
            .filter(|(p, _)| full.starts_with(**p))
            .max_by_key(|(p, _)| p.len());
        Some(best.map_or(OTHER, |(_, m)| Market(m)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    /// One example number per row of the reference table (a valid number of that country).
    #[rustfmt::skip]
    const EXAMPLES: &[(&str, &str)] = &[
        ("AR", "5491123456789"), ("BR", "5511961234567"), ("CL", "56221234567"), ("CO", "573211234567"), ("EG", "201001234567"),
        ("FR", "33612345678"), ("DE", "4915123456789"), ("IN", "919876543210"), ("ID", "6281234567890"), ("IL", "972501234567"),
        ("IT", "393123456789"), ("MY", "60123456789"), ("MX", "5215512345678"), ("NL", "31612345678"), ("NG", "2348021234567"),
        ("PK", "923012345678"), ("PE", "51912345678"), ("RU", "79123456789"), ("SA", "966501234567"), ("ZA", "27711234567"),
        ("ES", "34612345678"), ("TR", "905012345678"), ("AE", "971501234567"), ("GB", "447400123456"), ("US", "12025550143"),
        ("CA", "14165550143"), ("KZ", "77012345678"),
        ("DZ", "213551234567"), ("AO", "244923123456"), ("BJ", "22990011234"), ("BW", "26771123456"), ("BF", "22670123456"),
        ("BI", "25779561234"), ("CM", "237671234567"), ("TD", "23563012345"), ("CG", "242061234567"), ("ER", "2917123456"),
        ("ET", "251911234567"), ("GA", "24106031234"), ("GM", "2203012345"), ("GH", "233231234567"), ("GW", "245955012345"),
        ("CI", "2250123456789"), ("KE", "254712123456"), ("LS", "26650123456"), ("LR", "231770123456"), ("LY", "218912345678"),
        ("MG", "261321234567"), ("MW", "265991234567"), ("ML", "22365012345"), ("MR", "22222123456"), ("MA", "212650123456"),
        ("MZ", "258821234567"), ("NA", "264811234567"), ("NE", "22793123456"), ("RW", "250720123456"), ("SN", "221701234567"),
        ("SL", "23225123456"), ("SO", "252771234567"), ("SS", "211977123456"), ("SD", "249911231234"), ("SZ", "26876123456"),
        ("TZ", "255621234567"), ("TG", "22890112345"), ("TN", "21620123456"), ("UG", "256712345678"), ("ZM", "260955123456"),
        ("ZW", "263712345678"),
        ("AF", "93701234567"), ("AU", "61412345678"), ("BD", "8801812345678"), ("KH", "85591234567"), ("CN", "8613123456789"),
        ("HK", "85251234567"), ("JP", "819012345678"), ("LA", "8562023123456"), ("MN", "97688123456"), ("NP", "9779841234567"),
        ("NZ", "64211234567"), ("PG", "67570123456"), ("PH", "639051234567"), ("SG", "6581234567"), ("LK", "94712345678"),
        ("TW", "886912345678"), ("TJ", "992917123456"), ("TH", "66812345678"), ("TM", "99366123456"), ("UZ", "998912345678"),
        ("VN", "84912345678"),
        ("AL", "355672123456"), ("AM", "37477123456"), ("AZ", "994401234567"), ("BY", "375294911911"), ("BG", "359481234567"),
        ("HR", "385921234567"), ("CZ", "420601123456"), ("GE", "995555123456"), ("GR", "306912345678"), ("HU", "36201234567"),
        ("LV", "37121234567"), ("LT", "37061234567"), ("MD", "37362112345"), ("MK", "38972345678"), ("PL", "48512345678"),
        ("RO", "40712034567"), ("RS", "381601234567"), ("SK", "421912123456"), ("SI", "38631234567"), ("UA", "380501234567"),
        ("AT", "436641234567"), ("BE", "32470123456"), ("DK", "4520123456"), ("FI", "358412345678"), ("IE", "353850123456"),
        ("NO", "4740612345"), ("PT", "351912345678"), ("SE", "46701234567"), ("CH", "41781234567"),
        ("BO", "59171234567"), ("CR", "50683123456"), ("DO", "18092345678"), ("EC", "593991234567"), ("SV", "50370123456"),
        ("GT", "50251234567"), ("HT", "50934101234"), ("HN", "50491234567"), ("JM", "18762101234"), ("NI", "50581234567"),
        ("PA", "50761234567"), ("PY", "595961456789"), ("PR", "17872345678"), ("UY", "59894231234"), ("VE", "584121234567"),
        ("BH", "97336001234"), ("IQ", "9647912345678"), ("JO", "962790123456"), ("KW", "96550012345"), ("LB", "96171123456"),
        ("OM", "96892123456"), ("QA", "97433123456"), ("YE", "967712345678"),
    ];

    #[test]
    fn every_row_of_the_reference_table_maps_by_number_and_by_country_alike() {
        for on in [
            day(2025, 9, 30),
            day(2025, 10, 1),
            day(2026, 6, 30),
            day(2026, 7, 1),
            day(2026, 9, 30),
            day(2026, 10, 1),
        ] {
            for (region, number) in EXAMPLES {
                let by_number = Market::of_number(number, on);
                assert_eq!(
                    by_number,
                    Some(Market::of_region(region, on)),
                    "{region} {number} on {on}"
                );
                if !(*region == "ZW" && on < day(2025, 10, 1)) {
                    assert_ne!(by_number, Some(OTHER), "{region} is listed, on {on}");
                }
                if *region != "KZ" {
                    assert_eq!(
                        crate::domain::phone::country_of(number).as_deref(),
                        Some(*region),
                        "example {number} is a {region} number"
                    );
                }
            }
        }
        // Every listed country has an example.
        for row in ROWS {
            assert!(
                EXAMPLES.iter().any(|(r, _)| *r == row.region),
                "no example for {}",
                row.region
            );
        }
    }

    #[test]
    fn plus_one_goes_by_area_code() {
        let on = day(2026, 1, 15);
        assert_eq!(
            Market::of_number("+1 212 555 0143", on),
            Some(Market("north_america"))
        );
        assert_eq!(
            Market::of_number("+1 416 555 0143", on),
            Some(Market("north_america"))
        );
        for n in [
            "18092345678",
            "18292345678",
            "18492345678",
            "16582345678",
            "18762101234",
            "17872345678",
            "19392345678",
        ] {
            assert_eq!(
                Market::of_number(n, on),
                Some(Market("rest_of_latin_america")),
                "{n}"
            );
        }
        // Caribbean NANP numbers the table does not list go by Meta's table: North America's +1.
        assert_eq!(
            Market::of_number("18686201234", on),
            Some(Market("north_america"))
        );
    }

    #[test]
    fn moves_take_effect_on_their_dates() {
        let cases = [
            (
                "263712345678",
                day(2025, 9, 30),
                "other",
                day(2025, 10, 1),
                "rest_of_africa",
            ),
            (
                "85251234567",
                day(2026, 6, 30),
                "rest_of_asia_pacific",
                day(2026, 7, 1),
                "hong_kong",
            ),
            (
                "6581234567",
                day(2026, 6, 30),
                "rest_of_asia_pacific",
                day(2026, 7, 1),
                "singapore",
            ),
            (
                "36201234567",
                day(2026, 6, 30),
                "rest_of_central_eastern_europe",
                day(2026, 7, 1),
                "hungary",
            ),
            (
                "48512345678",
                day(2026, 6, 30),
                "rest_of_central_eastern_europe",
                day(2026, 7, 1),
                "poland",
            ),
            (
                "40712034567",
                day(2026, 6, 30),
                "rest_of_central_eastern_europe",
                day(2026, 7, 1),
                "romania",
            ),
            (
                "97433123456",
                day(2026, 6, 30),
                "rest_of_middle_east",
                day(2026, 7, 1),
                "qatar",
            ),
            (
                "8801812345678",
                day(2026, 9, 30),
                "rest_of_asia_pacific",
                day(2026, 10, 1),
                "bangladesh",
            ),
            (
                "9647912345678",
                day(2026, 9, 30),
                "rest_of_middle_east",
                day(2026, 10, 1),
                "iraq",
            ),
            (
                "9779841234567",
                day(2026, 9, 30),
                "rest_of_asia_pacific",
                day(2026, 10, 1),
                "nepal",
            ),
            (
                "94712345678",
                day(2026, 9, 30),
                "rest_of_asia_pacific",
                day(2026, 10, 1),
                "sri_lanka",
            ),
            (
                "77012345678",
                day(2026, 9, 30),
                "russia",
                day(2026, 10, 1),
                "kazakhstan",
            ),
            (
                "96550012345",
                day(2026, 9, 30),
                "rest_of_middle_east",
                day(2026, 10, 1),
                "kuwait",
            ),
            (
                "212650123456",
                day(2026, 9, 30),
                "rest_of_africa",
                day(2026, 10, 1),
                "morocco",
            ),
            (
                "96892123456",
                day(2026, 9, 30),
                "rest_of_middle_east",
                day(2026, 10, 1),
                "oman",
            ),
            (
                "380501234567",
                day(2026, 9, 30),
                "rest_of_central_eastern_europe",
                day(2026, 10, 1),
                "ukraine",
            ),
        ];
        for (n, before, m1, after, m2) in cases {
            assert_eq!(Market::of_number(n, before), Some(Market(m1)), "{n} before");
            assert_eq!(Market::of_number(n, after), Some(Market(m2)), "{n} after");
        }
        // Russia itself stays Russia.
        assert_eq!(
            Market::of_number("79123456789", day(2026, 10, 1)),
            Some(Market("russia"))
        );
    }

    #[test]
    fn unlisted_countries_are_other_and_garbage_is_none() {
        let on = day(2026, 1, 1);
        for n in [
            "821012345678",
            "35291234567",
            "35679123456",
            "35796123456",
            "3725123456",
            "3546111234",
        ] {
            assert_eq!(Market::of_number(n, on), Some(OTHER), "{n}");
        }
        assert_eq!(Market::of_region("KR", on), OTHER);
        assert_eq!(Market::of_number("", on), None);
        assert_eq!(Market::of_number("abc", on), None);
    }

    #[test]
    fn market_counts_follow_the_cards() {
        assert_eq!(Market::all_on(day(2025, 12, 1)).len(), 32);
        assert_eq!(Market::all_on(day(2026, 7, 1)).len(), 38);
        assert_eq!(Market::all_on(day(2026, 10, 1)).len(), 47);
        assert_eq!(
            Market::parse("Rest of Central & Eastern Europe"),
            Some(Market("rest_of_central_eastern_europe"))
        );
        assert_eq!(
            Market::parse("north_america"),
            Some(Market("north_america"))
        );
        assert_eq!(Market::parse("Atlantis"), None);
    }
}

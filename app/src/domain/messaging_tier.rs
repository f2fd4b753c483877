//! Messaging limits (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits): the tier ladder by period, every spelling the
//! platform has used for a tier, the 7-day FLAGGED rule and upgrade progress.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How many unique users may receive business-initiated messages in a moving 24 h.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    T50,
    T250,
    T1K,
    T2K,
    T10K,
    T100K,
    Unlimited,
}

impl Tier {
    /// Parses every spelling: `TIER_1K`, `TIER_2K`, `TIER_UNLIMITED`, and the integers of
    /// `business_capability_update` (250, 1000, 2000, …, -1 = unlimited). `TIER_NOT_SET` and
    /// anything unknown are `None`.
    pub fn parse(v: &serde_json::Value) -> Option<Tier> {
        match v {
            serde_json::Value::Number(n) => n.as_i64().and_then(Self::from_count),
            serde_json::Value::String(s) => Self::parse_str(s),
            _ => None,
        }
    }

    pub fn parse_str(s: &str) -> Option<Tier> {
        let s = s.trim().to_ascii_uppercase();
        let s = s.strip_prefix("TIER_").unwrap_or(&s);
        Some(match s {
            "50" => Tier::T50,
            "250" => Tier::T250,
            "1K" | "1000" => Tier::T1K,
            "2K" | "2000" => Tier::T2K,
            "10K" | "10000" => Tier::T10K,
            "100K" | "100000" => Tier::T100K,
            "UNLIMITED" | "-1" => Tier::Unlimited,
            other => return other.parse::<i64>().ok().and_then(Self::from_count),
        })
    }

    fn from_count(n: i64) -> Option<Tier> {
        Some(match n {
            -1 => Tier::Unlimited,
            50 => Tier::T50,
            250 => Tier::T250,
            1000 => Tier::T1K,
            2000 => Tier::T2K,
            10_000 => Tier::T10K,
            100_000 => Tier::T100K,
            _ => return None,
        })
    }

    /// The number of unique users per 24 h; `None` = unlimited.
    pub fn limit(self) -> Option<u32> {
        match self {
            Tier::T50 => Some(50),
            Tier::T250 => Some(250),
            Tier::T1K => Some(1_000),
            Tier::T2K => Some(2_000),
            Tier::T10K => Some(10_000),
            Tier::T100K => Some(100_000),
            Tier::Unlimited => None,
        }
    }

    /// The stored spelling (the platform's current one).
    pub fn code(self) -> &'static str {
        match self {
            Tier::T50 => "TIER_50",
            Tier::T250 => "TIER_250",
            Tier::T1K => "TIER_1K",
            Tier::T2K => "TIER_2K",
            Tier::T10K => "TIER_10K",
            Tier::T100K => "TIER_100K",
            Tier::Unlimited => "TIER_UNLIMITED",
        }
    }

    pub fn label(self) -> String {
        match self.limit() {
            Some(n) if n >= 1_000 => format!("{}K", n / 1_000),
            Some(n) => n.to_string(),
            None => "∞".to_owned(),
        }
    }

    /// The next level up under the rules in force at `on`.
    pub fn next(self, on: NaiveDate) -> Option<Tier> {
        let ladder = Period::at(on).ladder();
        let pos = ladder.iter().position(|t| *t >= self)?;
        if ladder[pos] > self {
            return Some(ladder[pos]);
        }
        ladder.get(pos + 1).copied()
    }
}

/// The three regimes of messaging limits (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Up to 2022: per number, business-initiated conversations; 2× the limit in 7 days.
    Legacy,
    /// ~2023 → 2025-10-06: per number; half the limit in 7 days.
    PerNumber,
    /// Since 2025-10-07: per business portfolio, shared by its numbers; half the limit in 7 days.
    Portfolio,
}

impl Period {
    pub fn at(on: NaiveDate) -> Period {
        if on >= NaiveDate::from_ymd_opt(2025, 10, 7).unwrap_or(NaiveDate::MIN) {
            Period::Portfolio
        } else if on >= NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or(NaiveDate::MIN) {
            Period::PerNumber
        } else {
            Period::Legacy
        }
    }

    pub fn ladder(self) -> &'static [Tier] {
        match self {
            Period::Legacy => &[
                Tier::T50,
                Tier::T1K,
                Tier::T10K,
                Tier::T100K,
                Tier::Unlimited,
            ],
            Period::PerNumber => &[
                Tier::T250,
                Tier::T1K,
                Tier::T10K,
                Tier::T100K,
                Tier::Unlimited,
            ],
            Period::Portfolio => &[
                Tier::T250,
                Tier::T2K,
                Tier::T10K,
                Tier::T100K,
                Tier::Unlimited,
            ],
        }
    }

    /// Unique users in the last 7 days needed to move up from `tier` (`None`: no automatic
    /// step, e.g. unlimited or the 250 level, which needs verification or the 30-day path).
    pub fn upgrade_threshold(self, tier: Tier) -> Option<u32> {
        let limit = tier.limit()?;
        match (self, tier) {
            (Period::Legacy, _) => Some(limit * 2),
            (_, Tier::T250 | Tier::T50) => None,
            _ => Some(limit / 2),
        }
    }
}

/// How far a number (or portfolio) is on its way to the next level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpgradeProgress {
    pub unique_users_7d: u32,
    /// `None`: no automatic upgrade from this level.
    pub needed: Option<u32>,
    pub next: Option<Tier>,
}

impl UpgradeProgress {
    pub fn of(tier: Tier, unique_users_7d: u32, on: NaiveDate) -> Self {
        let period = Period::at(on);
        Self {
            unique_users_7d,
            needed: period.upgrade_threshold(tier),
            next: tier.next(on),
        }
    }

    /// Percent of the way, 0–100.
    pub fn percent(&self) -> u8 {
        match self.needed {
            Some(n) if n > 0 => {
                (u64::from(self.unique_users_7d) * 100 / u64::from(n)).min(100) as u8
            }
            _ => 0,
        }
    }
}

/// How long a number may stay FLAGGED before it is downgraded (https://developers.facebook.com/documentation/business-messaging/whatsapp/messaging-limits).
pub const FLAG_DAYS: i64 = 7;

/// For a number flagged at `flagged_at`: when it returns to CONNECTED at its tier if quality
/// recovers, or is moved one tier down if it does not.
pub fn flag_deadline(flagged_at: DateTime<Utc>) -> DateTime<Utc> {
    flagged_at + TimeDelta::days(FLAG_DAYS)
}

/// A number's quality rating (https://developers.facebook.com/docs/whatsapp/business-phone-numbers/phone-numbers); both vocabularies are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quality {
    Green,
    Yellow,
    Red,
    Unknown,
}

impl Quality {
    pub fn parse(s: &str) -> Option<Quality> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "GREEN" | "HIGH" => Quality::Green,
            "YELLOW" | "MEDIUM" => Quality::Yellow,
            "RED" | "LOW" => Quality::Red,
            "UNKNOWN" | "NA" | "PENDING" => Quality::Unknown,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Quality::Green => "GREEN",
            Quality::Yellow => "YELLOW",
            Quality::Red => "RED",
            Quality::Unknown => "UNKNOWN",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn every_spelling_parses() {
        for (v, t) in [
            (json!("TIER_50"), Tier::T50),
            (json!("TIER_250"), Tier::T250),
            (json!("TIER_1K"), Tier::T1K),
            (json!("TIER_2K"), Tier::T2K),
            (json!("TIER_10K"), Tier::T10K),
            (json!("TIER_100K"), Tier::T100K),
            (json!("TIER_UNLIMITED"), Tier::Unlimited),
            (json!(250), Tier::T250),
            (json!(1000), Tier::T1K),
            (json!(2000), Tier::T2K),
            (json!(100000), Tier::T100K),
            (json!(-1), Tier::Unlimited),
            (json!("2000"), Tier::T2K),
        ] {
            assert_eq!(Tier::parse(&v), Some(t), "{v}");
        }
        for bad in [
            json!("TIER_NOT_SET"),
            json!("TIER_3K"),
            json!(1234),
            json!(null),
            json!(true),
        ] {
            assert_eq!(Tier::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn the_ladder_depends_on_the_period() {
        assert_eq!(Tier::T250.next(d(2025, 10, 6)), Some(Tier::T1K));
        assert_eq!(Tier::T250.next(d(2025, 10, 7)), Some(Tier::T2K));
        assert_eq!(
            Tier::T1K.next(d(2025, 10, 7)),
            Some(Tier::T2K),
            "old 1K portfolios move to the new ladder"
        );
        assert_eq!(Tier::T50.next(d(2022, 6, 1)), Some(Tier::T1K));
        assert_eq!(Tier::Unlimited.next(d(2026, 1, 1)), None);
    }

    #[test]
    fn upgrade_needs_half_the_limit_now_and_twice_it_before_2023() {
        let now = UpgradeProgress::of(Tier::T2K, 999, d(2026, 11, 1));
        assert_eq!(
            (now.needed, now.next, now.percent()),
            (Some(1_000), Some(Tier::T10K), 99)
        );
        assert_eq!(
            UpgradeProgress::of(Tier::T2K, 1_000, d(2026, 11, 1)).percent(),
            100
        );
        assert_eq!(
            UpgradeProgress::of(Tier::T1K, 0, d(2022, 1, 1)).needed,
            Some(2_000)
        );
        assert_eq!(
            UpgradeProgress::of(Tier::T250, 5_000, d(2026, 1, 1)).needed,
            None,
            "250 → 2K is by verification or the 30-day path"
        );
        assert_eq!(
            UpgradeProgress::of(Tier::Unlimited, 5, d(2026, 1, 1)).percent(),
            0
        );
    }

    #[test]
    fn a_flag_lasts_seven_days_to_the_second() {
        let at = DateTime::from_timestamp(1_783_003_250, 0).unwrap_or_default();
        assert_eq!(flag_deadline(at) - at, TimeDelta::seconds(7 * 86_400));
    }

    #[test]
    fn both_quality_vocabularies_parse() {
        assert_eq!(Quality::parse("GREEN"), Some(Quality::Green));
        assert_eq!(Quality::parse("Medium"), Some(Quality::Yellow));
        assert_eq!(Quality::parse("NA"), Some(Quality::Unknown));
        assert_eq!(Quality::parse("PURPLE"), None);
    }
}

//! Rating one message: which messages are charged in which period, when a charge is final,
//! and its cost and price from the versions in force on its delivery date (in the WABA's
//! time zone: the platform switches models at midnight there).

use super::card::Rates;
use super::category::{Category, PricingType};
use super::market::Market;
use super::prices::{sell_price, PriceRule};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a usage record stands. A message is billed once, and only once delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsageState {
    /// A `sent` status carried pricing; not delivered yet.
    Pending,
    /// `delivered` or `read` arrived (whichever first, in any order).
    Confirmed,
    /// `failed` without a delivery: never charged.
    Void,
}

impl UsageState {
    pub fn code(self) -> &'static str {
        match self {
            UsageState::Pending => "pending",
            UsageState::Confirmed => "confirmed",
            UsageState::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [UsageState::Pending, UsageState::Confirmed, UsageState::Void]
            .into_iter()
            .find(|u| u.code() == s)
    }

    /// From a message's merged statuses: a delivery confirms even if a failure is also known.
    pub fn of(delivered: bool, failed: bool) -> Self {
        match (delivered, failed) {
            (true, _) => UsageState::Confirmed,
            (false, true) => UsageState::Void,
            (false, false) => UsageState::Pending,
        }
    }

    /// Whether a record that was `before` (none: no record yet) is written as `now`: a
    /// confirmed record is final, and the same state again writes nothing.
    pub fn moves(before: Option<Self>, now: Self) -> bool {
        before != Some(UsageState::Confirmed) && before != Some(now)
    }
}

/// The pricing model of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Model {
    /// Notification-based, until 2022-01-31.
    Nbp,
    /// Conversation-based, 2022-02-01 → 2025-06-30.
    Cbp,
    /// Per-message, from 2025-07-01.
    Pmp,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Model {
    pub fn on(day: NaiveDate) -> Model {
        if day < ymd(2022, 2, 1) {
            Model::Nbp
        } else if day < ymd(2025, 7, 1) {
            Model::Cbp
        } else {
            Model::Pmp
        }
    }
}

/// Whether a message is billed per conversation: its webhook says `CBP`, or says no model and
/// the day is in the conversation-based period.
pub fn conversation_based(model: Option<&str>, day: NaiveDate) -> bool {
    match model.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => m.eq_ignore_ascii_case("CBP"),
        None => Model::on(day) == Model::Cbp,
    }
}

/// Conversation-based pricing charges a conversation once, however many messages it holds.
/// `messages`: the conversation key of each charged message being confirmed, in delivery
/// order; `charged`: the conversations already charged. Returns, per message, whether it
/// carries its conversation's charge (the first of a conversation not charged yet); the others
/// are free as `InConversation`. `charged` ends up holding every conversation charged.
pub fn charge_conversations<K: Ord + Clone>(
    messages: &[K],
    charged: &mut std::collections::BTreeSet<K>,
) -> Vec<bool> {
    messages.iter().map(|k| charged.insert(k.clone())).collect()
}

/// What was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sent {
    Template(Category),
    /// A free-form (non-template) message, only possible inside a service window.
    NonTemplate,
}

/// Whether the platform charges a message, by period (https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing): what a webhook
/// without a pricing type implies and what the tenant's billing page explains.
/// `in_csw`: inside a 24 h customer service window; `in_fep`: inside a 72 h free entry point.
pub fn expected_type(sent: Sent, in_csw: bool, in_fep: bool, day: NaiveDate) -> PricingType {
    let service_charged_again = ymd(2026, 10, 1);
    if in_fep && day >= ymd(2022, 2, 1) {
        return PricingType::FreeEntryPoint;
    }
    match (Model::on(day), sent) {
        (_, Sent::NonTemplate) if day >= service_charged_again => PricingType::Regular,
        // Service conversations: charged until 2024-11-01, free until 2026-10-01.
        (Model::Cbp, Sent::NonTemplate) if day < ymd(2024, 11, 1) => PricingType::Regular,
        (_, Sent::NonTemplate) => PricingType::FreeCustomerService,
        (Model::Pmp, Sent::Template(Category::Utility))
            if in_csw && day < service_charged_again =>
        {
            PricingType::FreeCustomerService
        }
        (_, Sent::Template(_)) => PricingType::Regular,
    }
}

/// A rated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    /// Micros; `None` when no card in force prices it (rated again once one is imported).
    pub cost: Option<i64>,
    pub price: Option<i64>,
}

/// Cost and price of one message. Free messages cost and pay 0; a charged one takes the
/// card's rate for the band of `prior` (messages of this market × category already charged
/// this month) and the tenant's rules over it.
pub fn rate(
    card: Option<&Rates>,
    rules: &[PriceRule],
    market: Market,
    category: Option<Category>,
    kind: PricingType,
    prior: i64,
) -> Rated {
    if kind != PricingType::Regular {
        return Rated {
            cost: Some(0),
            price: Some(0),
        };
    }
    let cost = category.and_then(|c| card?.rate(market, c, prior));
    Rated {
        cost,
        price: cost
            .zip(category)
            .map(|(c, cat)| sell_price(rules, market, cat, c)),
    }
}

/// The calendar day of an instant in a time zone.
pub fn local_day(at: DateTime<Utc>, tz: chrono_tz::Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// `YYYY-MM` of a day: the period of tiers and invoices.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// A time zone by IANA name; unknown names are UTC.
pub fn time_zone(name: &str) -> chrono_tz::Tz {
    name.trim().parse().unwrap_or(chrono_tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use Category::*;
    use PricingType::*;

    #[test]
    fn a_conversation_is_charged_once() {
        let mut charged = std::collections::BTreeSet::from(["old"]);
        let got = charge_conversations(&["a", "old", "a", "b", "a"], &mut charged);
        assert_eq!(got, [true, false, false, true, false]);
        assert_eq!(charged.len(), 3);
        // The same messages again charge nothing.
        assert_eq!(
            charge_conversations(&["a", "b"], &mut charged),
            [false, false]
        );
    }

    #[test]
    fn conversation_based_by_model_or_period() {
        assert!(
            conversation_based(Some("CBP"), ymd(2026, 1, 1)),
            "the webhook's word wins"
        );
        assert!(conversation_based(Some(" cbp "), ymd(2026, 1, 1)));
        assert!(!conversation_based(Some("PMP"), ymd(2024, 1, 1)));
        assert!(conversation_based(None, ymd(2025, 6, 30)));
        assert!(!conversation_based(None, ymd(2025, 7, 1)));
        assert!(
            !conversation_based(Some(""), ymd(2022, 1, 31)),
            "notification-based: per message"
        );
    }

    #[test]
    fn charged_or_free_by_period_at_the_boundaries() {
        let t = |c| Sent::Template(c);
        let cases = [
            // (sent, in_csw, in_fep, day, expected)
            (t(Marketing), false, false, ymd(2022, 1, 31), Regular),
            (
                Sent::NonTemplate,
                true,
                false,
                ymd(2022, 1, 31),
                FreeCustomerService,
            ),
            (Sent::NonTemplate, true, false, ymd(2024, 10, 31), Regular),
            (
                Sent::NonTemplate,
                true,
                false,
                ymd(2024, 11, 1),
                FreeCustomerService,
            ),
            (t(Utility), true, false, ymd(2025, 6, 30), Regular),
            (
                t(Utility),
                true,
                false,
                ymd(2025, 7, 1),
                FreeCustomerService,
            ),
            (t(Utility), false, false, ymd(2025, 7, 1), Regular),
            (t(Marketing), true, false, ymd(2025, 7, 1), Regular),
            (t(Authentication), true, false, ymd(2025, 7, 1), Regular),
            (
                Sent::NonTemplate,
                true,
                false,
                ymd(2026, 9, 30),
                FreeCustomerService,
            ),
            (Sent::NonTemplate, true, false, ymd(2026, 10, 1), Regular),
            (
                t(Utility),
                true,
                false,
                ymd(2026, 9, 30),
                FreeCustomerService,
            ),
            (t(Utility), true, false, ymd(2026, 10, 1), Regular),
            (t(Marketing), true, true, ymd(2026, 10, 1), FreeEntryPoint),
            (
                Sent::NonTemplate,
                true,
                true,
                ymd(2025, 7, 1),
                FreeEntryPoint,
            ),
            (t(Marketing), false, true, ymd(2022, 1, 31), Regular),
        ];
        for (sent, csw, fep, day, want) in cases {
            assert_eq!(
                expected_type(sent, csw, fep, day),
                want,
                "{sent:?} csw={csw} fep={fep} {day}"
            );
        }
        assert_eq!(Model::on(ymd(2022, 1, 31)), Model::Nbp);
        assert_eq!(Model::on(ymd(2022, 2, 1)), Model::Cbp);
        assert_eq!(Model::on(ymd(2025, 6, 30)), Model::Cbp);
        assert_eq!(Model::on(ymd(2025, 7, 1)), Model::Pmp);
    }

    #[test]
    fn billed_once_delivered_whatever_the_order() {
        assert_eq!(UsageState::of(false, false), UsageState::Pending);
        assert_eq!(UsageState::of(true, false), UsageState::Confirmed);
        assert_eq!(UsageState::of(false, true), UsageState::Void);
        assert_eq!(
            UsageState::of(true, true),
            UsageState::Confirmed,
            "a delivery is final"
        );
        use UsageState::{Confirmed as C, Pending as P, Void as V};
        for now in [P, V, C] {
            assert!(UsageState::moves(None, now), "a first record is written");
            assert!(!UsageState::moves(Some(C), now), "confirmed is final");
            assert!(
                !UsageState::moves(Some(now), now),
                "the same state writes nothing"
            );
        }
        assert!(
            UsageState::moves(Some(P), C)
                && UsageState::moves(Some(P), V)
                && UsageState::moves(Some(V), C)
        );
    }

    #[test]
    fn the_delivery_day_is_the_wabas() {
        // 2025-06-30 23:30 UTC is already 2025-07-01 in Berlin: per-message pricing there.
        let at = Utc
            .with_ymd_and_hms(2025, 6, 30, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(local_day(at, time_zone("Europe/Berlin")), ymd(2025, 7, 1));
        assert_eq!(
            local_day(at, time_zone("America/New_York")),
            ymd(2025, 6, 30)
        );
        assert_eq!(
            local_day(at, time_zone("Not/AZone")),
            ymd(2025, 6, 30),
            "unknown → UTC"
        );
        assert_eq!(month_of(ymd(2025, 7, 1)), "2025-07");
    }

    #[test]
    fn free_messages_cost_nothing_and_charged_ones_take_card_and_rules() {
        let card = Rates(vec![super::super::card::Rate {
            market: Market("france"),
            category: Marketing,
            tier: super::super::card::Tier::ALL,
            micros: 71_200,
        }]);
        let rules = [PriceRule {
            market: None,
            category: None,
            method: super::super::prices::Method::Percent(2_500),
            floor: None,
            cap: None,
        }];
        let fr = Market("france");
        assert_eq!(
            rate(Some(&card), &rules, fr, Some(Marketing), FreeEntryPoint, 0),
            Rated {
                cost: Some(0),
                price: Some(0)
            }
        );
        assert_eq!(
            rate(Some(&card), &rules, fr, Some(Marketing), Regular, 0),
            Rated {
                cost: Some(71_200),
                price: Some(89_000)
            }
        );
        assert_eq!(
            rate(None, &rules, fr, Some(Marketing), Regular, 0),
            Rated {
                cost: None,
                price: None
            },
            "no card yet"
        );
        assert_eq!(
            rate(Some(&card), &rules, fr, None, Regular, 0),
            Rated {
                cost: None,
                price: None
            },
            "unknown category"
        );
    }
}

//! Sell prices: markup rules over the cost card in force, or explicit prices, per category
//! and/or market, with floors and caps. The most specific rule wins (market and category,
//! then market, then category, then the catch-all); without a rule the price is the cost.

use super::category::Category;
use super::market::Market;
use super::money::{div_half_even, parse_micros, parse_scaled, AmountError, MAX_MICROS};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Method {
    /// Cost plus this many hundredths of a percent (1250 = +12.5 %; may be negative, ≥ −100 %).
    Percent(i64),
    /// Cost plus a fixed amount in micros.
    Fixed(i64),
    /// This price in micros whatever the cost.
    Price(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRule {
    pub market: Option<Market>,
    pub category: Option<Category>,
    pub method: Method,
    pub floor: Option<i64>,
    pub cap: Option<i64>,
}

impl PriceRule {
    fn specificity(&self) -> u8 {
        u8::from(self.market.is_some()) * 2 + u8::from(self.category.is_some())
    }

    fn applies(&self, market: Market, category: Category) -> bool {
        self.market.is_none_or(|m| m == market) && self.category.is_none_or(|c| c == category)
    }
}

/// The rule that prices `market` × `category`, if any.
pub fn rule_for(rules: &[PriceRule], market: Market, category: Category) -> Option<&PriceRule> {
    rules
        .iter()
        .filter(|r| r.applies(market, category))
        .max_by_key(|r| r.specificity())
}

/// The sell price in micros of one message costing `cost` micros.
pub fn sell_price(rules: &[PriceRule], market: Market, category: Category, cost: i64) -> i64 {
    let Some(rule) = rule_for(rules, market, category) else {
        return cost;
    };
    let raw = match rule.method {
        Method::Percent(bp) => i64::try_from(div_half_even(
            i128::from(cost) * i128::from(10_000 + bp),
            10_000,
        ))
        .unwrap_or(MAX_MICROS),
        Method::Fixed(add) => cost.saturating_add(add),
        Method::Price(p) => p,
    };
    let raw = rule.floor.map_or(raw, |f| raw.max(f));
    rule.cap.map_or(raw, |c| raw.min(c)).max(0)
}

/// What is wrong with one field of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleProblem {
    UnknownMarket,
    UnknownCategory,
    UnknownMethod,
    InvalidAmount(AmountError),
    /// A discount of more than 100 %.
    BelowZero,
    /// The floor is above the cap.
    FloorAboveCap,
    /// Two rules for the same market × category.
    Duplicate,
}

/// A rule as typed in a form: every field text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleForm {
    /// A market code or name, or empty for every market.
    pub market: String,
    /// A category code, or empty for every category.
    pub category: String,
    /// `percent`, `fixed` or `price`.
    pub method: String,
    pub value: String,
    pub floor: String,
    pub cap: String,
}

/// A rule's method and value: a percentage (two decimals, at least -100 %), a fixed amount
/// added, or a price.
fn read_method(i: usize, f: &RuleForm) -> Result<Method, (usize, &'static str, RuleProblem)> {
    match f.method.trim() {
        "percent" => {
            let t = f.value.trim();
            let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
            match parse_scaled(t, 2) {
                Ok(v) if neg && v > 10_000 => Err((i, "value", RuleProblem::BelowZero)),
                Ok(v) => Ok(Method::Percent(if neg { -v } else { v })),
                Err(e) => Err((i, "value", RuleProblem::InvalidAmount(e))),
            }
        }
        "fixed" => parse_micros(&f.value)
            .map(Method::Fixed)
            .map_err(|e| (i, "value", RuleProblem::InvalidAmount(e))),
        "price" => parse_micros(&f.value)
            .map(Method::Price)
            .map_err(|e| (i, "value", RuleProblem::InvalidAmount(e))),
        _ => Err((i, "method", RuleProblem::UnknownMethod)),
    }
}

/// Reads rule forms; `Err` lists (rule index, field, problem) for every bad field.
pub fn read_rules(
    forms: &[RuleForm],
) -> Result<Vec<PriceRule>, Vec<(usize, &'static str, RuleProblem)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, f) in forms.iter().enumerate() {
        let market = match f.market.trim() {
            "" | "*" => Some(None),
            m => Market::parse(m).map(Some),
        };
        if market.is_none() {
            errors.push((i, "market", RuleProblem::UnknownMarket));
        }
        let category = match f.category.trim() {
            "" | "*" => Some(None),
            c => Category::parse(c).map(Some),
        };
        if category.is_none() {
            errors.push((i, "category", RuleProblem::UnknownCategory));
        }
        let method = read_method(i, f);
        let bound = |raw: &str, field: &'static str| match raw.trim() {
            "" => Ok(None),
            t => parse_micros(t)
                .map(Some)
                .map_err(|e| (i, field, RuleProblem::InvalidAmount(e))),
        };
        let floor = bound(&f.floor, "floor");
        let cap = bound(&f.cap, "cap");
        if let (Ok(Some(lo)), Ok(Some(hi))) = (&floor, &cap) {
            if lo > hi {
                errors.push((i, "floor", RuleProblem::FloorAboveCap));
            }
        }
        for e in [
            method.as_ref().err(),
            floor.as_ref().err(),
            cap.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        {
            errors.push(*e);
        }
        if let (Some(market), Some(category), Ok(method), Ok(floor), Ok(cap)) =
            (market, category, method, floor, cap)
        {
            let rule = PriceRule {
                market,
                category,
                method,
                floor,
                cap,
            };
            if out
                .iter()
                .any(|r: &PriceRule| r.market == rule.market && r.category == rule.category)
            {
                errors.push((i, "market", RuleProblem::Duplicate));
            }
            out.push(rule);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One cell of the preview: what a message costs the BSP, what the tenant pays, the margin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewCell {
    pub market: Market,
    pub category: Category,
    pub cost: Option<i64>,
    pub price: Option<i64>,
}

impl PreviewCell {
    pub fn margin(&self) -> Option<i64> {
        Some(self.price? - self.cost?)
    }
}

/// Cost, price and margin for every market × card category at the first tier.
pub fn preview(
    cost: &super::card::Rates,
    rules: &[PriceRule],
    markets: &[Market],
) -> Vec<PreviewCell> {
    let mut out = Vec::new();
    for &market in markets {
        for category in Category::CARD {
            let cost = cost.rate(market, category, 0);
            out.push(PreviewCell {
                market,
                category,
                cost,
                price: cost.map(|c| sell_price(rules, market, category, c)),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(market: &str, category: &str, method: &str, value: &str) -> RuleForm {
        RuleForm {
            market: market.into(),
            category: category.into(),
            method: method.into(),
            value: value.into(),
            ..RuleForm::default()
        }
    }

    #[test]
    fn the_most_specific_rule_prices() {
        let rules = read_rules(&[
            form("", "", "percent", "20"),
            form("", "marketing", "percent", "10"),
            form("India", "", "fixed", "0.001"),
            form("India", "marketing", "price", "0.02"),
        ])
        .unwrap_or_default();
        let (de, india) = (Market("germany"), Market("india"));
        assert_eq!(
            sell_price(&rules, de, Category::Utility, 45_600),
            54_720,
            "catch-all +20 %"
        );
        assert_eq!(
            sell_price(&rules, de, Category::Marketing, 113_100),
            124_410,
            "category +10 %"
        );
        assert_eq!(
            sell_price(&rules, india, Category::Utility, 1_200),
            2_200,
            "market + fixed"
        );
        assert_eq!(
            sell_price(&rules, india, Category::Marketing, 9_900),
            20_000,
            "explicit price"
        );
        assert_eq!(
            sell_price(&[], de, Category::Utility, 45_600),
            45_600,
            "no rule: cost"
        );
    }

    #[test]
    fn percent_rounds_half_even_to_the_micro_and_floors_and_caps_clamp() {
        let r = |bp, floor, cap| {
            [PriceRule {
                market: None,
                category: None,
                method: Method::Percent(bp),
                floor,
                cap,
            }]
        };
        // 0.000005 × 1.1 = 0.0000055 → half to even: 0.000006 (5.5 → 6); 25 µ × 1.1 = 27.5 → 28; 15 × 1.1 = 16.5 → 16.
        assert_eq!(
            sell_price(&r(1_000, None, None), OTHER, Category::Utility, 5),
            6
        );
        assert_eq!(
            sell_price(&r(1_000, None, None), OTHER, Category::Utility, 15),
            16
        );
        assert_eq!(
            sell_price(&r(1_000, None, None), OTHER, Category::Utility, 25),
            28
        );
        assert_eq!(
            sell_price(&r(1_000, Some(1_000), None), OTHER, Category::Utility, 100),
            1_000,
            "floor"
        );
        assert_eq!(
            sell_price(&r(1_000, None, Some(50)), OTHER, Category::Utility, 100),
            50,
            "cap"
        );
        assert_eq!(
            sell_price(&r(-10_000, None, None), OTHER, Category::Utility, 100),
            0,
            "−100 % is free"
        );
    }
    use super::super::market::OTHER;

    #[test]
    fn bad_rules_are_reported_per_field() {
        let forms = [
            form("Atlantis", "marketing", "percent", "10"),
            form("", "sms", "percent", "10"),
            form("", "", "double", "10"),
            form("", "utility", "percent", "-150"),
            form("", "utility", "fixed", "abc"),
            RuleForm {
                floor: "0.2".into(),
                cap: "0.1".into(),
                ..form("France", "", "percent", "5")
            },
            form("France", "", "percent", "6"),
        ];
        let errors = read_rules(&forms).err().unwrap_or_default();
        assert_eq!(
            errors,
            vec![
                (0, "market", RuleProblem::UnknownMarket),
                (1, "category", RuleProblem::UnknownCategory),
                (2, "method", RuleProblem::UnknownMethod),
                (3, "value", RuleProblem::BelowZero),
                (
                    4,
                    "value",
                    RuleProblem::InvalidAmount(AmountError::NotANumber)
                ),
                (5, "floor", RuleProblem::FloorAboveCap),
                (6, "market", RuleProblem::Duplicate),
            ]
        );
    }

    #[test]
    fn preview_shows_margin_per_market_and_category() {
        let card = super::super::card::Rates(vec![super::super::card::Rate {
            market: Market("germany"),
            category: Category::Marketing,
            tier: super::super::card::Tier::ALL,
            micros: 100_000,
        }]);
        let rules = read_rules(&[form("", "", "percent", "15")]).unwrap_or_default();
        let cells = preview(&card, &rules, &[Market("germany")]);
        assert_eq!(cells.len(), Category::CARD.len());
        assert_eq!(cells[0].margin(), Some(15_000));
        assert_eq!(cells[1].cost, None, "utility not on the card");
    }
}

//! A tenant's billing: the month's confirmed usage by country and category (counts and
//! amounts at the tenant's prices), a daily series for the chart, the prices that apply.

use crate::{
    backend::{repo, scope::TenantScope},
    contract::{finance::*, AppError},
    domain::pricing::{
        category::Category,
        market::Market,
        money::{format_micros, format_minor, to_minor},
        prices::sell_price,
    },
};
use chrono::{Datelike, Months, NaiveDate};

/// One line of the month's usage as the tenant sees it.
fn usage_line(g: &repo::pricing::UsageGroup) -> UsageLine {
    UsageLine {
        country: g.country.clone().unwrap_or_default(),
        country_name: g
            .country
            .as_deref()
            .map(crate::domain::tenant::country_name)
            .unwrap_or_default(),
        market: Market::parse(&g.market).map_or_else(|| g.market.clone(), |m| m.name().to_owned()),
        category: g.category.clone().unwrap_or_default(),
        pricing_type: g.pricing_type.clone(),
        messages: g.messages,
        amount_minor: to_minor(g.price.unwrap_or(0), &g.currency),
        currency: g.currency.clone(),
        unpriced: g.pricing_type == "regular" && g.price.is_none(),
    }
}

/// Prices that apply today: the list in force over the card in force, first tier, per market
/// and category.
async fn prices_today(
    scope: &TenantScope,
    currency: &str,
    today: NaiveDate,
) -> Result<Vec<PriceRow>, AppError> {
    let db = scope.db();
    let card = repo::pricing::card_in_force(db, currency, today).await?;
    let list = repo::pricing::list_in_force(db, scope.tenant_id(), currency, today).await?;
    let mut prices = Vec::new();
    if let Some((_, _, rates)) = &card {
        let rules = list.as_ref().map(|l| l.1.as_slice()).unwrap_or_default();
        for m in Market::all_on(today) {
            let cells: Vec<Option<String>> = Category::CARD
                .iter()
                .map(|c| {
                    rates
                        .rate(m, *c, 0)
                        .map(|cost| format_micros(sell_price(rules, m, *c, cost)))
                })
                .collect();
            if cells.iter().any(Option::is_some) {
                prices.push(PriceRow {
                    market: m.name().to_owned(),
                    cells,
                });
            }
        }
    }
    Ok(prices)
}

/// The first day of `YYYY-MM`, or of the current month.
pub fn month_start(raw: Option<&str>, today: NaiveDate) -> NaiveDate {
    raw.and_then(|m| NaiveDate::parse_from_str(&format!("{}-01", m.trim()), "%Y-%m-%d").ok())
        .or_else(|| today.with_day(1))
        .unwrap_or(today)
}

pub async fn page(scope: &TenantScope, month: Option<&str>) -> Result<BillingPage, AppError> {
    let db = scope.db();
    let today = scope.state().now().date_naive();
    let from = month_start(month, today);
    let until = from.checked_add_months(Months::new(1)).unwrap_or(from);
    let currency = repo::pricing::tenant_currency(scope, db).await?;
    let groups = repo::pricing::tenant_usage(scope, db, from, until).await?;
    let mut lines: Vec<UsageLine> = groups.iter().map(usage_line).collect();
    lines.sort_by_key(|l| std::cmp::Reverse((l.amount_minor, l.messages)));
    // The total as the invoice will round it: per market × category, in the tenant's currency.
    let mut per_line: std::collections::BTreeMap<(&str, &str), i64> =
        std::collections::BTreeMap::new();
    for g in groups.iter().filter(|g| g.currency == currency) {
        *per_line
            .entry((g.market.as_str(), g.category.as_deref().unwrap_or("")))
            .or_default() += g.price.unwrap_or(0);
    }
    let total_minor: i64 = per_line.values().map(|m| to_minor(*m, &currency)).sum();
    let billable: i64 = groups
        .iter()
        .filter(|g| g.pricing_type == "regular")
        .map(|g| g.messages)
        .sum();
    let messages: i64 = groups.iter().map(|g| g.messages).sum();
    let daily = repo::pricing::tenant_daily(scope, db, from, until).await?;
    let days = (until - from).num_days();
    let series = (0..days)
        .filter_map(|i| from.checked_add_days(chrono::Days::new(u64::try_from(i).unwrap_or(0))))
        .map(|d| {
            let (n, p) = daily
                .iter()
                .find(|(day, ..)| *day == d)
                .map_or((0, 0), |(_, n, p)| (*n, p.unwrap_or(0)));
            DayPoint {
                day: d,
                messages: n,
                amount_minor: to_minor(p, &currency),
            }
        })
        .collect();
    let prices = prices_today(scope, &currency, today).await?;
    Ok(BillingPage {
        tenant: scope.tenant_id().to_string(),
        currency: currency.clone(),
        month: from.format("%Y-%m").to_string(),
        previous: from
            .checked_sub_months(Months::new(1))
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default(),
        next: (until <= today).then(|| until.format("%Y-%m").to_string()),
        lines,
        messages,
        billable,
        total: format_minor(total_minor, &currency),
        series,
        prices,
        invoices: super::invoicing::list(scope).await?,
    })
}

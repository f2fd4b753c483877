//! Rating: every message whose statuses carry pricing becomes one usage record — pending
//! when sent, confirmed by the first `delivered` or `read` (in any order), void when it
//! failed undelivered — with cost and price from the card and price list in force on its
//! delivery day in the WABA's time zone, and its position in the month's volume band.
//! Runs inside the status batch's transaction, so a status and its rating land together.

use crate::{
    api::AppError,
    backend::{repo, repo::pricing::UsageRow, scope::SystemScope},
    domain::{
        ids::TenantId,
        pricing::{
            card::Rates,
            category::{Category, PricingType},
            market::{Market, OTHER},
            prices::PriceRule,
            rating::{local_day, month_of, rate, time_zone, UsageState},
        },
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

type CardKey = (String, NaiveDate);
type ListKey = (Uuid, String, NaiveDate);

/// Versions in force, looked up once per batch.
#[derive(Default)]
struct Versions {
    cards: HashMap<CardKey, Option<(Uuid, Rates)>>,
    lists: HashMap<ListKey, Option<(Uuid, Vec<PriceRule>)>>,
}

impl Versions {
    async fn card(&mut self, db: &impl ConnectionTrait, currency: &str, day: NaiveDate) -> Result<Option<&(Uuid, Rates)>, AppError> {
        let key = (currency.to_owned(), day);
        if !self.cards.contains_key(&key) {
            let found = repo::pricing::card_in_force(db, currency, day).await?.map(|(id, _, r)| (id, r));
            self.cards.insert(key.clone(), found);
        }
        Ok(self.cards.get(&key).and_then(Option::as_ref))
    }

    async fn list(&mut self, db: &impl ConnectionTrait, tenant: Uuid, currency: &str, day: NaiveDate) -> Result<Option<&(Uuid, Vec<PriceRule>)>, AppError> {
        let key = (tenant, currency.to_owned(), day);
        if !self.lists.contains_key(&key) {
            let found = repo::pricing::list_in_force(db, TenantId(tenant), currency, day).await?;
            self.lists.insert(key.clone(), found);
        }
        Ok(self.lists.get(&key).and_then(Option::as_ref))
    }

    /// Cost and price of one charged or free message, with the versions' ids.
    async fn rate(&mut self, db: &impl ConnectionTrait, row: &mut UsageRow, kind: PricingType, category: Option<Category>, market: Market, day: NaiveDate, prior: i64) -> Result<(), AppError> {
        let card = self.card(db, &row.currency, day).await?.cloned();
        let list = self.list(db, row.tenant, &row.currency, day).await?.cloned();
        let rules = list.as_ref().map(|l| l.1.as_slice()).unwrap_or_default();
        let rated = rate(card.as_ref().map(|c| &c.1), rules, market, category, kind, prior);
        row.cost = rated.cost;
        row.price = rated.price;
        if kind == PricingType::Regular {
            row.cost_card = card.map(|c| c.0);
            row.price_list = list.map(|l| l.0);
        }
        Ok(())
    }
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
        (a, b) => a.or(b),
    }
}

/// Rates these messages (keys: phone number row, wamid) from their merged statuses.
/// Idempotent: a confirmed record never changes; the same statuses again write nothing new.
pub async fn rate_messages(scope: &SystemScope, db: &impl ConnectionTrait, keys: &[(Uuid, String)], now: DateTime<Utc>) -> Result<(), AppError> {
    let messages = repo::pricing::messages(scope, db, keys).await?;
    if messages.is_empty() {
        return Ok(());
    }
    let known = repo::pricing::usage_states(scope, db, keys).await?;
    let mut phones: Vec<Uuid> = messages.iter().map(|m| m.phone_row_id).collect();
    phones.sort_unstable();
    phones.dedup();
    let context = repo::pricing::phone_context(scope, db, phones).await?;
    let mut rows: Vec<(UsageRow, PricingType, Option<Category>, Market, Option<NaiveDate>)> = Vec::new();
    for m in messages {
        let before = known.get(&(m.phone_row_id, m.wamid.clone())).and_then(|s| UsageState::parse(s));
        if before == Some(UsageState::Confirmed) {
            continue;
        }
        let delivered = earliest(m.delivered_at, m.read_at);
        let state = UsageState::of(delivered.is_some(), m.failed_at.is_some());
        if before == Some(state) {
            continue;
        }
        let (tz, currency) = context.get(&m.phone_row_id).cloned().unwrap_or_else(|| ("UTC".into(), "EUR".into()));
        let day = delivered.or(m.sent_at).or(m.failed_at).unwrap_or(now);
        let day = local_day(day, time_zone(&tz));
        let market = m.recipient_country.as_deref().map_or(OTHER, |c| Market::of_region(c, day));
        let kind = PricingType::of_status(m.pricing_type.as_deref(), m.billable, m.category.as_deref()).unwrap_or(PricingType::Regular);
        let category = m.category.as_deref().and_then(Category::parse);
        let confirmed = state == UsageState::Confirmed;
        let row = UsageRow {
            tenant: m.tenant_id,
            phone: m.phone_row_id,
            wamid: m.wamid,
            state: state.code(),
            country: m.recipient_country,
            market: market.code(),
            category: m.category.map(|c| c.trim().to_ascii_lowercase().replace('-', "_")),
            pricing_type: kind.code(),
            pricing_model: m.pricing_model,
            delivered_at: delivered,
            delivered_on: confirmed.then_some(day),
            month: confirmed.then(|| month_of(day)),
            currency,
            cost: None,
            price: None,
            cost_card: None,
            price_list: None,
            tier_prior: None,
        };
        rows.push((row, kind, category, market, confirmed.then_some(day)));
    }
    // Band positions: one atomic bump per tenant × month × market × category, handed out in
    // delivery order.
    rows.sort_by(|a, b| (a.0.delivered_at, &a.0.wamid).cmp(&(b.0.delivered_at, &b.0.wamid)));
    let mut groups: HashMap<(Uuid, String, &'static str, Category), Vec<usize>> = HashMap::new();
    for (i, (row, kind, category, _, day)) in rows.iter().enumerate() {
        if let (PricingType::Regular, Some(c), Some(_), Some(month)) = (kind, category, day, &row.month) {
            groups.entry((row.tenant, month.clone(), row.market, *c)).or_default().push(i);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    for ((tenant, month, market, category), members) in groups {
        let k = i64::try_from(members.len()).unwrap_or(i64::MAX);
        let start = repo::pricing::bump_tier(scope, db, tenant, &month, market, category.code(), k).await?;
        for (n, i) in members.into_iter().enumerate() {
            if let Some(r) = rows.get_mut(i) {
                r.0.tier_prior = Some(start + i64::try_from(n).unwrap_or(0));
            }
        }
    }
    let mut versions = Versions::default();
    let mut out = Vec::with_capacity(rows.len());
    for (mut row, kind, category, market, day) in rows {
        if let Some(day) = day {
            let prior = row.tier_prior.unwrap_or(0);
            versions.rate(db, &mut row, kind, category, market, day, prior).await?;
        }
        out.push(row);
    }
    repo::pricing::upsert_usage(scope, db, &out, now).await
}

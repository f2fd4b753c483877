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
            rating::{local_day, month_of, rate, time_zone, Rated, UsageState},
        },
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

type CardKey = (String, NaiveDate);
type ListKey = (Uuid, String, NaiveDate);

/// Versions in force (cards per currency and day, price lists per tenant and day), looked up
/// once per batch: the one place rating, late pricing and re-rating price a message.
#[derive(Default)]
pub(crate) struct Versions {
    cards: HashMap<CardKey, Option<(Uuid, Rates)>>,
    lists: HashMap<ListKey, Option<(Uuid, Vec<PriceRule>)>>,
}

/// A message priced: cost and price, and the versions that priced it.
pub(crate) struct Priced {
    pub rated: Rated,
    pub card: Option<Uuid>,
    pub list: Option<Uuid>,
}

impl Versions {
    /// Cost and price of one message of `kind` delivered on `day`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn price(&mut self, db: &impl ConnectionTrait, tenant: Uuid, currency: &str, day: NaiveDate, market: Market, category: Option<Category>, kind: PricingType, prior: i64) -> Result<Priced, AppError> {
        let (card_key, list_key) = ((currency.to_owned(), day), (tenant, currency.to_owned(), day));
        if !self.cards.contains_key(&card_key) {
            let found = repo::pricing::card_in_force(db, currency, day).await?.map(|(id, _, r)| (id, r));
            self.cards.insert(card_key.clone(), found);
        }
        if !self.lists.contains_key(&list_key) {
            let found = repo::pricing::list_in_force(db, TenantId(tenant), currency, day).await?;
            self.lists.insert(list_key.clone(), found);
        }
        let card = self.cards.get(&card_key).and_then(Option::as_ref);
        let list = self.lists.get(&list_key).and_then(Option::as_ref);
        let rated = rate(card.map(|c| &c.1), list.map(|l| l.1.as_slice()).unwrap_or_default(), market, category, kind, prior);
        let charged = kind == PricingType::Regular;
        Ok(Priced { rated, card: card.filter(|_| charged).map(|c| c.0), list: list.filter(|_| charged).map(|l| l.0) })
    }

    async fn rate(&mut self, db: &impl ConnectionTrait, c: &mut Candidate, day: NaiveDate) -> Result<(), AppError> {
        let p = self.price(db, c.row.tenant, &c.row.currency.clone(), day, c.market, c.category, c.kind, c.row.tier_prior.unwrap_or(0)).await?;
        c.row.cost = p.rated.cost;
        c.row.price = p.rated.price;
        c.row.cost_card = p.card;
        c.row.price_list = p.list;
        Ok(())
    }
}

/// A message being rated.
struct Candidate {
    row: UsageRow,
    kind: PricingType,
    category: Option<Category>,
    market: Market,
    /// The delivery day, once confirmed.
    day: Option<NaiveDate>,
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
    let mut rows: Vec<Candidate> = Vec::new();
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
        rows.push(Candidate { row, kind, category, market, day: confirmed.then_some(day) });
    }
    // Band positions: one atomic bump per tenant × month × market × category, handed out in
    // delivery order.
    rows.sort_by(|a, b| (a.row.delivered_at, &a.row.wamid).cmp(&(b.row.delivered_at, &b.row.wamid)));
    let mut groups: HashMap<(Uuid, String, &'static str, Category), Vec<usize>> = HashMap::new();
    for (i, c) in rows.iter().enumerate() {
        if let (PricingType::Regular, Some(cat), Some(_), Some(month)) = (c.kind, c.category, c.day, &c.row.month) {
            groups.entry((c.row.tenant, month.clone(), c.row.market, cat)).or_default().push(i);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    for ((tenant, month, market, category), members) in groups {
        let k = i64::try_from(members.len()).unwrap_or(i64::MAX);
        let start = repo::pricing::bump_tier(scope, db, tenant, &month, market, category.code(), k).await?;
        for (n, i) in members.into_iter().enumerate() {
            if let Some(r) = rows.get_mut(i) {
                r.row.tier_prior = Some(start + i64::try_from(n).unwrap_or(0));
            }
        }
    }
    let mut versions = Versions::default();
    let mut out = Vec::with_capacity(rows.len());
    for mut c in rows {
        if let Some(day) = c.day {
            versions.rate(db, &mut c, day).await?;
        }
        out.push(c.row);
    }
    repo::pricing::upsert_usage(scope, db, &out, now).await
}

/// Prices the charged messages of `currency` that were confirmed while no card covered their
/// day (run when a card is published). Returns how many got a cost.
pub async fn price_unpriced(scope: &SystemScope, currency: &str) -> Result<usize, AppError> {
    let db = scope.db();
    let mut versions = Versions::default();
    let mut after = None;
    let mut priced = 0;
    loop {
        let batch = repo::pricing::unpriced(scope, db, currency, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        for u in batch {
            let (Some(day), Some(category)) = (u.delivered_on, u.category.as_deref().and_then(Category::parse)) else { continue };
            let market = Market::parse(&u.market).unwrap_or(OTHER);
            let p = versions.price(db, u.tenant_id, currency, day, market, Some(category), PricingType::Regular, u.tier_prior.unwrap_or(0)).await?;
            if let (Some(_), Some(_), Some(_)) = (p.rated.cost, p.rated.price, p.card) {
                let r = repo::pricing::NewRating { cost: p.rated.cost, price: p.rated.price, card: p.card, list: p.list };
                repo::pricing::set_rating(scope, db, u.id, &r, true, scope.state().now()).await?;
                priced += 1;
            }
        }
    }
    Ok(priced)
}

//! Rating: every message whose statuses carry pricing becomes one usage record — pending
//! when sent, confirmed by the first `delivered` or `read` (in any order), void when it
//! failed undelivered — with cost and price from the card and price list in force on its
//! delivery day in the WABA's time zone, and its position in the month's volume band.
//! Runs inside the status batch's transaction, so a status and its rating land together.

use crate::{
    backend::{
        cache::PricingVersions,
        repo::{
            self,
            pricing::{Message, UsageRow},
        },
        scope::{CrossTenant, SystemScope},
    },
    contract::AppError,
    domain::{
        ids::TenantId,
        pricing::{
            category::{Category, PricingType},
            market::{Market, OTHER},
            rating::{
                charge_conversations, conversation_based, local_day, month_of, rate, time_zone,
                Rated, UsageState,
            },
        },
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

/// A message priced: cost and price, and the versions that priced it.
pub(crate) struct Priced {
    pub rated: Rated,
    pub card: Option<Uuid>,
    pub list: Option<Uuid>,
}

impl PricingVersions {
    /// Cost and price of one message of `kind` delivered on `day`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn price(
        &mut self,
        db: &impl ConnectionTrait,
        tenant: Uuid,
        currency: &str,
        day: NaiveDate,
        market: Market,
        category: Option<Category>,
        kind: PricingType,
        prior: i64,
    ) -> Result<Priced, AppError> {
        let (card_key, list_key) = (
            (currency.to_owned(), day),
            (tenant, currency.to_owned(), day),
        );
        if !self.cards.contains_key(&card_key) {
            let found = repo::pricing::card_in_force(db, currency, day)
                .await?
                .map(|(id, _, r)| (id, r));
            self.cards.insert(card_key.clone(), found);
        }
        if !self.lists.contains_key(&list_key) {
            let found = repo::pricing::list_in_force(db, TenantId(tenant), currency, day).await?;
            self.lists.insert(list_key.clone(), found);
        }
        let card = self.cards.get(&card_key).and_then(Option::as_ref);
        let list = self.lists.get(&list_key).and_then(Option::as_ref);
        let rated = rate(
            card.map(|c| &c.1),
            list.map(|l| l.1.as_slice()).unwrap_or_default(),
            market,
            category,
            kind,
            prior,
        );
        let charged = kind == PricingType::Regular;
        Ok(Priced {
            rated,
            card: card.filter(|_| charged).map(|c| c.0),
            list: list.filter(|_| charged).map(|l| l.0),
        })
    }

    async fn rate(
        &mut self,
        db: &impl ConnectionTrait,
        c: &mut Candidate,
        day: NaiveDate,
    ) -> Result<(), AppError> {
        let p = self
            .price(
                db,
                c.row.tenant,
                &c.row.currency.clone(),
                day,
                c.market,
                c.category,
                c.kind,
                c.row.tier_prior.unwrap_or(0),
            )
            .await?;
        c.row.cost = p.rated.cost;
        c.row.price = p.rated.price;
        c.row.cost_card = p.card;
        c.row.price_list = p.list;
        Ok(())
    }
}

/// A message as a usage record to rate: its day in the WABA's time zone, market, pricing type
/// and category, and whether it is confirmed yet.
fn candidate(
    m: Message,
    delivered: Option<DateTime<Utc>>,
    state: UsageState,
    exists: bool,
    context: &HashMap<Uuid, (String, String)>,
    now: DateTime<Utc>,
) -> Candidate {
    let (tz, currency) = context
        .get(&m.phone_row_id)
        .cloned()
        .unwrap_or_else(|| ("UTC".into(), "EUR".into()));
    let day = delivered.or(m.sent_at).or(m.failed_at).unwrap_or(now);
    let day = local_day(day, time_zone(&tz));
    let market = m
        .recipient_country
        .as_deref()
        .map_or(OTHER, |c| Market::of_region(c, day));
    let kind = PricingType::of_status(m.pricing_type.as_deref(), m.billable, m.category.as_deref())
        .unwrap_or(PricingType::Regular);
    let category = m.category.as_deref().and_then(Category::parse);
    let confirmed = state == UsageState::Confirmed;
    let conversation = m.conversation_id.filter(|_| {
        kind == PricingType::Regular && conversation_based(m.pricing_model.as_deref(), day)
    });
    let row = UsageRow {
        tenant: m.tenant_id,
        phone: m.phone_row_id,
        wamid: m.wamid,
        state: state.code(),
        country: m.recipient_country,
        market: market.code(),
        category: m
            .category
            .map(|c| c.trim().to_ascii_lowercase().replace('-', "_")),
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
        conversation,
        exists,
    };
    Candidate {
        row,
        kind,
        category,
        market,
        day: confirmed.then_some(day),
    }
}

/// Band positions: every counter of the batch bumped in one statement (sorted, so two batches
/// lock them in the same order), handed out in delivery order.
async fn assign_bands(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    rows: &mut [Candidate],
) -> Result<(), AppError> {
    let mut groups: std::collections::BTreeMap<
        (Uuid, String, &'static str, &'static str),
        Vec<usize>,
    > = std::collections::BTreeMap::new();
    for (i, c) in rows.iter().enumerate() {
        if let (PricingType::Regular, Some(cat), Some(_), Some(month)) =
            (c.kind, c.category, c.day, &c.row.month)
        {
            groups
                .entry((c.row.tenant, month.clone(), c.row.market, cat.code()))
                .or_default()
                .push(i);
        }
    }
    let bumps: Vec<repo::pricing::TierBump> = groups
        .iter()
        .map(
            |((tenant, month, market, category), members)| repo::pricing::TierBump {
                tenant: *tenant,
                month: month.clone(),
                market: (*market).to_owned(),
                category: (*category).to_owned(),
                add: i64::try_from(members.len()).unwrap_or(i64::MAX),
            },
        )
        .collect();
    let starts = repo::pricing::bump_tiers(scope, db, &bumps).await?;
    for (members, start) in groups.into_values().zip(starts) {
        for (n, i) in members.into_iter().enumerate() {
            if let Some(r) = rows.get_mut(i) {
                r.row.tier_prior = Some(start + i64::try_from(n).unwrap_or(0));
            }
        }
    }
    Ok(())
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

/// Rates these messages from their merged statuses (as the status upsert returned them).
/// Idempotent: a confirmed record never changes; the same statuses again write nothing new.
/// Round trips for a batch, whatever its size, and none when nothing changes: the numbers'
/// context, one upsert of the band counters, the versions' stamp (the versions themselves are
/// read once per process), the usage upsert.
pub async fn rate_messages(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if messages.is_empty() {
        return Ok(());
    }
    // The record's state before: the status upsert worked it out from the stored row.
    let messages: Vec<(Message, Option<DateTime<Utc>>, UsageState, bool)> = messages
        .into_iter()
        .filter_map(|m| {
            let before = m.usage_before.as_deref().and_then(UsageState::parse);
            let delivered = earliest(m.delivered_at, m.read_at);
            let state = UsageState::of(delivered.is_some(), m.failed_at.is_some());
            UsageState::moves(before, state).then_some((m, delivered, state, before.is_some()))
        })
        .collect();
    if messages.is_empty() {
        return Ok(());
    }
    let mut phones: Vec<Uuid> = messages.iter().map(|m| m.0.phone_row_id).collect();
    phones.sort_unstable();
    phones.dedup();
    let context = repo::pricing::phone_context(scope, db, phones).await?;
    let mut rows: Vec<Candidate> = messages
        .into_iter()
        .map(|(m, delivered, state, exists)| candidate(m, delivered, state, exists, &context, now))
        .collect();
    rows.sort_by(|a, b| {
        (a.row.delivered_at, &a.row.wamid).cmp(&(b.row.delivered_at, &b.row.wamid))
    });
    charge_once_per_conversation(scope, db, &mut rows).await?;
    // Read before the bump: from the bump to the commit, batches of the same month wait.
    let stamp = repo::pricing::published_versions(db).await?;
    let mut versions = PricingVersions::take(&scope.state().versions, stamp);
    assign_bands(scope, db, &mut rows).await?;
    let mut out = Vec::with_capacity(rows.len());
    for mut c in rows {
        if let Some(day) = c.day {
            versions.rate(db, &mut c, day).await?;
        }
        out.push(c.row);
    }
    versions.keep(&scope.state().versions);
    repo::pricing::upsert_usage(scope, db, &out, now).await
}

/// Conversation-based pricing: of the messages of one conversation, the first delivered
/// carries the charge; the others, and any of a conversation charged in an earlier batch, are
/// free as `in_conversation` (still counted). `rows` are in delivery order. One read, and only
/// for batches that hold such messages. (A unique index backs it: a second charged record of a
/// conversation fails the batch, which is retried.)
async fn charge_once_per_conversation(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    rows: &mut [Candidate],
) -> Result<(), AppError> {
    let members: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.kind == PricingType::Regular && c.day.is_some() && c.row.conversation.is_some()
        })
        .map(|(i, _)| i)
        .collect();
    if members.is_empty() {
        return Ok(());
    }
    let keys: Vec<(Uuid, String)> = members
        .iter()
        .filter_map(|i| rows.get(*i))
        .filter_map(|c| Some((c.row.phone, c.row.conversation.clone()?)))
        .collect();
    let mut charged = repo::pricing::charged_conversations(scope, db, &keys).await?;
    for (i, carries) in members
        .into_iter()
        .zip(charge_conversations(&keys, &mut charged))
    {
        if let (false, Some(c)) = (carries, rows.get_mut(i)) {
            c.kind = PricingType::InConversation;
            c.row.pricing_type = PricingType::InConversation.code();
        }
    }
    Ok(())
}

/// Prices the charged messages of `currency` that were confirmed while no card covered their
/// day (run when a card is published). Returns how many got a cost.
pub async fn price_unpriced(scope: &impl CrossTenant, currency: &str) -> Result<usize, AppError> {
    let db = scope.db();
    let mut versions = PricingVersions::default();
    let mut after = None;
    let mut priced = 0;
    loop {
        let batch = repo::pricing::unpriced(scope, db, currency, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        for u in batch {
            let (Some(day), Some(category)) = (
                u.delivered_on,
                u.category.as_deref().and_then(Category::parse),
            ) else {
                continue;
            };
            let market = Market::parse(&u.market).unwrap_or(OTHER);
            let p = versions
                .price(
                    db,
                    u.tenant_id,
                    currency,
                    day,
                    market,
                    Some(category),
                    PricingType::Regular,
                    u.tier_prior.unwrap_or(0),
                )
                .await?;
            if let (Some(_), Some(_), Some(_)) = (p.rated.cost, p.rated.price, p.card) {
                let r = repo::pricing::NewRating {
                    cost: p.rated.cost,
                    price: p.rated.price,
                    card: p.card,
                    list: p.list,
                };
                repo::pricing::set_rating(scope, db, u.id, &r, true, scope.state().now()).await?;
                priced += 1;
            }
        }
    }
    Ok(priced)
}

/// What a template's move to another category would change of a tenant's monthly bill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryCost {
    /// Charged messages of the old category in the last 30 days (all the tenant's templates).
    pub messages: i64,
    pub currency: String,
    /// The same messages priced as the new category minus as the old, in minor units.
    pub difference_minor: i64,
}

/// The last 30 days' charged messages of `from`, by market, priced again as `to` with the card
/// and price list in force today. The platform does not say which template a message used, so
/// the volume is the whole category's: an upper bound for one template. `None` without usage
/// or prices.
pub async fn category_change_cost(
    ts: &crate::backend::scope::TenantScope,
    db: &impl ConnectionTrait,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Option<CategoryCost>, AppError> {
    let (Some(old), Some(new)) = (Category::parse(from), Category::parse(to)) else {
        return Ok(None);
    };
    let today = now.date_naive();
    let since = today - chrono::TimeDelta::days(30);
    // The invoice's own sums (charged, confirmed, per market × category × currency), of the old category.
    let rows: Vec<(String, String, i64)> =
        repo::invoices::line_sums(ts, db, since, today + chrono::TimeDelta::days(1))
            .await?
            .into_iter()
            .filter(|l| l.category.as_deref() == Some(old.code()))
            .map(|l| (l.market, l.currency, l.messages))
            .collect();
    let Some(currency) = rows.first().map(|r| r.1.clone()) else {
        return Ok(None);
    };
    let mut versions = PricingVersions::default();
    let (mut messages, mut micros) = (0i64, 0i64);
    for (market, cur, n) in rows.into_iter().filter(|r| r.1 == currency) {
        let market = Market::parse(&market).unwrap_or(OTHER);
        let was = versions
            .price(
                db,
                ts.tenant_id().0,
                &cur,
                today,
                market,
                Some(old),
                PricingType::Regular,
                0,
            )
            .await?
            .rated
            .price;
        let will = versions
            .price(
                db,
                ts.tenant_id().0,
                &cur,
                today,
                market,
                Some(new),
                PricingType::Regular,
                0,
            )
            .await?
            .rated
            .price;
        let (Some(was), Some(will)) = (was, will) else {
            continue;
        };
        messages += n;
        micros = micros.saturating_add((will - was).saturating_mul(n));
    }
    if messages == 0 {
        return Ok(None);
    }
    Ok(Some(CategoryCost {
        messages,
        difference_minor: crate::domain::pricing::money::to_minor(micros, &currency),
        currency,
    }))
}

impl CategoryCost {
    /// The sentence in the alert: "… up to +£12.34 a month at the last 30 days' volume …".
    pub fn sentence(&self, from: &str) -> String {
        let sign = if self.difference_minor >= 0 { "+" } else { "" };
        format!("at the last 30 days' {} volume ({} messages across the tenant's templates) up to {sign}{} a month", from.to_ascii_lowercase(), self.messages, crate::domain::pricing::money::display(self.difference_minor, &self.currency))
    }
}

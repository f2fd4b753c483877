//! Rate cards, price lists, usage records and tier counters. Cards and the default price
//! lists are the BSP's own (platform scope); usage records and tenant price lists are
//! tenant-owned: reads take a `TenantScope`, the rating job writes through its system scope.

use super::entities::{
    phone_number, price_list, rate_card, rate_card_rate, tenant, tier_counter, usage_record, waba,
};
use crate::{
    backend::scope::{CrossTenant, PlatformScope, SystemScope, TenantScope},
    contract::{AppError, ConflictReason},
    domain::{
        ids::TenantId,
        pricing::{
            card::{CardImport, Rate, Rates, RowError, Tier},
            category::Category,
            market::Market,
            prices::PriceRule,
        },
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

// ---------------------------------------------------------------- rate cards

/// What a staged card is made of.
pub struct CardDraft<'a> {
    pub effective_from: NaiveDate,
    /// The file as given.
    pub source: &'a str,
    pub note: &'a str,
    pub card: &'a CardImport,
}

/// Saves a read card as a draft (a new one, or replacing the rows of draft `id`).
pub async fn save_card_draft(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Option<Uuid>,
    draft: &CardDraft<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let CardDraft {
        effective_from,
        source,
        note,
        card,
    } = *draft;
    let errors =
        serde_json::to_string(&card.errors).map_err(|e| crate::backend::error::internal(&e))?;
    let rows = i32::try_from(card.rows).unwrap_or(i32::MAX);
    let id = match id {
        Some(id) => {
            let r = rate_card::Entity::update_many()
                .col_expr(
                    rate_card::Column::Currency,
                    Expr::value(card.currency.clone()),
                )
                .col_expr(
                    rate_card::Column::EffectiveFrom,
                    Expr::value(effective_from),
                )
                .col_expr(rate_card::Column::Source, Expr::value(source))
                .col_expr(rate_card::Column::Note, Expr::value(note))
                .col_expr(rate_card::Column::Errors, Expr::value(errors))
                .col_expr(rate_card::Column::Rows, Expr::value(rows))
                .filter(rate_card::Column::Id.eq(id))
                .filter(rate_card::Column::Status.eq(DRAFT))
                .exec(db)
                .await?;
            if r.rows_affected == 0 {
                return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
            }
            rate_card_rate::Entity::delete_many()
                .filter(rate_card_rate::Column::CardId.eq(id))
                .exec(db)
                .await?;
            id
        }
        None => {
            let id = Uuid::now_v7();
            rate_card::Entity::insert(rate_card::ActiveModel {
                id: Set(id),
                currency: Set(card.currency.clone()),
                effective_from: Set(effective_from),
                status: Set(DRAFT.into()),
                source: Set(source.to_owned()),
                note: Set(note.to_owned()),
                errors: Set(errors),
                rows: Set(rows),
                created_by: Set(scope.actor().user_id().map(|u| u.0)),
                created_at: Set(now),
                published_by: Set(None),
                published_at: Set(None),
            })
            .exec_without_returning(db)
            .await?;
            id
        }
    };
    for chunk in card.rates.0.chunks(500) {
        rate_card_rate::Entity::insert_many(chunk.iter().map(|r| rate_card_rate::ActiveModel {
            card_id: Set(id),
            market: Set(r.market.code().to_owned()),
            category: Set(r.category.code().to_owned()),
            tier_lower: Set(r.tier.lower),
            tier_upper: Set(r.tier.upper),
            rate_micros: Set(r.micros),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(id)
}

/// Publishes a draft without row errors. `Conflict` when it is not such a draft.
pub async fn publish_card(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = rate_card::Entity::update_many()
        .col_expr(rate_card::Column::Status, Expr::value(PUBLISHED))
        .col_expr(rate_card::Column::PublishedAt, Expr::value(now))
        .col_expr(
            rate_card::Column::PublishedBy,
            Expr::value(scope.actor().user_id().map(|u| u.0)),
        )
        .filter(rate_card::Column::Id.eq(id))
        .filter(rate_card::Column::Status.eq(DRAFT))
        .filter(rate_card::Column::Errors.eq("[]"))
        .filter(rate_card::Column::Currency.is_not_null())
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    Ok(())
}

/// Deletes a draft (published cards stay for ever: usage records name them).
pub async fn discard_card(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(), AppError> {
    let found = rate_card::Entity::find_by_id(id)
        .filter(rate_card::Column::Status.eq(DRAFT))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    rate_card_rate::Entity::delete_many()
        .filter(rate_card_rate::Column::CardId.eq(found.id))
        .exec(db)
        .await?;
    rate_card::Entity::delete_by_id(found.id).exec(db).await?;
    Ok(())
}

pub struct CardRow {
    pub id: Uuid,
    pub currency: Option<String>,
    pub effective_from: NaiveDate,
    pub status: String,
    pub note: String,
    pub source: String,
    pub errors: Vec<RowError>,
    pub rows: i32,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn card_row(m: rate_card::Model) -> CardRow {
    CardRow {
        errors: serde_json::from_str(&m.errors).unwrap_or_default(),
        id: m.id,
        currency: m.currency,
        effective_from: m.effective_from,
        status: m.status,
        note: m.note,
        source: m.source,
        rows: m.rows,
        created_at: m.created_at,
        published_at: m.published_at,
    }
}

pub async fn cards(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<CardRow>, AppError> {
    Ok(rate_card::Entity::find()
        .order_by_desc(rate_card::Column::EffectiveFrom)
        .order_by_desc(rate_card::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(card_row)
        .collect())
}

pub async fn card(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(CardRow, Rates), AppError> {
    let m = rate_card::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rates = card_rates(db, id).await?;
    Ok((card_row(m), rates))
}

async fn card_rates(db: &impl ConnectionTrait, id: Uuid) -> Result<Rates, AppError> {
    let rows = rate_card_rate::Entity::find()
        .filter(rate_card_rate::Column::CardId.eq(id))
        .all(db)
        .await?;
    Ok(Rates(
        rows.into_iter()
            .filter_map(|r| {
                Some(Rate {
                    market: Market::parse(&r.market)?,
                    category: Category::parse(&r.category)?,
                    tier: Tier {
                        lower: r.tier_lower,
                        upper: r.tier_upper,
                    },
                    micros: r.rate_micros,
                })
            })
            .collect(),
    ))
}

/// The published card of `currency` in force on `day`: the latest effective date on or
/// before it, and of those the last published.
pub async fn card_in_force(
    db: &impl ConnectionTrait,
    currency: &str,
    day: NaiveDate,
) -> Result<Option<(Uuid, NaiveDate, Rates)>, AppError> {
    let Some(m) = rate_card::Entity::find()
        .filter(rate_card::Column::Currency.eq(currency))
        .filter(rate_card::Column::Status.eq(PUBLISHED))
        .filter(rate_card::Column::EffectiveFrom.lte(day))
        .order_by_desc(rate_card::Column::EffectiveFrom)
        .order_by_desc(rate_card::Column::PublishedAt)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((m.id, m.effective_from, card_rates(db, m.id).await?)))
}

/// How many cards and price lists were ever published: they are never changed or removed once
/// published, so this moves exactly when the versions in force may have changed.
pub async fn published_versions(db: &impl ConnectionTrait) -> Result<i64, AppError> {
    // One statement (every rating batch asks); the status is a constant, not input.
    let sql = format!("SELECT (SELECT COUNT(*) FROM rate_cards WHERE status = '{PUBLISHED}') + (SELECT COUNT(*) FROM price_lists WHERE status = '{PUBLISHED}')");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?
        .ok_or_else(|| crate::backend::error::internal(&"no count returned"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The currencies that have a published card.
pub async fn card_currencies(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    let mut v: Vec<String> = rate_card::Entity::find()
        .select_only()
        .column(rate_card::Column::Currency)
        .filter(rate_card::Column::Status.eq(PUBLISHED))
        .distinct()
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    v.sort();
    Ok(v)
}

// ---------------------------------------------------------------- price lists

pub struct ListRow {
    pub id: Uuid,
    pub tenant: Option<TenantId>,
    pub tenant_name: Option<String>,
    pub currency: String,
    pub effective_from: NaiveDate,
    pub status: String,
    pub rules: Vec<PriceRule>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn list_row(m: price_list::Model, names: &HashMap<Uuid, String>) -> ListRow {
    ListRow {
        rules: serde_json::from_str(&m.rules).unwrap_or_default(),
        tenant_name: m.tenant_id.and_then(|t| names.get(&t).cloned()),
        id: m.id,
        tenant: m.tenant_id.map(TenantId),
        currency: m.currency,
        effective_from: m.effective_from,
        status: m.status,
        note: m.note,
        created_at: m.created_at,
        published_at: m.published_at,
    }
}

/// A price list to stage (the default of its currency when `tenant` is `None`).
pub struct NewPriceList<'a> {
    pub tenant: Option<TenantId>,
    pub currency: &'a str,
    pub effective_from: NaiveDate,
    pub rules: &'a [PriceRule],
    pub note: &'a str,
}

/// A new draft price list.
pub async fn insert_price_list(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    list: &NewPriceList<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let NewPriceList {
        tenant,
        currency,
        effective_from,
        rules,
        note,
    } = *list;
    let id = Uuid::now_v7();
    price_list::Entity::insert(price_list::ActiveModel {
        id: Set(id),
        tenant_id: Set(tenant.map(|t| t.0)),
        currency: Set(currency.to_owned()),
        effective_from: Set(effective_from),
        status: Set(DRAFT.into()),
        rules: Set(serde_json::to_string(rules).map_err(|e| crate::backend::error::internal(&e))?),
        note: Set(note.to_owned()),
        created_by: Set(scope.actor().user_id().map(|u| u.0)),
        created_at: Set(now),
        published_by: Set(None),
        published_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

async fn tenant_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.display_name))
        .collect())
}

pub async fn price_lists(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<ListRow>, AppError> {
    let rows = price_list::Entity::find()
        .order_by_desc(price_list::Column::EffectiveFrom)
        .order_by_desc(price_list::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?;
    let names = tenant_names(db, rows.iter().filter_map(|r| r.tenant_id).collect()).await?;
    Ok(rows.into_iter().map(|m| list_row(m, &names)).collect())
}

pub async fn price_list(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<ListRow, AppError> {
    let m = price_list::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let names = tenant_names(db, m.tenant_id.into_iter().collect()).await?;
    Ok(list_row(m, &names))
}

/// Publishes a draft whose effective date is today or later. `Conflict` otherwise.
pub async fn publish_price_list(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = price_list::Entity::update_many()
        .col_expr(price_list::Column::Status, Expr::value(PUBLISHED))
        .col_expr(price_list::Column::PublishedAt, Expr::value(now))
        .col_expr(
            price_list::Column::PublishedBy,
            Expr::value(scope.actor().user_id().map(|u| u.0)),
        )
        .filter(price_list::Column::Id.eq(id))
        .filter(price_list::Column::Status.eq(DRAFT))
        .filter(price_list::Column::EffectiveFrom.gte(today))
        .exec(db)
        .await?;
    if r.rows_affected == 0 {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    Ok(())
}

async fn list_in_force_for(
    db: &impl ConnectionTrait,
    tenant: Option<Uuid>,
    currency: &str,
    day: NaiveDate,
) -> Result<Option<(Uuid, Vec<PriceRule>)>, AppError> {
    let q = price_list::Entity::find()
        .filter(price_list::Column::Currency.eq(currency))
        .filter(price_list::Column::Status.eq(PUBLISHED))
        .filter(price_list::Column::EffectiveFrom.lte(day));
    let q = match tenant {
        Some(t) => q.filter(price_list::Column::TenantId.eq(t)),
        None => q.filter(price_list::Column::TenantId.is_null()),
    };
    Ok(q.order_by_desc(price_list::Column::EffectiveFrom)
        .order_by_desc(price_list::Column::PublishedAt)
        .one(db)
        .await?
        .map(|m| (m.id, serde_json::from_str(&m.rules).unwrap_or_default())))
}

/// The price list that applies to a tenant on a day: its own override, else the default
/// list of its currency.
pub async fn list_in_force(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    currency: &str,
    day: NaiveDate,
) -> Result<Option<(Uuid, Vec<PriceRule>)>, AppError> {
    match list_in_force_for(db, Some(tenant.0), currency, day).await? {
        Some(l) => Ok(Some(l)),
        None => list_in_force_for(db, None, currency, day).await,
    }
}

// ---------------------------------------------------------------- rating

/// A message's merged statuses, as rating reads them.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Message {
    pub tenant_id: Uuid,
    pub phone_row_id: Uuid,
    pub wamid: String,
    pub recipient_country: Option<String>,
    pub category: Option<String>,
    pub pricing_type: Option<String>,
    pub pricing_model: Option<String>,
    pub billable: Option<bool>,
    pub conversation_id: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// The state of the message's usage record before this upsert (`usage_before`: NULL when
    /// it has none).
    pub usage_before: Option<String>,
}

fn phones_of(keys: &[(Uuid, String)]) -> Vec<Uuid> {
    let mut p: Vec<Uuid> = keys.iter().map(|(p, _)| *p).collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// Of these (phone number, conversation) pairs, the ones already charged (conversation-based
/// pricing charges a conversation once).
pub async fn charged_conversations(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    keys: &[(Uuid, String)],
) -> Result<std::collections::BTreeSet<(Uuid, String)>, AppError> {
    use usage_record::Column as C;
    let mut out = std::collections::BTreeSet::new();
    for chunk in keys.chunks(400) {
        let rows: Vec<(Uuid, String)> = usage_record::Entity::find()
            .select_only()
            .columns([C::PhoneRowId, C::ConversationId])
            .filter(C::PhoneRowId.is_in(phones_of(chunk)))
            .filter(C::ConversationId.is_in(chunk.iter().map(|(_, c)| c.clone())))
            .filter(C::State.eq("confirmed"))
            .filter(C::PricingType.eq("regular"))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().filter(|k| chunk.contains(k)));
    }
    Ok(out)
}

/// Time zone (of the WABA) and currency (of the tenant) of each phone number: one statement.
pub async fn phone_context(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    phones: Vec<Uuid>,
) -> Result<HashMap<Uuid, (String, String)>, AppError> {
    if phones.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Option<String>, Option<String>)> = phone_number::Entity::find()
        .select_only()
        .column(phone_number::Column::Id)
        .column_as(
            Expr::col((waba::Entity, waba::Column::TimeZone)),
            "time_zone",
        )
        .column_as(
            Expr::col((tenant::Entity, tenant::Column::Currency)),
            "currency",
        )
        .join(
            JoinType::LeftJoin,
            phone_number::Entity::belongs_to(waba::Entity)
                .from(phone_number::Column::WabaRowId)
                .to(waba::Column::Id)
                .into(),
        )
        .join(
            JoinType::LeftJoin,
            phone_number::Entity::belongs_to(tenant::Entity)
                .from(phone_number::Column::TenantId)
                .to(tenant::Column::Id)
                .into(),
        )
        .filter(phone_number::Column::Id.is_in(phones))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, tz, currency)| {
            (
                id,
                (
                    tz.unwrap_or_else(|| "UTC".into()),
                    currency.unwrap_or_else(|| "EUR".into()),
                ),
            )
        })
        .collect())
}

/// A tenant's month × market × category band counter, and how many charged messages to add.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TierBump {
    pub tenant: Uuid,
    pub month: String,
    pub market: String,
    pub category: String,
    pub add: i64,
}

/// Adds charged messages to band counters — one statement for all of them — and returns each
/// counter's count before them, in the order given. Atomic per counter (an upsert that adds),
/// so two processes never hand out the same band position; callers pass the counters sorted
/// so that two batches lock them in the same order.
pub async fn bump_tiers(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    bumps: &[TierBump],
) -> Result<Vec<i64>, AppError> {
    use tier_counter::Column as C;
    if bumps.is_empty() {
        return Ok(Vec::new());
    }
    let models = bumps.iter().map(|b| tier_counter::ActiveModel {
        tenant_id: Set(b.tenant),
        month: Set(b.month.clone()),
        market: Set(b.market.clone()),
        category: Set(b.category.clone()),
        count: Set(b.add),
    });
    let mut q = tier_counter::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([C::TenantId, C::Month, C::Market, C::Category])
                .value(C::Count, Expr::cust("tier_counters.count + excluded.count"))
                .to_owned(),
        )
        .into_query();
    q.returning(Query::returning().columns([
        C::TenantId,
        C::Month,
        C::Market,
        C::Category,
        C::Count,
    ]));
    let mut after: HashMap<(Uuid, String, String, String), i64> = HashMap::new();
    for row in db.query_all(&q).await? {
        let m = tier_counter::Model::from_query_result(&row, "")?;
        after.insert((m.tenant_id, m.month, m.market, m.category), m.count);
    }
    bumps
        .iter()
        .map(|b| {
            let count = after
                .get(&(
                    b.tenant,
                    b.month.clone(),
                    b.market.clone(),
                    b.category.clone(),
                ))
                .copied()
                .ok_or_else(|| crate::backend::error::internal(&"band counter not returned"))?;
            Ok(count - b.add)
        })
        .collect()
}

/// One usage record to write.
#[derive(Clone, Debug)]
pub struct UsageRow {
    pub tenant: Uuid,
    pub phone: Uuid,
    pub wamid: String,
    pub state: &'static str,
    pub country: Option<String>,
    pub market: &'static str,
    pub category: Option<String>,
    pub pricing_type: &'static str,
    pub pricing_model: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub delivered_on: Option<NaiveDate>,
    pub month: Option<String>,
    pub currency: String,
    pub cost: Option<i64>,
    pub price: Option<i64>,
    pub cost_card: Option<Uuid>,
    pub price_list: Option<Uuid>,
    pub tier_prior: Option<i64>,
    /// Conversation-priced records only: the conversation charged once.
    pub conversation: Option<String>,
    /// The message already has a record (its status row said so): it is moved, not inserted.
    pub exists: bool,
}

/// Inserts records, or moves existing ones that are not confirmed yet: a confirmed record is
/// final (a message is billed once).
pub async fn upsert_usage(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    rows: &[UsageRow],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use usage_record::Column as C;
    if super::columnar::columnar(db) {
        return upsert_usage_columnar(db, rows, now).await;
    }
    for chunk in rows.chunks(400) {
        let models = chunk.iter().map(|r| usage_record::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(r.tenant),
            phone_row_id: Set(r.phone),
            wamid: Set(r.wamid.clone()),
            state: Set(r.state.into()),
            country: Set(r.country.clone()),
            market: Set(r.market.into()),
            category: Set(r.category.clone()),
            pricing_type: Set(r.pricing_type.into()),
            pricing_model: Set(r.pricing_model.clone()),
            delivered_at: Set(r.delivered_at),
            delivered_on: Set(r.delivered_on),
            month: Set(r.month.clone()),
            currency: Set(r.currency.clone()),
            cost_micros: Set(r.cost),
            price_micros: Set(r.price),
            cost_card_id: Set(r.cost_card),
            price_list_id: Set(r.price_list),
            tier_prior: Set(r.tier_prior),
            rated_at: Set(now),
            conversation_id: Set(r.conversation.clone()),
        });
        let cols = [
            C::State,
            C::Country,
            C::Market,
            C::Category,
            C::PricingType,
            C::PricingModel,
            C::DeliveredAt,
            C::DeliveredOn,
            C::Month,
            C::Currency,
            C::CostMicros,
            C::PriceMicros,
            C::CostCardId,
            C::PriceListId,
            C::TierPrior,
            C::ConversationId,
            C::RatedAt,
        ];
        let on_conflict = OnConflict::columns([C::PhoneRowId, C::Wamid])
            .update_columns(cols)
            .action_and_where(Expr::col((usage_record::Entity, C::State)).ne("confirmed"))
            .to_owned();
        usage_record::Entity::insert_many(models)
            .on_conflict(on_conflict)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// `upsert_usage` on PostgreSQL: the batch as columns. Records the status upsert said exist
/// (`UsageRow::exists`) are moved by a plain keyed `UPDATE` (no speculative insert, no
/// conflict handling: cheaper, and it runs while the batch holds its band counters); the others
/// are inserted, or moved if one appeared meanwhile. Should an existing one be missing after all,
/// it goes through the insert too: nothing is dropped.
async fn upsert_usage_columnar(
    db: &impl ConnectionTrait,
    rows: &[UsageRow],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (existing, new): (Vec<&UsageRow>, Vec<&UsageRow>) = rows.iter().partition(|r| r.exists);
    if !existing.is_empty() {
        let cols = usage_columns(&existing, false);
        let sets = USAGE_SET
            .split(", ")
            .map(|c| format!("{c} = k.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "UPDATE usage_records AS u SET {sets}, rated_at = $19::timestamptz \
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::date[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::uuid[], $16::uuid[], $17::int8[], $18::text[]) \
               AS k(phone_row_id, wamid, {USAGE_SET}) \
             WHERE u.phone_row_id = k.phone_row_id AND u.wamid = k.wamid AND u.state <> 'confirmed'"
        );
        let moved = db
            .execute_raw(super::columnar::statement(&sql, cols, [now.into()]))
            .await?
            .rows_affected();
        if moved != existing.len() as u64 {
            // Not what the status rows said (confirmed or missing meanwhile): the insert below
            // settles each one (a confirmed record is left as it is).
            tracing::warn!(
                expected = existing.len(),
                moved,
                "usage records not as their status rows said; written through the insert"
            );
            return insert_usage_columnar(db, &rows.iter().collect::<Vec<_>>(), now).await;
        }
    }
    insert_usage_columnar(db, &new, now).await
}

/// The columns a usage upsert sets, in the order of `usage_columns` after the keys.
const USAGE_SET: &str = "state, country, market, category, pricing_type, pricing_model, delivered_at, delivered_on, month, currency, cost_micros, price_micros, cost_card_id, price_list_id, tier_prior, conversation_id";

/// The batch as columns: with `ids`, a new id and the tenant first; then number, message id
/// and `USAGE_SET`.
fn usage_columns(rows: &[&UsageRow], ids: bool) -> Vec<super::columnar::Column> {
    use super::columnar::Column;
    let c = |width| Column::with_capacity(rows.len(), width);
    let (mut id, mut tenant, mut phone, mut wamid, mut state, mut country, mut market) =
        (c(36), c(36), c(36), c(40), c(9), c(2), c(14));
    let (mut category, mut kind, mut model, mut delivered_at, mut delivered_on, mut month) =
        (c(12), c(7), c(3), c(27), c(10), c(7));
    let (mut currency, mut cost, mut price, mut card, mut list, mut prior, mut conversation) =
        (c(3), c(6), c(6), c(36), c(36), c(4), c(0));
    for r in rows {
        if ids {
            id.uuid(Uuid::now_v7());
            tenant.uuid(r.tenant);
        }
        phone.uuid(r.phone);
        wamid.text(&r.wamid);
        state.text(r.state);
        country.opt_text(r.country.as_deref());
        market.text(r.market);
        category.opt_text(r.category.as_deref());
        kind.text(r.pricing_type);
        model.opt_text(r.pricing_model.as_deref());
        delivered_at.opt_time(r.delivered_at);
        delivered_on.opt_date(r.delivered_on);
        month.opt_text(r.month.as_deref());
        currency.text(&r.currency);
        cost.opt_int(r.cost);
        price.opt_int(r.price);
        card.opt_uuid(r.cost_card);
        list.opt_uuid(r.price_list);
        prior.opt_int(r.tier_prior);
        conversation.opt_text(r.conversation.as_deref());
    }
    let mut cols = if ids { vec![id, tenant] } else { Vec::new() };
    cols.extend([
        phone,
        wamid,
        state,
        country,
        market,
        category,
        kind,
        model,
        delivered_at,
        delivered_on,
        month,
        currency,
        cost,
        price,
        card,
        list,
        prior,
        conversation,
    ]);
    cols
}

/// Inserts records, or moves existing ones not confirmed yet (PostgreSQL).
async fn insert_usage_columnar(
    db: &impl ConnectionTrait,
    rows: &[&UsageRow],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let cols = usage_columns(rows, true);
    let sets = USAGE_SET
        .split(", ")
        .chain(["rated_at"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO usage_records (id, tenant_id, phone_row_id, wamid, {USAGE_SET}, rated_at) \
         SELECT k.*, $21::timestamptz \
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::date[], $13::text[], $14::text[], $15::int8[], $16::int8[], $17::uuid[], $18::uuid[], $19::int8[], $20::text[]) \
           AS k(id, tenant_id, phone_row_id, wamid, {USAGE_SET}) \
         ON CONFLICT (phone_row_id, wamid) DO UPDATE SET {sets} WHERE usage_records.state <> 'confirmed'"
    );
    db.execute_raw(super::columnar::statement(&sql, cols, [now.into()]))
        .await?;
    Ok(())
}

/// A confirmed, charged record still without a cost.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Unpriced {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub market: String,
    pub category: Option<String>,
    pub delivered_on: Option<NaiveDate>,
    pub tier_prior: Option<i64>,
}

/// The next `limit` unpriced records of `currency` after `after` (by id).
pub async fn unpriced(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    currency: &str,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Unpriced>, AppError> {
    use usage_record::Column as C;
    let mut q = usage_record::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::TenantId,
            C::Market,
            C::Category,
            C::DeliveredOn,
            C::TierPrior,
        ])
        .filter(C::Currency.eq(currency))
        .filter(C::State.eq("confirmed"))
        .filter(C::PricingType.eq("regular"))
        .filter(C::CostMicros.is_null());
    if let Some(a) = after {
        q = q.filter(C::Id.gt(a));
    }
    Ok(q.order_by_asc(C::Id)
        .limit(limit)
        .into_model::<Unpriced>()
        .all(db)
        .await?)
}

/// A confirmed, charged record as re-rating reads it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Rated {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub market: String,
    pub category: Option<String>,
    pub delivered_on: Option<NaiveDate>,
    pub tier_prior: Option<i64>,
    pub cost_micros: Option<i64>,
    pub price_micros: Option<i64>,
}

/// The next `limit` confirmed, charged records of `currency` delivered in [from, until).
pub async fn rated_between(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    currency: &str,
    from: NaiveDate,
    until: NaiveDate,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Rated>, AppError> {
    use usage_record::Column as C;
    let mut q = usage_record::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::TenantId,
            C::Market,
            C::Category,
            C::DeliveredOn,
            C::TierPrior,
            C::CostMicros,
            C::PriceMicros,
        ])
        .filter(C::Currency.eq(currency))
        .filter(C::State.eq("confirmed"))
        .filter(C::PricingType.eq("regular"))
        .filter(C::DeliveredOn.gte(from))
        .filter(C::DeliveredOn.lt(until));
    if let Some(a) = after {
        q = q.filter(C::Id.gt(a));
    }
    Ok(q.order_by_asc(C::Id)
        .limit(limit)
        .into_model::<Rated>()
        .all(db)
        .await?)
}

/// A record's new cost and price and the versions that priced them.
pub struct NewRating {
    pub cost: Option<i64>,
    pub price: Option<i64>,
    pub card: Option<Uuid>,
    pub list: Option<Uuid>,
}

/// Prices a record again (re-rating), or for the first time (`only_if_unpriced`: a late
/// card never touches a record that already has a cost).
pub async fn set_rating(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    id: Uuid,
    r: &NewRating,
    only_if_unpriced: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use usage_record::Column as C;
    let mut q = usage_record::Entity::update_many()
        .col_expr(C::CostMicros, Expr::value(r.cost))
        .col_expr(C::PriceMicros, Expr::value(r.price))
        .col_expr(C::CostCardId, Expr::value(r.card))
        .col_expr(C::PriceListId, Expr::value(r.list))
        .col_expr(C::RatedAt, Expr::value(now))
        .filter(C::Id.eq(id));
    if only_if_unpriced {
        q = q.filter(C::CostMicros.is_null());
    }
    q.exec(db).await?;
    Ok(())
}

// ---------------------------------------------------------------- reports

/// Usage grouped by country × market × category × pricing type.
#[derive(Clone, Debug, FromQueryResult)]
pub struct UsageGroup {
    pub tenant_id: Uuid,
    pub country: Option<String>,
    pub market: String,
    pub category: Option<String>,
    pub pricing_type: String,
    pub currency: String,
    pub messages: i64,
    pub cost: Option<i64>,
    pub price: Option<i64>,
    pub cost_card_id: Option<Uuid>,
    pub price_list_id: Option<Uuid>,
}

/// What to report on.
#[derive(Clone, Debug, Default)]
pub struct UsageFilter {
    pub from: Option<NaiveDate>,
    /// Exclusive.
    pub until: Option<NaiveDate>,
    pub tenant: Option<Uuid>,
    pub country: Option<String>,
    pub market: Option<String>,
    pub category: Option<String>,
}

fn grouped(filter: &UsageFilter) -> sea_orm::Select<usage_record::Entity> {
    use usage_record::Column as C;
    let mut q = usage_record::Entity::find()
        .select_only()
        .columns([
            C::TenantId,
            C::Country,
            C::Market,
            C::Category,
            C::PricingType,
            C::Currency,
        ])
        .column_as(Expr::col(C::Id).count(), "messages")
        .column_as(Expr::cust("CAST(SUM(cost_micros) AS BIGINT)"), "cost")
        .column_as(Expr::cust("CAST(SUM(price_micros) AS BIGINT)"), "price")
        .columns([C::CostCardId, C::PriceListId])
        .filter(C::State.eq("confirmed"));
    if let Some(f) = filter.from {
        q = q.filter(C::DeliveredOn.gte(f));
    }
    if let Some(u) = filter.until {
        q = q.filter(C::DeliveredOn.lt(u));
    }
    if let Some(t) = filter.tenant {
        q = q.filter(C::TenantId.eq(t));
    }
    if let Some(c) = &filter.country {
        q = q.filter(C::Country.eq(c.clone()));
    }
    if let Some(m) = &filter.market {
        q = q.filter(C::Market.eq(m.clone()));
    }
    if let Some(c) = &filter.category {
        q = q.filter(C::Category.eq(c.clone()));
    }
    q.group_by(C::TenantId)
        .group_by(C::Country)
        .group_by(C::Market)
        .group_by(C::Category)
        .group_by(C::PricingType)
        .group_by(C::Currency)
        .group_by(C::CostCardId)
        .group_by(C::PriceListId)
        .order_by_asc(C::TenantId)
        .order_by_asc(C::Country)
        .order_by_asc(C::Market)
        .order_by_asc(C::Category)
        .order_by_asc(C::PricingType)
}

/// A tenant's confirmed usage in a period, grouped.
pub async fn tenant_usage(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<UsageGroup>, AppError> {
    let f = UsageFilter {
        from: Some(from),
        until: Some(until),
        tenant: Some(scope.tenant_id().0),
        ..UsageFilter::default()
    };
    Ok(grouped(&f).into_model::<UsageGroup>().all(db).await?)
}

/// Everyone's confirmed usage, grouped (finance).
pub async fn usage_groups(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    filter: &UsageFilter,
) -> Result<Vec<UsageGroup>, AppError> {
    Ok(grouped(filter).into_model::<UsageGroup>().all(db).await?)
}

/// Everyone's confirmed usage, grouped, as a stream (the export).
pub async fn usage_stream<'a>(
    _scope: &PlatformScope,
    db: &'a sea_orm::DatabaseConnection,
    filter: &UsageFilter,
) -> Result<impl futures_util::Stream<Item = Result<UsageGroup, AppError>> + 'a, AppError> {
    use futures_util::StreamExt;
    Ok(grouped(filter)
        .into_model::<UsageGroup>()
        .stream(db)
        .await?
        .map(|r| r.map_err(AppError::from)))
}

/// A tenant's confirmed messages and amount per day (for the chart).
pub async fn tenant_daily(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, Option<i64>)>, AppError> {
    use usage_record::Column as C;
    Ok(usage_record::Entity::find()
        .select_only()
        .column(C::DeliveredOn)
        .column_as(Expr::col(C::Id).count(), "messages")
        .column_as(Expr::cust("CAST(SUM(price_micros) AS BIGINT)"), "price")
        .filter(C::TenantId.eq(scope.tenant_id().0))
        .filter(C::State.eq("confirmed"))
        .filter(C::DeliveredOn.gte(from))
        .filter(C::DeliveredOn.lt(until))
        .group_by(C::DeliveredOn)
        .order_by_asc(C::DeliveredOn)
        .into_tuple::<(NaiveDate, i64, Option<i64>)>()
        .all(db)
        .await?)
}

/// Every tenant's (id, name, currency), for choosing whom a price list is for.
pub async fn tenant_choices(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, String, String)>, AppError> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::DisplayName)
        .limit(2_000)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.display_name, t.currency))
        .collect())
}

/// The tenant's currency.
pub async fn tenant_currency(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<String, AppError> {
    Ok(tenant::Entity::find_by_id(scope.tenant_id().0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .currency)
}

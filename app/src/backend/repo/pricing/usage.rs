//! Usage records: written in bulk by the rating job (columnar statements on PostgreSQL),
//! read back for late pricing and re-rating.

use super::common::*;

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
    if super::super::columnar::columnar(db) {
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
            .execute_raw(super::super::columnar::statement(&sql, cols, [now.into()]))
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
fn usage_columns(rows: &[&UsageRow], ids: bool) -> Vec<super::super::columnar::Column> {
    use super::super::columnar::Column;
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
    db.execute_raw(super::super::columnar::statement(&sql, cols, [now.into()]))
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

//! What rating reads: the messages to rate, their numbers' context, charged
//! conversations, and the monthly tier counters.

use super::common::*;

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

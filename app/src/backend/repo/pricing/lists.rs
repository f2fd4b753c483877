//! Price lists: what the BSP charges (a default list, or one per tenant), in force from a
//! day.

use super::common::*;

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

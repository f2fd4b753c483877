//! Usage reports: a tenant's usage and daily totals, every tenant's grouped (finance), and the
//! export's per-tenant reads.

use super::super::scoped;
use super::common::*;

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
    confirmed(filter)
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
        .group_by(C::TenantId)
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

/// Confirmed usage records under `filter`.
fn confirmed(filter: &UsageFilter) -> sea_orm::Select<usage_record::Entity> {
    use usage_record::Column as C;
    let mut q = usage_record::Entity::find().filter(C::State.eq("confirmed"));
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
    q
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

/// The tenants with confirmed usage under `filter`, in the export's order (by id).
pub async fn usage_tenants(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    filter: &UsageFilter,
) -> Result<Vec<Uuid>, AppError> {
    use usage_record::Column as C;
    Ok(confirmed(filter)
        .select_only()
        .column(C::TenantId)
        .distinct()
        .order_by_asc(C::TenantId)
        .into_tuple()
        .all(db)
        .await?)
}

/// One tenant's groups of the export (every row read at once: the connection goes back to
/// the pool before a slow client is sent anything).
pub async fn usage_of_tenant(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    filter: &UsageFilter,
    tenant: Uuid,
) -> Result<Vec<UsageGroup>, AppError> {
    let f = UsageFilter {
        tenant: Some(tenant),
        ..filter.clone()
    };
    Ok(grouped(&f).into_model::<UsageGroup>().all(db).await?)
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
        .filter(scoped::of::<usage_record::Entity>(scope))
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

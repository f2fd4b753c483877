//! Imports of the platform's own cost figures and their rows (the BSP's own data: platform
//! scope), grouped for the variance against rated usage.

use super::entities::{cost_import, platform_cost};
use crate::{
    backend::scope::PlatformScope, contract::AppError, domain::pricing::reconcile::AnalyticsError,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub struct ImportRow {
    pub id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub rows: i32,
    pub errors: Vec<AnalyticsError>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

fn row(m: cost_import::Model) -> ImportRow {
    ImportRow {
        errors: serde_json::from_str(&m.errors).unwrap_or_default(),
        id: m.id,
        period_start: m.period_start,
        period_end: m.period_end,
        rows: m.rows,
        note: m.note,
        created_at: m.created_at,
    }
}

/// One platform figure, resolved to its tenant.
pub struct NewCost {
    pub line: i32,
    pub tenant: Uuid,
    pub waba_id: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub country: String,
    pub pricing_type: String,
    pub category: String,
    pub volume: i64,
    pub cost_micros: i64,
}

pub async fn insert(
    scope: &PlatformScope,
    db: &impl ConnectionTrait,
    period: (NaiveDate, NaiveDate),
    costs: &[NewCost],
    errors: &[AnalyticsError],
    note: &str,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    cost_import::Entity::insert(cost_import::ActiveModel {
        id: Set(id),
        period_start: Set(period.0),
        period_end: Set(period.1),
        rows: Set(i32::try_from(costs.len()).unwrap_or(i32::MAX)),
        errors: Set(serde_json::to_string(errors).unwrap_or_else(|_| "[]".into())),
        note: Set(note.to_owned()),
        created_by: Set(scope.actor().user_id().map(|u| u.0)),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    for chunk in costs.chunks(500) {
        platform_cost::Entity::insert_many(chunk.iter().map(|c| platform_cost::ActiveModel {
            import_id: Set(id),
            line: Set(c.line),
            tenant_id: Set(c.tenant),
            waba_id: Set(c.waba_id.clone()),
            period_start: Set(c.start),
            period_end: Set(c.end),
            country: Set(c.country.clone()),
            pricing_type: Set(c.pricing_type.clone()),
            category: Set(c.category.clone()),
            volume: Set(c.volume),
            cost_micros: Set(c.cost_micros),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(id)
}

pub async fn list(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<ImportRow>, AppError> {
    Ok(cost_import::Entity::find()
        .order_by_desc(cost_import::Column::CreatedAt)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .map(row)
        .collect())
}

pub async fn get(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<ImportRow, AppError> {
    cost_import::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(row)
        .ok_or(AppError::NotFound)
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct CostGroup {
    pub tenant_id: Uuid,
    pub country: String,
    pub pricing_type: String,
    pub category: String,
    pub volume: i64,
    pub cost: i64,
}

/// An import's figures per tenant × country × pricing type × category.
pub async fn groups(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<CostGroup>, AppError> {
    use platform_cost::Column as C;
    Ok(platform_cost::Entity::find()
        .select_only()
        .columns([C::TenantId, C::Country, C::PricingType, C::Category])
        .column_as(Expr::cust("CAST(SUM(volume) AS BIGINT)"), "volume")
        .column_as(Expr::cust("CAST(SUM(cost_micros) AS BIGINT)"), "cost")
        .filter(C::ImportId.eq(id))
        .group_by(C::TenantId)
        .group_by(C::Country)
        .group_by(C::PricingType)
        .group_by(C::Category)
        .into_model::<CostGroup>()
        .all(db)
        .await?)
}

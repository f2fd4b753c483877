//! The link domains a tenant declares; staff verify them (the lint trusts verified ones).

use super::entities::tenant_domain;
use super::scoped;
use crate::{
    backend::scope::TenantScope,
    contract::{AppError, DomainRow},
    domain::ids::UserId,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

pub async fn list(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<DomainRow>, AppError> {
    Ok(scoped::find::<tenant_domain::Entity>(scope)
        .order_by_asc(tenant_domain::Column::Domain)
        .all(db)
        .await?
        .into_iter()
        .map(|d| DomainRow {
            id: d.id,
            domain: d.domain,
            verified_at: d.verified_at,
        })
        .collect())
}

/// The verified ones, as the lint wants them.
pub async fn verified(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<String>, AppError> {
    Ok(list(scope, db)
        .await?
        .into_iter()
        .filter(|d| d.verified_at.is_some())
        .map(|d| d.domain)
        .collect())
}

pub async fn exists(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    domain: &str,
) -> Result<bool, AppError> {
    Ok(scoped::find::<tenant_domain::Entity>(scope)
        .filter(tenant_domain::Column::Domain.eq(domain))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    domain: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<uuid::Uuid, AppError> {
    let id = uuid::Uuid::now_v7();
    tenant_domain::Entity::insert(tenant_domain::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id().0),
        domain: Set(domain.to_owned()),
        verified_by: Set(None),
        verified_at: Set(None),
        created_by: Set(by.map(|u| u.0)),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Marks a domain verified (or not, `None`); returns its name.
pub async fn set_verified(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
    by: Option<(UserId, DateTime<Utc>)>,
) -> Result<String, AppError> {
    let d = tenant_domain::Entity::find_by_id(id)
        .filter(scoped::of::<tenant_domain::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    tenant_domain::Entity::update_many()
        .col_expr(
            tenant_domain::Column::VerifiedBy,
            Expr::value(by.map(|(u, _)| u.0)),
        )
        .col_expr(
            tenant_domain::Column::VerifiedAt,
            Expr::value(by.map(|(_, at)| at)),
        )
        .filter(tenant_domain::Column::Id.eq(id))
        .filter(scoped::of::<tenant_domain::Entity>(scope))
        .exec(db)
        .await?;
    Ok(d.domain)
}

/// Removes a domain; returns its name.
pub async fn delete(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<String, AppError> {
    let d = tenant_domain::Entity::find_by_id(id)
        .filter(scoped::of::<tenant_domain::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    tenant_domain::Entity::delete_many()
        .filter(tenant_domain::Column::Id.eq(id))
        .filter(scoped::of::<tenant_domain::Entity>(scope))
        .exec(db)
        .await?;
    Ok(d.domain)
}

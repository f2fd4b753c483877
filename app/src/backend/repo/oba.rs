//! Requests for the verified badge, per phone number (tenant-owned). The newest request of a
//! number is the live one; older ones are kept as its history.

use super::entities::{oba_request, phone_number};
use super::scoped;
use crate::{
    backend::{
        error::{stored, stored_json},
        scope::TenantScope,
    },
    contract::{AppError, ConflictReason},
    domain::{
        ids::{PhoneNumberRowId, UserId},
        profile::oba::{ObaRequest, ObaStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

#[derive(Clone, Debug)]
pub struct ObaRow {
    pub id: uuid::Uuid,
    pub phone: PhoneNumberRowId,
    pub status: ObaStatus,
    pub request: ObaRequest,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

fn row(r: oba_request::Model) -> Result<ObaRow, AppError> {
    Ok(ObaRow {
        id: r.id,
        phone: PhoneNumberRowId(r.phone_row_id),
        status: stored(ObaStatus::parse(&r.status), "oba_requests", r.id, &r.status)?,
        request: stored_json(&r.content, "oba_requests", r.id)?,
        reason: r.reason,
        created_at: r.created_at,
        updated_at: r.updated_at,
        decided_at: r.decided_at,
        decided_by: r.decided_by,
    })
}

/// Every request of the number, newest first.
pub async fn history(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
) -> Result<Vec<ObaRow>, AppError> {
    scoped::find::<oba_request::Entity>(scope)
        .filter(oba_request::Column::PhoneRowId.eq(phone.0))
        .order_by_desc(oba_request::Column::CreatedAt)
        .order_by_desc(oba_request::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(row)
        .collect()
}

pub async fn insert(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    req: &ObaRequest,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<uuid::Uuid, AppError> {
    let id = uuid::Uuid::now_v7();
    oba_request::Entity::insert(oba_request::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id().0),
        phone_row_id: Set(phone.0),
        status: Set(ObaStatus::Draft.code().into()),
        content: Set(serde_json::to_string(req).map_err(|e| crate::backend::error::internal(&e))?),
        reason: Set(None),
        created_by: Set(by.map(|u| u.0)),
        created_at: Set(now),
        updated_at: Set(now),
        decided_at: Set(None),
        decided_by: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Moves request `id` from `from` to `to` (optionally replacing its content); 0 rows (someone
/// moved it first) is a `Conflict`.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
    from: ObaStatus,
    to: ObaStatus,
    content: Option<&ObaRequest>,
    reason: Option<&str>,
    decided_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut q = oba_request::Entity::update_many()
        .col_expr(oba_request::Column::Status, Expr::value(to.code()))
        .col_expr(oba_request::Column::UpdatedAt, Expr::value(now))
        .filter(oba_request::Column::Id.eq(id))
        .filter(scoped::of::<oba_request::Entity>(scope))
        .filter(oba_request::Column::Status.eq(from.code()));
    if let Some(c) = content {
        q = q.col_expr(
            oba_request::Column::Content,
            Expr::value(serde_json::to_string(c).map_err(|e| crate::backend::error::internal(&e))?),
        );
    }
    if matches!(to, ObaStatus::Approved | ObaStatus::Rejected) {
        q = q
            .col_expr(
                oba_request::Column::Reason,
                Expr::value(reason.map(|r| r.chars().take(2000).collect::<String>())),
            )
            .col_expr(oba_request::Column::DecidedAt, Expr::value(now))
            .col_expr(
                oba_request::Column::DecidedBy,
                Expr::value(decided_by.map(|d| d.chars().take(200).collect::<String>())),
            );
    }
    if q.exec(db).await?.rows_affected != 1 {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    Ok(())
}

/// The phone numbers (row ids) of a tenant whose platform id is `phone_number_id`, or all of
/// the tenant's numbers with a submitted request when the platform names the business.
pub async fn submitted_for(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone_number_id: Option<&str>,
) -> Result<Vec<(PhoneNumberRowId, uuid::Uuid)>, AppError> {
    let mut phones = scoped::find::<phone_number::Entity>(scope);
    if let Some(p) = phone_number_id {
        phones = phones.filter(phone_number::Column::PhoneNumberId.eq(p));
    }
    let ids: Vec<uuid::Uuid> = phones.all(db).await?.into_iter().map(|p| p.id).collect();
    Ok(scoped::find::<oba_request::Entity>(scope)
        .filter(oba_request::Column::PhoneRowId.is_in(ids))
        .filter(oba_request::Column::Status.eq(ObaStatus::Submitted.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (PhoneNumberRowId(r.phone_row_id), r.id))
        .collect())
}

/// The newest request's status of every number that has one (the staff overview).
pub async fn latest_statuses(
    _scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<uuid::Uuid, ObaStatus>, AppError> {
    let rows = oba_request::Entity::find()
        .order_by_asc(oba_request::Column::CreatedAt)
        .order_by_asc(oba_request::Column::Id)
        .all(db)
        .await?;
    // Ascending: a later request of the same number overwrites an earlier one.
    rows.into_iter()
        .map(|r| {
            Ok((
                r.phone_row_id,
                stored(ObaStatus::parse(&r.status), "oba_requests", r.id, &r.status)?,
            ))
        })
        .collect()
}

//! Business profiles per phone number and their versions (tenant-owned).

use super::entities::{
    business_profile, business_profile_version, phone_number, tenant_checklist, user,
};
use super::scoped;
use crate::{
    backend::{error::stored_json, scope::TenantScope},
    contract::{AppError, ConflictReason, PhoneNumberInfo},
    domain::{
        ids::{PhoneNumberRowId, UserId},
        profile::Profile,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

/// The scope's phone number, or `NotFound`.
pub async fn phone(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
) -> Result<PhoneNumberInfo, AppError> {
    let p = phone_number::Entity::find_by_id(id.0)
        .filter(scoped::of::<phone_number::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PhoneNumberInfo {
        id,
        number: p.number,
        country: p.country,
        phone_number_id: p.phone_number_id,
        display_name: p.display_name,
    })
}

/// The current profile: (version, profile, sync status, last sync error); `None` if never saved.
pub async fn current(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
) -> Result<Option<(i32, Profile, String, Option<String>)>, AppError> {
    let row = business_profile::Entity::find_by_id(id.0)
        .filter(scoped::of::<business_profile::Entity>(scope))
        .one(db)
        .await?;
    row.map(|r| {
        Ok((
            r.version,
            stored_json(&r.content, "business_profiles", r.phone_row_id)?,
            r.sync_status,
            r.sync_error,
        ))
    })
    .transpose()
}

/// A saved profile due to be sent to the platform, leased to one sender.
pub struct DueProfile {
    pub tenant: crate::domain::ids::TenantId,
    pub phone: PhoneNumberRowId,
    pub phone_number_id: String,
    pub version: i32,
    pub attempts: i32,
    pub profile: Profile,
}

/// Leases up to `limit` profiles due for sending (moving `sync_next_at` by `lease`).
pub async fn lease_due(
    _scope: &crate::backend::scope::SystemScope,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: chrono::TimeDelta,
    limit: u64,
) -> Result<Vec<DueProfile>, AppError> {
    use sea_orm::QuerySelect;
    let due = business_profile::Entity::find()
        .filter(business_profile::Column::SyncNextAt.lte(now))
        .order_by_asc(business_profile::Column::SyncNextAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in due {
        let leased = business_profile::Entity::update_many()
            .col_expr(
                business_profile::Column::SyncNextAt,
                Expr::value(now + lease),
            )
            .filter(business_profile::Column::PhoneRowId.eq(r.phone_row_id))
            .filter(business_profile::Column::SyncNextAt.eq(r.sync_next_at))
            .exec(db)
            .await?;
        if leased.rows_affected != 1 {
            continue;
        }
        let Some(p) = phone_number::Entity::find_by_id(r.phone_row_id)
            .one(db)
            .await?
        else {
            continue;
        };
        out.push(DueProfile {
            tenant: crate::domain::ids::TenantId(r.tenant_id),
            phone: PhoneNumberRowId(r.phone_row_id),
            phone_number_id: p.phone_number_id,
            version: r.version,
            attempts: r.sync_attempts,
            profile: stored_json(&r.content, "business_profiles", r.phone_row_id)?,
        });
    }
    Ok(out)
}

/// Records the outcome of sending `version` (ignored if a newer version was saved meanwhile:
/// that one is sent on its own).
pub async fn sync_outcome(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
    version: i32,
    error: Option<&str>,
    next: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let (status, attempts) = match error {
        None => ("synced", Expr::value(0)),
        Some(_) => (
            "failed",
            Expr::col(business_profile::Column::SyncAttempts).add(1),
        ),
    };
    business_profile::Entity::update_many()
        .col_expr(business_profile::Column::SyncStatus, Expr::value(status))
        .col_expr(
            business_profile::Column::SyncError,
            Expr::value(error.map(|e| e.chars().take(2000).collect::<String>())),
        )
        .col_expr(business_profile::Column::SyncAttempts, attempts)
        .col_expr(business_profile::Column::SyncNextAt, Expr::value(next))
        .filter(business_profile::Column::PhoneRowId.eq(id.0))
        .filter(scoped::of::<business_profile::Entity>(scope))
        .filter(business_profile::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(())
}

/// Saves `p` as the version after `expected`; a profile saved meanwhile by someone else (its
/// version moved on) is a `Conflict`, and nothing is written.
/// `sync_at`: when to send it to the platform (`None`: no Graph API, it stays "not synced").
#[allow(clippy::too_many_arguments)]
pub async fn save(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
    expected: i32,
    p: &Profile,
    by: Option<UserId>,
    now: DateTime<Utc>,
    sync_at: Option<DateTime<Utc>>,
) -> Result<i32, AppError> {
    let sync_status = if sync_at.is_some() {
        "pending"
    } else {
        "not_synced"
    };
    let content = serde_json::to_string(p).map_err(|e| crate::backend::error::internal(&e))?;
    let next = expected + 1;
    if expected == 0 {
        // First save: the insert fails on the primary key if another one got there first.
        let r = business_profile::Entity::insert(business_profile::ActiveModel {
            phone_row_id: Set(id.0),
            tenant_id: Set(scope.tenant_id().0),
            version: Set(1),
            content: Set(content.clone()),
            sync_status: Set(sync_status.into()),
            updated_by: Set(by.map(|u| u.0)),
            updated_at: Set(now),
            sync_error: Set(None),
            sync_attempts: Set(0),
            sync_next_at: Set(sync_at),
        })
        .exec_without_returning(db)
        .await;
        if r.is_err() {
            return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
        }
    } else {
        let r = business_profile::Entity::update_many()
            .col_expr(business_profile::Column::Version, Expr::value(next))
            .col_expr(
                business_profile::Column::Content,
                Expr::value(content.clone()),
            )
            .col_expr(
                business_profile::Column::SyncStatus,
                Expr::value(sync_status),
            )
            .col_expr(
                business_profile::Column::SyncError,
                Expr::value(Option::<String>::None),
            )
            .col_expr(business_profile::Column::SyncAttempts, Expr::value(0))
            .col_expr(business_profile::Column::SyncNextAt, Expr::value(sync_at))
            .col_expr(
                business_profile::Column::UpdatedBy,
                Expr::value(by.map(|u| u.0)),
            )
            .col_expr(business_profile::Column::UpdatedAt, Expr::value(now))
            .filter(business_profile::Column::PhoneRowId.eq(id.0))
            .filter(scoped::of::<business_profile::Entity>(scope))
            .filter(business_profile::Column::Version.eq(expected))
            .exec(db)
            .await?;
        if r.rows_affected != 1 {
            return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
        }
    }
    business_profile_version::Entity::insert(business_profile_version::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id().0),
        phone_row_id: Set(id.0),
        version: Set(next),
        content: Set(content),
        saved_by: Set(by.map(|u| u.0)),
        saved_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(next)
}

/// Every saved version, oldest first: (version, profile, saved at, saved by).
pub async fn versions(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
) -> Result<Vec<(i32, Profile, DateTime<Utc>, Option<String>)>, AppError> {
    let rows = scoped::find::<business_profile_version::Entity>(scope)
        .filter(business_profile_version::Column::PhoneRowId.eq(id.0))
        .order_by_asc(business_profile_version::Column::Version)
        .all(db)
        .await?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.saved_by).collect::<Vec<_>>()))
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            let by = r
                .saved_by
                .and_then(|id| users.iter().find(|u| u.id == id))
                .map(super::users::shown_name);
            Ok((
                r.version,
                stored_json(&r.content, "business_profile_versions", r.phone_row_id)?,
                r.saved_at,
                by,
            ))
        })
        .collect()
}

/// The tenant's messaging-policy checklist, if ever saved.
pub async fn checklist(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Option<crate::domain::profile::Checklist>, AppError> {
    let row = tenant_checklist::Entity::find_by_id(scope.tenant_id().0)
        .one(db)
        .await?;
    row.map(|r| stored_json(&r.content, "tenant_checklists", r.tenant_id))
        .transpose()
}

/// Which of `tenants` have a complete checklist (staff lists, the review page).
pub async fn complete_among(
    db: &impl ConnectionTrait,
    tenants: &[uuid::Uuid],
) -> Result<Vec<uuid::Uuid>, AppError> {
    Ok(tenant_checklist::Entity::find()
        .filter(tenant_checklist::Column::TenantId.is_in(tenants.to_vec()))
        .filter(tenant_checklist::Column::Complete.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.tenant_id)
        .collect())
}

pub async fn save_checklist(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    c: &crate::domain::profile::Checklist,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::OnConflict;
    let content = serde_json::to_string(c).map_err(|e| crate::backend::error::internal(&e))?;
    tenant_checklist::Entity::insert(tenant_checklist::ActiveModel {
        tenant_id: Set(scope.tenant_id().0),
        content: Set(content),
        complete: Set(c.complete()),
        updated_by: Set(by.map(|u| u.0)),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(tenant_checklist::Column::TenantId)
            .update_columns([
                tenant_checklist::Column::Content,
                tenant_checklist::Column::Complete,
                tenant_checklist::Column::UpdatedBy,
                tenant_checklist::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Keeps a processed photo (once: the same picture uploaded again is the same row).
pub async fn insert_photo(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    p: &crate::backend::photo::ProcessedPhoto,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use super::entities::profile_photo;
    use sea_orm::sea_query::OnConflict;
    profile_photo::Entity::insert(profile_photo::ActiveModel {
        tenant_id: Set(scope.tenant_id().0),
        id: Set(p.id.clone()),
        content: Set(p.jpeg.clone()),
        side: Set(i32::try_from(p.side).unwrap_or(i32::MAX)),
        bytes: Set(i32::try_from(p.jpeg.len()).unwrap_or(i32::MAX)),
        uploaded_by: Set(by.map(|u| u.0)),
        uploaded_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([profile_photo::Column::TenantId, profile_photo::Column::Id])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The JPEG of one of the scope's photos.
pub async fn photo(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    use super::entities::profile_photo;
    Ok(
        profile_photo::Entity::find_by_id((scope.tenant_id().0, id.to_owned()))
            .one(db)
            .await?
            .map(|r| r.content),
    )
}

/// Whether the scope has uploaded the photo `id` (without reading its bytes).
pub async fn has_photo(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<bool, AppError> {
    use super::entities::profile_photo;
    use sea_orm::{PaginatorTrait, QuerySelect};
    Ok(profile_photo::Entity::find()
        .select_only()
        .column(profile_photo::Column::Id)
        .filter(scoped::of::<profile_photo::Entity>(scope))
        .filter(profile_photo::Column::Id.eq(id))
        .count(db)
        .await?
        > 0)
}

/// One phone number of any tenant with its profile's state (the staff overview).
pub struct OverviewRow {
    pub tenant: crate::domain::ids::TenantId,
    pub tenant_name: String,
    pub phone: PhoneNumberRowId,
    pub number: String,
    pub display_name: String,
    pub version: i32,
    pub profile: Option<Profile>,
    pub sync_status: String,
    pub compliance_complete: bool,
}

/// Every phone number of every active or suspended tenant, by tenant name then number.
pub async fn overview(
    _scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<OverviewRow>, AppError> {
    use super::entities::tenant;
    use std::collections::{HashMap, HashSet};
    let tenants: HashMap<uuid::Uuid, String> = tenant::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.display_name))
        .collect();
    let profiles: HashMap<uuid::Uuid, business_profile::Model> = business_profile::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.phone_row_id, p))
        .collect();
    let complete: HashSet<uuid::Uuid> = tenant_checklist::Entity::find()
        .filter(tenant_checklist::Column::Complete.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.tenant_id)
        .collect();
    let mut rows: Vec<OverviewRow> = phone_number::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            let prof = profiles.get(&p.id);
            Ok(OverviewRow {
                tenant: crate::domain::ids::TenantId(p.tenant_id),
                tenant_name: tenants.get(&p.tenant_id).cloned().unwrap_or_default(),
                phone: PhoneNumberRowId(p.id),
                number: p.number,
                display_name: p.display_name,
                version: prof.map_or(0, |r| r.version),
                profile: prof
                    .map(|r| stored_json(&r.content, "business_profiles", r.phone_row_id))
                    .transpose()?,
                sync_status: prof
                    .map_or_else(|| "not_synced".to_owned(), |r| r.sync_status.clone()),
                compliance_complete: complete.contains(&p.tenant_id),
            })
        })
        .collect::<Result<_, AppError>>()?;
    rows.sort_by(|a, b| {
        (a.tenant_name.to_lowercase(), &a.number).cmp(&(b.tenant_name.to_lowercase(), &b.number))
    });
    Ok(rows)
}

/// The platform lost the number's picture: the profile shows "sync failed" with `why` (a save
/// sends it again), and staff see it among the profiles needing attention.
pub async fn mark_picture_lost(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: PhoneNumberRowId,
    why: &str,
) -> Result<bool, AppError> {
    let r = business_profile::Entity::update_many()
        .col_expr(business_profile::Column::SyncStatus, Expr::value("failed"))
        .col_expr(
            business_profile::Column::SyncError,
            Expr::value(why.chars().take(2000).collect::<String>()),
        )
        .col_expr(
            business_profile::Column::SyncNextAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(business_profile::Column::PhoneRowId.eq(id.0))
        .filter(scoped::of::<business_profile::Entity>(scope))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

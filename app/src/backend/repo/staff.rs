//! BSP staff: accounts and their invitations (platform data, not tenant-owned; callers hold
//! a `PlatformScope`).

use super::entities::{staff_invitation, user};
use crate::{
    backend::tx::Tx,
    contract::{AppError, StaffInvitationInfo, StaffMember},
    domain::{
        ids::{InvitationId, UserId},
        roles::StaffRole,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder,
};

fn pending() -> Condition {
    Condition::all()
        .add(staff_invitation::Column::AcceptedAt.is_null())
        .add(staff_invitation::Column::RevokedAt.is_null())
}

pub async fn list_members(db: &impl ConnectionTrait) -> Result<Vec<StaffMember>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::StaffRole.is_not_null())
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| {
            Some(StaffMember {
                id: UserId(u.id),
                role: StaffRole::parse(u.staff_role.as_deref()?)?,
                name: u.name,
                email: u.email,
                disabled: u.disabled,
            })
        })
        .collect())
}

pub async fn update_role(tx: &Tx, id: UserId, role: StaffRole) -> Result<(), AppError> {
    tx.wrote_users();
    super::one_row(
        user::Entity::update_many()
            .col_expr(user::Column::StaffRole, Expr::value(role.code()))
            .filter(user::Column::Id.eq(id.0))
            .filter(user::Column::StaffRole.is_not_null())
            .exec(tx)
            .await?,
    )
}

pub async fn update_disabled(tx: &Tx, id: UserId, disabled: bool) -> Result<(), AppError> {
    tx.wrote_users();
    super::one_row(
        user::Entity::update_many()
            .col_expr(user::Column::Disabled, Expr::value(disabled))
            .filter(user::Column::Id.eq(id.0))
            .filter(user::Column::StaffRole.is_not_null())
            .exec(tx)
            .await?,
    )
}

/// A staff member's current role and state (for the audit "before").
pub async fn find_member(db: &impl ConnectionTrait, id: UserId) -> Result<StaffMember, AppError> {
    let u = user::Entity::find_by_id(id.0)
        .filter(user::Column::StaffRole.is_not_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = u
        .staff_role
        .as_deref()
        .and_then(StaffRole::parse)
        .ok_or(AppError::NotFound)?;
    Ok(StaffMember {
        id,
        name: u.name,
        email: u.email,
        role,
        disabled: u.disabled,
    })
}

pub async fn insert_invitation(
    db: &impl ConnectionTrait,
    email: &str,
    role: StaffRole,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    invited_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<InvitationId, AppError> {
    let id = InvitationId::new();
    staff_invitation::Entity::insert(staff_invitation::ActiveModel {
        id: Set(id.0),
        email: Set(email.to_owned()),
        role: Set(role.code().to_owned()),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        accepted_at: Set(None),
        revoked_at: Set(None),
        invited_by: Set(invited_by.map(|u| u.0)),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Revokes every pending invitation of `email` (a new one replaces them).
pub async fn revoke_pending_for_email(
    db: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    staff_invitation::Entity::update_many()
        .col_expr(staff_invitation::Column::RevokedAt, Expr::value(now))
        .filter(staff_invitation::Column::Email.eq(email))
        .filter(pending())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_invitation(
    db: &impl ConnectionTrait,
    id: InvitationId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    super::one_row(
        staff_invitation::Entity::update_many()
            .col_expr(staff_invitation::Column::RevokedAt, Expr::value(now))
            .filter(staff_invitation::Column::Id.eq(id.0))
            .filter(pending())
            .exec(db)
            .await?,
    )
}

pub async fn list_pending(db: &impl ConnectionTrait) -> Result<Vec<StaffInvitationInfo>, AppError> {
    Ok(staff_invitation::Entity::find()
        .filter(pending())
        .order_by_desc(staff_invitation::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| {
            Some(StaffInvitationInfo {
                id: InvitationId(i.id),
                role: StaffRole::parse(&i.role)?,
                email: i.email,
                expires_at: i.expires_at,
            })
        })
        .collect())
}

/// A pending, unexpired staff invitation by its token's hash: (id, email, role).
pub async fn find_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(InvitationId, String, StaffRole)>, AppError> {
    Ok(staff_invitation::Entity::find()
        .filter(staff_invitation::Column::TokenHash.eq(token_hash))
        .filter(pending())
        .filter(staff_invitation::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .and_then(|i| Some((InvitationId(i.id), i.email, StaffRole::parse(&i.role)?))))
}

/// Marks a staff invitation used; `false` if it was used or revoked meanwhile.
pub async fn mark_accepted(
    db: &impl ConnectionTrait,
    id: InvitationId,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let r = staff_invitation::Entity::update_many()
        .col_expr(staff_invitation::Column::AcceptedAt, Expr::value(now))
        .filter(staff_invitation::Column::Id.eq(id.0))
        .filter(pending())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

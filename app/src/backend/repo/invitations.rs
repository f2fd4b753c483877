//! Invitations: single-use, expiring links. Only a SHA-256 of the token is stored.

use super::entities::{invitation, tenant};
use super::scoped;
use crate::{
    backend::scope::TenantScope,
    contract::{AppError, InvitationInfo},
    domain::{
        ids::{InvitationId, TenantId, UserId},
        roles::TenantRole,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

#[derive(Clone, Debug)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub email: String,
    pub role: TenantRole,
}

fn pending() -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(invitation::Column::AcceptedAt.is_null())
        .add(invitation::Column::RevokedAt.is_null())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    email: &str,
    role: TenantRole,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    invited_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<InvitationId, AppError> {
    let id = InvitationId::new();
    invitation::Entity::insert(invitation::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(scope.tenant_id().0),
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

/// The pending invitation of `email` in the scope's tenant, if any.
pub async fn find_pending_for_email(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<(InvitationId, TenantRole)>, AppError> {
    Ok(scoped::find::<invitation::Entity>(scope)
        .filter(invitation::Column::Email.eq(email))
        .filter(pending())
        .one(db)
        .await?
        .and_then(|i| Some((InvitationId(i.id), TenantRole::parse(&i.role)?))))
}

/// A pending invitation of the scope's tenant by id: (email, role).
pub async fn find_pending(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: InvitationId,
) -> Result<(String, TenantRole), AppError> {
    let i = invitation::Entity::find_by_id(id.0)
        .filter(scoped::of::<invitation::Entity>(scope))
        .filter(pending())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        i.email,
        TenantRole::parse(&i.role).ok_or(AppError::NotFound)?,
    ))
}

/// Gives a pending invitation a new token and expiry (resend).
/// A new token and expiry for a pending invitation, and its new role when `role` is given
/// (inviting the same email again with another role).
pub async fn rotate(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: InvitationId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    role: Option<TenantRole>,
) -> Result<(), AppError> {
    let mut q = invitation::Entity::update_many();
    if let Some(role) = role {
        q = q.col_expr(invitation::Column::Role, Expr::value(role.code()));
    }
    super::one_row(
        q.col_expr(
            invitation::Column::TokenHash,
            Expr::value(token_hash.to_owned()),
        )
        .col_expr(invitation::Column::ExpiresAt, Expr::value(expires_at))
        .filter(invitation::Column::Id.eq(id.0))
        .filter(scoped::of::<invitation::Entity>(scope))
        .filter(pending())
        .exec(db)
        .await?,
    )
}

pub async fn revoke(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: InvitationId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    super::one_row(
        invitation::Entity::update_many()
            .col_expr(invitation::Column::RevokedAt, Expr::value(now))
            .filter(invitation::Column::Id.eq(id.0))
            .filter(scoped::of::<invitation::Entity>(scope))
            .filter(pending())
            .exec(db)
            .await?,
    )
}

pub async fn list_pending(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<InvitationInfo>, AppError> {
    Ok(scoped::find::<invitation::Entity>(scope)
        .filter(pending())
        .order_by_desc(invitation::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| {
            Some(InvitationInfo {
                id: InvitationId(i.id),
                email: i.email,
                role: TenantRole::parse(&i.role)?,
                expires_at: i.expires_at,
            })
        })
        .collect())
}

/// Looks an invitation up by its token's hash: the token is the proof, so this is not
/// scoped. Only pending, unexpired invitations of active tenants are found.
pub async fn find_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<PendingInvitation>, AppError> {
    let Some(i) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .filter(pending())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(t) = tenant::Entity::find_by_id(i.tenant_id)
        .filter(tenant::Column::Status.eq("active"))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(TenantRole::parse(&i.role).map(|role| PendingInvitation {
        id: InvitationId(i.id),
        tenant_id: TenantId(i.tenant_id),
        tenant_name: t.display_name,
        email: i.email,
        role,
    }))
}

/// Marks an invitation used; `false` if someone else used or revoked it first.
pub async fn mark_accepted(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: InvitationId,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let r = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
        .filter(invitation::Column::Id.eq(id.0))
        .filter(scoped::of::<invitation::Entity>(scope))
        .filter(pending())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

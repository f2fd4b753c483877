//! A tenant's members: owners (and staff admins) change roles and remove members. Owners
//! cannot touch other owners (only staff can), nobody changes their own membership, and a
//! tenant never loses its last owner.

use super::{
    audit::{record, Entry},
    invitations::may_grant,
};
use crate::{
    backend::{repo, scope::TenantScope, tx::Tx},
    contract::{AppError, ConflictReason},
    domain::{
        ids::UserId,
        roles::TenantRole,
        validation::{FieldCode, FieldErrors},
    },
};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// The member's current role, after checking the scope may change it.
async fn changeable(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<TenantRole, AppError> {
    if scope.actor().user_id() == Some(user) {
        return Err(AppError::conflict(ConflictReason::OwnAccount));
    }
    let current = repo::users::member_role(scope, db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_grant(scope, current) {
        return Err(AppError::Forbidden);
    }
    Ok(current)
}

pub async fn set_role(scope: &TenantScope, user: UserId, raw_role: &str) -> Result<(), AppError> {
    let role = TenantRole::parse(raw_role)
        .filter(|r| may_grant(scope, *r))
        .ok_or_else(|| {
            let mut e = FieldErrors::new();
            e.add("role", FieldCode::InvalidRole);
            AppError::from(e)
        })?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let current = changeable(scope, &tx, user).await?;
    if current == TenantRole::Owner
        && role != TenantRole::Owner
        && repo::users::count_owners(scope, &tx).await? <= 1
    {
        return Err(AppError::conflict(ConflictReason::LastOwner));
    }
    repo::users::update_membership_role(scope, &tx, user, role).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "membership.role",
            subject: &user.to_string(),
            before: Some(json!({"role": current})),
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(scope: &TenantScope, user: UserId) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let current = changeable(scope, &tx, user).await?;
    if current == TenantRole::Owner && repo::users::count_owners(scope, &tx).await? <= 1 {
        return Err(AppError::conflict(ConflictReason::LastOwner));
    }
    repo::users::delete_membership(scope, &tx, user).await?;
    record(
        &tx,
        now,
        Entry::<_, ()> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "membership.remove",
            subject: &user.to_string(),
            before: Some(json!({"role": current})),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

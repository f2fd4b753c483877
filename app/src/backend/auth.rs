//! Authorization: the only place scopes are made (password hashing is in `password`).

use super::{
    context::RequestCtx,
    identity::{Access, Actor},
    repo,
    scope::{PlatformScope, TenantScope},
    state::AppState,
};
use crate::{
    contract::AppError,
    domain::{
        ids::TenantId,
        roles::{PlatformAction, TenantAction},
    },
};

/// A platform scope for a signed-in staff member whose role allows `action`.
pub fn platform_scope(ctx: &RequestCtx, action: PlatformAction) -> Result<PlatformScope, AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    match user.staff_role {
        Some(role) if role.can(action) => Ok(PlatformScope::new(
            ctx.state().clone(),
            ctx.actor()?,
            Some(role),
        )),
        _ => Err(AppError::Forbidden),
    }
}

/// A platform scope for an operator on the server's command line.
pub fn operator_scope(state: &AppState, label: &str) -> PlatformScope {
    PlatformScope::new(
        state.clone(),
        Actor::Operator {
            label: label.to_owned(),
        },
        None,
    )
}

/// A tenant scope for the signed-in user in `tenant_id`, if their membership (or staff
/// role) allows `action`. Non-members get `NotFound`, so ids of other tenants reveal nothing.
pub async fn tenant_scope(
    ctx: &RequestCtx,
    raw_tenant_id: &str,
    action: TenantAction,
) -> Result<TenantScope, AppError> {
    ctx.user().ok_or(AppError::Unauthorized)?;
    // A malformed id is a tenant that does not exist, not a bad request.
    let id = raw_tenant_id.parse().map_err(|_| AppError::NotFound)?;
    tenant_scope_for(ctx, id, action).await
}

/// As `tenant_scope`, for an id already parsed.
pub async fn tenant_scope_for(
    ctx: &RequestCtx,
    tenant_id: TenantId,
    action: TenantAction,
) -> Result<TenantScope, AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    let access = if let Some(m) = user.memberships.iter().find(|m| m.tenant_id == tenant_id) {
        Access::Member(m.role)
    } else if let Some(role) = user.staff_role {
        if repo::tenants::exists(&ctx.state().db, tenant_id).await? {
            Access::Staff(role)
        } else {
            return Err(AppError::NotFound);
        }
    } else {
        return Err(AppError::NotFound);
    };
    if !access.can(action) {
        return Err(AppError::Forbidden);
    }
    Ok(TenantScope::new(
        ctx.state().clone(),
        tenant_id,
        ctx.actor()?,
        access,
    ))
}

/// A tenant scope derived from a platform scope, after checking the tenant exists.
pub async fn staff_in_tenant(
    scope: &PlatformScope,
    tenant_id: TenantId,
) -> Result<TenantScope, AppError> {
    if repo::tenants::exists(scope.db(), tenant_id).await? {
        Ok(scope.as_tenant(tenant_id))
    } else {
        Err(AppError::NotFound)
    }
}

/// The scope of a person accepting an invitation: the token they hold is the proof.
pub(crate) fn invitation_scope(
    state: &AppState,
    tenant: TenantId,
    actor: Actor,
    role: crate::domain::roles::TenantRole,
) -> TenantScope {
    TenantScope::new(state.clone(), tenant, actor, Access::Member(role))
}

/// The scope of the server's own work across tenants: background jobs, storing a webhook
/// delivery, the CLI and start-up. For those entry points only: services and server functions
/// never call it (`scripts/imports.py` checks), they are given a scope.
pub fn system_scope(state: &AppState) -> super::scope::SystemScope {
    super::scope::SystemScope::new(state.clone())
}

/// A background job acting inside a tenant whose id it read from the database.
pub fn system_in_tenant(scope: &super::scope::SystemScope, tenant: TenantId) -> TenantScope {
    TenantScope::new(
        scope.state().clone(),
        tenant,
        Actor::System,
        Access::Operator,
    )
}

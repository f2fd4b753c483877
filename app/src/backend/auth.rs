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
        api_keys::KeyGrant,
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

/// A request authenticated by an API key (`/api/v1`): the key, as it was when the request
/// came. Its scopes are made here, like a signed-in user's.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub key: uuid::Uuid,
    /// The key's tenant; `None` for a BSP key.
    pub tenant: Option<TenantId>,
    pub grant: KeyGrant,
    actor: Actor,
}

/// How long a key's last use may be out of date: a key used many times a minute is written
/// once a minute, not on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// The caller a presented key stands for. A malformed key (prefix, length, checksum) is
/// refused before any lookup; an unknown, revoked or expired one is `Unauthorized`; a
/// suspended tenant's key is `Suspended`. Revocation counts at once, on every server process:
/// nothing about a key is cached.
pub async fn api_caller(
    state: &AppState,
    presented: &str,
    client: Option<std::net::IpAddr>,
) -> Result<ApiCaller, AppError> {
    let digest = super::api_token::digest_of(presented).ok_or(AppError::Unauthorized)?;
    let key = repo::api_keys::by_digest(&state.db, &digest)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let now = state.now();
    let actor = Actor::ApiKey {
        id: key.id,
        name: key.name.clone(),
        shown: key.shown.clone(),
    };
    if key.revoked_at.is_some() {
        super::services::api_keys::revoked_key_used(state, &key, &actor).await?;
        return Err(AppError::Unauthorized);
    }
    if key.expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::Unauthorized);
    }
    let grant =
        KeyGrant::parse(&key.rights).ok_or_else(|| super::error::internal(&"stored key rights"))?;
    let tenant = key.tenant_id.map(TenantId);
    if let Some(t) = tenant {
        if !repo::tenants::is_active(&state.db, t).await? {
            return Err(AppError::Suspended);
        }
    }
    let addr = client.map(|ip| ip.to_string());
    let stale = key
        .last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= TOUCH_EVERY_SECS);
    if stale || key.last_used_addr != addr {
        repo::api_keys::touch(&state.db, key.id, now, addr).await?;
    }
    Ok(ApiCaller {
        key: key.id,
        tenant,
        grant,
        actor,
    })
}

impl ApiCaller {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The key's own tenant, if the key may do `action` there. A BSP key has no tenant of its
    /// own: `Forbidden`.
    pub fn tenant_scope(
        &self,
        state: &AppState,
        action: TenantAction,
    ) -> Result<TenantScope, AppError> {
        let tenant = self.tenant.ok_or(AppError::Forbidden)?;
        if !self.grant.allows(action) {
            return Err(AppError::Forbidden);
        }
        Ok(TenantScope::new(
            state.clone(),
            tenant,
            self.actor.clone(),
            Access::Key(self.grant),
        ))
    }

    /// A platform scope for a BSP key whose role allows `action`.
    pub fn platform_scope(
        &self,
        state: &AppState,
        action: PlatformAction,
    ) -> Result<PlatformScope, AppError> {
        match self.grant {
            KeyGrant::Staff(role) if self.grant.allows_platform(action) => Ok(PlatformScope::new(
                state.clone(),
                self.actor.clone(),
                Some(role),
            )),
            _ => Err(AppError::Forbidden),
        }
    }
}

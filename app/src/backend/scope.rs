//! Scopes are proof of access. A `TenantScope` exists only after `backend::auth` checked that
//! its actor may act in that tenant; every repository function on tenant-owned data takes
//! one, and reads the tenant id from it, never from input. `PlatformScope` (BSP staff and
//! operators) and `SystemScope` (jobs) are separate types, so cross-tenant code shows in
//! signatures.

use super::{
    identity::{Access, Actor},
    state::AppState,
};
use crate::domain::{ids::TenantId, roles::StaffRole};
use sea_orm::DatabaseConnection;

/// Proof that `actor` may act inside `tenant_id` (with `access`).
pub struct TenantScope {
    state: AppState,
    tenant_id: TenantId,
    actor: Actor,
    access: Access,
}

impl TenantScope {
    pub(super) fn new(state: AppState, tenant_id: TenantId, actor: Actor, access: Access) -> Self {
        Self {
            state,
            tenant_id,
            actor,
            access,
        }
    }
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn access(&self) -> Access {
        self.access
    }
    pub fn state(&self) -> &AppState {
        &self.state
    }
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
}

/// Proof that `actor` is BSP staff (or an operator) allowed a platform action.
#[derive(Clone)]
pub struct PlatformScope {
    state: AppState,
    actor: Actor,
    role: Option<StaffRole>,
}

impl PlatformScope {
    pub(super) fn new(state: AppState, actor: Actor, role: Option<StaffRole>) -> Self {
        Self { state, actor, role }
    }
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
    pub fn state(&self) -> &AppState {
        &self.state
    }
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
    /// Whether this scope's holder may also do `action` (an operator on the command line may).
    pub fn can(&self, action: crate::domain::roles::PlatformAction) -> bool {
        self.role.is_none_or(|r| r.can(action))
    }
    /// Staff act inside any tenant with their role's rights; the caller has checked the
    /// tenant exists.
    pub(super) fn as_tenant(&self, tenant_id: TenantId) -> TenantScope {
        let access = match self.role {
            Some(r) => Access::Staff(r),
            None => Access::Operator,
        };
        TenantScope::new(self.state.clone(), tenant_id, self.actor.clone(), access)
    }
}

/// Background jobs: may touch every tenant's rows, and say so in their signatures. Made only
/// by `backend::auth::system_scope`, for the server's entry points (jobs, webhook receipt, the
/// CLI, start-up); a service never mints one mid-request (`scripts/imports.py` checks).
pub struct SystemScope {
    state: AppState,
}

impl SystemScope {
    pub(super) fn new(state: AppState) -> Self {
        Self { state }
    }
    pub fn state(&self) -> &AppState {
        &self.state
    }
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
}

/// Access across tenants: BSP staff (`PlatformScope`) or a job (`SystemScope`). Repository
/// functions that read or write across tenants take `&impl CrossTenant`, so staff code passes
/// its own scope instead of minting a system one. Sealed: no other scope is cross-tenant.
pub trait CrossTenant: sealed::Sealed {
    fn state(&self) -> &AppState;
    fn db(&self) -> &DatabaseConnection;
    /// Acting inside `tenant` (whose id the caller read from the database): staff with their
    /// role's rights, a job as the system.
    fn in_tenant(&self, tenant: TenantId) -> TenantScope;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::PlatformScope {}
    impl Sealed for super::SystemScope {}
}

impl CrossTenant for PlatformScope {
    fn state(&self) -> &AppState {
        &self.state
    }
    fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
    fn in_tenant(&self, tenant: TenantId) -> TenantScope {
        self.as_tenant(tenant)
    }
}

impl CrossTenant for SystemScope {
    fn state(&self) -> &AppState {
        &self.state
    }
    fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
    fn in_tenant(&self, tenant: TenantId) -> TenantScope {
        TenantScope::new(self.state.clone(), tenant, Actor::System, Access::Operator)
    }
}

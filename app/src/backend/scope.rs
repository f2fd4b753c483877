//! Scopes are proof of access. A `TenantScope` exists only after `backend::auth` checked that
//! its actor may act in that tenant; every repository function on tenant-owned data takes
//! one, and reads the tenant id from it, never from input. `PlatformScope` (BSP staff and
//! operators) and `SystemScope` (jobs) are separate types, so cross-tenant code shows in
//! signatures.

use super::state::AppState;
use crate::domain::{
    ids::{TenantId, UserId},
    roles::{StaffRole, TenantAction, TenantRole},
};
use sea_orm::DatabaseConnection;

/// Who acts, for the audit log.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A signed-in user.
    User { id: UserId, email: String },
    /// An operator running a CLI command on the server.
    Operator { label: String },
    /// A background job.
    System,
}

impl Actor {
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }
    /// Shown in the audit log.
    pub fn label(&self) -> String {
        match self {
            Actor::User { email, .. } => email.clone(),
            Actor::Operator { label } => format!("operator ({label})"),
            Actor::System => "system".into(),
        }
    }
}

/// How the actor reached the tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Member(TenantRole),
    Staff(StaffRole),
    Operator,
}

impl Access {
    pub fn can(self, action: TenantAction) -> bool {
        match self {
            Access::Member(r) => r.can(action),
            Access::Staff(r) => r.in_tenant(action),
            Access::Operator => true,
        }
    }
}

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

/// Background jobs: may touch every tenant's rows, and say so in their signatures.
pub struct SystemScope {
    state: AppState,
}

impl SystemScope {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
    pub fn state(&self) -> &AppState {
        &self.state
    }
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
}

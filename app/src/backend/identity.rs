//! Who is acting: the signed-in user as read once per request (`CurrentUser`), and the actor
//! and access a scope records (`Actor`, `Access`). Plain data: no I/O, no caches, so every
//! layer of the backend (scopes, repositories, the session store's caches) can name them.

use crate::{
    contract::MembershipInfo,
    domain::{
        api_keys::KeyGrant,
        ids::UserId,
        locale::Locale,
        roles::{StaffRole, TenantAction, TenantRole},
    },
};

/// The signed-in user with their memberships in active tenants.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub staff_role: Option<StaffRole>,
    pub locale: Option<Locale>,
    pub memberships: Vec<MembershipInfo>,
}

/// Who acts, for the audit log.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A signed-in user.
    User { id: UserId, email: String },
    /// An operator running a CLI command on the server.
    Operator { label: String },
    /// A system calling the API with a key.
    ApiKey {
        id: uuid::Uuid,
        name: String,
        shown: String,
    },
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
            Actor::ApiKey { name, shown, .. } => format!("API key {name} ({shown}…)"),
            Actor::System => "system".into(),
        }
    }
}

/// How the actor reached the tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Member(TenantRole),
    Staff(StaffRole),
    /// An API key (`domain::api_keys`).
    Key(KeyGrant),
    Operator,
}

impl Access {
    pub fn can(self, action: TenantAction) -> bool {
        match self {
            Access::Member(r) => r.can(action),
            Access::Staff(r) => r.in_tenant(action),
            Access::Key(g) => g.allows(action),
            Access::Operator => true,
        }
    }
}

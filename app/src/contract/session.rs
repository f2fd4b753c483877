//! Who is signed in and where: what every page needs first.

use super::error::AppError;
use crate::domain::ids::{TenantId, UserId};
use crate::domain::locale::Locale;
use crate::domain::roles::{StaffRole, TenantRole};
use serde::{Deserialize, Serialize};

/// Who is signed in, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub staff_role: Option<StaffRole>,
    pub memberships: Vec<MembershipInfo>,
    pub active_tenant: Option<TenantId>,
}

impl Me {
    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }
    pub fn active_membership(&self) -> Option<&MembershipInfo> {
        self.active_tenant
            .and_then(|t| self.memberships.iter().find(|m| m.tenant_id == t))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipInfo {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub role: TenantRole,
}

/// The session of a page request as the server read it before rendering (put in the request
/// by the server's page layer, read by `ui::session`).
#[derive(Clone, Debug)]
pub struct PageSession(pub Result<SessionInfo, AppError>);

/// What every page needs first: the user (if any) and the interface language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<Me>,
    pub locale: Locale,
}

//! Roles and what each may do. The one place that answers "may this role do that?";
//! the backend turns a `true` into a scope and a `false` into `Forbidden`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// BSP staff roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    /// Everything, including managing staff.
    Admin,
    /// The template approval queue.
    Reviewer,
    /// Pricing, invoices, exports.
    Finance,
}

/// Roles of a user inside one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TenantRole {
    /// Manages the tenant's users and billing.
    Owner,
    /// Edits profiles and templates.
    Editor,
    /// Reads only.
    Viewer,
}

/// Things a platform-wide (staff) user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlatformAction {
    /// See the tenant list and any tenant's detail.
    ViewTenants,
    /// Create, edit, suspend tenants and register their WhatsApp assets; invite owners.
    ManageTenants,
    /// See the outbox and resend emails.
    ManageOutbox,
    /// See the whole audit log.
    ViewAudit,
    /// Create or invite staff.
    ManageStaff,
    /// Work the template approval queue.
    ReviewTemplates,
    /// Rate cards, price lists, usage across tenants, exports, invoicing.
    ManagePricing,
    /// Make, rotate and revoke the BSP's own API keys.
    ManageApiKeys,
    /// Read the platform's raw event payloads (end customers' names and messages; their
    /// numbers show as keyed hashes): admins only.
    ViewRawEvents,
}

/// Things a user may do inside one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantAction {
    /// Read the tenant's data.
    View,
    /// Change profiles and templates.
    Edit,
    /// Invite, resend and revoke the tenant's users and its API keys; see the audit log.
    ManageUsers,
    /// Read the tenant's usage, prices and invoices (every member; finance and admins).
    ViewBilling,
    /// Decide the tenant's requests that the BSP files with the platform (the verified
    /// badge): BSP admins only, never the tenant itself.
    DecideRequests,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [StaffRole::Admin, StaffRole::Reviewer, StaffRole::Finance];

    pub fn can(self, action: PlatformAction) -> bool {
        use PlatformAction::*;
        match self {
            StaffRole::Admin => true,
            // Reviewers and finance need to see whom they work for, but change no tenant.
            StaffRole::Reviewer => matches!(action, ViewTenants | ReviewTemplates),
            StaffRole::Finance => matches!(action, ViewTenants | ManagePricing),
        }
    }

    /// What staff may do inside any tenant: admins act as owners, the others read.
    pub fn in_tenant(self, action: TenantAction) -> bool {
        match self {
            StaffRole::Admin => true,
            StaffRole::Finance => matches!(action, TenantAction::View | TenantAction::ViewBilling),
            // Reviewers judge templates; a tenant's spending is none of their business.
            StaffRole::Reviewer => action == TenantAction::View,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Reviewer => "reviewer",
            StaffRole::Finance => "finance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

impl TenantRole {
    pub const ALL: [TenantRole; 3] = [TenantRole::Owner, TenantRole::Editor, TenantRole::Viewer];

    pub fn can(self, action: TenantAction) -> bool {
        match self {
            TenantRole::Owner => action != TenantAction::DecideRequests,
            TenantRole::Editor => matches!(
                action,
                TenantAction::View | TenantAction::Edit | TenantAction::ViewBilling
            ),
            TenantRole::Viewer => matches!(action, TenantAction::View | TenantAction::ViewBilling),
        }
    }

    /// Owners invite editors and viewers; only staff invite owners.
    pub fn may_invite(self, invited: TenantRole) -> bool {
        self == TenantRole::Owner && invited != TenantRole::Owner
    }

    pub fn code(self) -> &'static str {
        match self {
            TenantRole::Owner => "owner",
            TenantRole::Editor => "editor",
            TenantRole::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s.trim())
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for TenantRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlatformAction::*;
    use TenantAction::*;

    #[test]
    fn staff_permissions_follow_the_table() {
        let table = [
            (StaffRole::Admin, [true, true, true, true, true, true, true]),
            (
                StaffRole::Reviewer,
                [true, false, false, false, false, true, false],
            ),
            (
                StaffRole::Finance,
                [true, false, false, false, false, false, true],
            ),
        ];
        for (role, expect) in table {
            let got = [
                ViewTenants,
                ManageTenants,
                ManageOutbox,
                ViewAudit,
                ManageStaff,
                ReviewTemplates,
                ManagePricing,
            ]
            .map(|a| role.can(a));
            assert_eq!(got, expect, "{role}");
        }
    }

    #[test]
    fn tenant_permissions_follow_the_table() {
        let table = [
            (TenantRole::Owner, [true, true, true, true, false]),
            (TenantRole::Editor, [true, true, false, true, false]),
            (TenantRole::Viewer, [true, false, false, true, false]),
        ];
        for (role, expect) in table {
            assert_eq!(
                [View, Edit, ManageUsers, ViewBilling, DecideRequests].map(|a| role.can(a)),
                expect,
                "{role}"
            );
        }
        assert!(
            StaffRole::Finance.in_tenant(ViewBilling)
                && StaffRole::Admin.in_tenant(ViewBilling)
                && !StaffRole::Reviewer.in_tenant(ViewBilling)
        );
        // A tenant never approves its own badge request; only BSP admins decide.
        assert!(
            StaffRole::Admin.in_tenant(DecideRequests)
                && !StaffRole::Reviewer.in_tenant(DecideRequests)
                && !StaffRole::Finance.in_tenant(DecideRequests)
        );
    }

    #[test]
    fn only_owners_invite_and_never_other_owners() {
        assert!(TenantRole::Owner.may_invite(TenantRole::Editor));
        assert!(TenantRole::Owner.may_invite(TenantRole::Viewer));
        assert!(!TenantRole::Owner.may_invite(TenantRole::Owner));
        assert!(!TenantRole::Editor.may_invite(TenantRole::Viewer));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::parse(r.code()), Some(r));
        }
        for r in TenantRole::ALL {
            assert_eq!(TenantRole::parse(r.code()), Some(r));
        }
        assert_eq!(TenantRole::parse("root"), None);
    }
}

//! Tenants as the console shows them: the list, a tenant with its accounts, numbers, members and invitations.

use crate::domain::ids::{InvitationId, PhoneNumberRowId, TenantId, UserId, WabaRowId};
use crate::domain::locale::Locale;
use crate::domain::roles::{StaffRole, TenantRole};
use crate::domain::tenant::TenantStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: TenantId,
    pub display_name: String,
    pub legal_name: String,
    pub country: String,
    pub status: TenantStatus,
    pub phone_numbers: u64,
    pub created_at: DateTime<Utc>,
    /// The messaging-policy checklist is complete.
    pub compliance_complete: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantPage {
    pub rows: Vec<TenantRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: UserId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WabaInfo {
    pub id: WabaRowId,
    pub waba_id: String,
    /// IANA name: the day, month and invoice of its messages.
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumberInfo {
    pub id: PhoneNumberRowId,
    pub number: String,
    pub country: String,
    pub phone_number_id: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: TenantRole,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub id: InvitationId,
    pub email: String,
    pub role: TenantRole,
    pub expires_at: DateTime<Utc>,
}

/// What the viewer may do on the tenant page.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantPermissions {
    pub manage_tenant: bool,
    pub manage_users: bool,
    pub invite_owner: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantDetail {
    pub id: TenantId,
    pub legal_name: String,
    pub display_name: String,
    pub country: String,
    pub locale: Locale,
    pub billing_email: String,
    pub alert_emails: Vec<String>,
    pub currency: String,
    pub account_manager: Option<String>,
    pub account_manager_id: Option<UserId>,
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
    pub wabas: Vec<WabaInfo>,
    pub phone_numbers: Vec<PhoneNumberInfo>,
    pub members: Vec<MemberInfo>,
    pub invitations: Vec<InvitationInfo>,
    pub can: TenantPermissions,
    /// The tenant has its own Graph API token (the token itself never leaves the server).
    pub graph_token_set: bool,
}

/// The role an invitation grants: in a tenant, or on the BSP's staff.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "role", rename_all = "snake_case")]
pub enum InvitedAs {
    Tenant(TenantRole),
    Staff(StaffRole),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitePreview {
    /// The tenant's name, or the console's for staff.
    pub tenant_name: String,
    pub email: String,
    pub role: InvitedAs,
    /// The invitee has an account already: they confirm with their password.
    pub existing_account: bool,
}

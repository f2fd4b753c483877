//! Business profiles, the verified badge, the profile overview and the compliance checklist.

use crate::domain::ids::{PhoneNumberRowId, TenantId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A phone number's business profile, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileDetail {
    pub tenant: TenantId,
    pub phone: PhoneNumberRowId,
    pub number: String,
    pub display_name: String,
    /// 0 while never saved; a save must name the version it started from.
    pub version: i32,
    pub form: crate::domain::profile::ProfileForm,
    /// `not_synced` (no Graph API configured), `pending`, `synced` or `failed`.
    pub sync_status: String,
    /// The platform's answer to the last failed attempt.
    pub sync_error: Option<String>,
    pub can_edit: bool,
    /// Newest first.
    pub history: Vec<ProfileVersionView>,
    /// The verified-badge requests of this number.
    pub oba: ObaView,
}

/// The verified badge (official business account) of a number: its requests, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObaView {
    pub requests: Vec<ObaRequestView>,
    /// The tenant may write or submit a request now.
    pub can_edit: bool,
    /// BSP admins decide submitted requests.
    pub can_decide: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObaRequestView {
    pub id: String,
    pub status: crate::domain::profile::oba::ObaStatus,
    pub form: crate::domain::profile::oba::ObaForm,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

/// One phone number in the staff's profile overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileOverviewRow {
    pub tenant: TenantId,
    pub tenant_name: String,
    pub phone: PhoneNumberRowId,
    pub number: String,
    pub display_name: String,
    /// 0: never saved.
    pub version: i32,
    pub sync_status: String,
    pub photo: Option<String>,
    pub reasons: Vec<crate::domain::profile::attention::Attention>,
    pub oba: Option<crate::domain::profile::oba::ObaStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileOverview {
    pub rows: Vec<ProfileOverviewRow>,
    /// Numbers matching the filter (all pages).
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Numbers with at least one reason (whatever the filter).
    pub needing_attention: usize,
    /// Per reason, how many numbers have it (whatever the filter).
    pub counts: Vec<(crate::domain::profile::attention::Attention, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileVersionView {
    pub version: i32,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
    /// (field, before, after) against the version before it.
    pub changes: Vec<(String, String, String)>,
}

/// The tenant's messaging-policy checklist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistDetail {
    pub tenant: TenantId,
    pub form: crate::domain::profile::ChecklistForm,
    pub complete: bool,
    pub can_edit: bool,
}

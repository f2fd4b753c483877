//! Platform events as the console shows them: template and number health, alerts and alert
//! preferences, the event log.

use crate::domain::{messaging_tier::UpgradeProgress, template::status::TemplateStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A template as the platform sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateAtPlatform {
    pub name: String,
    pub language: String,
    pub category: String,
    /// The revision at the platform and its status (`None`: never sent).
    pub revision: Option<i32>,
    pub status: Option<TemplateStatus>,
    pub status_at: Option<DateTime<Utc>>,
    pub quality: Option<String>,
    pub pause_count: i32,
    pub paused_until: Option<DateTime<Utc>>,
    /// `first_pause`, `second_pause`, `rate_limited` or `disabled`.
    pub outlook: Option<String>,
    pub disable_date: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub rejection_detail: Option<String>,
    pub recommendation: Option<String>,
    pub description: Option<String>,
    pub pending_category: Option<String>,
    pub category_change_at: Option<DateTime<Utc>>,
    pub history: Vec<HealthLine>,
    /// The server's clock when this was read (countdowns are relative to it).
    pub as_of: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HealthLine {
    /// `status`, `quality` or `category`.
    pub kind: String,
    pub value: String,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

/// The tenant's numbers and accounts as the platform sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumbersOverview {
    pub numbers: Vec<NumberView>,
    pub accounts: Vec<AccountView>,
    /// Unique users messaged outside a service window in the last 7 days.
    pub unique_users_7d: u64,
    pub open_windows: Vec<WindowView>,
    pub as_of: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberView {
    pub id: String,
    pub number: String,
    pub display_name: String,
    pub quality: Option<String>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub tier_label: Option<String>,
    pub flagged_at: Option<DateTime<Utc>>,
    /// When a flagged number returns to CONNECTED, or is moved one tier down.
    pub flag_deadline: Option<DateTime<Utc>>,
    pub name_decision: Option<String>,
    pub name_rejection: Option<String>,
    pub throughput: Option<String>,
    pub upgrade: Option<UpgradeProgress>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub waba_id: String,
    pub portfolio_limit: Option<String>,
    pub ban_state: Option<String>,
    pub ban_date: Option<String>,
    pub restrictions: Vec<(String, Option<DateTime<Utc>>)>,
    pub violation: Option<String>,
    pub last_event: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowView {
    pub number: String,
    /// The first characters of the user's keyed hash (numbers are not kept).
    pub user: String,
    pub csw_closes: Option<DateTime<Utc>>,
    pub fep_closes: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: String,
    pub tenant: String,
    pub tenant_name: Option<String>,
    pub kind: String,
    pub severity: String,
    pub subject_type: String,
    pub subject: String,
    pub link: String,
    pub status: String,
    pub detail: String,
    pub opened_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// What resolved it, when the platform did (a later event).
    pub resolution: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertPrefs {
    pub subscribed: bool,
    pub critical: String,
    pub warning: String,
    pub info: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: String,
    pub tenant: Option<String>,
    pub field: String,
    pub waba_id: String,
    /// The payload as the platform sent it, end customers' numbers hashed and names removed:
    /// admins only (`None` for other roles and once purged).
    pub payload: Option<String>,
    /// The raw payload was purged after `RAW_RETENTION_DAYS`.
    pub purged: bool,
    pub status: String,
    pub result: Option<String>,
    pub attempts: i32,
    pub time: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub rows: Vec<EventRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

//! The review queue and the review page of one revision, and bulk decisions.

use super::templates::{TemplateDetail, TemplateRow};
use crate::domain::ids::{TemplateId, TenantId};
use crate::domain::template::status::TemplateStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A page of the review queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub page: u32,
    pub has_next: bool,
    /// Tenants for the filter (id, display name).
    pub tenants: Vec<(TenantId, String)>,
    pub sla: crate::domain::template::review::SlaPolicy,
}

/// What a reviewer sees on the review page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub detail: TemplateDetail,
    pub tenant_name: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub age: String,
    pub sla: crate::domain::template::review::Sla,
    /// Who holds the revision now (possibly the viewer).
    pub claim: Option<crate::domain::template::review::Claim>,
    /// The viewer holds the claim and may decide.
    pub claimed_by_me: bool,
    /// The tenant's other templates.
    pub others: Vec<TemplateRow>,
    /// The tenant's past rejections and change requests, newest first.
    pub past: Vec<PastDecision>,
    /// The tenant's messaging-policy checklist is complete.
    pub compliance_complete: bool,
    /// The diff against the last rejected or changes-requested revision of this template.
    pub diff: Option<(i32, Vec<crate::domain::template::diff::ComponentDiff>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastDecision {
    pub template: TemplateId,
    pub name: String,
    pub language: String,
    pub revision: i32,
    pub status: TemplateStatus,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Result of a bulk decision: what was decided and what was refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub decided: u32,
    pub refused: Vec<(String, AppErrorText)>,
}

/// An error as text (bulk results list a reason per refused row).
pub type AppErrorText = String;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub tenant: TenantId,
    pub tenant_name: String,
    pub template: TemplateId,
    pub name: String,
    pub language: String,
    pub category: String,
    pub revision: i32,
    pub submitted_at: DateTime<Utc>,
    pub error_count: i32,
    pub warning_count: i32,
    pub age: String,
    pub sla: crate::domain::template::review::Sla,
    pub claim: Option<crate::domain::template::review::Claim>,
}

//! Templates: rows, details with findings and samples, revisions, link domains, the builder.

use crate::domain::ids::{TemplateId, TenantId};
use crate::domain::template::lint::Severity;
use crate::domain::template::model::CreateTemplate;
use crate::domain::template::status::TemplateStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub id: TemplateId,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: TemplateStatus,
    pub revision: i32,
    pub error_count: i32,
    pub warning_count: i32,
}

/// A lint finding as sent to the browser (the UI turns `rule` and `args` into text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    pub rule: String,
    pub severity: Severity,
    pub component: String,
    /// Character span in the component's text, for inline highlighting.
    pub span: Option<(usize, usize)>,
    pub args: Vec<String>,
    /// The reviewer's comment on this finding, if any.
    pub comment: Option<String>,
}

impl FindingView {
    /// The key reviewers' comments are attached to: `rule@component`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.rule, self.component)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub id: TemplateId,
    pub tenant: TenantId,
    pub status: TemplateStatus,
    pub revision: i32,
    pub content: CreateTemplate,
    pub findings: Vec<FindingView>,
    pub can_submit: bool,
    /// The viewer may edit it (a draft in place, otherwise as a new revision).
    pub can_edit: bool,
    /// The viewer may decide (staff reviewer or admin, revision in BSP review).
    pub can_review: bool,
    /// The last decision's reason and note, shown to the tenant.
    pub reason: Option<String>,
    pub note: Option<String>,
    /// Per-finding comments of a change request that match no current finding.
    pub comments: Vec<crate::domain::template::review::FindingComment>,
    /// The tenant agreed that the BSP may change the category.
    pub category_consent: bool,
    /// The category before a reviewer changed it.
    pub previous_category: Option<String>,
    /// The platform's id once the revision was sent; the last sending error, if any.
    pub platform_id: Option<String>,
    pub submit_error: Option<String>,
    /// Staff may mark a BSP-approved revision as submitted (no Graph API configured).
    pub can_mark_submitted: bool,
    /// Approved revisions are sent by the Graph API client (configured).
    pub graph_configured: bool,
    /// The media header's sample, when the template has a media header.
    pub sample: Option<SampleView>,
}

/// A media header's sample: what it takes and what it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampleView {
    pub kind: crate::domain::template::media::MediaKind,
    /// The handle or URL given in the builder, if it is not a file kept here.
    pub handle: Option<String>,
    /// A file kept here: (id, content type, bytes).
    pub stored: Option<(String, String, i32)>,
}

/// One revision in a template's history, with what changed from the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionView {
    pub number: i32,
    pub status: TemplateStatus,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub content: CreateTemplate,
    pub changes: Vec<crate::domain::template::diff::ComponentDiff>,
}

/// A link domain the tenant declared; verified by BSP staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainRow {
    pub id: uuid::Uuid,
    pub domain: String,
    pub verified_at: Option<DateTime<Utc>>,
}

/// What the template builder needs from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuilderInfo {
    pub tenant: String,
    /// Verified link domains, for the live pre-check.
    pub verified_domains: Vec<String>,
}

//! Outgoing email as data: typed message kinds, written to the outbox in the same
//! transaction as the change that causes them, and sent later by the server's job.

use crate::domain::{
    ids::TenantId,
    locale::Locale,
    roles::{StaffRole, TenantRole},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Every kind of email the console sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EmailMessage {
    /// An invitation to join a tenant: carries the accept link (with its secret token).
    Invitation {
        tenant_name: String,
        inviter: String,
        role: TenantRole,
        accept_url: String,
        expires_at: DateTime<Utc>,
    },
    /// A reviewer decided on a template: approved, changes requested, or rejected.
    TemplateDecision {
        tenant_name: String,
        template: String,
        language: String,
        decision: String,
        reason: Option<String>,
        note: Option<String>,
        url: String,
    },
    /// An invitation to join the BSP's staff.
    StaffInvitation {
        inviter: String,
        role: StaffRole,
        accept_url: String,
        expires_at: DateTime<Utc>,
    },
    /// Trouble the platform reported (a template paused, a number flagged …).
    Alert {
        tenant_name: String,
        alert: String,
        severity: String,
        subject: String,
        detail: String,
        url: String,
        /// What had already resolved it when it was raised (a later event of the platform).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resolved: Option<String>,
    },
    /// The alerts of a day, for users who chose a digest.
    AlertDigest {
        tenant_name: String,
        items: Vec<DigestItem>,
        url: String,
    },
}

/// One alert in a digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestItem {
    pub kind: String,
    pub severity: String,
    pub subject: String,
    pub url: String,
    /// What had already resolved it, when the platform did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
}

impl EmailMessage {
    pub fn kind(&self) -> &'static str {
        match self {
            EmailMessage::Invitation { .. } => "invitation",
            EmailMessage::StaffInvitation { .. } => "staff_invitation",
            EmailMessage::TemplateDecision { .. } => "template_decision",
            EmailMessage::Alert { .. } => "alert",
            EmailMessage::AlertDigest { .. } => "alert_digest",
        }
    }
}

/// An email ready to go out.
#[derive(Clone, Debug)]
pub struct NewEmail {
    pub tenant: Option<TenantId>,
    pub recipient: String,
    pub locale: Locale,
    pub message: EmailMessage,
}

/// A claimed outbox row for the sender.
#[derive(Clone, Debug)]
pub struct ClaimedEmail {
    pub id: crate::domain::ids::EmailId,
    pub recipient: String,
    pub locale: Locale,
    pub message: Option<EmailMessage>,
    pub attempts: i32,
}

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
    /// Someone is guessing at the account's password from browsers it never signed in from:
    /// such attempts now wait (the user's own browsers are not affected).
    SignInGuessing {
        failures: u32,
        wait_minutes: u32,
        url: String,
    },
    /// A link to choose a new password (with its secret token), valid until `expires_at`.
    PasswordReset {
        url: String,
        expires_at: DateTime<Utc>,
    },
    /// The account's password was changed (or reset): if that was not its owner, they know.
    PasswordChanged { url: String },
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
    /// The message as it is kept once sent: a link that carries a secret (an invitation's
    /// token, which creates an account, an admin's included) is not kept where a backup could
    /// give it away. `None`: kept as it is.
    pub fn as_kept(&self) -> Option<EmailMessage> {
        let mut kept = self.clone();
        match &mut kept {
            EmailMessage::Invitation { accept_url, .. }
            | EmailMessage::StaffInvitation { accept_url, .. } => accept_url.clear(),
            EmailMessage::PasswordReset { url, .. } => url.clear(),
            _ => return None,
        }
        Some(kept)
    }

    /// Kinds whose sent copy has lost its link: sending them again would send no link.
    pub fn kind_carries_a_secret(kind: &str) -> bool {
        matches!(kind, "invitation" | "staff_invitation" | "password_reset")
    }

    pub fn kind(&self) -> &'static str {
        match self {
            EmailMessage::Invitation { .. } => "invitation",
            EmailMessage::StaffInvitation { .. } => "staff_invitation",
            EmailMessage::TemplateDecision { .. } => "template_decision",
            EmailMessage::Alert { .. } => "alert",
            EmailMessage::AlertDigest { .. } => "alert_digest",
            EmailMessage::SignInGuessing { .. } => "sign_in_guessing",
            EmailMessage::PasswordReset { .. } => "password_reset",
            EmailMessage::PasswordChanged { .. } => "password_changed",
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

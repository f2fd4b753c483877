//! What a change means: one variant per kind, each with its fields as a struct.

use super::{
    envelope::*,
    messages::*,
    vocabulary::{
        AccountEvent, AlertEntity, AlertSeverity, AlertStatus, AlertType, BanState, NameDecision,
        NumberEvent,
    },
};
use crate::domain::{
    messaging_tier::{Quality, Tier},
    template::status::PlatformEvent,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which template a change is about: the platform's id, and name + language as a fallback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub platform_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
}

/// A category change of a template (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/template_category_update).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CategoryChange {
    /// 24 h notice: the template moves to `correct` at `at`.
    Impending {
        correct: String,
        at: Option<DateTime<Utc>>,
    },
    Completed {
        previous: Option<String>,
        new: String,
    },
}

/// What a change means: one variant per kind, each with its fields as a struct (the
/// handler of a kind takes that struct).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    TemplateStatus(TemplateStatusChange),
    TemplateQuality(TemplateQualityChange),
    TemplateCategory(TemplateCategoryChange),
    NumberQuality(NumberQualityChange),
    NumberName(NumberNameChange),
    Capability(CapabilityChange),
    Account(AccountChange),
    AccountAlert(AccountAlertChange),
    Security(SecurityChange),
    /// What the console's own poll of the number read (field [`NUMBER_HEALTH`]): the
    /// platform's current status, quality and limits, each absent when not reported.
    NumberHealth(NumberHealthChange),
    Messages(MessagesChange),
    /// A field this console does not act on (kept in the log as unmatched).
    Unknown,
}

/// The fields of [`Change::TemplateStatus`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateStatusChange {
    pub template: TemplateRef,
    pub event: Option<PlatformEvent>,
    pub raw_event: String,
    pub reason: Option<String>,
    /// `rejection_info` (reason, recommendation).
    pub rejection: Option<(String, String)>,
    /// `other_info.title` (FIRST_PAUSE, SECOND_PAUSE, RATE_LIMITING_PAUSE, UNPAUSE, DISABLED).
    pub pause_title: Option<String>,
    pub description: Option<String>,
    pub disable_date: Option<DateTime<Utc>>,
}

/// The fields of [`Change::TemplateQuality`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateQualityChange {
    pub template: TemplateRef,
    pub previous: Option<Quality>,
    pub new: Quality,
}

/// The fields of [`Change::TemplateCategory`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateCategoryChange {
    pub template: TemplateRef,
    pub change: CategoryChange,
}

/// The fields of [`Change::NumberQuality`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberQualityChange {
    pub display_phone_number: String,
    pub event: NumberEvent,
    pub current_limit: Option<Tier>,
    pub old_limit: Option<Tier>,
    pub portfolio_limit: Option<Tier>,
}

/// The fields of [`Change::NumberName`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberNameChange {
    pub display_phone_number: String,
    pub decision: NameDecision,
    pub requested_name: Option<String>,
    pub rejection_reason: Option<String>,
}

/// The fields of [`Change::Capability`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapabilityChange {
    pub portfolio_limit: Option<Tier>,
    pub per_phone_limit: Option<Tier>,
    pub max_phone_numbers: Option<i64>,
}

/// The fields of [`Change::Account`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountChange {
    pub event: AccountEvent,
    pub ban_state: Option<BanState>,
    pub ban_date: Option<String>,
    pub violation: Option<String>,
    pub restrictions: Vec<(String, Option<DateTime<Utc>>)>,
}

/// The fields of [`Change::AccountAlert`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountAlertChange {
    pub entity_type: AlertEntity,
    pub entity_id: String,
    pub severity: AlertSeverity,
    pub status: AlertStatus,
    pub alert_type: AlertType,
    pub description: Option<String>,
}

/// The fields of [`Change::Security`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityChange {
    pub display_phone_number: String,
    pub event: String,
}

/// What the console's own poll of the number read (field [`NUMBER_HEALTH`]): the
/// platform's current status, quality and limits, each absent when not reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberHealthChange {
    pub display_phone_number: String,
    pub status: Option<String>,
    pub quality: Option<Quality>,
    pub tier: Option<Tier>,
    pub portfolio_limit: Option<Tier>,
    pub throughput_high: Option<bool>,
}

/// The fields of [`Change::Messages`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessagesChange {
    pub statuses: Vec<StatusUpdate>,
    pub inbound: Vec<Inbound>,
}

/// The console's own field for a number's health as its poll of
/// `GET /{phone-number-id}?fields=…` read it (https://developers.facebook.com/docs/whatsapp/business-phone-numbers/phone-numbers): status `RESTRICTED` and quality
/// `RED` are reported there, not by webhooks. Stored and folded like a webhook change.
pub const NUMBER_HEALTH: &str = "number_health";

/// The fields the poll asks for.
pub const NUMBER_HEALTH_FIELDS: &str = "display_phone_number,status,quality_rating,quality_score,messaging_limit_tier,whatsapp_business_manager_messaging_limit,throughput";

impl TemplateRef {
    pub(super) fn of(v: &Value) -> Self {
        Self {
            platform_id: text(v, "message_template_id"),
            name: text(v, "message_template_name"),
            language: text(v, "message_template_language"),
        }
    }
}

impl Change {
    /// A template status event as a template's history keeps it (its event only): the input
    /// of the template's incident rule.
    pub fn of_template_event(template: &TemplateRef, raw_event: &str) -> Change {
        Change::TemplateStatus(TemplateStatusChange {
            template: template.clone(),
            event: PlatformEvent::parse(raw_event),
            raw_event: raw_event.to_owned(),
            reason: None,
            rejection: None,
            pause_title: None,
            description: None,
            disable_date: None,
        })
    }
}

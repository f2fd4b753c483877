//! What the platform's webhooks say (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/), as typed values: the envelope split into
//! changes, each change read into what it means for a template, a number or an account.
//! Pure: no I/O; unknown shapes become `Change::Unknown`, never a panic.

use super::{
    messaging_tier::{Quality, Tier},
    template::status::{PlatformEvent, TemplateStatus},
};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod incidents;
pub mod vocabulary;

pub use vocabulary::{AccountEvent, BanState, NumberEvent};

/// One change of a delivery, as stored before processing.
#[derive(Clone, Debug, PartialEq)]
pub struct RawChange {
    /// `entry[].id`: the WhatsApp business account.
    pub waba_id: String,
    pub field: String,
    /// `value.metadata.phone_number_id` (the `messages` field).
    pub phone_number_id: Option<String>,
    /// `entry[].time`, or the latest status/message timestamp inside `messages`.
    pub time: Option<DateTime<Utc>>,
    /// The change's `value`, re-serialised compactly (the raw delivery is kept as received).
    pub value: String,
}

impl RawChange {
    /// See [`statuses_only`].
    pub fn statuses_only(&self) -> bool {
        statuses_only(&self.field, self.phone_number_id.as_deref(), &self.value)
    }
}

/// A `messages` change of a known number that carries statuses and nothing else (most of the
/// traffic). Its effects merge in any order (the furthest status, the earliest time of each
/// step, the first pricing), so such changes may be applied by several workers at once; every
/// other change (inbound messages, templates, numbers, accounts) is applied in event order.
pub fn statuses_only(field: &str, phone_number_id: Option<&str>, value: &str) -> bool {
    field == "messages"
        && phone_number_id.is_some()
        && value.contains("\"statuses\"")
        && !value.contains("\"messages\"")
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is not a WhatsApp webhook: {0}")]
    Shape(&'static str),
}

/// Splits a delivery body into its changes.
pub fn split(body: &[u8]) -> Result<Vec<RawChange>, EnvelopeError> {
    Ok(split_parsed(body)?.into_iter().map(|(c, _)| c).collect())
}

/// [`split`], each change with its `value` parsed (the processor reads it at once).
pub fn split_parsed(body: &[u8]) -> Result<Vec<(RawChange, Value)>, EnvelopeError> {
    let doc: Value =
        serde_json::from_slice(body).map_err(|e| EnvelopeError::NotJson(e.to_string()))?;
    let entries = doc
        .get("entry")
        .and_then(Value::as_array)
        .ok_or(EnvelopeError::Shape("no entry list"))?;
    let mut out = Vec::new();
    for entry in entries {
        let waba_id = match entry.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(EnvelopeError::Shape("an entry has no id")),
        };
        let entry_time = entry.get("time").and_then(unix);
        let changes = entry
            .get("changes")
            .and_then(Value::as_array)
            .ok_or(EnvelopeError::Shape("an entry has no changes"))?;
        for c in changes {
            let field = c
                .get("field")
                .and_then(Value::as_str)
                .ok_or(EnvelopeError::Shape("a change has no field"))?
                .to_owned();
            let value = c.get("value").cloned().unwrap_or(Value::Null);
            let phone_number_id = value.pointer("/metadata/phone_number_id").and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            });
            let time = entry_time.or_else(|| latest_inner_time(&value));
            let text = value.to_string();
            out.push((
                RawChange {
                    waba_id: waba_id.clone(),
                    field,
                    phone_number_id,
                    time,
                    value: text,
                },
                value,
            ));
        }
    }
    Ok(out)
}

fn latest_inner_time(value: &Value) -> Option<DateTime<Utc>> {
    ["statuses", "messages"]
        .iter()
        .filter_map(|k| value.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|s| s.get("timestamp").and_then(unix))
        .max()
}

/// A unix time given as a number or a numeric string.
pub fn unix(v: &Value) -> Option<DateTime<Utc>> {
    let secs = match v {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    DateTime::from_timestamp(secs, 0)
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Which template a change is about: the platform's id, and name + language as a fallback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub platform_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
}

impl TemplateRef {
    fn of(v: &Value) -> Self {
        Self {
            platform_id: text(v, "message_template_id"),
            name: text(v, "message_template_name"),
            language: text(v, "message_template_language"),
        }
    }
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

/// A message status (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    pub wamid: String,
    pub status: DeliveryStatus,
    pub at: Option<DateTime<Utc>>,
    pub recipient: String,
    pub pricing: Option<Pricing>,
    pub error_code: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    pub billable: Option<bool>,
    pub model: Option<String>,
    /// `regular`, `free_customer_service`, `free_entry_point` …
    pub kind: Option<String>,
    /// Lower case, underscores (`authentication-international` is read as `authentication_international`).
    pub category: Option<String>,
    /// The status's `conversation.id`: conversation-based pricing (`CBP`) charges a conversation
    /// once, however many messages it holds; since 2025-07 the id is per message (or per FEP window).
    pub conversation: Option<String>,
}

/// Message statuses move forward only: a late `delivered` after `read` changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

impl DeliveryStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,
            "played" => Self::Played,
            "failed" => Self::Failed,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Played => "played",
            Self::Failed => "failed",
        }
    }

    /// Rank for "never regress": failed ranks above sent but a delivered/read message cannot
    /// fail afterwards.
    pub fn rank(self) -> u8 {
        match self {
            Self::Sent => 1,
            Self::Failed => 2,
            Self::Delivered => 3,
            Self::Read => 4,
            Self::Played => 5,
        }
    }
}

/// A message as its statuses say: the highest status, the earliest time of each step, the
/// first pricing and error seen. Merging in any order gives the same state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageState {
    pub wamid: String,
    pub status: DeliveryStatus,
    pub pricing: Option<Pricing>,
    pub error_code: Option<i64>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

impl MessageState {
    /// The state after its first status.
    pub fn of(first: &StatusUpdate) -> Self {
        let mut m = Self {
            wamid: first.wamid.clone(),
            status: first.status,
            pricing: None,
            error_code: None,
            sent_at: None,
            delivered_at: None,
            read_at: None,
            failed_at: None,
        };
        m.add(first);
        m
    }

    pub fn add(&mut self, s: &StatusUpdate) {
        use DeliveryStatus as D;
        if s.status.rank() > self.status.rank() {
            self.status = s.status;
        }
        let slot = match s.status {
            D::Sent => &mut self.sent_at,
            D::Delivered => &mut self.delivered_at,
            D::Read | D::Played => &mut self.read_at,
            D::Failed => &mut self.failed_at,
        };
        *slot = earliest(*slot, s.at);
        if self.pricing.is_none() {
            self.pricing = s.pricing.clone();
        }
        if self.error_code.is_none() {
            self.error_code = s.error_code;
        }
    }
}

/// An inbound message from a user (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages): opens the customer-service window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    /// `from` (phone) or the business-scoped user id when `from` is empty.
    pub user: String,
    pub at: DateTime<Utc>,
    /// Came from a Click-to-WhatsApp ad or page button (`referral`): free entry point.
    pub referral: bool,
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
    pub decision: String,
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
    pub entity_type: String,
    pub entity_id: String,
    pub severity: String,
    pub status: String,
    pub alert_type: String,
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

/// Normalises a pricing category (`authentication-international` → `authentication_international`).
pub fn pricing_category(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace('-', "_")
}

/// The console's own field for a number's health as its poll of
/// `GET /{phone-number-id}?fields=…` read it (https://developers.facebook.com/docs/whatsapp/business-phone-numbers/phone-numbers): status `RESTRICTED` and quality
/// `RED` are reported there, not by webhooks. Stored and folded like a webhook change.
pub const NUMBER_HEALTH: &str = "number_health";

/// The fields the poll asks for.
pub const NUMBER_HEALTH_FIELDS: &str = "display_phone_number,status,quality_rating,quality_score,messaging_limit_tier,whatsapp_business_manager_messaging_limit,throughput";

/// Reads a stored change.
pub fn interpret(field: &str, value: &Value) -> Change {
    match field {
        NUMBER_HEALTH => Change::NumberHealth(NumberHealthChange {
            display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
            status: text(value, "status")
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty()),
            quality: text(value, "quality_rating")
                .as_deref()
                .and_then(Quality::parse)
                .or_else(|| {
                    value
                        .pointer("/quality_score/score")
                        .and_then(Value::as_str)
                        .and_then(Quality::parse)
                }),
            tier: value.get("messaging_limit_tier").and_then(Tier::parse),
            portfolio_limit: value
                .get("whatsapp_business_manager_messaging_limit")
                .and_then(Tier::parse),
            throughput_high: value
                .pointer("/throughput/level")
                .and_then(Value::as_str)
                .map(|l| l.eq_ignore_ascii_case("HIGH")),
        }),
        "message_template_status_update" => {
            let raw_event = text(value, "event").unwrap_or_default();
            let rejection = value.get("rejection_info").map(|r| {
                (
                    text(r, "reason").unwrap_or_default(),
                    text(r, "recommendation").unwrap_or_default(),
                )
            });
            let other = value.get("other_info");
            Change::TemplateStatus(TemplateStatusChange {
                template: TemplateRef::of(value),
                event: PlatformEvent::parse(&raw_event),
                raw_event,
                reason: text(value, "reason").filter(|r| r != "NONE"),
                rejection,
                pause_title: other.and_then(|o| text(o, "title")),
                description: other.and_then(|o| text(o, "description")),
                disable_date: value.pointer("/disable_info/disable_date").and_then(unix),
            })
        }
        // Meta's own example labels quality updates as status updates: both are read by shape.
        "message_template_quality_update" => match text(value, "new_quality_score")
            .as_deref()
            .and_then(Quality::parse)
        {
            Some(new) => Change::TemplateQuality(TemplateQualityChange {
                template: TemplateRef::of(value),
                previous: text(value, "previous_quality_score")
                    .as_deref()
                    .and_then(Quality::parse),
                new,
            }),
            None => Change::Unknown,
        },
        "template_category_update" => {
            let template = TemplateRef::of(value);
            let change = match (
                text(value, "correct_category"),
                text(value, "previous_category"),
                text(value, "new_category"),
            ) {
                (Some(correct), _, _) => CategoryChange::Impending {
                    correct,
                    at: value.get("category_update_timestamp").and_then(unix),
                },
                (None, previous, Some(new)) => CategoryChange::Completed { previous, new },
                _ => return Change::Unknown,
            };
            Change::TemplateCategory(TemplateCategoryChange { template, change })
        }
        "phone_number_quality_update" => Change::NumberQuality(NumberQualityChange {
            display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
            event: NumberEvent::parse(&text(value, "event").unwrap_or_default()),
            current_limit: value.get("current_limit").and_then(Tier::parse),
            old_limit: value.get("old_limit").and_then(Tier::parse),
            portfolio_limit: value
                .get("max_daily_conversations_per_business")
                .and_then(Tier::parse),
        }),
        "phone_number_name_update" => Change::NumberName(NumberNameChange {
            display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
            decision: text(value, "decision")
                .unwrap_or_default()
                .to_ascii_uppercase(),
            requested_name: text(value, "requested_verified_name"),
            rejection_reason: text(value, "rejection_reason"),
        }),
        "business_capability_update" => Change::Capability(CapabilityChange {
            portfolio_limit: value
                .get("max_daily_conversations_per_business")
                .and_then(Tier::parse),
            per_phone_limit: value
                .get("max_daily_conversation_per_phone")
                .and_then(Tier::parse),
            max_phone_numbers: value
                .get("max_phone_numbers_per_business")
                .and_then(Value::as_i64),
        }),
        "account_update" => Change::Account(AccountChange {
            event: AccountEvent::parse(&text(value, "event").unwrap_or_default()),
            ban_state: value
                .get("ban_info")
                .and_then(|b| text(b, "waba_ban_state"))
                .map(|b| BanState::parse(&b)),
            ban_date: value.get("ban_info").and_then(|b| text(b, "waba_ban_date")),
            violation: value
                .get("violation_info")
                .and_then(|b| text(b, "violation_type")),
            restrictions: value
                .get("restriction_info")
                .and_then(Value::as_array)
                .map(|rs| {
                    rs.iter()
                        .filter_map(|r| {
                            Some((
                                text(r, "restriction_type")?,
                                r.get("expiration").and_then(unix),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }),
        "account_alerts" => {
            let info = value.get("alert_info").cloned().unwrap_or(Value::Null);
            Change::AccountAlert(AccountAlertChange {
                entity_type: text(value, "entity_type").unwrap_or_default(),
                entity_id: text(value, "entity_id").unwrap_or_default(),
                severity: text(&info, "alert_severity")
                    .unwrap_or_else(|| "INFORMATIONAL".into())
                    .to_ascii_uppercase(),
                status: text(&info, "alert_status")
                    .unwrap_or_else(|| "ACTIVE".into())
                    .to_ascii_uppercase(),
                alert_type: text(&info, "alert_type").unwrap_or_default(),
                description: text(&info, "alert_description"),
            })
        }
        "security" => Change::Security(SecurityChange {
            display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
            event: text(value, "event")
                .unwrap_or_default()
                .to_ascii_uppercase(),
        }),
        "messages" => Change::Messages(MessagesChange {
            statuses: statuses(value),
            inbound: inbound(value),
        }),
        _ => Change::Unknown,
    }
}

fn statuses(value: &Value) -> Vec<StatusUpdate> {
    let Some(list) = value.get("statuses").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|s| {
            let pricing = s.get("pricing").map(|p| Pricing {
                billable: p.get("billable").and_then(Value::as_bool),
                model: text(p, "pricing_model"),
                kind: text(p, "type").map(|t| t.to_ascii_lowercase()),
                category: text(p, "category").map(|c| pricing_category(&c)),
                conversation: s
                    .pointer("/conversation/id")
                    .and_then(Value::as_str)
                    .map(|id| id.trim().chars().take(128).collect::<String>())
                    .filter(|id| !id.is_empty()),
            });
            Some(StatusUpdate {
                wamid: text(s, "id")?,
                status: DeliveryStatus::parse(s.get("status")?.as_str()?)?,
                at: s.get("timestamp").and_then(unix),
                recipient: text(s, "recipient_id")
                    .or_else(|| text(s, "recipient_user_id"))
                    .unwrap_or_default(),
                pricing,
                error_code: s.pointer("/errors/0/code").and_then(Value::as_i64),
            })
        })
        .collect()
}

fn inbound(value: &Value) -> Vec<Inbound> {
    let Some(list) = value.get("messages").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|m| {
            let user = text(m, "from").or_else(|| text(m, "user_id"))?;
            Some(Inbound {
                user,
                at: m.get("timestamp").and_then(unix)?,
                referral: m.get("referral").is_some(),
            })
        })
        .collect()
}

/// Same-second ties between template statuses: the later step of the life cycle wins.
fn lifecycle_rank(s: TemplateStatus) -> u8 {
    use TemplateStatus::*;
    match s {
        Pending => 1,
        Approved => 2,
        Rejected => 3,
        Flagged => 4,
        Locked => 5,
        Paused => 6,
        InAppeal => 7,
        Disabled => 8,
        LimitExceeded => 9,
        Archived => 10,
        PendingDeletion => 11,
        Deleted => 12,
        _ => 0,
    }
}

/// Whether a template status event announcing `to` at `at` is older than the current status
/// `current` set at `current_at` (then it is history only). The platform's order of delivery
/// is not guaranteed; the event time decides, and within one second the later step wins.
pub fn is_stale(
    at: DateTime<Utc>,
    to: TemplateStatus,
    current_at: DateTime<Utc>,
    current: TemplateStatus,
) -> bool {
    at < current_at || (at == current_at && lifecycle_rank(to) < lifecycle_rank(current))
}

/// What happens next to a paused or disabled template (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/template-pausing): the pause ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseOutlook {
    /// First pause: 3 hours; a second drop to low quality pauses for 6 hours.
    FirstPause {
        until: DateTime<Utc>,
    },
    /// Second pause: 6 hours; a third drop disables the template.
    SecondPause {
        until: DateTime<Utc>,
    },
    /// Paused by pacing: stays paused until unpaused by hand.
    RateLimited,
    Disabled {
        on: Option<DateTime<Utc>>,
    },
}

/// Reads a pause: its title when given, else the count of pauses so far (including this one).
pub fn pause_outlook(title: Option<&str>, pauses_so_far: u32, at: DateTime<Utc>) -> PauseOutlook {
    match title.map(str::to_ascii_uppercase).as_deref() {
        Some("FIRST_PAUSE") => PauseOutlook::FirstPause {
            until: at + TimeDelta::hours(3),
        },
        Some("SECOND_PAUSE") => PauseOutlook::SecondPause {
            until: at + TimeDelta::hours(6),
        },
        Some("RATE_LIMITING_PAUSE") => PauseOutlook::RateLimited,
        Some("DISABLED") => PauseOutlook::Disabled { on: Some(at) },
        _ if pauses_so_far >= 3 => PauseOutlook::Disabled { on: Some(at) },
        _ if pauses_so_far == 2 => PauseOutlook::SecondPause {
            until: at + TimeDelta::hours(6),
        },
        _ => PauseOutlook::FirstPause {
            until: at + TimeDelta::hours(3),
        },
    }
}

impl PauseOutlook {
    pub fn until(self) -> Option<DateTime<Utc>> {
        match self {
            PauseOutlook::FirstPause { until } | PauseOutlook::SecondPause { until } => Some(until),
            _ => None,
        }
    }
}

/// A number's state as its quality events say, folded in time order (ties broken by a stable
/// key): the same events give the same state whatever order they arrived in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumberState {
    pub status: Option<String>,
    pub quality: Option<Quality>,
    pub tier: Option<Tier>,
    /// When the current FLAGGED period began.
    pub flagged_at: Option<DateTime<Utc>>,
    pub throughput_high: bool,
    pub portfolio_limit: Option<Tier>,
    /// The time of the latest event.
    pub at: Option<DateTime<Utc>>,
}

/// Folds a number's `phone_number_quality_update` changes and the console's health snapshots
/// ([`NUMBER_HEALTH`]), sorted by (time, key) by the caller.
pub fn fold_number<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Change)>,
) -> NumberState {
    let mut s = NumberState::default();
    for (at, c) in events {
        if let Change::NumberHealth(NumberHealthChange {
            status,
            quality,
            tier,
            portfolio_limit,
            throughput_high,
            ..
        }) = c
        {
            // A snapshot: what it reports replaces what the events said.
            s.at = Some(at);
            if let Some(st) = status {
                s.flagged_at = if st == "FLAGGED" {
                    s.flagged_at.or(Some(at))
                } else {
                    None
                };
                s.status = Some(st.clone());
            }
            s.quality = (*quality).or(s.quality);
            s.tier = (*tier).or(s.tier);
            s.portfolio_limit = (*portfolio_limit).or(s.portfolio_limit);
            s.throughput_high = throughput_high.unwrap_or(s.throughput_high);
            continue;
        }
        let Change::NumberQuality(NumberQualityChange {
            event,
            current_limit,
            portfolio_limit,
            ..
        }) = c
        else {
            continue;
        };
        s.at = Some(at);
        if current_limit.is_some() {
            s.tier = *current_limit;
        }
        if portfolio_limit.is_some() {
            s.portfolio_limit = *portfolio_limit;
        }
        match event {
            NumberEvent::Flagged => {
                s.status = Some("FLAGGED".into());
                s.quality = Some(Quality::Red);
                s.flagged_at = s.flagged_at.or(Some(at));
            }
            NumberEvent::Unflagged | NumberEvent::Downgrade => {
                s.status = Some("CONNECTED".into());
                s.flagged_at = None;
            }
            NumberEvent::ThroughputUpgrade => s.throughput_high = true,
            _ => {}
        }
    }
    s
}

/// An account's state as its `account_update` changes say, folded in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    pub last_event: Option<String>,
    pub violation: Option<String>,
    pub restrictions: Vec<(String, Option<DateTime<Utc>>)>,
    pub ban_state: Option<String>,
    pub ban_date: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

pub fn fold_account<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Change)>,
) -> AccountState {
    let mut s = AccountState::default();
    for (at, c) in events {
        let Change::Account(AccountChange {
            event,
            ban_state,
            ban_date,
            violation,
            restrictions,
        }) = c
        else {
            continue;
        };
        s.at = Some(at);
        s.last_event = Some(event.code().to_owned());
        match event {
            AccountEvent::AccountViolation => {
                s.violation = violation.clone().or_else(|| Some(event.code().to_owned()))
            }
            AccountEvent::AccountRestriction => s.restrictions = restrictions.clone(),
            AccountEvent::DisabledUpdate => {
                s.ban_state = ban_state.as_ref().map(|b| b.code().to_owned());
                s.ban_date = ban_date.clone();
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(s, 0).unwrap_or_default()
    }

    #[test]
    fn split_reads_every_entry_and_change() {
        let body = json!({"object":"whatsapp_business_account","entry":[
            {"id":"1","time":1783003250,"changes":[{"field":"account_update","value":{"event":"PARTNER_ADDED"}},{"field":"security","value":{"event":"PIN_CHANGED"}}]},
            {"id":2,"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"77"},"statuses":[{"id":"w","status":"sent","timestamp":"1783003370","recipient_id":"1"}]}}]}
        ]});
        let changes = split(body.to_string().as_bytes()).unwrap_or_default();
        assert_eq!(changes.len(), 3);
        assert_eq!(
            (
                changes[0].waba_id.as_str(),
                changes[0].field.as_str(),
                changes[0].time
            ),
            ("1", "account_update", Some(at(1_783_003_250)))
        );
        assert_eq!(
            (
                changes[2].waba_id.as_str(),
                changes[2].phone_number_id.as_deref(),
                changes[2].time
            ),
            ("2", Some("77"), Some(at(1_783_003_370)))
        );
    }

    #[test]
    fn only_status_changes_of_a_known_number_are_unordered() {
        let statuses =
            r#"{"metadata":{"phone_number_id":"77"},"statuses":[{"id":"w","status":"sent"}]}"#;
        assert!(statuses_only("messages", Some("77"), statuses));
        assert!(
            !statuses_only("messages", None, statuses),
            "no number: matched one by one"
        );
        assert!(
            !statuses_only(
                "messages",
                Some("77"),
                r#"{"statuses":[],"messages":[{"from":"1"}]}"#
            ),
            "an inbound message opens a window"
        );
        assert!(!statuses_only(
            "message_template_status_update",
            Some("77"),
            statuses
        ));
    }

    #[test]
    fn split_refuses_what_is_not_a_webhook() {
        assert!(matches!(
            split(b"{not json"),
            Err(EnvelopeError::NotJson(_))
        ));
        assert_eq!(split(b"[]"), Err(EnvelopeError::Shape("no entry list")));
        assert_eq!(
            split(br#"{"entry":[{"changes":[]}]}"#),
            Err(EnvelopeError::Shape("an entry has no id"))
        );
        assert_eq!(
            split(br#"{"entry":[{"id":"1","changes":[{"value":{}}]}]}"#),
            Err(EnvelopeError::Shape("a change has no field"))
        );
        assert_eq!(split(br#"{"entry":[]}"#), Ok(vec![]));
    }

    #[test]
    fn template_status_reads_rejection_pause_and_disable() {
        let c = interpret(
            "message_template_status_update",
            &json!({"event":"DISABLED","message_template_id":17,"message_template_name":"n","message_template_language":"pt_BR","reason":"NONE",
                    "disable_info":{"disable_date":"1783262450"},"other_info":{"title":"DISABLED","description":"d"}}),
        );
        let Change::TemplateStatus(TemplateStatusChange {
            template,
            event,
            reason,
            disable_date,
            pause_title,
            ..
        }) = c
        else {
            panic!("wrong kind")
        };
        assert_eq!(template.platform_id.as_deref(), Some("17"));
        assert_eq!(
            (event, reason, disable_date, pause_title.as_deref()),
            (
                Some(PlatformEvent::Disabled),
                None,
                Some(at(1_783_262_450)),
                Some("DISABLED")
            )
        );
        let c = interpret(
            "message_template_status_update",
            &json!({"event":"REJECTED","reason":"INVALID_FORMAT","rejection_info":{"reason":"r","recommendation":"m"}}),
        );
        assert!(
            matches!(c, Change::TemplateStatus(TemplateStatusChange { rejection: Some(ref r), reason: Some(ref why), .. }) if r.0 == "r" && why == "INVALID_FORMAT")
        );
        let c = interpret(
            "message_template_status_update",
            &json!({"event":"SOMETHING_NEW"}),
        );
        assert!(
            matches!(c, Change::TemplateStatus(TemplateStatusChange { event: None, ref raw_event, .. }) if raw_event == "SOMETHING_NEW")
        );
    }

    #[test]
    fn category_updates_are_impending_or_completed() {
        let c = interpret(
            "template_category_update",
            &json!({"message_template_id":1,"new_category":"UTILITY","correct_category":"MARKETING","category_update_timestamp":1783089650}),
        );
        assert!(
            matches!(c, Change::TemplateCategory(TemplateCategoryChange { change: CategoryChange::Impending { ref correct, at: Some(_) }, .. }) if correct == "MARKETING")
        );
        let c = interpret(
            "template_category_update",
            &json!({"message_template_id":1,"previous_category":"UTILITY","new_category":"MARKETING"}),
        );
        assert!(
            matches!(c, Change::TemplateCategory(TemplateCategoryChange { change: CategoryChange::Completed { ref new, .. }, .. }) if new == "MARKETING")
        );
    }

    #[test]
    fn capability_limits_accept_strings_and_integers() {
        let c = interpret(
            "business_capability_update",
            &json!({"max_daily_conversations_per_business": 2000, "max_daily_conversation_per_phone": -1}),
        );
        assert_eq!(
            c,
            Change::Capability(CapabilityChange {
                portfolio_limit: Some(Tier::T2K),
                per_phone_limit: Some(Tier::Unlimited),
                max_phone_numbers: None
            })
        );
        let c = interpret(
            "business_capability_update",
            &json!({"max_daily_conversations_per_business": "TIER_2K"}),
        );
        assert!(matches!(
            c,
            Change::Capability(CapabilityChange {
                portfolio_limit: Some(Tier::T2K),
                ..
            })
        ));
    }

    #[test]
    fn statuses_read_pricing_in_both_spellings() {
        let c = interpret(
            "messages",
            &json!({"statuses":[
                {"id":"a","status":"delivered","timestamp":"5","recipient_id":"44","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"authentication-international"}},
                {"id":"b","status":"failed","timestamp":"6","recipient_id":"44","errors":[{"code":131049}]},
                {"id":"c","status":"bogus","timestamp":"6","recipient_id":"44"}
            ]}),
        );
        let Change::Messages(MessagesChange { statuses, .. }) = c else {
            panic!("wrong kind")
        };
        assert_eq!(statuses.len(), 2, "an unknown status is skipped");
        assert_eq!(
            statuses[0]
                .pricing
                .as_ref()
                .and_then(|p| p.category.clone())
                .as_deref(),
            Some("authentication_international")
        );
        assert_eq!(statuses[1].error_code, Some(131_049));
        assert_eq!(
            statuses[0]
                .pricing
                .as_ref()
                .and_then(|p| p.conversation.clone()),
            None,
            "no conversation object (v24)"
        );
    }

    #[test]
    fn a_conversation_based_status_names_its_conversation() {
        let c = interpret(
            "messages",
            &json!({"statuses":[
                {"id":"a","status":"sent","timestamp":"5","recipient_id":"44","conversation":{"id":"c0ffee","expiration_timestamp":"90000","origin":{"type":"marketing"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}},
                {"id":"b","status":"sent","timestamp":"6","recipient_id":"44","conversation":{"id":"  "},"pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}}
            ]}),
        );
        let Change::Messages(MessagesChange { statuses, .. }) = c else {
            panic!("wrong kind")
        };
        assert_eq!(
            statuses[0]
                .pricing
                .as_ref()
                .and_then(|p| p.conversation.clone())
                .as_deref(),
            Some("c0ffee")
        );
        assert_eq!(
            statuses[1]
                .pricing
                .as_ref()
                .and_then(|p| p.conversation.clone()),
            None,
            "a blank id is no conversation"
        );
    }

    #[test]
    fn a_message_state_is_the_same_in_any_order() {
        let st = |status: DeliveryStatus, t: i64| StatusUpdate {
            wamid: "w".into(),
            status,
            at: Some(at(t)),
            recipient: "1".into(),
            pricing: None,
            error_code: None,
        };
        let all = [
            st(DeliveryStatus::Read, 9),
            st(DeliveryStatus::Sent, 1),
            st(DeliveryStatus::Delivered, 3),
            st(DeliveryStatus::Delivered, 2),
        ];
        let fold = |order: &[usize]| {
            let mut m = MessageState::of(&all[order[0]]);
            for i in &order[1..] {
                m.add(&all[*i]);
            }
            m
        };
        let a = fold(&[0, 1, 2, 3]);
        assert_eq!(a, fold(&[3, 2, 1, 0]));
        assert_eq!(a, fold(&[1, 3, 0, 2]));
        assert_eq!(
            (a.status, a.sent_at, a.delivered_at, a.read_at),
            (DeliveryStatus::Read, Some(at(1)), Some(at(2)), Some(at(9)))
        );
    }

    #[test]
    fn statuses_never_regress() {
        use DeliveryStatus::*;
        assert!(Read.rank() > Delivered.rank());
        assert!(Delivered.rank() > Failed.rank());
        assert!(Failed.rank() > Sent.rank());
    }

    #[test]
    fn number_state_is_the_fold_of_its_events_in_time_order() {
        let ev = |e: &str, l: Option<Tier>| {
            Change::NumberQuality(NumberQualityChange {
                display_phone_number: "1".into(),
                event: NumberEvent::parse(e),
                current_limit: l,
                old_limit: None,
                portfolio_limit: None,
            })
        };
        let (f1, un, f2, down) = (
            ev("FLAGGED", Some(Tier::T10K)),
            ev("UNFLAGGED", None),
            ev("FLAGGED", None),
            ev("DOWNGRADE", Some(Tier::T1K)),
        );
        let s = fold_number([(at(1), &f1), (at(2), &un), (at(3), &f2)]);
        assert_eq!(
            (s.status.as_deref(), s.flagged_at, s.tier),
            (Some("FLAGGED"), Some(at(3)), Some(Tier::T10K)),
            "a new flag period starts at its own event"
        );
        let s = fold_number([(at(1), &f1), (at(3), &f2), (at(4), &down)]);
        assert_eq!(
            (s.status.as_deref(), s.flagged_at, s.tier, s.quality),
            (Some("CONNECTED"), None, Some(Tier::T1K), Some(Quality::Red))
        );
        assert_eq!(s.at, Some(at(4)));
    }

    #[test]
    fn older_events_are_stale_and_within_a_second_the_later_step_wins() {
        use TemplateStatus as S;
        assert!(is_stale(at(1), S::Approved, at(2), S::Paused));
        assert!(!is_stale(at(3), S::Approved, at(2), S::Paused));
        assert!(
            is_stale(at(2), S::Approved, at(2), S::Paused),
            "same second: paused comes after approved"
        );
        assert!(!is_stale(at(2), S::Disabled, at(2), S::Paused));
    }

    #[test]
    fn the_pause_ladder() {
        let t = at(1_783_003_250);
        assert_eq!(
            pause_outlook(Some("FIRST_PAUSE"), 1, t).until(),
            Some(t + TimeDelta::hours(3))
        );
        assert_eq!(
            pause_outlook(Some("SECOND_PAUSE"), 1, t).until(),
            Some(t + TimeDelta::hours(6)),
            "the title wins over the count"
        );
        assert_eq!(
            pause_outlook(None, 2, t),
            PauseOutlook::SecondPause {
                until: t + TimeDelta::hours(6)
            }
        );
        assert_eq!(
            pause_outlook(None, 3, t),
            PauseOutlook::Disabled { on: Some(t) }
        );
        assert_eq!(
            pause_outlook(Some("RATE_LIMITING_PAUSE"), 1, t),
            PauseOutlook::RateLimited
        );
    }

    #[test]
    fn odd_values_never_panic() {
        for field in [
            "message_template_status_update",
            "message_template_quality_update",
            "template_category_update",
            "phone_number_quality_update",
            "phone_number_name_update",
            "business_capability_update",
            "account_update",
            "account_alerts",
            "security",
            "messages",
            "nope",
        ] {
            for v in [
                json!(null),
                json!([]),
                json!(1),
                json!({"statuses": 3, "messages": [1, {"from": 2}], "restriction_info": {"a": 1}, "alert_info": []}),
            ] {
                let _ = interpret(field, &v);
            }
        }
    }
}

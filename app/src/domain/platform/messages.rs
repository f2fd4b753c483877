//! Message statuses and inbound messages of a `messages` change
//! (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages), and
//! how a message's statuses merge in any order.

use super::envelope::*;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

pub(super) fn earliest(
    a: Option<DateTime<Utc>>,
    b: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
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

pub(super) fn statuses(value: &Value) -> Vec<StatusUpdate> {
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

pub(super) fn inbound(value: &Value) -> Vec<Inbound> {
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

/// Normalises a pricing category (`authentication-international` → `authentication_international`).
pub fn pricing_category(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace('-', "_")
}

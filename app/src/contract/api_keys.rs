//! API keys as their lists show them, and the one answer that carries a secret.

use crate::domain::{api_keys::KeyScope, roles::StaffRole};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether a key works now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Active,
    Expired,
    Revoked,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: uuid::Uuid,
    pub name: String,
    /// The key's non-secret start (`bspc_` and 8 characters).
    pub shown: String,
    /// A tenant's key: its scopes.
    pub scopes: Vec<KeyScope>,
    /// A BSP key: the staff role whose rights it has.
    pub role: Option<StaffRole>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_addr: Option<String>,
    pub state: KeyState,
}

/// A key just made: the secret is in this answer and nowhere else, ever.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedKey {
    pub id: uuid::Uuid,
    pub name: String,
    pub secret: String,
}

/// How long a rotated key keeps working beside its successor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RotationOverlap {
    Now,
    OneHour,
    OneDay,
    OneWeek,
}

impl RotationOverlap {
    pub const ALL: [RotationOverlap; 4] = [Self::Now, Self::OneHour, Self::OneDay, Self::OneWeek];

    pub fn code(self) -> &'static str {
        match self {
            Self::Now => "now",
            Self::OneHour => "1h",
            Self::OneDay => "24h",
            Self::OneWeek => "7d",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == s.trim())
    }

    pub fn hours(self) -> i64 {
        match self {
            Self::Now => 0,
            Self::OneHour => 1,
            Self::OneDay => 24,
            Self::OneWeek => 24 * 7,
        }
    }
}

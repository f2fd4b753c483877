//! What a refused profile or checklist says: the field and the rule it broke.

use serde::{Deserialize, Serialize};

/// One rule broken by one field, with what the message needs ("About: at most 139
/// characters (you have 152)").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileError {
    /// `about`, `address`, `description`, `email`, `websites`, `website1`, `website2`,
    /// `vertical`, `hours.<weekday>`.
    pub field: String,
    pub rule: ProfileRule,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProfileRule {
    Required,
    TooLong {
        max: usize,
        actual: usize,
    },
    InvalidEmail,
    TooManyWebsites {
        max: usize,
        actual: usize,
    },
    SchemeMissing,
    InvalidUrl,
    UnknownVertical,
    /// An opening range that is not `HH:MM-HH:MM` with the start before the end.
    InvalidRange {
        text: String,
    },
    OverlappingRanges,
    TooManyRanges {
        max: usize,
        actual: usize,
    },
    /// Only escalation paths that do not reach a person (social media, help centre, app).
    NoHumanEscalation,
    /// The photo file is larger than the platform takes.
    PhotoTooLarge {
        max_bytes: usize,
        actual: usize,
    },
    /// Not a JPEG or PNG by its content (`detected`: what it looks like, when known).
    PhotoWrongType {
        detected: Option<String>,
    },
    PhotoTooSmall {
        min: u32,
        width: u32,
        height: u32,
    },
    /// More pixels than the console decodes (a decompression bomb, or a huge scan).
    PhotoTooManyPixels {
        max_pixels: u64,
        width: u32,
        height: u32,
    },
    /// Looks like a JPEG or PNG but cannot be decoded.
    PhotoCorrupt,
    /// The form names a photo this tenant never uploaded.
    PhotoUnknown,
}

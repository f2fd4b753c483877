//! A reviewer's decision on a submitted revision (reference §1.9 for the reasons).

use super::status::Event;
use crate::domain::validation::{bounded_text, FieldCode, FieldErrors};
use serde::{Deserialize, Serialize};

/// The platform's rejection reasons a BSP reviewer can give (§1.9; the deprecated
/// `CATEGORY_NOT_AVAILABLE` is left out).
pub const REJECTION_REASONS: [&str; 6] = ["INVALID_FORMAT", "TAG_CONTENT_MISMATCH", "INCORRECT_CATEGORY", "PROMOTIONAL", "ABUSIVE_CONTENT", "SCAM"];

pub const NOTE_MAX: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve { note: Option<String> },
    Reject { reason: String, note: Option<String> },
    RequestChanges { note: String },
}

impl Decision {
    /// Parses the review form: `decision` is approve, reject or request_changes; a rejection
    /// needs one of the reasons, a change request a note.
    pub fn parse(decision: &str, reason: &str, note: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let note_opt = match note.trim() {
            "" => None,
            n if n.chars().count() > NOTE_MAX => {
                e.add("note", FieldCode::TooLong);
                None
            }
            n => Some(n.to_owned()),
        };
        let d = match decision.trim() {
            "approve" => Some(Decision::Approve { note: note_opt }),
            "reject" => {
                let r = reason.trim().to_ascii_uppercase();
                if REJECTION_REASONS.contains(&r.as_str()) {
                    Some(Decision::Reject { reason: r, note: note_opt })
                } else {
                    e.add("reason", if r.is_empty() { FieldCode::Required } else { FieldCode::InvalidReason });
                    None
                }
            }
            "request_changes" => e.take("note", bounded_text(note, NOTE_MAX)).map(|note| Decision::RequestChanges { note }),
            _ => {
                e.add("decision", FieldCode::Required);
                None
            }
        };
        match d {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }

    pub fn event(&self) -> Event {
        match self {
            Decision::Approve { .. } => Event::Approve,
            Decision::Reject { .. } => Event::Reject,
            Decision::RequestChanges { .. } => Event::RequestChanges,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Decision::Reject { reason, .. } => Some(reason),
            _ => None,
        }
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            Decision::Approve { note } | Decision::Reject { note, .. } => note.as_deref(),
            Decision::RequestChanges { note } => Some(note),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_with_their_required_parts() {
        assert_eq!(Decision::parse("approve", "", ""), Ok(Decision::Approve { note: None }));
        assert_eq!(Decision::parse("reject", "promotional", " too salesy "), Ok(Decision::Reject { reason: "PROMOTIONAL".into(), note: Some("too salesy".into()) }));
        assert_eq!(Decision::parse("reject", "", "").err().and_then(|e| e.get("reason")), Some(FieldCode::Required));
        assert_eq!(Decision::parse("reject", "UGLY", "").err().and_then(|e| e.get("reason")), Some(FieldCode::InvalidReason));
        assert_eq!(Decision::parse("request_changes", "", " ").err().and_then(|e| e.get("note")), Some(FieldCode::Required));
        assert_eq!(Decision::parse("shrug", "", "").err().and_then(|e| e.get("decision")), Some(FieldCode::Required));
        assert_eq!(Decision::parse("approve", "", &"x".repeat(2001)).err().and_then(|e| e.get("note")), Some(FieldCode::TooLong));
    }
}

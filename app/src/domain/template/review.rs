//! A reviewer's decision on a submitted revision (https://developers.facebook.com/docs/whatsapp/message-templates/guidelines for the reasons).

use super::status::Event;
use crate::domain::validation::{bounded_text, FieldCode, FieldErrors};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The platform's rejection reasons a BSP reviewer can give (https://developers.facebook.com/docs/whatsapp/message-templates/guidelines; the deprecated
/// `CATEGORY_NOT_AVAILABLE` is left out).
pub const REJECTION_REASONS: [&str; 6] = [
    "INVALID_FORMAT",
    "TAG_CONTENT_MISMATCH",
    "INCORRECT_CATEGORY",
    "PROMOTIONAL",
    "ABUSIVE_CONTENT",
    "SCAM",
];

pub const NOTE_MAX: usize = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve {
        note: Option<String>,
    },
    Reject {
        reason: String,
        note: Option<String>,
    },
    /// A note, per-finding comments (rule id @ component → comment), or both.
    RequestChanges {
        note: String,
        comments: Vec<FindingComment>,
    },
}

/// A reviewer's comment on one pre-check finding, shown to the tenant beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingComment {
    /// `rule@component`, e.g. `body.param_adjacent@body`.
    pub finding: String,
    pub comment: String,
}

impl Decision {
    /// Parses the review form: `decision` is approve, reject or request_changes; a rejection
    /// needs one of the reasons, a change request a note.
    pub fn parse(decision: &str, reason: &str, note: &str) -> Result<Self, FieldErrors> {
        Self::parse_with_comments(decision, reason, note, &[])
    }

    /// As `parse`, with the per-finding comments of a change request (`(finding, comment)`
    /// pairs; empty comments are dropped). A change request needs a note or a comment.
    pub fn parse_with_comments(
        decision: &str,
        reason: &str,
        note: &str,
        comments: &[(String, String)],
    ) -> Result<Self, FieldErrors> {
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
                    Some(Decision::Reject {
                        reason: r,
                        note: note_opt,
                    })
                } else {
                    e.add(
                        "reason",
                        if r.is_empty() {
                            FieldCode::Required
                        } else {
                            FieldCode::InvalidReason
                        },
                    );
                    None
                }
            }
            "request_changes" => {
                let comments: Vec<FindingComment> = comments
                    .iter()
                    .filter(|(f, c)| !f.trim().is_empty() && !c.trim().is_empty())
                    .map(|(f, c)| FindingComment {
                        finding: f.trim().to_owned(),
                        comment: c.trim().to_owned(),
                    })
                    .collect();
                if comments
                    .iter()
                    .any(|c| c.comment.chars().count() > NOTE_MAX)
                {
                    e.add("comments", FieldCode::TooLong);
                }
                if comments.is_empty() {
                    e.take("note", bounded_text(note, NOTE_MAX))
                        .map(|note| Decision::RequestChanges { note, comments })
                } else {
                    Some(Decision::RequestChanges {
                        note: note_opt.unwrap_or_default(),
                        comments,
                    })
                }
            }
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
            Decision::RequestChanges { note, .. } => (!note.is_empty()).then_some(note.as_str()),
        }
    }

    pub fn comments(&self) -> &[FindingComment] {
        match self {
            Decision::RequestChanges { comments, .. } => comments,
            _ => &[],
        }
    }
}

/// How long opening a revision for review holds it for the reviewer; activity extends it.
pub const CLAIM_MINUTES: i64 = 15;

/// Who holds a revision for review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub by: uuid::Uuid,
    pub by_name: String,
    pub until: DateTime<Utc>,
}

impl Claim {
    /// Whether the claim still holds at `now`.
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.until > now
    }
}

/// Whether `reviewer` may act on a revision with `claim` at `now`: unclaimed, claimed by
/// them, or claimed by someone whose claim ran out.
pub fn may_act(claim: Option<&Claim>, reviewer: uuid::Uuid, now: DateTime<Utc>) -> bool {
    claim.is_none_or(|c| c.by == reviewer || !c.active(now))
}

/// The review service level: how long a revision has waited against the thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sla {
    OnTime,
    Amber,
    Red,
}

/// When a waiting revision turns amber and red (defaults: 4 h and 24 h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub amber_minutes: i64,
    pub red_minutes: i64,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        Self {
            amber_minutes: 4 * 60,
            red_minutes: 24 * 60,
        }
    }
}

impl SlaPolicy {
    pub fn of(&self, waited: TimeDelta) -> Sla {
        let m = waited.num_minutes();
        if m >= self.red_minutes {
            Sla::Red
        } else if m >= self.amber_minutes {
            Sla::Amber
        } else {
            Sla::OnTime
        }
    }
}

/// A short age, e.g. `45 min`, `5 h 10 min`, `3 d 2 h`.
pub fn age_text(waited: TimeDelta) -> String {
    let m = waited.num_minutes().max(0);
    match m {
        0..60 => format!("{m} min"),
        60..1440 => format!("{} h {} min", m / 60, m % 60),
        _ => format!("{} d {} h", m / 1440, (m % 1440) / 60),
    }
}

/// The queue's filters, as they come from the query string (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub tenant: Option<uuid::Uuid>,
    pub category: Option<String>,
    pub language: Option<String>,
    pub severity: Option<SeverityFilter>,
    /// Matches the template's name or the tenant's name (case-insensitive substring).
    pub search: Option<String>,
    /// 0-based page of `QUEUE_PAGE` rows.
    pub page: u32,
}

pub const QUEUE_PAGE: u64 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityFilter {
    /// At least one error finding.
    Errors,
    /// Warnings but no errors.
    Warnings,
    /// No findings at all.
    Clean,
}

impl QueueFilter {
    /// Reads the query-string values; unknown or empty values mean "any".
    pub fn parse(
        tenant: &str,
        category: &str,
        language: &str,
        severity: &str,
        search: &str,
        page: &str,
    ) -> Self {
        let nonempty = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
        Self {
            tenant: uuid::Uuid::parse_str(tenant.trim()).ok(),
            category: nonempty(category)
                .map(|c| c.to_ascii_uppercase())
                .filter(|c| super::draft::CATEGORIES.contains(&c.as_str())),
            language: nonempty(language)
                .and_then(|l| super::language::normalise(&l).map(str::to_owned)),
            severity: match severity.trim() {
                "errors" => Some(SeverityFilter::Errors),
                "warnings" => Some(SeverityFilter::Warnings),
                "clean" => Some(SeverityFilter::Clean),
                _ => None,
            },
            search: nonempty(search)
                .map(|s| s.chars().take(100).collect::<String>().to_lowercase()),
            page: page.trim().parse().unwrap_or(0).min(100_000),
        }
    }
}

/// One row of a bulk decision: `tenant/template/revision` as the queue's checkboxes send it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkItem {
    pub tenant: uuid::Uuid,
    pub template: uuid::Uuid,
    pub revision: i32,
}

impl BulkItem {
    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().split('/');
        let (t, tp, r) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        Some(Self {
            tenant: uuid::Uuid::parse_str(t).ok()?,
            template: uuid::Uuid::parse_str(tp).ok()?,
            revision: r.parse().ok().filter(|n| *n > 0)?,
        })
    }

    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.tenant, self.template, self.revision)
    }
}

/// At most this many rows are decided in one bulk action.
pub const BULK_MAX: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_with_their_required_parts() {
        assert_eq!(
            Decision::parse("approve", "", ""),
            Ok(Decision::Approve { note: None })
        );
        assert_eq!(
            Decision::parse("reject", "promotional", " too salesy "),
            Ok(Decision::Reject {
                reason: "PROMOTIONAL".into(),
                note: Some("too salesy".into())
            })
        );
        assert_eq!(
            Decision::parse("reject", "", "")
                .err()
                .and_then(|e| e.get("reason")),
            Some(FieldCode::Required)
        );
        assert_eq!(
            Decision::parse("reject", "UGLY", "")
                .err()
                .and_then(|e| e.get("reason")),
            Some(FieldCode::InvalidReason)
        );
        assert_eq!(
            Decision::parse("request_changes", "", " ")
                .err()
                .and_then(|e| e.get("note")),
            Some(FieldCode::Required)
        );
        assert_eq!(
            Decision::parse("shrug", "", "")
                .err()
                .and_then(|e| e.get("decision")),
            Some(FieldCode::Required)
        );
        assert_eq!(
            Decision::parse("approve", "", &"x".repeat(2001))
                .err()
                .and_then(|e| e.get("note")),
            Some(FieldCode::TooLong)
        );
    }

    #[test]
    fn a_change_request_may_carry_only_per_finding_comments() {
        let c = vec![
            (
                "body.param_adjacent@body".to_owned(),
                " add a word between them ".to_owned(),
            ),
            ("x@y".to_owned(), "  ".to_owned()),
        ];
        let d = Decision::parse_with_comments("request_changes", "", "", &c);
        assert_eq!(
            d,
            Ok(Decision::RequestChanges {
                note: String::new(),
                comments: vec![FindingComment {
                    finding: "body.param_adjacent@body".into(),
                    comment: "add a word between them".into()
                }]
            })
        );
        assert_eq!(d.as_ref().ok().and_then(Decision::note), None);
        let blank = vec![("x@y".to_owned(), " ".to_owned())];
        assert_eq!(
            Decision::parse_with_comments("request_changes", "", "", &blank)
                .err()
                .and_then(|e| e.get("note")),
            Some(FieldCode::Required)
        );
    }

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::minutes(min)
    }

    #[test]
    fn a_claim_excludes_others_until_it_runs_out() {
        let (me, other) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let c = Claim {
            by: other,
            by_name: "Rita".into(),
            until: at(15),
        };
        assert!(may_act(None, me, at(0)));
        assert!(!may_act(Some(&c), me, at(14)));
        assert!(may_act(Some(&c), other, at(14)));
        assert!(
            may_act(Some(&c), me, at(15)),
            "a claim ends at its deadline"
        );
    }

    #[test]
    fn sla_turns_amber_then_red_at_the_thresholds() {
        let p = SlaPolicy::default();
        assert_eq!(p.of(TimeDelta::minutes(239)), Sla::OnTime);
        assert_eq!(p.of(TimeDelta::minutes(240)), Sla::Amber);
        assert_eq!(p.of(TimeDelta::minutes(1439)), Sla::Amber);
        assert_eq!(p.of(TimeDelta::minutes(1440)), Sla::Red);
        let tight = SlaPolicy {
            amber_minutes: 10,
            red_minutes: 30,
        };
        assert_eq!(tight.of(TimeDelta::minutes(12)), Sla::Amber);
        assert_eq!(age_text(TimeDelta::minutes(45)), "45 min");
        assert_eq!(age_text(TimeDelta::minutes(310)), "5 h 10 min");
        assert_eq!(age_text(TimeDelta::minutes(3 * 1440 + 130)), "3 d 2 h");
    }

    #[test]
    fn queue_filters_ignore_what_they_do_not_understand() {
        let t = uuid::Uuid::from_u128(7);
        let f = QueueFilter::parse(
            &t.to_string(),
            "utility",
            "en-US",
            "errors",
            "  Order ",
            "2",
        );
        assert_eq!(
            f,
            QueueFilter {
                tenant: Some(t),
                category: Some("UTILITY".into()),
                language: Some("en_US".into()),
                severity: Some(SeverityFilter::Errors),
                search: Some("order".into()),
                page: 2
            }
        );
        assert_eq!(
            QueueFilter::parse("nope", "spam", "xx", "all", "", "-1"),
            QueueFilter::default()
        );
    }

    #[test]
    fn bulk_items_round_trip_and_refuse_garbage() {
        let i = BulkItem {
            tenant: uuid::Uuid::from_u128(1),
            template: uuid::Uuid::from_u128(2),
            revision: 3,
        };
        assert_eq!(BulkItem::parse(&i.key()), Some(i));
        for bad in [
            "",
            "a/b/c",
            &format!("{}/{}/0", i.tenant, i.template),
            &format!("{}/{}/1/2", i.tenant, i.template),
        ] {
            assert_eq!(BulkItem::parse(bad), None, "{bad}");
        }
    }
}

//! The life of a template revision, BSP review first and then the platform's statuses
//! (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management), as one pure transition function.
//!
//! BSP side: DRAFT → IN_BSP_REVIEW → CHANGES_REQUESTED | BSP_REJECTED | BSP_APPROVED → PENDING.
//! Platform side: whatever the platform's webhooks say, along the edges below. A repeated
//! webhook (same status again) is accepted as a no-op; editing a template makes a new
//! revision (the old one's status stays as history).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TemplateStatus {
    Draft,
    InBspReview,
    ChangesRequested,
    BspRejected,
    /// Approved by the BSP; waiting to be sent to the platform ("ready to submit").
    BspApproved,
    Pending,
    Approved,
    Rejected,
    Paused,
    Disabled,
    Flagged,
    InAppeal,
    PendingDeletion,
    Deleted,
    LimitExceeded,
    Archived,
    Locked,
}

impl TemplateStatus {
    pub const ALL: [TemplateStatus; 17] = [
        Self::Draft,
        Self::InBspReview,
        Self::ChangesRequested,
        Self::BspRejected,
        Self::BspApproved,
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Paused,
        Self::Disabled,
        Self::Flagged,
        Self::InAppeal,
        Self::PendingDeletion,
        Self::Deleted,
        Self::LimitExceeded,
        Self::Archived,
        Self::Locked,
    ];

    /// Whether the tenant may start a new revision from here.
    pub fn editable(self) -> bool {
        use TemplateStatus::*;
        // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management says DISABLED is not editable, https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/template-pausing that it can be edited and resubmitted:
        // both forms are handled by allowing the edit (the platform decides on resubmission).
        matches!(
            self,
            Draft
                | ChangesRequested
                | BspRejected
                | Approved
                | Rejected
                | Paused
                | Disabled
                | LimitExceeded
        )
    }

    /// Whether messages can be sent with it.
    pub fn sendable(self) -> bool {
        matches!(self, TemplateStatus::Approved | TemplateStatus::Flagged)
    }
}

/// The platform's `message_template_status_update` events (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management), a superset of statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlatformEvent {
    Approved,
    Archived,
    Deleted,
    Disabled,
    Flagged,
    InAppeal,
    LimitExceeded,
    Locked,
    Paused,
    Pending,
    PendingDeletion,
    Reinstated,
    Rejected,
    Unarchived,
}

impl PlatformEvent {
    pub const ALL: [PlatformEvent; 14] = [
        Self::Approved,
        Self::Archived,
        Self::Deleted,
        Self::Disabled,
        Self::Flagged,
        Self::InAppeal,
        Self::LimitExceeded,
        Self::Locked,
        Self::Paused,
        Self::Pending,
        Self::PendingDeletion,
        Self::Reinstated,
        Self::Rejected,
        Self::Unarchived,
    ];

    /// Parses the webhook's `event` value.
    pub fn parse(raw: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase())).ok()
    }

    /// The status the event announces.
    pub fn target(self) -> TemplateStatus {
        use TemplateStatus as S;
        match self {
            Self::Approved | Self::Reinstated | Self::Unarchived => S::Approved,
            Self::Archived => S::Archived,
            Self::Deleted => S::Deleted,
            Self::Disabled => S::Disabled,
            Self::Flagged => S::Flagged,
            Self::InAppeal => S::InAppeal,
            Self::LimitExceeded => S::LimitExceeded,
            Self::Locked => S::Locked,
            Self::Paused => S::Paused,
            Self::Pending => S::Pending,
            Self::PendingDeletion => S::PendingDeletion,
            Self::Rejected => S::Rejected,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The tenant submits the draft for BSP review.
    Submit,
    /// A reviewer approves, rejects, or asks for changes.
    Approve,
    Reject,
    RequestChanges,
    /// The approved revision was sent to the platform (or marked sent by staff).
    SubmittedToPlatform,
    /// The tenant starts a new revision from this one.
    Edit,
    /// A status update from the platform.
    Platform(PlatformEvent),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("a template in {from:?} cannot take {event:?}")]
pub struct TransitionError {
    pub from: TemplateStatus,
    pub event: Event,
}

/// The platform's edges between its own statuses.
fn platform_edge(from: TemplateStatus, to: TemplateStatus) -> bool {
    use TemplateStatus::*;
    match from {
        Pending => matches!(
            to,
            Approved | Rejected | LimitExceeded | PendingDeletion | Deleted
        ),
        Approved => matches!(
            to,
            Pending | Paused | Disabled | Flagged | Locked | Archived | PendingDeletion | Deleted
        ),
        Flagged => matches!(to, Approved | Paused | Disabled | PendingDeletion | Deleted),
        Paused => matches!(
            to,
            Approved | Pending | Disabled | PendingDeletion | Deleted
        ),
        Disabled => matches!(to, Approved | Pending | InAppeal),
        Rejected => matches!(to, Pending | InAppeal | PendingDeletion | Deleted),
        InAppeal => matches!(to, Approved | Rejected | Disabled),
        Locked => matches!(to, Approved | Paused | Disabled | PendingDeletion | Deleted),
        Archived => matches!(to, Approved | PendingDeletion | Deleted),
        LimitExceeded => matches!(to, Pending | Deleted),
        PendingDeletion => matches!(to, Deleted),
        Deleted | Draft | InBspReview | ChangesRequested | BspRejected | BspApproved => false,
    }
}

/// Where `event` takes a revision in `from`, or why it cannot.
pub fn transition(from: TemplateStatus, event: Event) -> Result<TemplateStatus, TransitionError> {
    use TemplateStatus::*;
    let to = match (from, event) {
        (Draft, Event::Submit) => Some(InBspReview),
        (InBspReview, Event::Approve) => Some(BspApproved),
        (InBspReview, Event::Reject) => Some(BspRejected),
        (InBspReview, Event::RequestChanges) => Some(ChangesRequested),
        (BspApproved, Event::SubmittedToPlatform) => Some(Pending),
        (s, Event::Edit) if s.editable() && s != Draft => Some(Draft),
        (s, Event::Platform(p)) if s == p.target() && is_platform_side(s) => Some(s),
        (s, Event::Platform(p)) if platform_edge(s, p.target()) => Some(p.target()),
        _ => None,
    };
    to.ok_or(TransitionError { from, event })
}

fn is_platform_side(s: TemplateStatus) -> bool {
    use TemplateStatus::*;
    !matches!(
        s,
        Draft | InBspReview | ChangesRequested | BspRejected | BspApproved | Deleted
    )
}

#[cfg(test)]
mod tests {
    use super::{Event as E, PlatformEvent as P, TemplateStatus as S, *};

    /// Every allowed transition; everything else must be refused.
    fn allowed() -> Vec<(S, E, S)> {
        let mut t = vec![
            (S::Draft, E::Submit, S::InBspReview),
            (S::InBspReview, E::Approve, S::BspApproved),
            (S::InBspReview, E::Reject, S::BspRejected),
            (S::InBspReview, E::RequestChanges, S::ChangesRequested),
            (S::BspApproved, E::SubmittedToPlatform, S::Pending),
        ];
        for s in [
            S::ChangesRequested,
            S::BspRejected,
            S::Approved,
            S::Rejected,
            S::Paused,
            S::Disabled,
            S::LimitExceeded,
        ] {
            t.push((s, E::Edit, S::Draft));
        }
        let platform: &[(S, &[P])] = &[
            (
                S::Pending,
                &[
                    P::Pending,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Rejected,
                    P::LimitExceeded,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::Approved,
                &[
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Pending,
                    P::Paused,
                    P::Disabled,
                    P::Flagged,
                    P::Locked,
                    P::Archived,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::Flagged,
                &[
                    P::Flagged,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Paused,
                    P::Disabled,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::Paused,
                &[
                    P::Paused,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Pending,
                    P::Disabled,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::Disabled,
                &[
                    P::Disabled,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Pending,
                    P::InAppeal,
                ],
            ),
            (
                S::Rejected,
                &[
                    P::Rejected,
                    P::Pending,
                    P::InAppeal,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::InAppeal,
                &[
                    P::InAppeal,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Rejected,
                    P::Disabled,
                ],
            ),
            (
                S::Locked,
                &[
                    P::Locked,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::Paused,
                    P::Disabled,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::Archived,
                &[
                    P::Archived,
                    P::Approved,
                    P::Reinstated,
                    P::Unarchived,
                    P::PendingDeletion,
                    P::Deleted,
                ],
            ),
            (
                S::LimitExceeded,
                &[P::LimitExceeded, P::Pending, P::Deleted],
            ),
            (S::PendingDeletion, &[P::PendingDeletion, P::Deleted]),
        ];
        for (s, events) in platform {
            for p in *events {
                t.push((*s, E::Platform(*p), p.target()));
            }
        }
        t
    }

    #[test]
    fn every_transition_is_allowed_or_refused_as_the_table_says() {
        let table = allowed();
        let mut events = vec![
            E::Submit,
            E::Approve,
            E::Reject,
            E::RequestChanges,
            E::SubmittedToPlatform,
            E::Edit,
        ];
        events.extend(P::ALL.map(E::Platform));
        let mut checked = 0;
        for from in S::ALL {
            for &event in &events {
                let expected = table
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(
                        transition(from, event),
                        Ok(to),
                        "{from:?} --{event:?}--> {to:?}"
                    ),
                    None => assert_eq!(
                        transition(from, event),
                        Err(TransitionError { from, event }),
                        "{from:?} --{event:?} must be refused"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 17 * 20);
    }

    #[test]
    fn webhook_events_parse_in_any_case() {
        assert_eq!(PlatformEvent::parse("approved"), Some(P::Approved));
        assert_eq!(
            PlatformEvent::parse("PENDING_DELETION"),
            Some(P::PendingDeletion)
        );
        assert_eq!(PlatformEvent::parse("SOMETHING_NEW"), None);
        assert_eq!(P::Reinstated.target(), S::Approved);
    }

    #[test]
    fn only_approved_or_flagged_templates_are_sendable() {
        let sendable: Vec<_> = S::ALL.into_iter().filter(|s| s.sendable()).collect();
        assert_eq!(sendable, vec![S::Approved, S::Flagged]);
    }
}

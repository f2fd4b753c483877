//! Requests for the official business account badge (the blue check) of a phone number:
//! the short form the platform asks for (public links that show the business is notable,
//! optionally its parent brand, and notes) and the life of a request. Pure.

use super::{ProfileError, ProfileRule};
use serde::{Deserialize, Serialize};

/// The platform asks for up to five links (news articles, not paid or promotional).
pub const LINKS_MAX: usize = 5;
pub const LINK_MAX: usize = 256;
pub const PARENT_MAX: usize = 128;
pub const NOTES_MAX: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObaStatus {
    /// The tenant is writing it.
    Draft,
    /// Handed to the BSP, which files it with the platform.
    Submitted,
    Approved,
    /// With the platform's or the reviewer's reason; the tenant may start a new request.
    Rejected,
}

impl ObaStatus {
    pub const ALL: [ObaStatus; 4] = [
        ObaStatus::Draft,
        ObaStatus::Submitted,
        ObaStatus::Approved,
        ObaStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ObaStatus::Draft => "draft",
            ObaStatus::Submitted => "submitted",
            ObaStatus::Approved => "approved",
            ObaStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// What someone does to the newest request of a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObaStep {
    /// The tenant saves the form.
    Save,
    /// The tenant hands it to the BSP.
    Submit,
    /// The BSP or the platform decides.
    Approve,
    Reject,
}

/// What a step does: change the newest request, start a new one, or nothing allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObaOutcome {
    Update(ObaStatus),
    /// A new request (the first one, or after a rejection); the old one is kept.
    New(ObaStatus),
    Refused,
}

/// The life of a request, in one function: `current` is the newest request's status.
pub fn step(current: Option<ObaStatus>, step: ObaStep) -> ObaOutcome {
    use ObaOutcome::*;
    use ObaStatus::*;
    match (current, step) {
        (None | Some(Rejected), ObaStep::Save) => New(Draft),
        (Some(Draft), ObaStep::Save) => Update(Draft),
        (Some(Draft), ObaStep::Submit) => Update(Submitted),
        (Some(Submitted), ObaStep::Approve) => Update(Approved),
        (Some(Submitted), ObaStep::Reject) => Update(Rejected),
        _ => Refused,
    }
}

/// The form as sent (`links[0]` … `links[4]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObaForm {
    pub links: Vec<String>,
    pub parent: String,
    pub notes: String,
}

/// A valid request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObaRequest {
    pub links: Vec<String>,
    pub parent: Option<String>,
    pub notes: Option<String>,
}

impl ObaForm {
    /// Every problem at once; fields `links`, `link1`…`link5`, `parent`, `notes`.
    pub fn parse(&self) -> Result<ObaRequest, Vec<ProfileError>> {
        let mut errors = Vec::new();
        let links: Vec<&str> = self
            .links
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        if links.is_empty() {
            errors.push(ProfileError {
                field: "links".into(),
                rule: ProfileRule::Required,
            });
        }
        if links.len() > LINKS_MAX {
            errors.push(ProfileError {
                field: "links".into(),
                rule: ProfileRule::TooManyWebsites {
                    max: LINKS_MAX,
                    actual: links.len(),
                },
            });
        }
        for (i, l) in links.iter().enumerate() {
            if let Err(rule) = super::check_url(l, LINK_MAX) {
                errors.push(ProfileError {
                    field: format!("link{}", i + 1),
                    rule,
                });
            }
        }
        let mut text = |raw: &str, field: &str, max: usize| {
            let t = raw.trim();
            let n = t.chars().count();
            if n > max {
                errors.push(ProfileError {
                    field: field.into(),
                    rule: ProfileRule::TooLong { max, actual: n },
                });
            }
            (!t.is_empty()).then(|| t.to_owned())
        };
        let parent = text(&self.parent, "parent", PARENT_MAX);
        let notes = text(&self.notes, "notes", NOTES_MAX);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ObaRequest {
            links: links.into_iter().map(str::to_owned).collect(),
            parent,
            notes,
        })
    }
}

impl ObaRequest {
    pub fn to_form(&self) -> ObaForm {
        ObaForm {
            links: self.links.clone(),
            parent: self.parent.clone().unwrap_or_default(),
            notes: self.notes.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_drafted_submitted_then_decided() {
        assert_eq!(step(None, ObaStep::Save), ObaOutcome::New(ObaStatus::Draft));
        assert_eq!(
            step(Some(ObaStatus::Draft), ObaStep::Save),
            ObaOutcome::Update(ObaStatus::Draft)
        );
        assert_eq!(
            step(Some(ObaStatus::Draft), ObaStep::Submit),
            ObaOutcome::Update(ObaStatus::Submitted)
        );
        assert_eq!(
            step(Some(ObaStatus::Submitted), ObaStep::Approve),
            ObaOutcome::Update(ObaStatus::Approved)
        );
        assert_eq!(
            step(Some(ObaStatus::Submitted), ObaStep::Reject),
            ObaOutcome::Update(ObaStatus::Rejected)
        );
    }

    #[test]
    fn after_a_rejection_a_new_request_starts_and_nothing_else_moves_out_of_order() {
        assert_eq!(
            step(Some(ObaStatus::Rejected), ObaStep::Save),
            ObaOutcome::New(ObaStatus::Draft)
        );
        let refused = [
            (None, ObaStep::Submit),
            (None, ObaStep::Approve),
            (Some(ObaStatus::Draft), ObaStep::Approve),
            (Some(ObaStatus::Draft), ObaStep::Reject),
            (Some(ObaStatus::Submitted), ObaStep::Save),
            (Some(ObaStatus::Submitted), ObaStep::Submit),
            (Some(ObaStatus::Approved), ObaStep::Save),
            (Some(ObaStatus::Approved), ObaStep::Reject),
            (Some(ObaStatus::Rejected), ObaStep::Approve),
            (Some(ObaStatus::Rejected), ObaStep::Submit),
        ];
        for (from, s) in refused {
            assert_eq!(step(from, s), ObaOutcome::Refused, "{from:?} {s:?}");
        }
    }

    #[test]
    fn the_form_needs_one_to_five_public_links() {
        let f = |links: &[&str]| ObaForm {
            links: links.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        };
        assert_eq!(
            f(&["", " "]).parse().unwrap_err(),
            vec![ProfileError {
                field: "links".into(),
                rule: ProfileRule::Required
            }]
        );
        assert!(f(&["https://news.example/a"; 5]).parse().is_ok());
        assert_eq!(
            f(&["https://news.example/a"; 6]).parse().unwrap_err()[0].rule,
            ProfileRule::TooManyWebsites { max: 5, actual: 6 }
        );
        let e = f(&["news.example/a", "https://ok.example", "https://nodot"])
            .parse()
            .unwrap_err();
        assert_eq!(
            e,
            vec![
                ProfileError {
                    field: "link1".into(),
                    rule: ProfileRule::SchemeMissing
                },
                ProfileError {
                    field: "link3".into(),
                    rule: ProfileRule::InvalidUrl
                }
            ]
        );
    }

    #[test]
    fn parent_and_notes_are_optional_with_limits() {
        let base = ObaForm {
            links: vec!["https://news.example/a".into()],
            ..Default::default()
        };
        assert_eq!(base.parse().map(|r| (r.parent, r.notes)), Ok((None, None)));
        let long = ObaForm {
            parent: "é".repeat(129),
            notes: "x".repeat(1001),
            ..base
        };
        let e = long.parse().unwrap_err();
        assert_eq!(
            e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["parent", "notes"]
        );
    }
}

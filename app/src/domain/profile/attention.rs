//! Which business profiles need staff's attention, and why (the staff overview's filter).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attention {
    /// Never saved, or saved without an about text (WhatsApp shows an empty profile).
    MissingAbout,
    MissingPhoto,
    /// The platform refused or did not take the last version.
    SyncFailed,
    /// The tenant's messaging-policy checklist is not complete.
    ComplianceIncomplete,
}

impl Attention {
    pub const ALL: [Attention; 4] = [
        Attention::MissingAbout,
        Attention::MissingPhoto,
        Attention::SyncFailed,
        Attention::ComplianceIncomplete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Attention::MissingAbout => "missing_about",
            Attention::MissingPhoto => "missing_photo",
            Attention::SyncFailed => "sync_failed",
            Attention::ComplianceIncomplete => "compliance_incomplete",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == s)
    }
}

/// Why a number's profile needs attention: `profile` is the saved one (if any).
pub fn reasons(
    profile: Option<&super::Profile>,
    sync_status: &str,
    compliance_complete: bool,
) -> Vec<Attention> {
    let mut out = Vec::new();
    if profile.is_none_or(|p| p.about.trim().is_empty()) {
        out.push(Attention::MissingAbout);
    }
    if profile.is_none_or(|p| p.photo.is_none()) {
        out.push(Attention::MissingPhoto);
    }
    if sync_status == "failed" {
        out.push(Attention::SyncFailed);
    }
    if !compliance_complete {
        out.push(Attention::ComplianceIncomplete);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::Profile;

    #[test]
    fn a_number_never_saved_lacks_about_and_photo() {
        assert_eq!(
            reasons(None, "not_synced", true),
            vec![Attention::MissingAbout, Attention::MissingPhoto]
        );
    }

    #[test]
    fn a_complete_synced_profile_needs_nothing() {
        let p = Profile {
            about: "Fresh bread".into(),
            photo: Some("a".repeat(64)),
            ..Default::default()
        };
        assert_eq!(reasons(Some(&p), "synced", true), vec![]);
        assert_eq!(
            reasons(Some(&p), "failed", false),
            vec![Attention::SyncFailed, Attention::ComplianceIncomplete]
        );
    }

    #[test]
    fn codes_round_trip() {
        for a in Attention::ALL {
            assert_eq!(Attention::parse(a.code()), Some(a));
        }
    }
}

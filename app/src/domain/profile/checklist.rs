//! The tenant's messaging-policy checklist: where users opted in, how they reach a person.

use super::{
    error::{ProfileError, ProfileRule},
    fields::optional,
};
use serde::{Deserialize, Serialize};

/// How a customer in an automated conversation reaches a person (the seed guide's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    HumanAgent,
    PhoneNumber,
    EmailAddress,
    WebSupportForm,
    StoreVisit,
    SocialMediaPage,
    HelpCentrePage,
    AppLink,
}

impl Escalation {
    pub const ALL: [Escalation; 8] = [
        Self::HumanAgent,
        Self::PhoneNumber,
        Self::EmailAddress,
        Self::WebSupportForm,
        Self::StoreVisit,
        Self::SocialMediaPage,
        Self::HelpCentrePage,
        Self::AppLink,
    ];

    /// Whether the platform accepts it as a human escalation path.
    pub fn qualifies(self) -> bool {
        matches!(
            self,
            Self::HumanAgent
                | Self::PhoneNumber
                | Self::EmailAddress
                | Self::WebSupportForm
                | Self::StoreVisit
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EscalationError {
    /// Nothing chosen.
    Missing,
    /// Only kinds that do not reach a person (listed, for the explanation).
    NoneQualifies { chosen: Vec<Escalation> },
}

/// The checklist's escalation rule: at least one path that reaches a person.
pub fn check_escalation(chosen: &[Escalation]) -> Result<(), EscalationError> {
    if chosen.is_empty() {
        Err(EscalationError::Missing)
    } else if chosen.iter().any(|e| e.qualifies()) {
        Ok(())
    } else {
        Err(EscalationError::NoneQualifies {
            chosen: chosen.to_vec(),
        })
    }
}

/// Where the tenant's customers opt in to messages (the seed guide's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptInSource {
    InteractiveVoiceResponse,
    WebForm,
    Ads,
    Links,
    QrCodes,
    CustomerInitiatedChat,
    Other,
}

impl OptInSource {
    pub const ALL: [OptInSource; 7] = [
        Self::InteractiveVoiceResponse,
        Self::WebForm,
        Self::Ads,
        Self::Links,
        Self::QrCodes,
        Self::CustomerInitiatedChat,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::InteractiveVoiceResponse => "interactive_voice_response",
            Self::WebForm => "web_form",
            Self::Ads => "ads",
            Self::Links => "links",
            Self::QrCodes => "qr_codes",
            Self::CustomerInitiatedChat => "customer_initiated_chat",
            Self::Other => "other",
        }
    }
}

impl Escalation {
    pub fn code(self) -> &'static str {
        match self {
            Self::HumanAgent => "human_agent",
            Self::PhoneNumber => "phone_number",
            Self::EmailAddress => "email_address",
            Self::WebSupportForm => "web_support_form",
            Self::StoreVisit => "store_visit",
            Self::SocialMediaPage => "social_media_page",
            Self::HelpCentrePage => "help_centre_page",
            Self::AppLink => "app_link",
        }
    }
}

pub const OTHER_MAX: usize = 200;
pub const CONSENT_RECORD_MAX: usize = 500;

/// The messaging-policy checklist as a form sends it (checkbox codes and texts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistForm {
    pub opt_in: Vec<String>,
    /// Required when `other` is among the opt-in sources.
    pub other: String,
    /// Where consent is recorded (a system, a log, a form archive…).
    pub consent_record: String,
    pub escalation: Vec<String>,
}

/// A saved checklist; it may be incomplete (the badge says so), never wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub opt_in: Vec<OptInSource>,
    pub other: Option<String>,
    pub consent_record: Option<String>,
    pub escalation: Vec<Escalation>,
}

impl ChecklistForm {
    pub fn parse(&self) -> Result<Checklist, Vec<ProfileError>> {
        let mut errors = Vec::new();
        let mut opt_in = Vec::new();
        for c in &self.opt_in {
            match OptInSource::ALL.into_iter().find(|o| o.code() == c.trim()) {
                Some(o) if !opt_in.contains(&o) => opt_in.push(o),
                Some(_) => {}
                None => errors.push(ProfileError {
                    field: "opt_in".into(),
                    rule: ProfileRule::UnknownVertical,
                }),
            }
        }
        let other = optional(&self.other, "other", OTHER_MAX, &mut errors);
        if opt_in.contains(&OptInSource::Other) && other.is_none() {
            errors.push(ProfileError {
                field: "other".into(),
                rule: ProfileRule::Required,
            });
        }
        let consent_record = optional(
            &self.consent_record,
            "consent_record",
            CONSENT_RECORD_MAX,
            &mut errors,
        );
        let mut escalation = Vec::new();
        for c in &self.escalation {
            match Escalation::ALL.into_iter().find(|e| e.code() == c.trim()) {
                Some(e) if !escalation.contains(&e) => escalation.push(e),
                Some(_) => {}
                None => errors.push(ProfileError {
                    field: "escalation".into(),
                    rule: ProfileRule::UnknownVertical,
                }),
            }
        }
        // Choosing only paths that do not reach a person is refused, with the reason.
        if let Err(EscalationError::NoneQualifies { .. }) = check_escalation(&escalation) {
            errors.push(ProfileError {
                field: "escalation".into(),
                rule: ProfileRule::NoHumanEscalation,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Checklist {
            opt_in,
            other: other.filter(|_| self.opt_in.iter().any(|c| c == "other")),
            consent_record,
            escalation,
        })
    }
}

impl Checklist {
    /// Complete: opt-in sources, where consent is recorded, and a human escalation path.
    pub fn complete(&self) -> bool {
        !self.opt_in.is_empty()
            && self.consent_record.is_some()
            && check_escalation(&self.escalation).is_ok()
    }

    pub fn to_form(&self) -> ChecklistForm {
        ChecklistForm {
            opt_in: self.opt_in.iter().map(|o| o.code().to_owned()).collect(),
            other: self.other.clone().unwrap_or_default(),
            consent_record: self.consent_record.clone().unwrap_or_default(),
            escalation: self
                .escalation
                .iter()
                .map(|e| e.code().to_owned())
                .collect(),
        }
    }
}

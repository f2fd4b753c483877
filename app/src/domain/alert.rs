//! Alerts: what trouble the platform reported, how bad it is, and who must hear of it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// Every kind of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    TemplateRejected,
    TemplateFlagged,
    TemplatePaused,
    TemplateDisabled,
    TemplateLimitExceeded,
    TemplateCategoryChanging,
    TemplateCategoryChanged,
    NumberFlagged,
    NumberDowngraded,
    NumberRestricted,
    NumberQualityRed,
    NumberNameRejected,
    AccountViolation,
    AccountRestriction,
    AccountDisableScheduled,
    AccountDisabled,
    PartnerRemoved,
    /// `account_alerts` from the platform (limit increase deferred, profile picture lost …).
    PlatformNotice,
    /// Reminder that a template or account will be disabled in N days.
    DisableReminder,
}

impl AlertKind {
    pub const ALL: [AlertKind; 19] = [
        Self::TemplateRejected, Self::TemplateFlagged, Self::TemplatePaused, Self::TemplateDisabled, Self::TemplateLimitExceeded, Self::TemplateCategoryChanging,
        Self::TemplateCategoryChanged, Self::NumberFlagged, Self::NumberDowngraded, Self::NumberRestricted, Self::NumberQualityRed, Self::NumberNameRejected,
        Self::AccountViolation, Self::AccountRestriction, Self::AccountDisableScheduled, Self::AccountDisabled, Self::PartnerRemoved, Self::PlatformNotice,
        Self::DisableReminder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::TemplateRejected => "template_rejected",
            Self::TemplateFlagged => "template_flagged",
            Self::TemplatePaused => "template_paused",
            Self::TemplateDisabled => "template_disabled",
            Self::TemplateLimitExceeded => "template_limit_exceeded",
            Self::TemplateCategoryChanging => "template_category_changing",
            Self::TemplateCategoryChanged => "template_category_changed",
            Self::NumberFlagged => "number_flagged",
            Self::NumberDowngraded => "number_downgraded",
            Self::NumberRestricted => "number_restricted",
            Self::NumberQualityRed => "number_quality_red",
            Self::NumberNameRejected => "number_name_rejected",
            Self::AccountViolation => "account_violation",
            Self::AccountRestriction => "account_restriction",
            Self::AccountDisableScheduled => "account_disable_scheduled",
            Self::AccountDisabled => "account_disabled",
            Self::PartnerRemoved => "partner_removed",
            Self::PlatformNotice => "platform_notice",
            Self::DisableReminder => "disable_reminder",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The alert a template status event raises (reference §4.4), if any.
    pub fn of_template_event(e: crate::domain::template::status::PlatformEvent) -> Option<Self> {
        use crate::domain::template::status::PlatformEvent as E;
        match e {
            E::Rejected => Some(Self::TemplateRejected),
            E::Flagged => Some(Self::TemplateFlagged),
            E::Paused => Some(Self::TemplatePaused),
            E::Disabled => Some(Self::TemplateDisabled),
            E::LimitExceeded => Some(Self::TemplateLimitExceeded),
            _ => None,
        }
    }

    /// How bad it is. Critical: the tenant can no longer send (or is about to lose the account).
    pub fn severity(self) -> Severity {
        match self {
            Self::TemplateDisabled | Self::NumberRestricted | Self::AccountRestriction | Self::AccountDisabled | Self::AccountDisableScheduled | Self::AccountViolation | Self::PartnerRemoved => Severity::Critical,
            Self::TemplateRejected | Self::TemplateFlagged | Self::TemplatePaused | Self::TemplateLimitExceeded | Self::NumberFlagged | Self::NumberDowngraded | Self::NumberQualityRed | Self::NumberNameRejected | Self::DisableReminder => Severity::Warning,
            Self::TemplateCategoryChanging | Self::TemplateCategoryChanged | Self::PlatformNotice => Severity::Info,
        }
    }
}

/// How a user wants alerts of one severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Immediate,
    Digest,
    Off,
}

impl Delivery {
    pub fn code(self) -> &'static str {
        match self {
            Delivery::Immediate => "immediate",
            Delivery::Digest => "digest",
            Delivery::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Delivery::Immediate, Delivery::Digest, Delivery::Off].into_iter().find(|d| d.code() == s)
    }
}

/// A user's alert preferences for one tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub critical: Delivery,
    pub warning: Delivery,
    pub info: Delivery,
}

impl Default for Preferences {
    /// Without a choice: critical and warning at once, info in the daily digest.
    fn default() -> Self {
        Self { critical: Delivery::Immediate, warning: Delivery::Immediate, info: Delivery::Digest }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("critical alerts cannot be turned off")]
pub struct CriticalCannotBeMuted;

impl Preferences {
    /// Builds preferences, refusing to mute critical alerts.
    pub fn new(critical: Delivery, warning: Delivery, info: Delivery) -> Result<Self, CriticalCannotBeMuted> {
        if critical == Delivery::Off {
            return Err(CriticalCannotBeMuted);
        }
        Ok(Self { critical, warning, info })
    }

    pub fn for_severity(self, s: Severity) -> Delivery {
        match s {
            Severity::Critical if self.critical == Delivery::Off => Delivery::Immediate,
            Severity::Critical => self.critical,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

/// Days before a scheduled disable on which a reminder goes out.
pub const REMINDER_DAYS: [i64; 3] = [7, 3, 1];

/// The platform's ban date (`"July 9, 2026"`, or `2026-07-09`, or a unix time).
pub fn parse_ban_date(raw: &str) -> Option<chrono::NaiveDate> {
    let t = raw.trim();
    chrono::NaiveDate::parse_from_str(t, "%B %d, %Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
        .or_else(|| t.parse::<i64>().ok().and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|d| d.date_naive()))
}

/// The reminder due on `today` for a disable on `on`: the number of days left, if it is one
/// of `REMINDER_DAYS`.
pub fn reminder_due(today: chrono::NaiveDate, on: chrono::NaiveDate) -> Option<i64> {
    let left = (on - today).num_days();
    REMINDER_DAYS.contains(&left).then_some(left)
}

/// What one alert rule decides about a number's alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlertStep {
    Raise(AlertKind, &'static str),
    Resolve(&'static [AlertKind]),
}

/// What a number health read (status and quality at the platform) does to the number's
/// alerts, given what was stored before it: RESTRICTED and quality RED raise an alert when
/// they begin (not again while they last); CONNECTED resolves restriction and flag, GREEN or
/// YELLOW resolve quality RED.
pub fn number_health_steps(status_before: Option<&str>, status: Option<&str>, quality_before: Option<crate::domain::messaging_tier::Quality>, quality: Option<crate::domain::messaging_tier::Quality>) -> Vec<AlertStep> {
    use crate::domain::messaging_tier::Quality;
    let mut steps = Vec::new();
    match status {
        Some("RESTRICTED") if status_before != Some("RESTRICTED") => steps.push(AlertStep::Raise(AlertKind::NumberRestricted, "no template messages until the messaging limit's 24-hour window rolls over; replies to users are still allowed")),
        Some("CONNECTED") => steps.push(AlertStep::Resolve(&[AlertKind::NumberRestricted, AlertKind::NumberFlagged])),
        _ => {}
    }
    match quality {
        Some(Quality::Red) if quality_before != Some(Quality::Red) => steps.push(AlertStep::Raise(AlertKind::NumberQualityRed, "quality Low: the number can be flagged and its messaging limit lowered; check the quality of its templates")),
        Some(Quality::Green | Quality::Yellow) => steps.push(AlertStep::Resolve(&[AlertKind::NumberQualityRed])),
        _ => {}
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_health_raises_when_trouble_begins_and_resolves_when_it_ends() {
        use crate::domain::messaging_tier::Quality::*;
        let kinds = |steps: Vec<AlertStep>| steps.into_iter().map(|s| match s { AlertStep::Raise(k, _) => format!("raise {}", k.code()), AlertStep::Resolve(ks) => format!("resolve {}", ks.iter().map(|k| k.code()).collect::<Vec<_>>().join("+")) }).collect::<Vec<_>>();
        assert_eq!(kinds(number_health_steps(Some("CONNECTED"), Some("RESTRICTED"), Some(Green), Some(Red))), ["raise number_restricted", "raise number_quality_red"]);
        // Still restricted and red: nothing raised twice.
        assert!(number_health_steps(Some("RESTRICTED"), Some("RESTRICTED"), Some(Red), Some(Red)).is_empty());
        assert_eq!(kinds(number_health_steps(Some("RESTRICTED"), Some("CONNECTED"), Some(Red), Some(Yellow))), ["resolve number_restricted+number_flagged", "resolve number_quality_red"]);
        // First read ever (nothing stored): trouble is raised.
        assert_eq!(kinds(number_health_steps(None, Some("RESTRICTED"), None, None)), ["raise number_restricted"]);
        // Statuses that say nothing of restriction, unknown quality: no step.
        assert!(number_health_steps(Some("CONNECTED"), Some("FLAGGED"), Some(Green), Some(Unknown)).is_empty());
        assert!(number_health_steps(None, None, None, None).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for k in AlertKind::ALL {
            assert_eq!(AlertKind::parse(k.code()), Some(k));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn critical_cannot_be_muted() {
        assert_eq!(Preferences::new(Delivery::Off, Delivery::Off, Delivery::Off), Err(CriticalCannotBeMuted));
        let p = Preferences::new(Delivery::Digest, Delivery::Off, Delivery::Off).unwrap_or_default();
        assert_eq!(p.for_severity(Severity::Critical), Delivery::Digest);
        assert_eq!(p.for_severity(Severity::Warning), Delivery::Off);
        // Even a stored "off" (edited by hand) is delivered.
        let forced = Preferences { critical: Delivery::Off, warning: Delivery::Off, info: Delivery::Off };
        assert_eq!(forced.for_severity(Severity::Critical), Delivery::Immediate);
    }

    #[test]
    fn reminders_go_out_seven_three_and_one_day_before() {
        let on = parse_ban_date("July 9, 2026").unwrap_or_default();
        assert_eq!(on, chrono::NaiveDate::from_ymd_opt(2026, 7, 9).unwrap_or_default());
        assert_eq!(parse_ban_date("2026-07-09"), Some(on));
        assert_eq!(parse_ban_date("soon"), None);
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 7, d).unwrap_or_default();
        let due: Vec<_> = (1..=9).filter_map(|d| reminder_due(day(d), on)).collect();
        assert_eq!(due, vec![7, 3, 1]);
    }

    #[test]
    fn losing_the_ability_to_send_is_critical() {
        assert_eq!(AlertKind::TemplateDisabled.severity(), Severity::Critical);
        assert_eq!(AlertKind::NumberRestricted.severity(), Severity::Critical);
        assert_eq!(AlertKind::TemplatePaused.severity(), Severity::Warning);
        assert_eq!(AlertKind::TemplateCategoryChanged.severity(), Severity::Info);
    }
}

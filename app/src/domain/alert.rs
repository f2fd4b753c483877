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
        Self::TemplateRejected,
        Self::TemplateFlagged,
        Self::TemplatePaused,
        Self::TemplateDisabled,
        Self::TemplateLimitExceeded,
        Self::TemplateCategoryChanging,
        Self::TemplateCategoryChanged,
        Self::NumberFlagged,
        Self::NumberDowngraded,
        Self::NumberRestricted,
        Self::NumberQualityRed,
        Self::NumberNameRejected,
        Self::AccountViolation,
        Self::AccountRestriction,
        Self::AccountDisableScheduled,
        Self::AccountDisabled,
        Self::PartnerRemoved,
        Self::PlatformNotice,
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

    /// The alert a template status event raises (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/message_template_status_update), if any.
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
            Self::TemplateDisabled
            | Self::NumberRestricted
            | Self::AccountRestriction
            | Self::AccountDisabled
            | Self::AccountDisableScheduled
            | Self::AccountViolation
            | Self::PartnerRemoved => Severity::Critical,
            Self::TemplateRejected
            | Self::TemplateFlagged
            | Self::TemplatePaused
            | Self::TemplateLimitExceeded
            | Self::NumberFlagged
            | Self::NumberDowngraded
            | Self::NumberQualityRed
            | Self::NumberNameRejected
            | Self::DisableReminder => Severity::Warning,
            Self::TemplateCategoryChanging
            | Self::TemplateCategoryChanged
            | Self::PlatformNotice => Severity::Info,
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
        [Delivery::Immediate, Delivery::Digest, Delivery::Off]
            .into_iter()
            .find(|d| d.code() == s)
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
        Self {
            critical: Delivery::Immediate,
            warning: Delivery::Immediate,
            info: Delivery::Digest,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("critical alerts cannot be turned off")]
pub struct CriticalCannotBeMuted;

impl Preferences {
    /// Builds preferences, refusing to mute critical alerts.
    pub fn new(
        critical: Delivery,
        warning: Delivery,
        info: Delivery,
    ) -> Result<Self, CriticalCannotBeMuted> {
        if critical == Delivery::Off {
            return Err(CriticalCannotBeMuted);
        }
        Ok(Self {
            critical,
            warning,
            info,
        })
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
        .or_else(|| {
            t.parse::<i64>()
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .map(|d| d.date_naive())
        })
}

/// The reminder due on `today` for a disable on `on`: the number of days left, if it is one
/// of `REMINDER_DAYS`.
pub fn reminder_due(today: chrono::NaiveDate, on: chrono::NaiveDate) -> Option<i64> {
    let left = (on - today).num_days();
    REMINDER_DAYS.contains(&left).then_some(left)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            Preferences::new(Delivery::Off, Delivery::Off, Delivery::Off),
            Err(CriticalCannotBeMuted)
        );
        let p =
            Preferences::new(Delivery::Digest, Delivery::Off, Delivery::Off).unwrap_or_default();
        assert_eq!(p.for_severity(Severity::Critical), Delivery::Digest);
        assert_eq!(p.for_severity(Severity::Warning), Delivery::Off);
        // Even a stored "off" (edited by hand) is delivered.
        let forced = Preferences {
            critical: Delivery::Off,
            warning: Delivery::Off,
            info: Delivery::Off,
        };
        assert_eq!(forced.for_severity(Severity::Critical), Delivery::Immediate);
    }

    #[test]
    fn reminders_go_out_seven_three_and_one_day_before() {
        let on = parse_ban_date("July 9, 2026").unwrap_or_default();
        assert_eq!(
            on,
            chrono::NaiveDate::from_ymd_opt(2026, 7, 9).unwrap_or_default()
        );
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
        assert_eq!(
            AlertKind::TemplateCategoryChanged.severity(),
            Severity::Info
        );
    }
}

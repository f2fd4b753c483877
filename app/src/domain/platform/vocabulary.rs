//! The platform's words as enums: the `account_update` events, a WABA's ban states and the
//! `phone_number_quality_update` events this console acts on. A value the console does not
//! know stays as it came (`Other`): it is kept and shown, never guessed at, and a typo in the
//! console's own code is a compile error instead of a silent non-match.
//!
//! Sources: <https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account/#account_update>,
//! <https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/phone_number_quality_update>,
//! <https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/account_alerts>,
//! <https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/phone_number_name_update>.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($variant,)*
            /// A value this console does not act on, upper-cased as the platform spells it.
            Other(String),
        }

        impl $name {
            /// Reads the platform's value (any case, surrounding spaces ignored).
            pub fn parse(raw: &str) -> Self {
                let v = raw.trim().to_ascii_uppercase();
                match v.as_str() {
                    $($code => Self::$variant,)*
                    _ => Self::Other(v),
                }
            }

            /// The platform's spelling.
            pub fn code(&self) -> &str {
                match self {
                    $(Self::$variant => $code,)*
                    Self::Other(v) => v,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// An `account_update` event.
    AccountEvent {
        AccountViolation = "ACCOUNT_VIOLATION",
        AccountRestriction = "ACCOUNT_RESTRICTION",
        DisabledUpdate = "DISABLED_UPDATE",
        PartnerAdded = "PARTNER_ADDED",
        PartnerRemoved = "PARTNER_REMOVED",
        PartnerAppUninstalled = "PARTNER_APP_UNINSTALLED",
        VolumeBasedPricingTierUpdate = "VOLUME_BASED_PRICING_TIER_UPDATE",
    }
}

vocabulary! {
    /// A WABA's ban state (`ban_info.waba_ban_state` of a `DISABLED_UPDATE`).
    BanState {
        ScheduleForDisable = "SCHEDULE_FOR_DISABLE",
        Disable = "DISABLE",
        Reinstate = "REINSTATE",
    }
}

vocabulary! {
    /// A `phone_number_quality_update` event.
    NumberEvent {
        Flagged = "FLAGGED",
        Unflagged = "UNFLAGGED",
        Downgrade = "DOWNGRADE",
        Upgrade = "UPGRADE",
        ThroughputUpgrade = "THROUGHPUT_UPGRADE",
    }
}

vocabulary! {
    /// The kind of an `account_alerts` alert this console acts on.
    AlertType {
        ObaApproved = "OBA_APPROVED",
        ObaRejected = "OBA_REJECTED",
        ProfilePictureLost = "PROFILE_PICTURE_LOST",
    }
}

vocabulary! {
    /// How serious the platform says an `account_alerts` alert is.
    AlertSeverity {
        Critical = "CRITICAL",
        Warning = "WARNING",
        Informational = "INFORMATIONAL",
    }
}

vocabulary! {
    /// Whether an `account_alerts` alert is in force.
    AlertStatus {
        Active = "ACTIVE",
        Resolved = "RESOLVED",
    }
}

vocabulary! {
    /// What an `account_alerts` alert is about.
    AlertEntity {
        PhoneNumber = "PHONE_NUMBER",
        Waba = "WABA",
        Business = "BUSINESS",
    }
}

vocabulary! {
    /// The platform's decision on a number's requested display name.
    NameDecision {
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Deferred = "DEFERRED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_and_unknown_ones_are_kept() {
        for e in [
            "ACCOUNT_VIOLATION",
            "DISABLED_UPDATE",
            "PARTNER_APP_UNINSTALLED",
        ] {
            assert_eq!(AccountEvent::parse(e).code(), e);
        }
        assert_eq!(
            AccountEvent::parse(" account_violation "),
            AccountEvent::AccountViolation
        );
        assert_eq!(
            AccountEvent::parse("auth_intl_price_eligibility_update"),
            AccountEvent::Other("AUTH_INTL_PRICE_ELIGIBILITY_UPDATE".into())
        );
        assert_eq!(
            BanState::parse("SCHEDULE_FOR_DISABLE"),
            BanState::ScheduleForDisable
        );
        assert_eq!(NumberEvent::parse("flagged"), NumberEvent::Flagged);
        assert_eq!(NumberEvent::parse("ONBOARDING").to_string(), "ONBOARDING");
        assert_eq!(AlertType::parse("oba_approved"), AlertType::ObaApproved);
        assert_eq!(
            AlertType::parse("INCREASED_FRAUD_RISK"),
            AlertType::Other("INCREASED_FRAUD_RISK".into())
        );
        assert_eq!(AlertSeverity::parse("Critical"), AlertSeverity::Critical);
        assert_eq!(AlertStatus::parse("RESOLVED"), AlertStatus::Resolved);
        assert_eq!(AlertEntity::parse("phone_number"), AlertEntity::PhoneNumber);
        assert_eq!(NameDecision::parse("approved"), NameDecision::Approved);
        assert_eq!(NameDecision::parse("PENDING").code(), "PENDING");
    }
}

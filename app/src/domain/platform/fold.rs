//! Folds over a subject's history: a template's pause ladder and whether an event is stale,
//! a number's state from its quality events and health readings, an account's state.

use super::{
    change::*,
    vocabulary::{AccountEvent, NumberEvent},
};
use crate::domain::{
    messaging_tier::{Quality, Tier},
    template::status::TemplateStatus,
};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Same-second ties between template statuses: the later step of the life cycle wins.
pub(super) fn lifecycle_rank(s: TemplateStatus) -> u8 {
    use TemplateStatus::*;
    match s {
        Pending => 1,
        Approved => 2,
        Rejected => 3,
        Flagged => 4,
        Locked => 5,
        Paused => 6,
        InAppeal => 7,
        Disabled => 8,
        LimitExceeded => 9,
        Archived => 10,
        PendingDeletion => 11,
        Deleted => 12,
        _ => 0,
    }
}

/// Whether a template status event announcing `to` at `at` is older than the current status
/// `current` set at `current_at` (then it is history only). The platform's order of delivery
/// is not guaranteed; the event time decides, and within one second the later step wins.
pub fn is_stale(
    at: DateTime<Utc>,
    to: TemplateStatus,
    current_at: DateTime<Utc>,
    current: TemplateStatus,
) -> bool {
    at < current_at || (at == current_at && lifecycle_rank(to) < lifecycle_rank(current))
}

/// What happens next to a paused or disabled template (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/template-pausing): the pause ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PauseOutlook {
    /// First pause: 3 hours; a second drop to low quality pauses for 6 hours.
    FirstPause {
        until: DateTime<Utc>,
    },
    /// Second pause: 6 hours; a third drop disables the template.
    SecondPause {
        until: DateTime<Utc>,
    },
    /// Paused by pacing: stays paused until unpaused by hand.
    RateLimited,
    Disabled {
        on: Option<DateTime<Utc>>,
    },
}

/// Reads a pause: its title when given, else the count of pauses so far (including this one).
pub fn pause_outlook(title: Option<&str>, pauses_so_far: u32, at: DateTime<Utc>) -> PauseOutlook {
    match title.map(str::to_ascii_uppercase).as_deref() {
        Some("FIRST_PAUSE") => PauseOutlook::FirstPause {
            until: at + TimeDelta::hours(3),
        },
        Some("SECOND_PAUSE") => PauseOutlook::SecondPause {
            until: at + TimeDelta::hours(6),
        },
        Some("RATE_LIMITING_PAUSE") => PauseOutlook::RateLimited,
        Some("DISABLED") => PauseOutlook::Disabled { on: Some(at) },
        _ if pauses_so_far >= 3 => PauseOutlook::Disabled { on: Some(at) },
        _ if pauses_so_far == 2 => PauseOutlook::SecondPause {
            until: at + TimeDelta::hours(6),
        },
        _ => PauseOutlook::FirstPause {
            until: at + TimeDelta::hours(3),
        },
    }
}

/// A number's state as its quality events say, folded in time order (ties broken by a stable
/// key): the same events give the same state whatever order they arrived in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumberState {
    pub status: Option<String>,
    pub quality: Option<Quality>,
    pub tier: Option<Tier>,
    /// When the current FLAGGED period began.
    pub flagged_at: Option<DateTime<Utc>>,
    pub throughput_high: bool,
    pub portfolio_limit: Option<Tier>,
    /// The time of the latest event.
    pub at: Option<DateTime<Utc>>,
}

/// Folds a number's `phone_number_quality_update` changes and the console's health snapshots
/// ([`NUMBER_HEALTH`]), sorted by (time, key) by the caller.
pub fn fold_number<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Change)>,
) -> NumberState {
    let mut s = NumberState::default();
    for (at, c) in events {
        if let Change::NumberHealth(NumberHealthChange {
            status,
            quality,
            tier,
            portfolio_limit,
            throughput_high,
            ..
        }) = c
        {
            // A snapshot: what it reports replaces what the events said.
            s.at = Some(at);
            if let Some(st) = status {
                s.flagged_at = if st == "FLAGGED" {
                    s.flagged_at.or(Some(at))
                } else {
                    None
                };
                s.status = Some(st.clone());
            }
            s.quality = (*quality).or(s.quality);
            s.tier = (*tier).or(s.tier);
            s.portfolio_limit = (*portfolio_limit).or(s.portfolio_limit);
            s.throughput_high = throughput_high.unwrap_or(s.throughput_high);
            continue;
        }
        let Change::NumberQuality(NumberQualityChange {
            event,
            current_limit,
            portfolio_limit,
            ..
        }) = c
        else {
            continue;
        };
        s.at = Some(at);
        if current_limit.is_some() {
            s.tier = *current_limit;
        }
        if portfolio_limit.is_some() {
            s.portfolio_limit = *portfolio_limit;
        }
        match event {
            NumberEvent::Flagged => {
                s.status = Some("FLAGGED".into());
                s.quality = Some(Quality::Red);
                s.flagged_at = s.flagged_at.or(Some(at));
            }
            NumberEvent::Unflagged | NumberEvent::Downgrade => {
                s.status = Some("CONNECTED".into());
                s.flagged_at = None;
            }
            NumberEvent::ThroughputUpgrade => s.throughput_high = true,
            _ => {}
        }
    }
    s
}

/// An account's state as its `account_update` changes say, folded in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    pub last_event: Option<String>,
    pub violation: Option<String>,
    pub restrictions: Vec<(String, Option<DateTime<Utc>>)>,
    pub ban_state: Option<String>,
    pub ban_date: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

pub fn fold_account<'a>(
    events: impl IntoIterator<Item = (DateTime<Utc>, &'a Change)>,
) -> AccountState {
    let mut s = AccountState::default();
    for (at, c) in events {
        let Change::Account(AccountChange {
            event,
            ban_state,
            ban_date,
            violation,
            restrictions,
        }) = c
        else {
            continue;
        };
        s.at = Some(at);
        s.last_event = Some(event.code().to_owned());
        match event {
            AccountEvent::AccountViolation => {
                s.violation = violation.clone().or_else(|| Some(event.code().to_owned()))
            }
            AccountEvent::AccountRestriction => s.restrictions = restrictions.clone(),
            AccountEvent::DisabledUpdate => {
                s.ban_state = ban_state.as_ref().map(|b| b.code().to_owned());
                s.ban_date = ban_date.clone();
            }
            _ => {}
        }
    }
    s
}

impl PauseOutlook {
    pub fn until(self) -> Option<DateTime<Utc>> {
        match self {
            PauseOutlook::FirstPause { until } | PauseOutlook::SecondPause { until } => Some(until),
            _ => None,
        }
    }
}

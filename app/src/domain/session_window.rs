//! Conversation windows (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/messages): the 24-hour customer service window per
//! (business number, user), and the 72-hour free entry point window. Pure.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

pub const CSW_HOURS: i64 = 24;
pub const FEP_HOURS: i64 = 72;
/// A business must answer an ad referral within this long to open the free entry point window.
pub const FEP_REPLY_HOURS: i64 = 24;

/// What is known of one (number, user) pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// The user's latest message.
    pub last_inbound: Option<DateTime<Utc>>,
    /// The latest message that came through a Click-to-WhatsApp ad or page button.
    pub last_referral: Option<DateTime<Utc>>,
    /// The business's first reply after that referral.
    pub fep_reply: Option<DateTime<Utc>>,
}

impl Window {
    /// Takes in a user message; messages may arrive out of order, only the latest counts.
    pub fn inbound(mut self, at: DateTime<Utc>, referral: bool) -> Self {
        self.last_inbound = self.last_inbound.max(Some(at));
        if referral && self.last_referral.is_none_or(|r| at > r) {
            self.last_referral = Some(at);
            self.fep_reply = None;
        }
        self
    }

    /// Takes in a business message sent at `at` (opens the FEP window if it answers a referral in time).
    pub fn outbound(mut self, at: DateTime<Utc>) -> Self {
        if let Some(r) = self.last_referral {
            if at >= r
                && at < r + TimeDelta::hours(FEP_REPLY_HOURS)
                && self.fep_reply.is_none_or(|p| at < p)
            {
                self.fep_reply = Some(at);
            }
        }
        self
    }

    /// The customer service window closes at this instant (exclusive).
    pub fn csw_closes(&self) -> Option<DateTime<Utc>> {
        self.last_inbound.map(|t| t + TimeDelta::hours(CSW_HOURS))
    }

    pub fn csw_open(&self, now: DateTime<Utc>) -> bool {
        self.csw_closes().is_some_and(|c| now < c)
    }

    /// The free entry point window closes at this instant (exclusive).
    pub fn fep_closes(&self) -> Option<DateTime<Utc>> {
        self.fep_reply.map(|t| t + TimeDelta::hours(FEP_HOURS))
    }

    pub fn fep_open(&self, now: DateTime<Utc>) -> bool {
        self.fep_closes().is_some_and(|c| now < c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_783_000_000 + s, 0).unwrap_or_default()
    }

    #[test]
    fn csw_is_open_for_exactly_24_hours_from_the_latest_message() {
        let w = Window::default().inbound(t(0), false);
        assert!(w.csw_open(t(86_399)));
        assert!(!w.csw_open(t(86_400)), "closed at 24 h to the second");
        let w = w.inbound(t(3_600), false).inbound(t(60), false);
        assert_eq!(
            w.csw_closes(),
            Some(t(3_600 + 86_400)),
            "a late older message does not shorten it"
        );
        assert!(!Window::default().csw_open(t(0)));
    }

    #[test]
    fn fep_needs_a_reply_within_24_hours_and_lasts_72() {
        let w = Window::default().inbound(t(0), true);
        assert!(!w.fep_open(t(1)), "no reply yet");
        let late = w.outbound(t(86_400));
        assert_eq!(late.fep_closes(), None, "a reply at 24 h is too late");
        let w = w.outbound(t(86_399));
        assert_eq!(w.fep_closes(), Some(t(86_399 + 72 * 3_600)));
        assert!(w.fep_open(t(86_399 + 72 * 3_600 - 1)));
        assert!(!w.fep_open(t(86_399 + 72 * 3_600)));
        assert_eq!(
            w.outbound(t(90_000)).fep_reply,
            Some(t(86_399)),
            "later replies do not extend it"
        );
    }

    #[test]
    fn a_plain_message_does_not_open_fep() {
        let w = Window::default().inbound(t(0), false).outbound(t(10));
        assert_eq!(w.fep_closes(), None);
    }
}

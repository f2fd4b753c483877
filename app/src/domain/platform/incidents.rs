//! Incidents: which of the platform's events must reach people as alerts, and which later
//! events resolve them. A rule over one subject's whole history (a number, an account, a
//! template), next to the state folds and in the same order, so that the same events give the
//! same incidents whatever order, and in whatever batches, they arrived:
//!
//! - every incident event (a violation, a restriction, a scheduled disable, a disable, a flag, a
//!   downgrade, a pause, a rejection …) is an incident of its own, keyed by the event: it is
//!   announced exactly once, whatever else arrived with it or after it;
//! - an incident is resolved by the first later event that ends it (an unflag, a reinstatement,
//!   an approval); one that was already resolved when it is applied is still recorded and
//!   announced, as resolved, with what resolved it;
//! - informational events (a pricing tier update, a capability change …) neither raise nor
//!   resolve anything.
//!
//! Sources: account updates <https://developers.facebook.com/docs/graph-api/webhooks/reference/whatsapp-business-account/#account_update>,
//! number quality <https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/reference/phone_number_quality_update>,
//! template status <https://developers.facebook.com/docs/whatsapp/business-management-api/webhooks/components#message_template_status_update>.
//!
//! The console's own health readings of a number ([`super::NUMBER_HEALTH`]) raise an alert when
//! trouble begins: RESTRICTED after a reading with another status, quality RED after a reading
//! with another quality. They are compared with the reading before only (never with the
//! platform's webhooks, which can arrive late): the readings are made and stored in time order
//! by the console itself, so their incidents too are the same whatever order the webhooks
//! around them arrive in.

use super::{
    AccountChange, Change, NumberEvent, NumberHealthChange, NumberQualityChange,
    TemplateStatusChange,
};
use crate::domain::{alert::AlertKind, messaging_tier::Quality, template::status::TemplateStatus};
use chrono::{DateTime, Utc};

/// One event of a subject's history: when it happened, its stable key (the change's dedupe
/// key) and what it says.
#[derive(Clone, Copy, Debug)]
pub struct Fact<'a> {
    pub at: DateTime<Utc>,
    pub key: &'a str,
    pub change: &'a Change,
}

/// An incident: one alert to announce, once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    pub kind: AlertKind,
    /// The key of the event that raised it.
    pub key: String,
    pub at: DateTime<Utc>,
    /// The first later event that ended it, if one has arrived.
    pub resolved_by: Option<Resolution>,
}

/// The event that resolved an incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub key: String,
    pub at: DateTime<Utc>,
    /// What the event said, in the platform's words (`UNFLAGGED`, `REINSTATE`, `APPROVED`,
    /// `status CONNECTED`, `quality GREEN`).
    pub what: String,
}

impl Incident {
    /// The alert's dedupe key: the same incident (redelivered, replayed, seen again by a later
    /// event's rule) is one alert.
    pub fn alert_key(&self) -> String {
        alert_key(self.kind, &self.key)
    }
}

/// The dedupe key of the alert of `kind` raised by the event keyed `event_key`.
pub fn alert_key(kind: AlertKind, event_key: &str) -> String {
    format!("{}:{event_key}", kind.code())
}

/// What one event does.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Signal {
    Raise(AlertKind),
    Resolve(&'static [AlertKind]),
}

/// The signals of one event of a subject, with the words that name it when it resolves.
struct Step<'a> {
    fact: Fact<'a>,
    signals: Vec<Signal>,
    what: String,
}

/// The incidents of a WhatsApp business account, from its `account_update` events.
pub fn account_incidents(facts: &[Fact<'_>]) -> Vec<Incident> {
    let steps = ordered(facts)
        .into_iter()
        .filter_map(|fact| {
            let Change::Account(AccountChange {
                event, ban_state, ..
            }) = fact.change
            else {
                return None;
            };
            use super::{AccountEvent as E, BanState as B};
            let signals = match (event, ban_state) {
                (E::AccountViolation, _) => vec![Signal::Raise(AlertKind::AccountViolation)],
                (E::AccountRestriction, _) => vec![Signal::Raise(AlertKind::AccountRestriction)],
                (E::DisabledUpdate, Some(B::ScheduleForDisable)) => {
                    vec![Signal::Raise(AlertKind::AccountDisableScheduled)]
                }
                (E::DisabledUpdate, Some(B::Disable)) => {
                    vec![Signal::Raise(AlertKind::AccountDisabled)]
                }
                (E::DisabledUpdate, Some(B::Reinstate)) => vec![Signal::Resolve(&[
                    AlertKind::AccountDisableScheduled,
                    AlertKind::AccountDisabled,
                ])],
                (E::PartnerRemoved | E::PartnerAppUninstalled, _) => {
                    vec![Signal::Raise(AlertKind::PartnerRemoved)]
                }
                _ => return None,
            };
            let what = match ban_state {
                Some(b) if *event == E::DisabledUpdate => b.code().to_owned(),
                _ => event.code().to_owned(),
            };
            Some(Step {
                fact,
                signals,
                what,
            })
        })
        .collect();
    plan(steps)
}

/// The incidents of one number, from its `phone_number_quality_update` events and the
/// console's health readings (the caller passes only this number's).
pub fn number_incidents(facts: &[Fact<'_>]) -> Vec<Incident> {
    // What the previous health reading said.
    let mut status: Option<&str> = None;
    let mut quality: Option<Quality> = None;
    let mut steps = Vec::new();
    for fact in ordered(facts) {
        let mut signals = Vec::new();
        let mut what = Vec::new();
        match fact.change {
            Change::NumberQuality(NumberQualityChange { event, .. }) => {
                match event {
                    NumberEvent::Flagged => signals.push(Signal::Raise(AlertKind::NumberFlagged)),
                    NumberEvent::Unflagged => {
                        signals.push(Signal::Resolve(&[AlertKind::NumberFlagged]))
                    }
                    NumberEvent::Downgrade => signals.extend([
                        Signal::Raise(AlertKind::NumberDowngraded),
                        Signal::Resolve(&[AlertKind::NumberFlagged]),
                    ]),
                    _ => {}
                }
                what.push(event.code().to_owned());
            }
            Change::NumberHealth(NumberHealthChange {
                status: s,
                quality: q,
                ..
            }) => {
                match s.as_deref() {
                    Some("RESTRICTED") if status != Some("RESTRICTED") => {
                        signals.push(Signal::Raise(AlertKind::NumberRestricted))
                    }
                    Some("CONNECTED") => {
                        signals.push(Signal::Resolve(&[
                            AlertKind::NumberRestricted,
                            AlertKind::NumberFlagged,
                        ]));
                        what.push("status CONNECTED".to_owned());
                    }
                    _ => {}
                }
                match q {
                    Some(Quality::Red) if quality != Some(Quality::Red) => {
                        signals.push(Signal::Raise(AlertKind::NumberQualityRed))
                    }
                    Some(g @ (Quality::Green | Quality::Yellow)) => {
                        signals.push(Signal::Resolve(&[AlertKind::NumberQualityRed]));
                        what.push(format!("quality {}", g.code()));
                    }
                    _ => {}
                }
                if let Some(s) = s.as_deref() {
                    status = Some(match s {
                        "RESTRICTED" => "RESTRICTED",
                        "FLAGGED" => "FLAGGED",
                        "CONNECTED" => "CONNECTED",
                        _ => "OTHER",
                    });
                }
                quality = (*q).or(quality);
            }
            _ => continue,
        }
        if !signals.is_empty() {
            steps.push(Step {
                fact,
                signals,
                what: what.join(", "),
            });
        }
    }
    plan(steps)
}

/// The incidents of one template, from its `message_template_status_update` events (the
/// caller passes only this template's).
pub fn template_incidents(facts: &[Fact<'_>]) -> Vec<Incident> {
    let steps = ordered(facts)
        .into_iter()
        .filter_map(|fact| {
            let Change::TemplateStatus(TemplateStatusChange {
                event: Some(ev),
                raw_event,
                ..
            }) = fact.change
            else {
                return None;
            };
            // Back to APPROVED (approved, reinstated, unarchived) ends the template's trouble.
            let signals = match ev.target() {
                TemplateStatus::Approved => vec![Signal::Resolve(&[
                    AlertKind::TemplateFlagged,
                    AlertKind::TemplatePaused,
                    AlertKind::TemplateDisabled,
                    AlertKind::TemplateRejected,
                ])],
                _ => vec![Signal::Raise(AlertKind::of_template_event(*ev)?)],
            };
            Some(Step {
                fact,
                signals,
                what: raw_event.trim().to_ascii_uppercase(),
            })
        })
        .collect();
    plan(steps)
}

/// What applying the event keyed `applying` does to the alerts, given the subject's plan
/// (its whole stored history, this event included): the incidents it raises (announce each,
/// resolved already if the plan says so; a redelivered one is not new), and the incidents it
/// resolves (resolve their alerts if still open). Every incident then ends as the plan of the
/// final history says: one applied before its resolver is resolved when the resolver is
/// applied, one applied after it is raised resolved.
pub fn reconcile<'p>(
    plan: &'p [Incident],
    applying: &str,
) -> (Vec<&'p Incident>, Vec<&'p Incident>) {
    let raise = plan.iter().filter(|i| i.key == applying).collect();
    let resolve = plan
        .iter()
        .filter(|i| i.resolved_by.as_ref().is_some_and(|r| r.key == applying))
        .collect();
    (raise, resolve)
}

/// The facts in the folds' order: event time, then key (a stable order for ties).
fn ordered<'a>(facts: &[Fact<'a>]) -> Vec<Fact<'a>> {
    let mut v = facts.to_vec();
    v.sort_by(|a, b| (a.at, a.key).cmp(&(b.at, b.key)));
    v
}

/// Each raise, with the first later step that resolves its kind (one pass from the end).
fn plan(steps: Vec<Step<'_>>) -> Vec<Incident> {
    let mut next: Vec<(AlertKind, usize)> = Vec::new();
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate().rev() {
        // (Pushed backwards, like the steps: the list is turned round at the end.)
        for s in step.signals.iter().rev() {
            if let Signal::Raise(kind) = s {
                let resolved_by = next
                    .iter()
                    .find(|(k, _)| k == kind)
                    .and_then(|(_, j)| steps.get(*j))
                    .map(|r| Resolution {
                        key: r.fact.key.to_owned(),
                        at: r.fact.at,
                        what: r.what.clone(),
                    });
                out.push(Incident {
                    kind: *kind,
                    key: step.fact.key.to_owned(),
                    at: step.fact.at,
                    resolved_by,
                });
            }
        }
        // Recorded after this step's raises: an event never resolves what it raises itself.
        for s in &step.signals {
            if let Signal::Resolve(kinds) = s {
                for k in *kinds {
                    next.retain(|(x, _)| x != k);
                    next.push((*k, i));
                }
            }
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests;

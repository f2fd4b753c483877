use super::*;
use crate::domain::{
    platform::{AccountEvent, BanState, TemplateRef},
    template::status::PlatformEvent,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_783_000_000 + minutes * 60, 0).unwrap_or_default()
}

fn account(event: &str, ban: Option<&str>) -> Change {
    Change::Account(AccountChange {
        event: AccountEvent::parse(event),
        ban_state: ban.map(BanState::parse),
        ban_date: None,
        violation: None,
        restrictions: vec![],
    })
}

fn number(event: &str) -> Change {
    Change::NumberQuality(NumberQualityChange {
        display_phone_number: "+33 6 12 34 56 78".into(),
        event: NumberEvent::parse(event),
        current_limit: None,
        old_limit: None,
        portfolio_limit: None,
    })
}

fn health(status: Option<&str>, quality: Option<Quality>) -> Change {
    Change::NumberHealth(NumberHealthChange {
        display_phone_number: "+33 6 12 34 56 78".into(),
        status: status.map(Into::into),
        quality,
        tier: None,
        portfolio_limit: None,
        throughput_high: None,
    })
}

fn template(event: &str) -> Change {
    Change::TemplateStatus(TemplateStatusChange {
        template: TemplateRef {
            platform_id: Some("9".into()),
            name: None,
            language: None,
        },
        event: PlatformEvent::parse(event),
        raw_event: event.into(),
        reason: None,
        rejection: None,
        pause_title: None,
        description: None,
        disable_date: None,
    })
}

/// (kind, raising key, resolving key) of each incident, for short assertions.
fn summary(plan: &[Incident]) -> Vec<(AlertKind, String, Option<String>)> {
    plan.iter()
        .map(|i| {
            (
                i.kind,
                i.key.clone(),
                i.resolved_by.as_ref().map(|r| r.key.clone()),
            )
        })
        .collect()
}

fn facts<'a>(events: &'a [(i64, &'a str, Change)]) -> Vec<Fact<'a>> {
    events
        .iter()
        .map(|(m, k, c)| Fact {
            at: at(*m),
            key: k,
            change: c,
        })
        .collect()
}

#[test]
fn every_account_incident_is_raised_even_when_an_informational_event_comes_last() {
    let events = [
        (0, "a", account("ACCOUNT_VIOLATION", None)),
        (1, "b", account("ACCOUNT_RESTRICTION", None)),
        (
            2,
            "c",
            account("DISABLED_UPDATE", Some("SCHEDULE_FOR_DISABLE")),
        ),
        (3, "d", account("VOLUME_BASED_PRICING_TIER_UPDATE", None)),
    ];
    assert_eq!(
        summary(&account_incidents(&facts(&events))),
        [
            (AlertKind::AccountViolation, "a".into(), None),
            (AlertKind::AccountRestriction, "b".into(), None),
            (AlertKind::AccountDisableScheduled, "c".into(), None),
        ]
    );
}

#[test]
fn a_reinstatement_resolves_only_the_disables_before_it() {
    let events = [
        (
            0,
            "a",
            account("DISABLED_UPDATE", Some("SCHEDULE_FOR_DISABLE")),
        ),
        (5, "b", account("DISABLED_UPDATE", Some("REINSTATE"))),
        (9, "c", account("DISABLED_UPDATE", Some("DISABLE"))),
    ];
    let plan = account_incidents(&facts(&events));
    assert_eq!(
        summary(&plan),
        [
            (
                AlertKind::AccountDisableScheduled,
                "a".into(),
                Some("b".into())
            ),
            (AlertKind::AccountDisabled, "c".into(), None)
        ]
    );
    assert_eq!(
        plan[0]
            .resolved_by
            .as_ref()
            .map(|r| (r.what.as_str(), r.at)),
        Some(("REINSTATE", at(5)))
    );
}

#[test]
fn a_flag_followed_by_a_downgrade_is_announced_and_resolved_by_it() {
    let week = 7 * 24 * 60;
    let events = [
        (0, "f", number("FLAGGED")),
        (week, "d", number("DOWNGRADE")),
    ];
    let plan = number_incidents(&facts(&events));
    assert_eq!(
        summary(&plan),
        [
            (AlertKind::NumberFlagged, "f".into(), Some("d".into())),
            (AlertKind::NumberDowngraded, "d".into(), None)
        ]
    );
    // Delivered the other way round: the same incidents.
    let reversed = [events[1].clone(), events[0].clone()];
    assert_eq!(number_incidents(&facts(&reversed)), plan);
}

#[test]
fn an_unflag_before_the_flag_in_event_time_resolves_nothing() {
    let events = [(0, "u", number("UNFLAGGED")), (1, "f", number("FLAGGED"))];
    assert_eq!(
        summary(&number_incidents(&facts(&events))),
        [(AlertKind::NumberFlagged, "f".into(), None)]
    );
}

#[test]
fn health_readings_raise_when_trouble_begins_and_resolve_when_it_ends() {
    let events = [
        (0, "h1", health(Some("CONNECTED"), Some(Quality::Green))),
        (1, "h2", health(Some("RESTRICTED"), Some(Quality::Red))),
        (2, "h3", health(Some("RESTRICTED"), Some(Quality::Red))),
        (3, "h4", health(Some("CONNECTED"), Some(Quality::Yellow))),
    ];
    let plan = number_incidents(&facts(&events));
    assert_eq!(
        summary(&plan),
        [
            (AlertKind::NumberRestricted, "h2".into(), Some("h4".into())),
            (AlertKind::NumberQualityRed, "h2".into(), Some("h4".into()))
        ]
    );
    assert_eq!(
        plan[0].resolved_by.as_ref().map(|r| r.what.as_str()),
        Some("status CONNECTED, quality YELLOW")
    );
    // Readings are compared with the reading before, not with the webhooks (which can arrive
    // late): a webhook's flag between two red readings changes nothing of theirs.
    let events = [
        (0, "h1", health(Some("CONNECTED"), Some(Quality::Red))),
        (1, "f", number("FLAGGED")),
        (2, "h2", health(Some("FLAGGED"), Some(Quality::Red))),
    ];
    assert_eq!(
        summary(&number_incidents(&facts(&events))),
        [
            (AlertKind::NumberQualityRed, "h1".into(), None),
            (AlertKind::NumberFlagged, "f".into(), None)
        ]
    );
}

#[test]
fn a_pause_then_a_disable_are_both_announced_and_an_approval_resolves_both() {
    let events = [(0, "p", template("PAUSED")), (1, "d", template("DISABLED"))];
    assert_eq!(
        summary(&template_incidents(&facts(&events))),
        [
            (AlertKind::TemplatePaused, "p".into(), None),
            (AlertKind::TemplateDisabled, "d".into(), None)
        ]
    );
    let events = [
        (0, "p", template("PAUSED")),
        (1, "d", template("DISABLED")),
        (2, "a", template("APPROVED")),
        (3, "r", template("REJECTED")),
    ];
    assert_eq!(
        summary(&template_incidents(&facts(&events))),
        [
            (AlertKind::TemplatePaused, "p".into(), Some("a".into())),
            (AlertKind::TemplateDisabled, "d".into(), Some("a".into())),
            (AlertKind::TemplateRejected, "r".into(), None)
        ]
    );
}

#[test]
fn events_at_the_same_instant_are_ordered_by_key() {
    let events = [(0, "b", number("UNFLAGGED")), (0, "a", number("FLAGGED"))];
    assert_eq!(
        summary(&number_incidents(&facts(&events))),
        [(AlertKind::NumberFlagged, "a".into(), Some("b".into()))]
    );
    let events = [(0, "a", number("UNFLAGGED")), (0, "b", number("FLAGGED"))];
    assert_eq!(
        summary(&number_incidents(&facts(&events))),
        [(AlertKind::NumberFlagged, "b".into(), None)]
    );
}

#[test]
fn reconcile_raises_the_applied_events_incidents_and_resolves_every_resolved_one() {
    let events = [
        (0, "f", number("FLAGGED")),
        (1, "u", number("UNFLAGGED")),
        (2, "g", number("FLAGGED")),
    ];
    let plan = number_incidents(&facts(&events));
    let (raise, resolve) = reconcile(&plan, "g");
    assert_eq!(
        raise.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(),
        ["g"]
    );
    assert!(resolve.is_empty(), "a flag resolves nothing");
    let (raise, resolve) = reconcile(&plan, "u");
    assert!(raise.is_empty(), "an unflag raises nothing");
    assert_eq!(
        resolve.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(),
        ["f"]
    );
    assert_eq!(plan[0].alert_key(), format!("number_flagged:f"));
}

// ---- the same events, in any order and any batches, raise the same alerts, each once ----

/// The subject kinds and the platform's events for each (informational ones included).
const ACCOUNT_EVENTS: &[(&str, Option<&str>)] = &[
    ("ACCOUNT_VIOLATION", None),
    ("ACCOUNT_RESTRICTION", None),
    ("DISABLED_UPDATE", Some("SCHEDULE_FOR_DISABLE")),
    ("DISABLED_UPDATE", Some("DISABLE")),
    ("DISABLED_UPDATE", Some("REINSTATE")),
    ("VOLUME_BASED_PRICING_TIER_UPDATE", None),
    ("PARTNER_REMOVED", None),
    ("PARTNER_ADDED", None),
];
const NUMBER_EVENTS: &[&str] = &[
    "FLAGGED",
    "UNFLAGGED",
    "DOWNGRADE",
    "UPGRADE",
    "THROUGHPUT_UPGRADE",
];
const TEMPLATE_EVENTS: &[&str] = &[
    "APPROVED",
    "REJECTED",
    "FLAGGED",
    "PAUSED",
    "DISABLED",
    "REINSTATED",
    "UNARCHIVED",
    "PENDING",
    "LIMIT_EXCEEDED",
    "IN_APPEAL",
];
/// The console's health readings (status, quality): made in time order.
const READINGS: &[(&str, Quality)] = &[
    ("CONNECTED", Quality::Green),
    ("RESTRICTED", Quality::Red),
    ("FLAGGED", Quality::Red),
    ("CONNECTED", Quality::Yellow),
    ("RESTRICTED", Quality::Yellow),
];

fn change_of(subject: u8, which: usize) -> Change {
    match subject {
        0 => {
            let (e, b) = ACCOUNT_EVENTS[which % ACCOUNT_EVENTS.len()];
            account(e, b)
        }
        // A number's webhooks and the console's readings, mixed.
        1 if which.is_multiple_of(2) => number(NUMBER_EVENTS[(which / 2) % NUMBER_EVENTS.len()]),
        1 => {
            let (s, q) = READINGS[(which / 2) % READINGS.len()];
            health(Some(s), Some(q))
        }
        _ => template(TEMPLATE_EVENTS[which % TEMPLATE_EVENTS.len()]),
    }
}

fn incidents_of(subject: u8, facts: &[Fact<'_>]) -> Vec<Incident> {
    match subject {
        0 => account_incidents(facts),
        1 => number_incidents(facts),
        _ => template_incidents(facts),
    }
}

/// Plays the processor: each batch is stored, then its events are applied in (time, key)
/// order, each reconciling the alerts with the subject's whole stored history. Returns every
/// alert (key → resolved) and how many times an alert was announced.
fn play(
    subject: u8,
    events: &[(i64, String, Change)],
    order: &[usize],
    cuts: &[bool],
) -> (BTreeMap<String, bool>, usize) {
    let mut stored: Vec<usize> = Vec::new();
    let mut alerts = BTreeMap::new();
    let mut announced = 0;
    let mut batch: Vec<usize> = Vec::new();
    for (n, i) in order.iter().enumerate() {
        batch.push(*i);
        if !(cuts.get(n).copied().unwrap_or(false) || n + 1 == order.len()) {
            continue;
        }
        stored.extend(batch.iter().copied());
        batch.sort_by(|a, b| (events[*a].0, &events[*a].1).cmp(&(events[*b].0, &events[*b].1)));
        for e in batch.drain(..) {
            let history: Vec<Fact<'_>> = stored
                .iter()
                .map(|s| Fact {
                    at: at(events[*s].0),
                    key: events[*s].1.as_str(),
                    change: &events[*s].2,
                })
                .collect();
            let plan = incidents_of(subject, &history);
            let (raise, resolve) = reconcile(&plan, &events[e].1);
            for r in raise {
                if let std::collections::btree_map::Entry::Vacant(v) = alerts.entry(r.alert_key()) {
                    v.insert(r.resolved_by.is_some());
                    announced += 1;
                }
            }
            for r in resolve {
                if let Some(resolved) = alerts.get_mut(&r.alert_key()) {
                    *resolved = true;
                }
            }
        }
    }
    (alerts, announced)
}

/// `order` with the health readings' places kept but the readings themselves in (time, key)
/// order among them.
fn readings_in_time_order(events: &[(i64, String, Change)], mut order: Vec<usize>) -> Vec<usize> {
    let is_reading =
        |i: usize| matches!(events[i].2, Change::NumberHealth(NumberHealthChange { .. }));
    let places: Vec<usize> = (0..order.len()).filter(|p| is_reading(order[*p])).collect();
    let mut readings: Vec<usize> = places.iter().map(|p| order[*p]).collect();
    readings.sort_by(|a, b| (events[*a].0, &events[*a].1).cmp(&(events[*b].0, &events[*b].1)));
    for (p, r) in places.into_iter().zip(readings) {
        order[p] = r;
    }
    order
}

/// A subject kind, its events as (minute, which event), a delivery order and where batches end.
type Scenario = (u8, Vec<(i64, usize)>, Vec<usize>, Vec<bool>);

fn scenario() -> impl Strategy<Value = Scenario> {
    (0u8..3, prop::collection::vec((0i64..6, 0usize..20), 1..10)).prop_flat_map(
        |(subject, events)| {
            let n = events.len();
            (
                Just(subject),
                Just(events),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
                prop::collection::vec(any::<bool>(), n),
            )
        },
    )
}

proptest! {
    #[test]
    fn the_same_events_in_any_order_and_batches_raise_the_same_alerts_each_once((subject, spec, order, cuts) in scenario()) {
        let events: Vec<(i64, String, Change)> = spec.iter().enumerate().map(|(i, (m, w))| (*m, format!("k{i:02}"), change_of(subject, *w))).collect();
        // The console stores its readings in time order: only the webhooks around them move.
        let order = readings_in_time_order(&events, order);
        // What the whole history says: every incident, resolved if a later event ended it.
        let all: Vec<Fact<'_>> = events.iter().map(|(m, k, c)| Fact { at: at(*m), key: k.as_str(), change: c }).collect();
        let expected: BTreeMap<String, bool> = incidents_of(subject, &all).iter().map(|i| (i.alert_key(), i.resolved_by.is_some())).collect();
        let (alerts, announced) = play(subject, &events, &order, &cuts);
        prop_assert_eq!(&alerts, &expected);
        prop_assert_eq!(announced, expected.len());
        // One delivery carrying everything gives the same.
        let (together, _) = play(subject, &events, &(0..events.len()).collect::<Vec<_>>(), &[]);
        prop_assert_eq!(together, expected);
    }
}

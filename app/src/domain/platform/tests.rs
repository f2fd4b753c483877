use super::*;
use crate::domain::{
    messaging_tier::{Quality, Tier},
    template::status::{PlatformEvent, TemplateStatus},
};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

#[test]
fn split_reads_every_entry_and_change() {
    let body = json!({"object":"whatsapp_business_account","entry":[
        {"id":"1","time":1783003250,"changes":[{"field":"account_update","value":{"event":"PARTNER_ADDED"}},{"field":"security","value":{"event":"PIN_CHANGED"}}]},
        {"id":2,"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"77"},"statuses":[{"id":"w","status":"sent","timestamp":"1783003370","recipient_id":"1"}]}}]}
    ]});
    let changes = split(body.to_string().as_bytes()).unwrap_or_default();
    assert_eq!(changes.len(), 3);
    assert_eq!(
        (
            changes[0].waba_id.as_str(),
            changes[0].field.as_str(),
            changes[0].time
        ),
        ("1", "account_update", Some(at(1_783_003_250)))
    );
    assert_eq!(
        (
            changes[2].waba_id.as_str(),
            changes[2].phone_number_id.as_deref(),
            changes[2].time
        ),
        ("2", Some("77"), Some(at(1_783_003_370)))
    );
}

#[test]
fn only_status_changes_of_a_known_number_are_unordered() {
    let statuses =
        r#"{"metadata":{"phone_number_id":"77"},"statuses":[{"id":"w","status":"sent"}]}"#;
    assert!(statuses_only("messages", Some("77"), statuses));
    assert!(
        !statuses_only("messages", None, statuses),
        "no number: matched one by one"
    );
    assert!(
        !statuses_only(
            "messages",
            Some("77"),
            r#"{"statuses":[],"messages":[{"from":"1"}]}"#
        ),
        "an inbound message opens a window"
    );
    assert!(!statuses_only(
        "message_template_status_update",
        Some("77"),
        statuses
    ));
}

#[test]
fn split_refuses_what_is_not_a_webhook() {
    assert!(matches!(
        split(b"{not json"),
        Err(EnvelopeError::NotJson(_))
    ));
    assert_eq!(split(b"[]"), Err(EnvelopeError::Shape("no entry list")));
    assert_eq!(
        split(br#"{"entry":[{"changes":[]}]}"#),
        Err(EnvelopeError::Shape("an entry has no id"))
    );
    assert_eq!(
        split(br#"{"entry":[{"id":"1","changes":[{"value":{}}]}]}"#),
        Err(EnvelopeError::Shape("a change has no field"))
    );
    assert_eq!(split(br#"{"entry":[]}"#), Ok(vec![]));
}

#[test]
fn template_status_reads_rejection_pause_and_disable() {
    let c = interpret(
        "message_template_status_update",
        &json!({"event":"DISABLED","message_template_id":17,"message_template_name":"n","message_template_language":"pt_BR","reason":"NONE",
                    "disable_info":{"disable_date":"1783262450"},"other_info":{"title":"DISABLED","description":"d"}}),
    );
    let Change::TemplateStatus(TemplateStatusChange {
        template,
        event,
        reason,
        disable_date,
        pause_title,
        ..
    }) = c
    else {
        panic!("wrong kind")
    };
    assert_eq!(template.platform_id.as_deref(), Some("17"));
    assert_eq!(
        (event, reason, disable_date, pause_title.as_deref()),
        (
            Some(PlatformEvent::Disabled),
            None,
            Some(at(1_783_262_450)),
            Some("DISABLED")
        )
    );
    let c = interpret(
        "message_template_status_update",
        &json!({"event":"REJECTED","reason":"INVALID_FORMAT","rejection_info":{"reason":"r","recommendation":"m"}}),
    );
    assert!(
        matches!(c, Change::TemplateStatus(TemplateStatusChange { rejection: Some(ref r), reason: Some(ref why), .. }) if r.0 == "r" && why == "INVALID_FORMAT")
    );
    let c = interpret(
        "message_template_status_update",
        &json!({"event":"SOMETHING_NEW"}),
    );
    assert!(
        matches!(c, Change::TemplateStatus(TemplateStatusChange { event: None, ref raw_event, .. }) if raw_event == "SOMETHING_NEW")
    );
}

#[test]
fn category_updates_are_impending_or_completed() {
    let c = interpret(
        "template_category_update",
        &json!({"message_template_id":1,"new_category":"UTILITY","correct_category":"MARKETING","category_update_timestamp":1783089650}),
    );
    assert!(
        matches!(c, Change::TemplateCategory(TemplateCategoryChange { change: CategoryChange::Impending { ref correct, at: Some(_) }, .. }) if correct == "MARKETING")
    );
    let c = interpret(
        "template_category_update",
        &json!({"message_template_id":1,"previous_category":"UTILITY","new_category":"MARKETING"}),
    );
    assert!(
        matches!(c, Change::TemplateCategory(TemplateCategoryChange { change: CategoryChange::Completed { ref new, .. }, .. }) if new == "MARKETING")
    );
}

#[test]
fn capability_limits_accept_strings_and_integers() {
    let c = interpret(
        "business_capability_update",
        &json!({"max_daily_conversations_per_business": 2000, "max_daily_conversation_per_phone": -1}),
    );
    assert_eq!(
        c,
        Change::Capability(CapabilityChange {
            portfolio_limit: Some(Tier::T2K),
            per_phone_limit: Some(Tier::Unlimited),
            max_phone_numbers: None
        })
    );
    let c = interpret(
        "business_capability_update",
        &json!({"max_daily_conversations_per_business": "TIER_2K"}),
    );
    assert!(matches!(
        c,
        Change::Capability(CapabilityChange {
            portfolio_limit: Some(Tier::T2K),
            ..
        })
    ));
}

#[test]
fn statuses_read_pricing_in_both_spellings() {
    let c = interpret(
        "messages",
        &json!({"statuses":[
            {"id":"a","status":"delivered","timestamp":"5","recipient_id":"44","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"authentication-international"}},
            {"id":"b","status":"failed","timestamp":"6","recipient_id":"44","errors":[{"code":131049}]},
            {"id":"c","status":"bogus","timestamp":"6","recipient_id":"44"}
        ]}),
    );
    let Change::Messages(MessagesChange { statuses, .. }) = c else {
        panic!("wrong kind")
    };
    assert_eq!(statuses.len(), 2, "an unknown status is skipped");
    assert_eq!(
        statuses[0]
            .pricing
            .as_ref()
            .and_then(|p| p.category.clone())
            .as_deref(),
        Some("authentication_international")
    );
    assert_eq!(statuses[1].error_code, Some(131_049));
    assert_eq!(
        statuses[0]
            .pricing
            .as_ref()
            .and_then(|p| p.conversation.clone()),
        None,
        "no conversation object (v24)"
    );
}

#[test]
fn a_conversation_based_status_names_its_conversation() {
    let c = interpret(
        "messages",
        &json!({"statuses":[
            {"id":"a","status":"sent","timestamp":"5","recipient_id":"44","conversation":{"id":"c0ffee","expiration_timestamp":"90000","origin":{"type":"marketing"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}},
            {"id":"b","status":"sent","timestamp":"6","recipient_id":"44","conversation":{"id":"  "},"pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}}
        ]}),
    );
    let Change::Messages(MessagesChange { statuses, .. }) = c else {
        panic!("wrong kind")
    };
    assert_eq!(
        statuses[0]
            .pricing
            .as_ref()
            .and_then(|p| p.conversation.clone())
            .as_deref(),
        Some("c0ffee")
    );
    assert_eq!(
        statuses[1]
            .pricing
            .as_ref()
            .and_then(|p| p.conversation.clone()),
        None,
        "a blank id is no conversation"
    );
}

#[test]
fn a_message_state_is_the_same_in_any_order() {
    let st = |status: DeliveryStatus, t: i64| StatusUpdate {
        wamid: "w".into(),
        status,
        at: Some(at(t)),
        recipient: "1".into(),
        pricing: None,
        error_code: None,
    };
    let all = [
        st(DeliveryStatus::Read, 9),
        st(DeliveryStatus::Sent, 1),
        st(DeliveryStatus::Delivered, 3),
        st(DeliveryStatus::Delivered, 2),
    ];
    let fold = |order: &[usize]| {
        let mut m = MessageState::of(&all[order[0]]);
        for i in &order[1..] {
            m.add(&all[*i]);
        }
        m
    };
    let a = fold(&[0, 1, 2, 3]);
    assert_eq!(a, fold(&[3, 2, 1, 0]));
    assert_eq!(a, fold(&[1, 3, 0, 2]));
    assert_eq!(
        (a.status, a.sent_at, a.delivered_at, a.read_at),
        (DeliveryStatus::Read, Some(at(1)), Some(at(2)), Some(at(9)))
    );
}

#[test]
fn statuses_never_regress() {
    use DeliveryStatus::*;
    assert!(Read.rank() > Delivered.rank());
    assert!(Delivered.rank() > Failed.rank());
    assert!(Failed.rank() > Sent.rank());
}

#[test]
fn number_state_is_the_fold_of_its_events_in_time_order() {
    let ev = |e: &str, l: Option<Tier>| {
        Change::NumberQuality(NumberQualityChange {
            display_phone_number: "1".into(),
            event: NumberEvent::parse(e),
            current_limit: l,
            old_limit: None,
            portfolio_limit: None,
        })
    };
    let (f1, un, f2, down) = (
        ev("FLAGGED", Some(Tier::T10K)),
        ev("UNFLAGGED", None),
        ev("FLAGGED", None),
        ev("DOWNGRADE", Some(Tier::T1K)),
    );
    let s = fold_number([(at(1), &f1), (at(2), &un), (at(3), &f2)]);
    assert_eq!(
        (s.status.as_deref(), s.flagged_at, s.tier),
        (Some("FLAGGED"), Some(at(3)), Some(Tier::T10K)),
        "a new flag period starts at its own event"
    );
    let s = fold_number([(at(1), &f1), (at(3), &f2), (at(4), &down)]);
    assert_eq!(
        (s.status.as_deref(), s.flagged_at, s.tier, s.quality),
        (Some("CONNECTED"), None, Some(Tier::T1K), Some(Quality::Red))
    );
    assert_eq!(s.at, Some(at(4)));
}

#[test]
fn older_events_are_stale_and_within_a_second_the_later_step_wins() {
    use TemplateStatus as S;
    assert!(is_stale(at(1), S::Approved, at(2), S::Paused));
    assert!(!is_stale(at(3), S::Approved, at(2), S::Paused));
    assert!(
        is_stale(at(2), S::Approved, at(2), S::Paused),
        "same second: paused comes after approved"
    );
    assert!(!is_stale(at(2), S::Disabled, at(2), S::Paused));
}

#[test]
fn the_pause_ladder() {
    let t = at(1_783_003_250);
    assert_eq!(
        pause_outlook(Some("FIRST_PAUSE"), 1, t).until(),
        Some(t + TimeDelta::hours(3))
    );
    assert_eq!(
        pause_outlook(Some("SECOND_PAUSE"), 1, t).until(),
        Some(t + TimeDelta::hours(6)),
        "the title wins over the count"
    );
    assert_eq!(
        pause_outlook(None, 2, t),
        PauseOutlook::SecondPause {
            until: t + TimeDelta::hours(6)
        }
    );
    assert_eq!(
        pause_outlook(None, 3, t),
        PauseOutlook::Disabled { on: Some(t) }
    );
    assert_eq!(
        pause_outlook(Some("RATE_LIMITING_PAUSE"), 1, t),
        PauseOutlook::RateLimited
    );
}

#[test]
fn odd_values_never_panic() {
    for field in [
        "message_template_status_update",
        "message_template_quality_update",
        "template_category_update",
        "phone_number_quality_update",
        "phone_number_name_update",
        "business_capability_update",
        "account_update",
        "account_alerts",
        "security",
        "messages",
        "nope",
    ] {
        for v in [
            json!(null),
            json!([]),
            json!(1),
            json!({"statuses": 3, "messages": [1, {"from": 2}], "restriction_info": {"a": 1}, "alert_info": []}),
        ] {
            let _ = interpret(field, &v);
        }
    }
}

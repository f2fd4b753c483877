//! Incidents that arrive together: every one raises its alert exactly once, whatever arrived
//! with it or after it, posted as separate deliveries milliseconds apart or as one delivery
//! carrying every change; one already resolved by a later event is still recorded and emailed,
//! marked resolved with what resolved it.

use crate::{
    both,
    support::*,
    webhooks::{deliver, platform_tenant, process, Platform, DISPLAY_NUMBER, WABA},
};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// One change of the WABA, as the platform sends it.
fn change(field: &str, value: Value) -> Value {
    json!({"field": field, "value": value})
}

fn delivery(time: i64, changes: &[Value]) -> String {
    json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "time": time, "changes": changes}]}).to_string()
}

/// Posts each (time, change) as its own signed delivery, one after the other.
async fn post_separately(app: &TestApp, changes: &[(i64, Value)]) {
    for (time, c) in changes {
        let (s, body) = deliver(app, &delivery(*time, std::slice::from_ref(c))).await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
}

/// Posts every change in one delivery (one entry per event time, in the given order).
async fn post_together(app: &TestApp, changes: &[(i64, Value)]) {
    let entries: Vec<Value> = changes
        .iter()
        .map(|(time, c)| json!({"id": WABA, "time": time, "changes": [c]}))
        .collect();
    let (s, body) = deliver(
        app,
        &json!({"object": "whatsapp_business_account", "entry": entries}).to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

async fn alerts(app: &TestApp, p: &Platform) -> Vec<Value> {
    let admin = app.signed_in(ADMIN, PW).await;
    admin
        .call(
            "list_alerts",
            &[("tenant", &p.tenant.to_string()), ("status", "")],
        )
        .await
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// (kind, status, resolution) of every alert, sorted.
async fn summary(app: &TestApp, p: &Platform) -> Vec<(String, String, Option<String>)> {
    let mut v: Vec<_> = alerts(app, p)
        .await
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap_or_default().to_owned(),
                a["status"].as_str().unwrap_or_default().to_owned(),
                a["resolution"].as_str().map(str::to_owned),
            )
        })
        .collect();
    v.sort();
    v
}

/// The alert emails queued: (alert kind, whether it says it was already resolved).
async fn alert_emails(app: &TestApp) -> Vec<(String, Option<String>)> {
    use sea_orm::ConnectionTrait;
    let rows = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT payload FROM email_outbox WHERE kind = 'alert'".to_owned(),
        ))
        .await
        .expect("query");
    let mut v: Vec<_> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "payload").ok())
        .filter_map(|p| serde_json::from_str::<Value>(&p).ok())
        .map(|a| {
            (
                a["alert"].as_str().unwrap_or_default().to_owned(),
                a["resolved"].as_str().map(str::to_owned),
            )
        })
        .collect();
    v.sort();
    v
}

const T0: i64 = 1_783_003_250;

fn account_incidents() -> Vec<(i64, Value)> {
    vec![
        (
            T0,
            change(
                "account_update",
                json!({"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}}),
            ),
        ),
        (
            T0 + 1,
            change(
                "account_update",
                json!({"event": "ACCOUNT_RESTRICTION", "restriction_info": [{"restriction_type": "RESTRICTED_ADD_PHONE_NUMBER_ACTION", "expiration": T0 + 86_400}]}),
            ),
        ),
        (
            T0 + 2,
            change(
                "account_update",
                json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "SCHEDULE_FOR_DISABLE", "waba_ban_date": "July 9, 2026"}}),
            ),
        ),
        (
            T0 + 3,
            change(
                "account_update",
                json!({"event": "VOLUME_BASED_PRICING_TIER_UPDATE", "volume_tier_info": {"tier_update_time": T0 + 3, "pricing_category": "UTILITY"}}),
            ),
        ),
    ]
}

fn open(kind: &str) -> (String, String, Option<String>) {
    (kind.to_owned(), "open".to_owned(), None)
}

both!(
    account_incidents_posted_apart_each_raise_their_alert_once,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        post_separately(app, &account_incidents()).await;
        process(app).await;
        assert_eq!(
            summary(app, &p).await,
            [
                open("account_disable_scheduled"),
                open("account_restriction"),
                open("account_violation")
            ]
        );
        assert_eq!(
            alert_emails(app).await,
            [
                ("account_disable_scheduled".into(), None),
                ("account_restriction".into(), None),
                ("account_violation".into(), None)
            ],
            "one email each"
        );
        // The account's state is the latest event's fold.
        let admin = app.signed_in(ADMIN, PW).await;
        let n = admin
            .call("number_health", &[("tenant", &p.tenant.to_string())])
            .await
            .json();
        assert_eq!(n["accounts"][0]["ban_state"], "SCHEDULE_FOR_DISABLE", "{n}");
        // Delivered again and processed again: nothing new.
        post_separately(app, &account_incidents()).await;
        process(app).await;
        assert_eq!(summary(app, &p).await.len(), 3);
        assert_eq!(alert_emails(app).await.len(), 3);
    }
);

both!(
    account_incidents_in_one_delivery_each_raise_their_alert_once,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let mut changes = account_incidents();
        changes.reverse();
        post_together(app, &changes).await;
        process(app).await;
        assert_eq!(
            summary(app, &p).await,
            [
                open("account_disable_scheduled"),
                open("account_restriction"),
                open("account_violation")
            ]
        );
        assert_eq!(alert_emails(app).await.len(), 3);
    }
);

fn flag_then_downgrade() -> Vec<(i64, Value)> {
    let week = 7 * 86_400;
    vec![
        (
            T0,
            change(
                "phone_number_quality_update",
                json!({"display_phone_number": DISPLAY_NUMBER, "event": "FLAGGED", "current_limit": "TIER_10K"}),
            ),
        ),
        (
            T0 + week,
            change(
                "phone_number_quality_update",
                json!({"display_phone_number": DISPLAY_NUMBER, "event": "DOWNGRADE", "current_limit": "TIER_2K", "old_limit": "TIER_10K"}),
            ),
        ),
    ]
}

fn flag_resolved_by_downgrade() -> Vec<(String, String, Option<String>)> {
    vec![
        ("number_downgraded".into(), "open".into(), None),
        (
            "number_flagged".into(),
            "resolved".into(),
            Some("DOWNGRADE at 2026-07-09 14:40 UTC".into()),
        ),
    ]
}

both!(
    a_flag_and_a_later_downgrade_posted_apart_are_both_announced,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        post_separately(app, &flag_then_downgrade()).await;
        process(app).await;
        assert_eq!(summary(app, &p).await, flag_resolved_by_downgrade());
        assert_eq!(
            alert_emails(app).await,
            [
                ("number_downgraded".into(), None),
                (
                    "number_flagged".into(),
                    Some("DOWNGRADE at 2026-07-09 14:40 UTC".into())
                )
            ]
        );
        let admin = app.signed_in(ADMIN, PW).await;
        let n = admin
            .call("number_health", &[("tenant", &p.tenant.to_string())])
            .await
            .json();
        assert_eq!(
            (
                n["numbers"][0]["status"].as_str(),
                n["numbers"][0]["tier"].as_str()
            ),
            (Some("CONNECTED"), Some("TIER_2K")),
            "{n}"
        );
    }
);

both!(
    a_flag_and_a_later_downgrade_in_one_delivery_are_both_announced,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let mut changes = flag_then_downgrade();
        changes.reverse();
        post_together(app, &changes).await;
        process(app).await;
        assert_eq!(summary(app, &p).await, flag_resolved_by_downgrade());
    }
);

both!(
    a_flag_processed_after_its_unflag_is_recorded_resolved,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let unflag = change(
            "phone_number_quality_update",
            json!({"display_phone_number": DISPLAY_NUMBER, "event": "UNFLAGGED", "current_limit": "TIER_10K"}),
        );
        let flag = change(
            "phone_number_quality_update",
            json!({"display_phone_number": DISPLAY_NUMBER, "event": "FLAGGED", "current_limit": "TIER_10K"}),
        );
        // The unflag (later by event time) arrives and is processed first.
        post_separately(app, &[(T0 + 3_600, unflag)]).await;
        process(app).await;
        assert!(summary(app, &p).await.is_empty());
        post_separately(app, &[(T0, flag)]).await;
        process(app).await;
        assert_eq!(
            summary(app, &p).await,
            [(
                "number_flagged".into(),
                "resolved".into(),
                Some("UNFLAGGED at 2026-07-02 15:40 UTC".into())
            )]
        );
        assert_eq!(
            alert_emails(app).await,
            [(
                "number_flagged".into(),
                Some("UNFLAGGED at 2026-07-02 15:40 UTC".into())
            )],
            "the tenant still hears of it"
        );
        // And an incident applied before its resolver is resolved when the resolver arrives.
        let flag2 = change(
            "phone_number_quality_update",
            json!({"display_phone_number": DISPLAY_NUMBER, "event": "FLAGGED", "current_limit": "TIER_10K"}),
        );
        post_separately(app, &[(T0 + 7_200, flag2)]).await;
        process(app).await;
        let unflag2 = change(
            "phone_number_quality_update",
            json!({"display_phone_number": DISPLAY_NUMBER, "event": "UNFLAGGED", "current_limit": "TIER_10K"}),
        );
        post_separately(app, &[(T0 + 10_800, unflag2)]).await;
        process(app).await;
        let s = summary(app, &p).await;
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s.iter().all(|a| a.1 == "resolved"), "{s:?}");
        assert!(
            s.iter()
                .any(|a| a.2.as_deref() == Some("UNFLAGGED at 2026-07-02 17:40 UTC")),
            "{s:?}"
        );
    }
);

fn template_status(event: &str, title: Option<&str>) -> Value {
    let mut v = json!({"event": event, "message_template_id": 1718203946573532_i64, "message_template_name": "flash_sale_weekend", "message_template_language": "pt_BR", "reason": "NONE"});
    if let Some(t) = title {
        v["other_info"] = json!({"title": t, "description": "low quality"});
    }
    change("message_template_status_update", v)
}

both!(
    a_pause_then_a_disable_are_both_announced_apart_or_together,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        post_separately(app, &[(T0 - 600, template_status("APPROVED", None))]).await;
        process(app).await;
        let events = [
            (T0, template_status("PAUSED", Some("FIRST_PAUSE"))),
            (T0 + 60, template_status("DISABLED", Some("DISABLED"))),
        ];
        post_separately(app, &events).await;
        process(app).await;
        assert_eq!(
            summary(app, &p).await,
            [open("template_disabled"), open("template_paused")]
        );
        // Approved again later: both resolved, by that approval.
        post_together(app, &[(T0 + 86_400, template_status("APPROVED", None))]).await;
        process(app).await;
        let s = summary(app, &p).await;
        assert!(
            s.iter()
                .all(|a| a.1 == "resolved"
                    && a.2.as_deref() == Some("APPROVED at 2026-07-03 14:40 UTC")),
            "{s:?}"
        );
    }
);

both!(
    a_pause_then_a_disable_in_one_delivery_are_both_announced,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        post_separately(app, &[(T0 - 600, template_status("APPROVED", None))]).await;
        process(app).await;
        post_together(
            app,
            &[
                (T0 + 60, template_status("DISABLED", Some("DISABLED"))),
                (T0, template_status("PAUSED", Some("FIRST_PAUSE"))),
            ],
        )
        .await;
        process(app).await;
        assert_eq!(
            summary(app, &p).await,
            [open("template_disabled"), open("template_paused")]
        );
        assert_eq!(alert_emails(app).await.len(), 2);
    }
);

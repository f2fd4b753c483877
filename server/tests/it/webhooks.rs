//! The platform's webhooks: handshake, signatures, limits, durable storage, and what every
//! example payload of the reference does once processed.

use crate::{both, support::*};
use app::backend::services::platform_events::{process_all, sign};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const WABA: &str = "104996839102231";
pub const PHONE_ID: &str = "110200345501442";

/// Posts `body` signed with the test app secret.
pub async fn deliver(app: &TestApp, body: &str) -> (StatusCode, String) {
    deliver_raw(
        app,
        body.as_bytes(),
        Some(&sign(APP_SECRET.as_bytes(), body.as_bytes())),
    )
    .await
}

pub async fn deliver_raw(
    app: &TestApp,
    body: &[u8],
    signature: Option<&str>,
) -> (StatusCode, String) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/webhooks/whatsapp", app.base))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(s) = signature {
        req = req.header("x-hub-signature-256", s);
    }
    let r = req.send().await.expect("post");
    let status = r.status();
    (status, r.text().await.unwrap_or_default())
}

/// An example payload of the reference. Its number, +1 555 019 9921, is not a valid number to
/// libphonenumber, which registration enforces: the tests register +1 202 555 0143 instead.
pub fn example(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/it/fixtures/webhooks/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("example payload")
    .replace("15550199921", DISPLAY_NUMBER)
}

pub const DISPLAY_NUMBER: &str = "12025550143";

pub async fn process(app: &TestApp) -> usize {
    process_all(&app::backend::auth::system_scope(&app.state))
        .await
        .expect("process")
}

async fn sql_rows(app: &TestApp, sql: &str) -> Vec<sea_orm::QueryResult> {
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let rows = sql_rows(app, &format!("SELECT COUNT(*) AS n FROM {table}")).await;
    rows.first()
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(-1)
}

/// A tenant on the reference's WABA with its number, and a template of each example at the platform.
pub struct Platform {
    pub tenant: app::domain::ids::TenantId,
    pub phone: String,
    pub templates: std::collections::HashMap<&'static str, String>,
}

pub async fn platform_tenant(app: &TestApp, f: &Fixture) -> Platform {
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let tenant = app::backend::services::tenants::create(&op, &tenant_form("Gamma", WABA))
        .await
        .expect("tenant");
    app::backend::services::users::add_tenant_user(
        &op,
        tenant,
        "owner@gamma.test",
        "Gamma Owner",
        PW,
        app::domain::roles::TenantRole::Owner,
    )
    .await
    .expect("owner");
    let form = app::domain::tenant::PhoneNumberForm {
        number: format!("+{DISPLAY_NUMBER}"),
        phone_number_id: PHONE_ID.into(),
        display_name: "Gamma Shop".into(),
    };
    let phone = app::backend::services::tenants::add_phone_number(&op, tenant, "", &form)
        .await
        .expect("phone")
        .to_string();
    let scope = app::backend::auth::staff_in_tenant(&op, tenant)
        .await
        .expect("scope");
    let reviewer = app.signed_in(REVIEWER, PW).await;
    let mut templates = std::collections::HashMap::new();
    for (name, language, category) in [
        ("order_shipped_v2", "en_US", "UTILITY"),
        ("cart_reminder", "es_MX", "MARKETING"),
        ("flash_sale_weekend", "pt_BR", "MARKETING"),
        ("loyalty_points_news", "en_GB", "MARKETING"),
        ("welcome_offer", "en_US", "UTILITY"),
    ] {
        let form = app::domain::template::draft::DraftForm {
            name: name.into(),
            language: language.into(),
            category: category.into(),
            body: format!(
                "Hello {{{{1}}}}, here is the news about {} for this week.",
                name.replace('_', " ")
            ),
            examples: "Ana".into(),
            ..Default::default()
        };
        let id = app::backend::services::templates::create(&scope, &form, false)
            .await
            .expect("create")
            .to_string();
        app::backend::services::templates::submit(&scope, id.parse().expect("id"))
            .await
            .expect("submit");
        let t = tenant.to_string();
        let r = reviewer
            .call(
                "decide_template",
                &[
                    ("tenant", &t),
                    ("id", &id),
                    ("revision", "1"),
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = reviewer
            .call("mark_template_submitted", &[("tenant", &t), ("id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        templates.insert(name, id);
    }
    let _ = f;
    Platform {
        tenant,
        phone,
        templates,
    }
}

async fn template(app: &TestApp, p: &Platform, name: &str) -> Value {
    let admin = app.signed_in(ADMIN, PW).await;
    admin
        .call(
            "get_template",
            &[
                ("tenant", &p.tenant.to_string()),
                ("id", &p.templates[name]),
            ],
        )
        .await
        .json()
}

async fn health(app: &TestApp, p: &Platform, name: &str) -> Value {
    let admin = app.signed_in(ADMIN, PW).await;
    admin
        .call(
            "template_health",
            &[
                ("tenant", &p.tenant.to_string()),
                ("id", &p.templates[name]),
            ],
        )
        .await
        .json()
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

async fn numbers(app: &TestApp, p: &Platform) -> Value {
    let admin = app.signed_in(ADMIN, PW).await;
    admin
        .call("number_health", &[("tenant", &p.tenant.to_string())])
        .await
        .json()
}

both!(
    the_handshake_answers_the_challenge_only_with_the_token,
    async |app: &TestApp| {
        let get = |q: &str| {
            let url = format!("{}/webhooks/whatsapp?{q}", app.base);
            async move {
                let r = reqwest::get(url).await.expect("get");
                (r.status(), r.text().await.unwrap_or_default())
            }
        };
        assert_eq!(
            get(&format!(
                "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VERIFY_TOKEN}"
            ))
            .await,
            (StatusCode::OK, "1158201444".into())
        );
        assert_eq!(
            get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong")
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&format!(
                "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token={VERIFY_TOKEN}"
            ))
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(get("hub.mode=subscribe").await.0, StatusCode::BAD_REQUEST);
    }
);

both!(
    only_correctly_signed_deliveries_are_stored,
    async |app: &TestApp| {
        let body = example("account_update_partner_added");
        let good = sign(APP_SECRET.as_bytes(), body.as_bytes());
        assert_eq!(
            deliver_raw(app, body.as_bytes(), None).await.0,
            StatusCode::UNAUTHORIZED,
            "missing"
        );
        assert_eq!(
            deliver_raw(app, body.as_bytes(), Some("sha256=00")).await.0,
            StatusCode::UNAUTHORIZED,
            "bad"
        );
        assert_eq!(
            deliver_raw(
                app,
                body.as_bytes(),
                Some(&sign(b"another secret", body.as_bytes()))
            )
            .await
            .0,
            StatusCode::UNAUTHORIZED,
            "other secret"
        );
        let mut altered = body.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] ^= 1;
        assert_eq!(
            deliver_raw(app, &altered, Some(&good)).await.0,
            StatusCode::UNAUTHORIZED,
            "one byte changed"
        );
        assert_eq!(
            deliver_raw(
                app,
                body.as_bytes(),
                Some(&good.to_uppercase().replace("SHA256=", "sha256="))
            )
            .await
            .0,
            StatusCode::OK,
            "hex in either case"
        );
        assert_eq!(
            count(app, "webhook_deliveries").await,
            1,
            "refused deliveries store nothing"
        );
        assert_eq!(process(app).await, 1);
        assert_eq!(count(app, "platform_events").await, 1);
        // The platform signs non-ASCII characters escaped as \uXXXX: the raw bytes are what counts.
        let escaped = r#"{"object":"whatsapp_business_account","entry":[{"id":"9","time":1,"changes":[{"field":"security","value":{"event":"PIN_CHANGED","requester":"S\u00e3o Paulo \ud83d\ude00"}}]}]}"#;
        let sig = sign(APP_SECRET.as_bytes(), escaped.as_bytes());
        assert_eq!(
            deliver_raw(app, escaped.as_bytes(), Some(&sig)).await.0,
            StatusCode::OK
        );
        let literal = escaped
            .replace(r"\u00e3", "ã")
            .replace(r"\ud83d\ude00", "😀");
        assert_eq!(
            deliver_raw(app, literal.as_bytes(), Some(&sig)).await.0,
            StatusCode::UNAUTHORIZED,
            "re-encoded with literal characters it no longer matches"
        );
        assert_eq!(
            deliver_raw(
                app,
                literal.as_bytes(),
                Some(&sign(APP_SECRET.as_bytes(), literal.as_bytes()))
            )
            .await
            .0,
            StatusCode::OK,
            "a literal UTF-8 body signed as sent"
        );
    }
);

both!(
    oversized_or_malformed_deliveries_are_refused_with_nothing_stored,
    async |app: &TestApp| {
        // A delivery declaring more than 3 MB is answered 413 from its headers, before any of the
        // body is read. (Sent over a plain socket: a client that writes the whole 3 MB may see the
        // connection closed under it instead of the answer, which made this test flaky.)
        let addr = app.addr;
        let head = format!(
        "POST /webhooks/whatsapp HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-hub-signature-256: {}\r\nconnection: close\r\n\r\n{{\"entry\":[],\"pad\":\"",
        3 * 1024 * 1024 + 1,
        sign(APP_SECRET.as_bytes(), b"unused")
    );
        let answer = tokio::task::spawn_blocking(move || {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(addr)?;
            s.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
            s.write_all(head.as_bytes())?;
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf);
            std::io::Result::Ok(String::from_utf8_lossy(&buf).into_owned())
        })
        .await
        .expect("join")
        .expect("socket");
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(
            answer.contains("deliveries are limited to 3 MB"),
            "{answer}"
        );
        let (status, msg) = deliver(app, "{\"entry\": [").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(msg.contains("not JSON"), "{msg}");
        let (status, msg) = deliver(app, r#"{"object":"whatsapp_business_account"}"#).await;
        assert_eq!(
            (status, msg.as_str()),
            (
                StatusCode::BAD_REQUEST,
                "the body is not a WhatsApp webhook: no entry list"
            )
        );
        assert_eq!(count(app, "webhook_deliveries").await, 0);
    }
);

both!(
    redeliveries_are_stored_once_and_unknown_accounts_are_unmatched,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let body = example("account_update_partner_added");
        let (s, r) = deliver(app, &body).await;
        assert_eq!(
            (s, serde_json::from_str::<Value>(&r).unwrap_or_default()),
            (StatusCode::OK, json!({"received": 1}))
        );
        let (_, r) = deliver(app, &body).await;
        assert_eq!(
            serde_json::from_str::<Value>(&r).unwrap_or_default(),
            json!({"received": 1})
        );
        assert_eq!(
            count(app, "webhook_deliveries").await,
            2,
            "every delivery is kept as received"
        );
        assert_eq!(
            process(app).await,
            1,
            "the same change twice is applied once"
        );
        assert_eq!(count(app, "platform_events").await, 1, "and stored once");
        // Delivered again after it was applied: stored and applied no more.
        deliver(app, &body).await;
        assert_eq!(process(app).await, 0);
        assert_eq!(count(app, "platform_events").await, 1);
        // No tenant has this WABA: unmatched, visible to staff, not retried.
        let admin = app.signed_in(ADMIN, PW).await;
        let log = admin
            .call(
                "unmatched_events",
                &[("field", ""), ("status", ""), ("search", ""), ("page", "")],
            )
            .await
            .json();
        assert_eq!(log["total"], 1, "{log}");
        assert!(
            log["rows"][0]["result"]
                .as_str()
                .is_some_and(|r| r.contains(WABA)),
            "{log}"
        );
        assert_eq!(process(app).await, 0, "nothing left to do");
        // An unknown field of a known account is unmatched too.
        let _ = f;
        let body = json!({"object":"whatsapp_business_account","entry":[{"id":"1001","time":5,"changes":[{"field":"smb_app_state_sync","value":{"x":1}}]}]}).to_string();
        deliver(app, &body).await;
        process(app).await;
        let log = admin
            .call(
                "unmatched_events",
                &[
                    ("field", "smb_app_state_sync"),
                    ("status", ""),
                    ("search", ""),
                    ("page", ""),
                ],
            )
            .await
            .json();
        assert_eq!(log["total"], 1, "{log}");
    }
);

both!(
    every_example_payload_has_its_effect,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let step = |name: &'static str| async move {
            let (s, body) = deliver(app, &example(name)).await;
            assert_eq!(s, StatusCode::OK, "{name}: {body}");
            process(app).await
        };
        // Templates.
        step("message_template_status_update_approved").await;
        assert_eq!(
            template(app, &p, "order_shipped_v2").await["status"],
            "APPROVED"
        );
        step("message_template_status_update_rejected").await;
        let h = health(app, &p, "cart_reminder").await;
        assert_eq!(h["status"], "REJECTED", "{h}");
        assert!(
            h["history"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains("two parameters placed next to each other")),
            "{h}"
        );
        // flash_sale_weekend: approved, then paused, quality red, disabled.
        let approve = example("message_template_status_update_approved")
            .replace("1718203946573521", "1718203946573532")
            .replace("order_shipped_v2", "flash_sale_weekend")
            .replace("en_US", "pt_BR")
            .replace("1783003250", "1783003000");
        deliver(app, &approve).await;
        process(app).await;
        step("message_template_status_update_paused").await;
        let h = health(app, &p, "flash_sale_weekend").await;
        assert_eq!(
            (h["status"].as_str(), h["pause_count"].as_i64()),
            (Some("PAUSED"), Some(1)),
            "{h}"
        );
        assert_eq!(
            h["paused_until"], "2026-07-02T17:40:50Z",
            "3 hours after the event: {h}"
        );
        assert_eq!(h["outlook"], "first_pause", "{h}");
        step("message_template_quality_update").await;
        assert_eq!(
            health(app, &p, "flash_sale_weekend").await["quality"],
            "RED"
        );
        step("message_template_status_update_disabled").await;
        let h = health(app, &p, "flash_sale_weekend").await;
        assert_eq!(
            (h["status"].as_str(), h["disable_date"].as_str()),
            (Some("DISABLED"), Some("2026-07-05T14:40:50Z")),
            "{h}"
        );
        step("message_template_status_update_flagged").await;
        assert_eq!(
            template(app, &p, "loyalty_points_news").await["status"],
            "FLAGGED"
        );
        step("template_category_update_impending").await;
        let h = health(app, &p, "welcome_offer").await;
        assert_eq!(
            (h["category"].as_str(), h["pending_category"].as_str()),
            (Some("UTILITY"), Some("MARKETING")),
            "{h}"
        );
        step("template_category_update_completed").await;
        let h = health(app, &p, "welcome_offer").await;
        assert_eq!(
            (h["category"].as_str(), h["pending_category"].as_str()),
            (Some("MARKETING"), None),
            "{h}"
        );
        // Numbers, oldest first (legacy events from 2024, then current ones).
        step("phone_number_quality_update_flagged_legacy").await;
        let n = numbers(app, &p).await;
        assert_eq!(
            (
                n["numbers"][0]["status"].as_str(),
                n["numbers"][0]["tier"].as_str()
            ),
            (Some("FLAGGED"), Some("TIER_10K")),
            "{n}"
        );
        assert_eq!(n["numbers"][0]["id"], p.phone.as_str());
        assert_eq!(
            n["numbers"][0]["flag_deadline"], "2024-06-03T08:53:20Z",
            "7 days after the flag: {n}"
        );
        step("phone_number_quality_update_downgrade_legacy").await;
        let n = numbers(app, &p).await;
        assert_eq!(
            (
                n["numbers"][0]["status"].as_str(),
                n["numbers"][0]["tier"].as_str()
            ),
            (Some("CONNECTED"), Some("TIER_1K")),
            "{n}"
        );
        step("phone_number_quality_update_upgrade_legacy").await;
        step("phone_number_quality_update_throughput_upgrade").await;
        let n = numbers(app, &p).await;
        assert_eq!(
            (
                n["numbers"][0]["tier"].as_str(),
                n["numbers"][0]["throughput"].as_str(),
                n["accounts"][0]["portfolio_limit"].as_str()
            ),
            (Some("TIER_UNLIMITED"), Some("HIGH"), Some("TIER_UNLIMITED")),
            "{n}"
        );
        step("phone_number_name_update_rejected").await;
        assert_eq!(
            numbers(app, &p).await["numbers"][0]["name_decision"],
            "REJECTED"
        );
        step("business_capability_update").await;
        assert_eq!(
            numbers(app, &p).await["accounts"][0]["portfolio_limit"],
            "TIER_2K"
        );
        // Accounts.
        for name in [
            "account_update_account_violation",
            "account_update_account_restriction",
            "account_update_disabled_update",
            "account_update_partner_added",
            "account_update_auth_intl_eligibility",
            "account_update_volume_tier_update",
            "account_alerts_limit_increase_deferred",
            "security_pin_reset_request",
        ] {
            step(name).await;
        }
        let n = numbers(app, &p).await;
        assert_eq!(n["accounts"][0]["ban_state"], "SCHEDULE_FOR_DISABLE", "{n}");
        // Messages: windows and statuses.
        for name in [
            "messages_inbound_text",
            "messages_inbound_ctwa_referral",
            "messages_status_sent_pmp_v23",
            "messages_status_delivered_utility_in_window_v24",
            "messages_status_read_free_entry_point_v24",
            "messages_status_failed",
            "messages_status_delivered_cbp_2024_legacy",
        ] {
            step(name).await;
        }
        assert_eq!(count(app, "conversation_windows").await, 2);
        assert!(count(app, "message_statuses").await >= 4);
        let stored = sql_rows(app, "SELECT recipient_hash FROM message_statuses").await;
        assert!(
            stored.iter().all(|r| r
                .try_get::<String>("", "recipient_hash")
                .is_ok_and(|h| h.len() == 64 && !h.contains("447700"))),
            "recipients are kept as keyed hashes"
        );
        // Every event processed, none failed or left pending.
        let admin = app.signed_in(ADMIN, PW).await;
        let log = admin
            .call(
                "event_log",
                &[
                    ("tenant", &p.tenant.to_string()),
                    ("field", ""),
                    ("status", "failed"),
                    ("search", ""),
                    ("page", ""),
                ],
            )
            .await
            .json();
        assert_eq!(log["total"], 0, "{log}");
        // The alerts raised, one per trouble.
        let kinds: std::collections::BTreeSet<String> = alerts(app, &p)
            .await
            .iter()
            .filter_map(|a| a["kind"].as_str().map(str::to_owned))
            .collect();
        let expected = [
            "template_rejected",
            "template_paused",
            "template_disabled",
            "template_flagged",
            "template_category_changing",
            "template_category_changed",
            "number_flagged",
            "number_downgraded",
            "number_name_rejected",
            "account_violation",
            "account_restriction",
            "account_disable_scheduled",
            "platform_notice",
        ];
        assert_eq!(
            kinds,
            expected.iter().map(|s| s.to_string()).collect(),
            "alerts"
        );
    }
);

both!(
    the_same_delivery_twice_raises_one_alert_and_one_email,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let emails_before = count(app, "email_outbox").await;
        for _ in 0..2 {
            deliver(app, &example("message_template_status_update_rejected")).await;
        }
        process(app).await;
        // A staff replay of the event applies it again but raises nothing new.
        let admin = app.signed_in(ADMIN, PW).await;
        let t = p.tenant.to_string();
        let log = admin
            .call(
                "event_log",
                &[
                    ("tenant", &t),
                    ("field", ""),
                    ("status", ""),
                    ("search", "cart_reminder"),
                    ("page", ""),
                ],
            )
            .await
            .json();
        assert_eq!(log["total"], 1, "{log}");
        let id = log["rows"][0]["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            admin
                .call("replay_event", &[("tenant", &t), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(process(app).await, 1);
        let a = alerts(app, &p).await;
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(
            count(app, "email_outbox").await - emails_before,
            1,
            "one email to the tenant's alert address"
        );
    }
);

both!(
    out_of_order_statuses_never_regress,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let status = |s: &str, ts: i64| {
            json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":DISPLAY_NUMBER,"phone_number_id":PHONE_ID},
            "statuses":[{"id":"wamid.ONE","status":s,"timestamp":ts.to_string(),"recipient_id":"447700900123","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}}]}}]}]})
        .to_string()
        };
        deliver(app, &status("read", 1_783_003_400)).await;
        process(app).await;
        deliver(app, &status("delivered", 1_783_003_390)).await;
        deliver(app, &status("sent", 1_783_003_380)).await;
        process(app).await;
        let rows = sql_rows(
            app,
            "SELECT status, delivered_at, sent_at FROM message_statuses",
        )
        .await;
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].try_get::<String>("", "status").ok().as_deref(),
            Some("read"),
            "read then delivered leaves read"
        );
        let _ = p;
    }
);

both!(
    each_delivery_is_split_once_within_the_batch_limit,
    async |app: &TestApp| {
        use app::backend::services::platform_events::{process_due, Lane, Processed};
        let f = fixture(app).await;
        let _p = platform_tenant(app, &f).await;
        let statuses = |ids: &[&str]| {
            let changes: Vec<Value> = ids
            .iter()
            .map(|id| json!({"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":DISPLAY_NUMBER,"phone_number_id":PHONE_ID},"statuses":[{"id":id,"status":"sent","timestamp":"1783003380","recipient_id":"447700900123"}]}}))
            .collect();
            json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":changes}]})
                .to_string()
        };
        for ids in [
            &["wamid.S1"][..],
            &["wamid.S2"],
            &["wamid.S3", "wamid.S4"],
            &["wamid.S5"],
        ] {
            assert_eq!(deliver(app, &statuses(ids)).await.0, StatusCode::OK);
        }
        let scope = app::backend::auth::system_scope(&app.state);
        // Three changes of room: the first two deliveries and the third (two changes) no longer fit.
        assert_eq!(
            process_due(&scope, 2, Lane::All).await.expect("process"),
            Processed {
                changes: 2,
                taken: 2
            }
        );
        assert_eq!(
            process_due(&scope, 500, Lane::All).await.expect("process"),
            Processed {
                changes: 3,
                taken: 3
            }
        );
        assert_eq!(
            process_due(&scope, 500, Lane::All).await.expect("process"),
            Processed::default()
        );
        assert_eq!(count(app, "platform_events").await, 5);
        assert_eq!(count(app, "message_statuses").await, 5);
        assert_eq!(
            sql_rows(
                app,
                "SELECT id FROM webhook_deliveries WHERE processed_at IS NULL"
            )
            .await
            .len(),
            0
        );
    }
);

both!(
    subscribers_choose_immediate_or_digest_and_critical_cannot_be_muted,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let t = p.tenant.to_string();
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let r = owner
            .call(
                "set_alert_prefs",
                &[
                    ("tenant", &t),
                    ("subscribed", "1"),
                    ("critical", "off"),
                    ("warning", "digest"),
                    ("info", "off"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.json()["errors"][0],
            json!({"field": "critical", "code": "critical_cannot_be_muted"})
        );
        let r = owner
            .call(
                "set_alert_prefs",
                &[
                    ("tenant", &t),
                    ("subscribed", "1"),
                    ("critical", "immediate"),
                    ("warning", "digest"),
                    ("info", "off"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            owner
                .call("get_alert_prefs", &[("tenant", &t)])
                .await
                .json(),
            json!({"subscribed": true, "critical": "immediate", "warning": "digest", "info": "off"})
        );
        // A warning: the tenant's alert address at once, the owner in the digest.
        deliver(app, &example("message_template_status_update_rejected")).await;
        process(app).await;
        let mails = outbox(app).await;
        assert!(
            mails.contains(&("alert".into(), "alerts@gamma.test".into())),
            "{mails:?}"
        );
        assert!(
            !mails
                .iter()
                .any(|(kind, to)| kind == "alert" && to == "owner@gamma.test"),
            "{mails:?}"
        );
        // A critical one: the owner at once too.
        deliver(app, &example("account_update_disabled_update")).await;
        process(app).await;
        let mails = outbox(app).await;
        assert_eq!(
            mails
                .iter()
                .filter(|m| m.1 == "owner@gamma.test" && m.0 == "alert")
                .count(),
            1,
            "{mails:?}"
        );
        // A day later, the digest with the warning; only once.
        let sys = app::backend::auth::system_scope(&app.state);
        assert_eq!(
            app::backend::services::alerts::send_digests(&sys)
                .await
                .expect("digest"),
            0,
            "not before a day has passed"
        );
        app.advance(chrono::TimeDelta::hours(25));
        assert_eq!(
            app::backend::services::alerts::send_digests(&sys)
                .await
                .expect("digest"),
            1
        );
        assert_eq!(
            app::backend::services::alerts::send_digests(&sys)
                .await
                .expect("digest"),
            0
        );
        assert_eq!(
            outbox(app)
                .await
                .iter()
                .filter(|m| m.1 == "owner@gamma.test" && m.0 == "alert_digest")
                .count(),
            1
        );
        // Acknowledge, then resolve; viewers of another tenant cannot. (A day passed: the
        // owner's session has outlived its 12 hours.)
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let list = owner
            .call("list_alerts", &[("tenant", &t), ("status", "open")])
            .await
            .json();
        let id = list[0]["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(
            app.signed_in(OWNER_B, PW)
                .await
                .call("set_alert_status", &[("tenant", &t), ("id", &id)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            owner
                .call("set_alert_status", &[("tenant", &t), ("id", &id)])
                .await
                .status,
            StatusCode::OK
        );
        let a = owner
            .call("list_alerts", &[("tenant", &t), ("status", "acknowledged")])
            .await
            .json();
        assert_eq!(
            (a[0]["id"].as_str(), a[0]["acknowledged_by"].as_str()),
            (Some(id.as_str()), Some("Gamma Owner")),
            "{a}"
        );
        assert_eq!(
            owner
                .call(
                    "set_alert_status",
                    &[("tenant", &t), ("id", &id), ("resolve", "1")]
                )
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            owner
                .call("list_alerts", &[("tenant", &t), ("status", "resolved")])
                .await
                .json()
                .as_array()
                .map(Vec::len),
            Some(1)
        );
    }
);

both!(
    a_scheduled_disable_is_reminded_seven_three_and_one_day_before,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let _p = platform_tenant(app, &f).await;
        deliver(app, &example("account_update_disabled_update")).await; // "July 9, 2026"
        process(app).await;
        let sys = app::backend::auth::system_scope(&app.state);
        let target = chrono::NaiveDate::from_ymd_opt(2026, 7, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .map(|d| d.and_utc())
            .expect("date");
        app.advance(target - app.state.now());
        let mut raised = Vec::new();
        for _ in 0..8 {
            raised.push(
                app::backend::services::alerts::send_disable_reminders(&sys)
                    .await
                    .expect("reminders"),
            );
            raised.push(
                app::backend::services::alerts::send_disable_reminders(&sys)
                    .await
                    .expect("reminders"),
            );
            app.advance(chrono::TimeDelta::days(1));
        }
        // July 2 (7 days left), July 6 (3), July 8 (1); each once.
        assert_eq!(raised, vec![1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    }
);

both!(
    an_answer_to_an_ad_within_a_day_opens_the_free_entry_point_window,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let _p = platform_tenant(app, &f).await;
        let msg = |field_value: Value| {
            json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":field_value}]}]}).to_string()
        };
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let t0 = 1_783_003_310i64;
        for (user, referral) in [
            ("5511987654321", true),
            ("5511900000000", true),
            ("5511911111111", false),
        ] {
            let mut m = json!({"from": user, "id": format!("wamid.in.{user}"), "timestamp": t0.to_string(), "type": "text", "text": {"body": "oi"}});
            if referral {
                m["referral"] = json!({"source_type": "ad", "source_id": "1"});
            }
            deliver(
                app,
                &msg(json!({"messaging_product": "whatsapp", "metadata": meta, "messages": [m]})),
            )
            .await;
        }
        // Answers: the first within the day, the second a day and a minute later, the third (no ad) at once.
        for (user, at) in [
            ("5511987654321", t0 + 600),
            ("5511900000000", t0 + 86_460),
            ("5511911111111", t0 + 60),
        ] {
            let s = json!({"id": format!("wamid.out.{user}"), "status": "sent", "timestamp": at.to_string(), "recipient_id": user});
            deliver(
                app,
                &msg(json!({"messaging_product": "whatsapp", "metadata": meta, "statuses": [s]})),
            )
            .await;
        }
        process(app).await;
        let rows = sql_rows(
            app,
            "SELECT fep_reply FROM conversation_windows WHERE fep_reply IS NOT NULL",
        )
        .await;
        assert_eq!(
            rows.len(),
            1,
            "only the answer within 24 hours of the ad opens the window"
        );
        let at = rows[0]
            .try_get::<chrono::DateTime<chrono::Utc>>("", "fep_reply")
            .ok();
        assert_eq!(at.map(|a| a.timestamp()), Some(t0 + 600));
    }
);

/// A Graph API that answers `GET /{phone-number-id}` with what `health` holds, counting calls.
async fn fake_number_graph(health: std::sync::Arc<std::sync::Mutex<Value>>) -> String {
    use axum::{extract::State, routing::get, Json, Router};
    async fn read(State(h): State<std::sync::Arc<std::sync::Mutex<Value>>>) -> Json<Value> {
        Json(h.lock().map(|v| v.clone()).unwrap_or(Value::Null))
    }
    let app = Router::new()
        .route("/v21.0/{phone}", get(read))
        .with_state(health);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}/v21.0")
}

both!(
    the_number_health_poll_stores_changes_and_alerts_on_restricted_and_red_once,
    async |first: &TestApp| {
        let answer = |status: &str, quality: &str| json!({"id": PHONE_ID, "display_phone_number": "+1 202-555-0143", "status": status, "quality_rating": quality, "messaging_limit_tier": "TIER_1K", "throughput": {"level": "STANDARD"}});
        let health = std::sync::Arc::new(std::sync::Mutex::new(answer("CONNECTED", "GREEN")));
        let base = fake_number_graph(health.clone()).await;
        let app = first
            .sibling_with(|c| {
                c.graph = Some(app::backend::graph::GraphConfig {
                    base_url: base,
                    token: secrecy::SecretString::from("poll-token".to_owned()),
                    app_id: None,
                })
            })
            .await;
        let f = fixture(&app).await;
        let p = platform_tenant(&app, &f).await;
        let sys = app::backend::auth::system_scope(&app.state);
        let api =
            app::backend::graph::GraphApi::new(app.state.settings.graph.clone().expect("graph"))
                .expect("client");
        let poll = || app::backend::services::platform_events::poll_numbers(&sys, &api);
        assert_eq!(poll().await.expect("poll"), 1, "the first read is news");
        process(&app).await;
        assert_eq!(
            poll().await.expect("poll"),
            0,
            "the same read again stores nothing"
        );
        let n = numbers(&app, &p).await;
        assert_eq!(
            (
                n["numbers"][0]["status"].as_str(),
                n["numbers"][0]["quality"].as_str(),
                n["numbers"][0]["tier"].as_str()
            ),
            (Some("CONNECTED"), Some("GREEN"), Some("TIER_1K")),
            "{n}"
        );
        let open = |alerts: &[Value], kind: &str| {
            alerts
                .iter()
                .filter(|a| a["kind"] == kind && a["status"] == "open")
                .count()
        };
        assert!(alerts(&app, &p).await.is_empty());

        if let Ok(mut h) = health.lock() {
            *h = answer("RESTRICTED", "RED");
        }
        app.advance(chrono::TimeDelta::minutes(15));
        assert_eq!(poll().await.expect("poll"), 1);
        process(&app).await;
        let n = numbers(&app, &p).await;
        assert_eq!(
            (
                n["numbers"][0]["status"].as_str(),
                n["numbers"][0]["quality"].as_str()
            ),
            (Some("RESTRICTED"), Some("RED")),
            "{n}"
        );
        let list = alerts(&app, &p).await;
        assert_eq!(
            (
                open(&list, "number_restricted"),
                open(&list, "number_quality_red")
            ),
            (1, 1),
            "{list:?}"
        );
        assert!(
            list.iter().any(|a| a["kind"] == "number_restricted"
                && a["severity"] == "critical"
                && a["link"].as_str().is_some_and(|l| l.ends_with("/numbers"))),
            "{list:?}"
        );
        // Asked again, and the stored change replayed: still one alert of each.
        app.advance(chrono::TimeDelta::minutes(15));
        assert_eq!(poll().await.expect("poll"), 0);
        let admin = app.signed_in(ADMIN, PW).await;
        let log = admin
            .call(
                "event_log",
                &[
                    ("tenant", &p.tenant.to_string()),
                    ("field", "number_health"),
                    ("status", ""),
                    ("search", ""),
                    ("page", "1"),
                ],
            )
            .await
            .json();
        let id = log["rows"]
            .as_array()
            .and_then(|r| r.first())
            .and_then(|r| r["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_default();
        assert!(
            !id.is_empty(),
            "the poll's changes are in the event log: {log}"
        );
        let r = admin
            .call(
                "replay_event",
                &[("tenant", &p.tenant.to_string()), ("id", &id)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        process(&app).await;
        let list = alerts(&app, &p).await;
        assert_eq!(
            (
                open(&list, "number_restricted"),
                open(&list, "number_quality_red")
            ),
            (1, 1),
            "{list:?}"
        );

        // Back to normal: both resolved.
        if let Ok(mut h) = health.lock() {
            *h = answer("CONNECTED", "YELLOW");
        }
        app.advance(chrono::TimeDelta::minutes(15));
        assert_eq!(poll().await.expect("poll"), 1);
        process(&app).await;
        let list = alerts(&app, &p).await;
        assert_eq!(
            (
                open(&list, "number_restricted"),
                open(&list, "number_quality_red")
            ),
            (0, 0),
            "{list:?}"
        );
        assert_eq!(
            list.iter().filter(|a| a["status"] == "resolved").count(),
            2,
            "{list:?}"
        );
        assert_eq!(
            numbers(&app, &p).await["numbers"][0]["quality"].as_str(),
            Some("YELLOW")
        );
    }
);

both!(
    a_removed_member_gets_no_more_digests,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let t = p.tenant.to_string();
        let op = app::backend::auth::operator_scope(&app.state, "test");
        let editor = app::backend::services::users::add_tenant_user(
            &op,
            p.tenant,
            "editor@gamma.test",
            "Gamma Editor",
            PW,
            app::domain::roles::TenantRole::Editor,
        )
        .await
        .expect("editor");
        for who in ["owner@gamma.test", "editor@gamma.test"] {
            let s = app.signed_in(who, PW).await;
            let r = s
                .call(
                    "set_alert_prefs",
                    &[
                        ("tenant", &t),
                        ("subscribed", "1"),
                        ("critical", "immediate"),
                        ("warning", "digest"),
                        ("info", "off"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let r = owner
            .call(
                "remove_member",
                &[("tenant", &t), ("user", &editor.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        deliver(app, &example("message_template_status_update_rejected")).await;
        process(app).await;
        app.advance(chrono::TimeDelta::hours(25));
        let sys = app::backend::auth::system_scope(&app.state);
        app::backend::services::alerts::send_digests(&sys)
            .await
            .expect("digest");
        let digests: Vec<String> = outbox(app)
            .await
            .into_iter()
            .filter(|m| m.0 == "alert_digest")
            .map(|m| m.1)
            .collect();
        assert_eq!(digests, ["owner@gamma.test"]);
    }
);

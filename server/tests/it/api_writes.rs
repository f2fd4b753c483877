//! Writing through the REST API: templates drafted, pre-checked, edited and submitted with the
//! builder's rules; `Idempotency-Key` replays; per-key rate limits; ETags.

use crate::api::{api_get, api_send, make_key};
use crate::{both, support::*};
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

fn draft(name: &str) -> Value {
    json!({
        "name": name,
        "language": "en",
        "category": "UTILITY",
        "body": "Your order {{1}} has shipped and will arrive tomorrow.",
        "examples": ["A-1042"],
        "footer": "Acme Shop",
        "buttons": [{"kind": "QUICK_REPLY", "text": "Track it"}]
    })
}

both!(
    a_system_drafts_checks_edits_and_submits_a_template_and_reads_the_review,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let key = make_key(
            &owner,
            &a,
            &[("name", "w"), ("write", "on"), ("expires_on", "")],
        )
        .await;
        let post = |path: &'static str, body: Value, idem: Option<&'static str>| {
            let key = key.clone();
            async move {
                let h: Vec<(&str, &str)> = idem
                    .map(|k| vec![("idempotency-key", k)])
                    .unwrap_or_default();
                api_send(app, Method::POST, Some(&key), path, Some(body), &h).await
            }
        };

        // The pre-check alone: a parameter at the start of the body blocks; nothing is saved.
        let mut bad = draft("order_update");
        bad["body"] = json!("{{1}} is the start of a body that begins with a parameter.");
        let lint = post("/templates/lint", bad, None).await;
        assert_eq!(lint.status, StatusCode::OK, "{:?}", lint.body);
        assert!(
            lint.body["blocking"].as_u64().unwrap_or(0) >= 1,
            "{:?}",
            lint.body
        );
        assert_eq!(
            api_get(app, Some(&key), "/templates").await.body["data"],
            json!([])
        );

        // Created once, whatever the retries.
        let first = post("/templates", draft("order_update"), Some("create-1")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
        let id = first.body["id"].as_str().unwrap_or("").to_owned();
        assert_eq!(
            first
                .headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some(format!("/api/v1/templates/{id}").as_str())
        );
        assert_eq!(first.body["status"], "DRAFT");
        let again = post("/templates", draft("order_update"), Some("create-1")).await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.body["id"], first.body["id"]);
        assert_eq!(
            again
                .headers
                .get("idempotent-replayed")
                .and_then(|v| v.to_str().ok()),
            Some("true")
        );
        let reused = post("/templates", draft("other_name"), Some("create-1")).await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reused.body["type"],
            "urn:bsp-console:problem:idempotency_key_reused"
        );
        assert_eq!(
            api_get(app, Some(&key), "/templates").await.body["data"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        // Without a key, a second create is refused by the rules (the name is taken).
        let dup = post("/templates", draft("order_update"), None).await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(dup.body["errors"][0]["field"], "name");
        assert_eq!(dup.body["errors"][0]["code"], "already_taken");
        // A refused request does not use its key up: the same key may be sent again.
        let mut unknown = draft("x_y");
        unknown["colour"] = json!("red");
        let refused = post("/templates", unknown, Some("create-2")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.body["type"], "urn:bsp-console:problem:invalid_body");
        assert!(refused.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("colour"));
        assert_eq!(
            post("/templates", draft("second_one"), Some("create-2"))
                .await
                .status,
            StatusCode::CREATED
        );
        let raw = reqwest::Client::new()
            .post(format!("{}/api/v1/templates", app.base))
            .bearer_auth(&key)
            .body("{not json")
            .send()
            .await
            .expect("request");
        assert_eq!(raw.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let raw = reqwest::Client::new()
            .post(format!("{}/api/v1/templates", app.base))
            .bearer_auth(&key)
            .header(header::CONTENT_TYPE, "application/json")
            .body("{not json")
            .send()
            .await
            .expect("request");
        assert_eq!(raw.status(), StatusCode::BAD_REQUEST);

        // Edited in place while a draft, then submitted; the reviewer approves in the console.
        let mut edit = draft("ignored_on_edit");
        edit["footer"] = json!("Acme Shop, since 1999");
        let edited = api_send(
            app,
            Method::PUT,
            Some(&key),
            &format!("/templates/{id}"),
            Some(edit),
            &[],
        )
        .await;
        assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
        assert_eq!(edited.body["content"]["name"], "order_update");
        let submitted = post_path(app, &key, &format!("/templates/{id}/submit")).await;
        assert_eq!(submitted.status, StatusCode::OK, "{:?}", submitted.body);
        assert_eq!(submitted.body["status"], "IN_BSP_REVIEW");
        let reviewer = app.signed_in(REVIEWER, PW).await;
        let r = reviewer
            .call(
                "decide_template",
                &[
                    ("tenant", a.as_str()),
                    ("id", &id),
                    ("revision", "1"),
                    ("decision", "approve"),
                    ("reason", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let now = api_get(app, Some(&key), &format!("/templates/{id}")).await;
        assert_eq!(now.body["status"], "BSP_APPROVED");
        let history = api_get(app, Some(&key), &format!("/templates/{id}/history")).await;
        assert_eq!(history.body["data"][0]["decided_by"], REVIEWER);
        // Submitting again is not allowed now.
        let twice = post_path(app, &key, &format!("/templates/{id}/submit")).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        // A read key drafts nothing.
        let read = make_key(
            &owner,
            &a,
            &[("name", "r"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let r = api_send(
            app,
            Method::POST,
            Some(&read),
            "/templates",
            Some(draft("nope")),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The audit log names the key as the actor.
        let audit = app::backend::repo::audit::list_all(&app.state.db, 100)
            .await
            .expect("audit");
        let create = audit
            .iter()
            .find(|e| e.action == "template.create")
            .expect("create entry");
        assert!(
            create.actor.starts_with("API key w (bspc_"),
            "{}",
            create.actor
        );
    }
);

async fn post_path(app: &TestApp, key: &str, path: &str) -> crate::api::Api {
    api_send(app, Method::POST, Some(key), path, None, &[]).await
}

both!(
    one_idempotency_key_runs_one_request_even_when_two_arrive_together,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let key = make_key(
            &owner,
            &f.a.to_string(),
            &[("name", "w"), ("write", "on"), ("expires_on", "")],
        )
        .await;
        let send = || {
            api_send(
                app,
                Method::POST,
                Some(&key),
                "/templates",
                Some(draft("together")),
                &[("idempotency-key", "\"same\"")],
            )
        };
        let (x, y) = tokio::join!(send(), send());
        let mut statuses = [x.status.as_u16(), y.status.as_u16()];
        statuses.sort_unstable();
        assert!(
            statuses == [201, 201] || statuses == [201, 409],
            "{statuses:?}"
        );
        if statuses == [201, 201] {
            assert_eq!(x.body["id"], y.body["id"]);
        }
        let list = api_get(app, Some(&key), "/templates").await;
        assert_eq!(list.body["data"].as_array().map(Vec::len), Some(1));
        // The claim itself: a second claim while the first runs is refused, a finished one
        // replays, and another request under the key is a mismatch.
        use app::backend::repo::idempotency::{claim, finish, Claim, Stored};
        let db = &app.state.db;
        let k = api_key_id(app, &key).await;
        let (day, lease) = (chrono::TimeDelta::hours(24), chrono::TimeDelta::seconds(60));
        let now = app.state.now();
        assert_eq!(
            claim(db, k, "k", "fp", now, day, lease)
                .await
                .expect("claim"),
            Claim::Run
        );
        assert_eq!(
            claim(db, k, "k", "fp", now, day, lease)
                .await
                .expect("claim"),
            Claim::Running
        );
        let stored = Stored {
            status: 201,
            content_type: None,
            location: None,
            body: "{}".into(),
        };
        finish(db, k, "k", &stored).await.expect("finish");
        assert_eq!(
            claim(db, k, "k", "fp", now, day, lease)
                .await
                .expect("claim"),
            Claim::Replay(stored)
        );
        assert_eq!(
            claim(db, k, "k", "other", now, day, lease)
                .await
                .expect("claim"),
            Claim::Mismatch
        );
        // After 24 hours the key is free again; a claim whose process died is taken over.
        let later = now + chrono::TimeDelta::hours(25);
        assert_eq!(
            claim(db, k, "k", "other", later, day, lease)
                .await
                .expect("claim"),
            Claim::Run
        );
        let much_later = later + chrono::TimeDelta::minutes(2);
        assert_eq!(
            claim(db, k, "k", "other", much_later, day, lease)
                .await
                .expect("claim"),
            Claim::Run
        );
    }
);

async fn api_key_id(app: &TestApp, secret: &str) -> uuid::Uuid {
    app::backend::auth::api_caller(&app.state, secret, None)
        .await
        .expect("caller")
        .key
}

both!(
    each_key_has_its_rate_limit_and_reads_carry_an_etag,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let limited = app.sibling_with(|c| c.api_rate_per_minute = 3).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let key = make_key(
            &owner,
            &f.a.to_string(),
            &[("name", "r"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let mut last = None;
        for i in 0..3 {
            let r = api_get(&limited, Some(&key), "/tenant").await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(
                r.headers
                    .get("ratelimit-policy")
                    .and_then(|v| v.to_str().ok()),
                Some("\"default\";q=3;w=60")
            );
            let rl = r
                .headers
                .get("ratelimit")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            assert!(
                rl.starts_with(&format!("\"default\";r={};t=", 2 - i)),
                "{rl}"
            );
            last = r.headers.get(header::ETAG).cloned();
        }
        let over = api_get(&limited, Some(&key), "/tenant").await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(over.body["type"], "urn:bsp-console:problem:throttled");
        let wait: u64 = over
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        assert!((1..=60).contains(&wait), "{wait}");
        // Another key is not affected.
        let other = make_key(
            &owner,
            &f.a.to_string(),
            &[("name", "o"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        assert_eq!(
            api_get(&limited, Some(&other), "/tenant").await.status,
            StatusCode::OK
        );

        // The same answer has the same tag; sent back, nothing is sent again.
        let tag = last.expect("etag");
        let tag = tag.to_str().unwrap_or("");
        let again = api_send(
            app,
            Method::GET,
            Some(&key),
            "/tenant",
            None,
            &[("if-none-match", tag)],
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert_eq!(again.body, Value::String(String::new()));
        let changed = api_send(
            app,
            Method::GET,
            Some(&key),
            "/templates",
            None,
            &[("if-none-match", tag)],
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK);
    }
);

both!(
    a_profile_is_replaced_only_from_the_version_read,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let number = crate::profiles::phone_of_a(app, &f).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let key = make_key(
            &owner,
            &f.a.to_string(),
            &[("name", "w"), ("write", "on"), ("expires_on", "")],
        )
        .await;
        let path = format!("/phone-numbers/{number}/profile");
        let read = api_get(app, Some(&key), &path).await;
        assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
        assert_eq!(read.body["version"], 0);
        assert_eq!(
            read.headers.get(header::ETAG).and_then(|v| v.to_str().ok()),
            Some("\"v0\"")
        );
        let profile = json!({"about": "Fresh bread daily", "websites": ["https://alpha.example"], "hours": ["07:00-18:00", "07:00-18:00", "07:00-18:00", "07:00-18:00", "07:00-18:00", "08:00-12:00", "closed"]});
        let put = |body: Value, if_match: Option<&'static str>| {
            let (key, path) = (key.clone(), path.clone());
            async move {
                let h: Vec<(&str, &str)> =
                    if_match.map(|m| vec![("if-match", m)]).unwrap_or_default();
                api_send(app, Method::PUT, Some(&key), &path, Some(body), &h).await
            }
        };
        let missing = put(profile.clone(), None).await;
        assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
        let saved = put(profile.clone(), Some("\"v0\"")).await;
        assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
        assert_eq!(saved.body["version"], 1);
        assert_eq!(saved.body["profile"]["about"], "Fresh bread daily");
        // Someone saved since v0: refused, nothing written.
        let mut other = profile.clone();
        other["about"] = json!("Overwritten");
        let stale = put(other, Some("\"v0\"")).await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.body["type"], "urn:bsp-console:problem:stale_version");
        assert_eq!(
            api_get(app, Some(&key), &path).await.body["profile"]["about"],
            "Fresh bread daily"
        );
        // The platform's rules, field by field.
        let mut long = profile.clone();
        long["about"] = json!("x".repeat(140));
        let refused = put(long, Some("\"v1\"")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.body["errors"][0]["field"], "about");
        assert_eq!(refused.body["errors"][0]["code"], "too_long");
        // Unchanged since v1: nothing to send again.
        let same = api_send(
            app,
            Method::GET,
            Some(&key),
            &path,
            None,
            &[("if-none-match", "\"v1\"")],
        )
        .await;
        assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    }
);

both!(
    a_system_lists_its_alerts_and_acknowledges_then_resolves_one,
    async |app: &TestApp| {
        let f = fixture(app).await;
        alert_in(app, f.a).await;
        let owner = app.signed_in(OWNER_A, PW).await;
        let a = f.a.to_string();
        let read = make_key(
            &owner,
            &a,
            &[("name", "r"), ("read", "on"), ("expires_on", "")],
        )
        .await;
        let write = make_key(
            &owner,
            &a,
            &[("name", "w"), ("write", "on"), ("expires_on", "")],
        )
        .await;
        let open = api_get(app, Some(&read), "/alerts?status=open").await;
        assert_eq!(open.status, StatusCode::OK, "{:?}", open.body);
        let alert = &open.body["data"][0];
        assert_eq!(alert["kind"], "template_paused");
        assert_eq!(alert["severity"], "critical");
        let id = alert["id"].as_str().unwrap_or("").to_owned();
        let ack = format!("/alerts/{id}/acknowledge");
        assert_eq!(
            api_send(app, Method::POST, Some(&read), &ack, None, &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let r = api_send(app, Method::POST, Some(&write), &ack, None, &[]).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
        let acked = api_get(app, Some(&read), "/alerts?status=acknowledged").await;
        assert!(acked.body["data"][0]["acknowledged_by"].is_null());
        assert_eq!(acked.body["data"][0]["id"], id.as_str());
        let r = api_send(
            app,
            Method::POST,
            Some(&write),
            &format!("/alerts/{id}/resolve"),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            api_get(app, Some(&read), "/alerts?status=open").await.body["data"],
            json!([])
        );
        let bad = api_get(app, Some(&read), "/alerts?status=closed").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // Another tenant's alert does not exist for this key.
        let other = api_send(
            app,
            Method::POST,
            Some(&write),
            "/alerts/00000000-0000-0000-0000-000000000000/resolve",
            None,
            &[],
        )
        .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
    }
);

/// A critical alert of `tenant` (a paused template), raised as the platform's events would.
pub async fn alert_in(app: &TestApp, tenant: app::domain::ids::TenantId) -> String {
    use app::backend::repo::alerts::NewAlert;
    use app::domain::alert::{AlertKind, Severity};
    let op = app::backend::auth::operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, tenant)
        .await
        .expect("scope");
    let raised = app::backend::services::alerts::raise(
        &scope,
        &app.state.db,
        &NewAlert {
            kind: AlertKind::TemplatePaused,
            severity: Severity::Critical,
            subject_type: "template",
            subject_id: None,
            subject_label: "order_update".into(),
            link: "/".into(),
            dedupe_key: format!("api-test-{tenant}"),
            detail: "Paused for 3 hours".into(),
            event: None,
            resolution: None,
        },
        app.state.now(),
    )
    .await
    .expect("raise");
    assert!(raised);
    app::backend::services::alerts::list(&scope, None)
        .await
        .expect("alerts")[0]
        .id
        .to_string()
}

both!(
    a_bsp_key_onboards_a_tenant_adds_a_number_and_suspends_it,
    async |app: &TestApp| {
        fixture(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let key = make_key(
            &admin,
            "bsp",
            &[("name", "erp"), ("role", "admin"), ("expires_on", "")],
        )
        .await;
        let reviewer_key = make_key(
            &admin,
            "bsp",
            &[("name", "q"), ("role", "reviewer"), ("expires_on", "")],
        )
        .await;
        let tenant = json!({
            "legal_name": "Gamma GmbH", "display_name": "Gamma", "country": "DE", "locale": "en",
            "billing_email": "billing@gamma.test", "alert_emails": ["ops@gamma.test"],
            "currency": "EUR", "waba_id": "3003"
        });
        let h = [("idempotency-key", "gamma")];
        let r = api_send(
            app,
            Method::POST,
            Some(&reviewer_key),
            "/tenants",
            Some(tenant.clone()),
            &h,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = api_send(
            app,
            Method::POST,
            Some(&key),
            "/tenants",
            Some(tenant.clone()),
            &h,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        let id = r.body["id"].as_str().unwrap_or("").to_owned();
        let again = api_send(
            app,
            Method::POST,
            Some(&key),
            "/tenants",
            Some(tenant.clone()),
            &h,
        )
        .await;
        assert_eq!(again.body["id"], id.as_str());
        let mut bad = tenant.clone();
        bad["country"] = json!("XX");
        let r = api_send(app, Method::POST, Some(&key), "/tenants", Some(bad), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["errors"][0]["field"], "country");

        let number = json!({"number": "+49 151 23456789", "phone_number_id": "4004", "display_name": "Gamma"});
        let r = api_send(
            app,
            Method::POST,
            Some(&key),
            &format!("/tenants/{id}/phone-numbers"),
            Some(number),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        let list = api_get(app, Some(&reviewer_key), "/tenants?q=gamma").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.body["data"][0]["id"], id.as_str());
        assert_eq!(list.body["data"][0]["phone_numbers"], 1);
        let r = api_send(
            app,
            Method::POST,
            Some(&key),
            &format!("/tenants/{id}/suspend"),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let suspended = api_get(app, Some(&key), "/tenants?status=suspended").await;
        assert_eq!(suspended.body["data"][0]["id"], id.as_str());
        let r = api_send(
            app,
            Method::POST,
            Some(&key),
            &format!("/tenants/{id}/reactivate"),
            None,
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            api_get(app, Some(&key), "/tenants?status=suspended")
                .await
                .body["data"],
            json!([])
        );
        assert_eq!(
            api_get(app, Some(&key), "/tenants?cursor=nope")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        // Every change is the key's, in the audit log.
        let audit = app::backend::repo::audit::list_all(&app.state.db, 100)
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .any(|e| e.action == "tenant.create" && e.actor.starts_with("API key erp")),
            "{:?}",
            audit
                .iter()
                .map(|e| (&e.action, &e.actor))
                .collect::<Vec<_>>()
        );
    }
);

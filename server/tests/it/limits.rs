//! Bounds on what clients and tenants can make the server hold: stored template fields, header
//! samples per tenant, raw platform payloads (who reads them, how long they stay), slow and
//! idle connections, and exports read at a client's pace.

use crate::{
    both,
    support::*,
    webhooks::{deliver, example, platform_tenant, process},
};
use app::backend::{auth::operator_scope, services};
use reqwest::StatusCode;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn field_errors(r: &Reply) -> Vec<(String, String)> {
    r.json()["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|x| {
                    (
                        x["field"].as_str().unwrap_or("").to_owned(),
                        x["code"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

both!(
    template_fields_are_stored_up_to_twice_the_platforms_limits,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let a = f.a.to_string();
        let editor = app.signed_in(EDITOR_A, PW).await;
        let long_body = format!("Hello {{{{1}}}}, {}", "a".repeat(1500));
        let huge_body = "b".repeat(2049);
        let huge_footer = "f".repeat(121);
        let base = |name: &'static str, body: &str, footer: &str| {
            vec![
                ("tenant".to_owned(), a.clone()),
                ("name".to_owned(), name.to_owned()),
                ("language".to_owned(), "en_US".to_owned()),
                ("category".to_owned(), "utility".to_owned()),
                ("header".to_owned(), String::new()),
                ("body".to_owned(), body.to_owned()),
                ("footer".to_owned(), footer.to_owned()),
                ("examples".to_owned(), "Ana".to_owned()),
            ]
        };
        let call = |form: Vec<(String, String)>| {
            let editor = &editor;
            async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                editor.call("create_template", &pairs).await
            }
        };
        // Over the platform's 1,024 characters but within the margin: kept, with its finding.
        let r = call(base("long_letter", &long_body, "")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Beyond the margin: refused, next to the fields, and nothing stored.
        let r = call(base("huge_letter", &huge_body, &huge_footer)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            field_errors(&r),
            [
                ("body".to_owned(), "too_long".to_owned()),
                ("footer".to_owned(), "too_long".to_owned())
            ]
        );
        // A button label beyond twice the platform's 25 characters, named after its row.
        let mut form = base("many_buttons", "Hello {{1}}, your order shipped.", "");
        for (i, text) in ["Track it", &"x".repeat(51)].iter().enumerate() {
            form.push((format!("button_kind[{i}]"), "QUICK_REPLY".into()));
            form.push((format!("button_text[{i}]"), (*text).to_owned()));
            form.push((format!("button_value[{i}]"), String::new()));
            form.push((format!("button_example[{i}]"), String::new()));
        }
        let r = call(form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            field_errors(&r),
            [("button_text[1]".to_owned(), "too_long".to_owned())]
        );
        let list = editor
            .call("list_templates", &[("tenant", &a)])
            .await
            .json();
        let names: Vec<&str> = list
            .as_array()
            .map(|l| l.iter().filter_map(|t| t["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["long_letter"], "{list}");
        assert_eq!(list[0]["error_count"], 1, "the length finding: {list}");
    }
);

/// A draft with an image header, made by staff acting in tenant A.
async fn image_draft(app: &TestApp, f: &Fixture, name: &str) -> String {
    let op = operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, f.a)
        .await
        .expect("scope");
    let form = app::domain::template::draft::DraftForm {
        name: name.into(),
        language: "en".into(),
        category: "MARKETING".into(),
        header_format: "IMAGE".into(),
        body: "Hello {{1}}, our autumn collection is in the shop window this week.".into(),
        examples: "Ana".into(),
        ..Default::default()
    };
    services::templates::create(&scope, &form, false)
        .await
        .expect("create")
        .to_string()
}

/// A PNG of about `kb` kilobytes that differs by `seed` (noise does not compress).
fn png_of(kb: usize, seed: u8) -> Vec<u8> {
    let mut png = crate::photos::png(16, 16);
    // Bytes after IEND are ignored by decoders and kept by the console as they are.
    png.extend((0..kb * 1024).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    png
}

mod samples {
    use super::*;

    async fn run(db: Db) {
        let app = TestApp::spawn_with(db, |c| c.media_quota_mb = 1).await;
        let f = fixture(&app).await;
        let a = f.a.to_string();
        let first = image_draft(&app, &f, "autumn_sale").await;
        let second = image_draft(&app, &f, "winter_sale").await;
        let editor = app.signed_in(EDITOR_A, PW).await;
        let upload = |id: &str, bytes: Vec<u8>| {
            let editor = &editor;
            let path = format!("/tenants/{a}/templates/{id}/sample");
            async move {
                editor
                    .upload(&path, "sample", "s.png", "image/png", &bytes, false)
                    .await
            }
        };
        let r = upload(&first, png_of(600, 1)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let replaced = r.json()["sample"].as_str().unwrap_or("").to_owned();
        // 600 KB stored: another 600 KB passes the tenant's 1 MB.
        let r = upload(&second, png_of(600, 2)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["kind"], "quota_full", "{}", r.body);
        assert!(r.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("1.0 MB")));
        // The first template's sample replaced by a small one: the old one is no longer used
        // and goes at the next housekeeping a day later, which frees the quota.
        let r = upload(&first, png_of(100, 3)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let kept = r.json()["sample"].as_str().unwrap_or("").to_owned();
        let media = |h: &str| format!("/tenants/{a}/media/{}", h.trim_start_matches("media:"));
        assert_eq!(
            editor.get_bytes(&media(&replaced), &[]).await.0,
            StatusCode::OK
        );
        run_housekeeping(&app).await;
        assert_eq!(
            editor.get_bytes(&media(&replaced), &[]).await.0,
            StatusCode::OK,
            "kept for a day"
        );
        app.advance(chrono::TimeDelta::hours(25));
        run_housekeeping(&app).await;
        assert_eq!(
            editor.get_bytes(&media(&replaced), &[]).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(editor.get_bytes(&media(&kept), &[]).await.0, StatusCode::OK);
        let r = upload(&second, png_of(600, 2)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        if db == Db::Postgres {
            app.drop_db().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Db::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Db::Postgres).await;
    }
}

async fn run_housekeeping(app: &TestApp) {
    let sessions = app::backend::session_store::DbSessionStore::new(
        app.state.db.clone(),
        app.state.session_users.clone(),
    );
    server::jobs::housekeeping_once(&app.state, &sessions)
        .await
        .expect("housekeeping");
}

both!(
    raw_payloads_are_for_admins_hashed_and_purged_after_the_retention,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        deliver(app, &example("messages_inbound_text")).await;
        deliver(app, &example("account_update_account_restriction")).await;
        process(app).await;
        let t = p.tenant.to_string();
        let log_of = |who: &'static str, field: &'static str, search: &'static str| {
            let t = t.clone();
            async move {
                app.signed_in(who, PW)
                    .await
                    .call(
                        "event_log",
                        &[
                            ("tenant", &t),
                            ("field", field),
                            ("status", ""),
                            ("search", search),
                            ("page", ""),
                        ],
                    )
                    .await
                    .json()
            }
        };
        let log = |who: &'static str, search: &'static str| log_of(who, "messages", search);
        let admin = log(ADMIN, "").await;
        assert_eq!(admin["total"], 1, "{admin}");
        let payload = admin["rows"][0]["payload"].as_str().unwrap_or("");
        assert!(payload.contains("has my order 58213"), "{payload}");
        assert!(
            !payload.contains("447700900123") && !payload.contains("Amelia"),
            "numbers hashed, names gone: {payload}"
        );
        let hash = app::backend::services::platform_events::recipient_hash(
            b"test-recipient-key",
            "447700900123",
        );
        assert!(
            payload.contains(&format!("hash:{}", &hash[..16])),
            "{payload}"
        );
        // Finance and reviewers see that an event came and what became of it, not its content,
        // and cannot find one by what it says.
        for who in [FINANCE, REVIEWER] {
            let l = log(who, "").await;
            assert_eq!(l["total"], 1, "{l}");
            assert!(l["rows"][0]["payload"].is_null(), "{who}: {l}");
            assert_eq!(log(who, "58213").await["total"], 0, "{who}");
        }
        assert_eq!(log(ADMIN, "58213").await["total"], 1);
        // A number is not a search term: it would find the customer the page hides.
        assert_eq!(log(ADMIN, "447700900123").await["total"], 0);
        // After RAW_RETENTION_DAYS the bodies are emptied: shown as purged, not replayable.
        app.advance(chrono::TimeDelta::days(29));
        run_housekeeping(app).await;
        assert!(log(ADMIN, "").await["rows"][0]["payload"].is_string());
        app.advance(chrono::TimeDelta::days(2));
        run_housekeeping(app).await;
        let l = log(ADMIN, "").await;
        assert!(
            l["rows"][0]["payload"].is_null() && l["rows"][0]["purged"] == true,
            "{l}"
        );
        // An account's changes stay: its state is folded from its whole history.
        let account = log_of(ADMIN, "account_update", "").await;
        assert!(account["rows"][0]["payload"].is_string(), "{account}");
        let id = l["rows"][0]["id"].as_str().unwrap_or("").to_owned();
        let admin = app.signed_in(ADMIN, PW).await;
        assert_eq!(
            admin
                .call("replay_event", &[("tenant", &t), ("id", &id)])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        use sea_orm::ConnectionTrait;
        let bodies = app
            .state
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                app.state.db.get_database_backend(),
                "SELECT body FROM webhook_deliveries".to_owned(),
            ))
            .await
            .expect("query");
        assert!(
            !bodies.is_empty()
                && bodies
                    .iter()
                    .all(|r| r.try_get::<String>("", "body").is_ok_and(|b| b.is_empty())),
            "delivery bodies purged"
        );
    }
);

/// Reads from `s` until the server closes it (`true`) or `within` passes (`false`).
async fn closed_within(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_slow_and_idle_connections_are_closed_and_connections_are_bounded() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.http.header_read = Duration::from_secs(1);
        c.http.request = Duration::from_secs(1);
        c.http.max_connections = 2;
    })
    .await;
    // Connects and says nothing.
    let mut silent = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    // Sends half a request line and stops.
    let mut slow = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // Both slots are taken: a third client waits in the listen queue, unanswered.
    let third = tokio::spawn({
        let base = app.base.clone();
        async move {
            let started = std::time::Instant::now();
            let r = reqwest::get(format!("{base}/healthz")).await;
            (r.map(|r| r.status()).ok(), started.elapsed())
        }
    });
    assert!(closed_within(&mut silent, Duration::from_secs(3)).await);
    assert!(closed_within(&mut slow, Duration::from_secs(3)).await);
    let (status, waited) = third.await.expect("join");
    assert_eq!(status, Some(StatusCode::OK));
    assert!(
        waited >= Duration::from_millis(700),
        "answered only once a slot was free: {waited:?}"
    );
    // A keep-alive connection left idle after its answer is closed too.
    let mut idle = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.expect("answer");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut idle, Duration::from_secs(3)).await);
    // A body that trickles in, a byte at a time, gets 408 when the request's time is up.
    let trickle = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    let (mut rd, mut wr) = trickle.into_split();
    wr.write_all(b"POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        .await
        .expect("write");
    let writer = tokio::spawn(async move {
        for _ in 0..25 {
            if wr.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(4), rd.read(&mut buf))
        .await
        .expect("answered in time")
        .expect("read");
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    writer.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_read_slowly_does_not_hold_sqlites_only_connection() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let f = fixture(&app).await;
    let op = operator_scope(&app.state, "test");
    let phone = services::tenants::add_phone_number(
        &op,
        f.a,
        "",
        &app::domain::tenant::PhoneNumberForm {
            number: "+44 7400 123458".into(),
            phone_number_id: "5550003".into(),
            display_name: "A".into(),
        },
    )
    .await
    .expect("phone");
    let now = app.state.now();
    // 676 countries × 4 categories × 2 pricing types: ~5,400 groups, ~600 KB of CSV, more
    // than the export's channel and chunks hold.
    let letters: Vec<char> = ('A'..='Z').collect();
    let mut rows = Vec::new();
    for a in &letters {
        for b in &letters {
            for category in ["marketing", "utility", "authentication", "service"] {
                for pricing_type in ["regular", "free_customer_service"] {
                    rows.push(app::backend::repo::pricing::UsageRow {
                        tenant: f.a.0,
                        phone: phone.0,
                        wamid: format!("wamid.{a}{b}.{category}.{pricing_type}"),
                        state: "confirmed",
                        country: Some(format!("{a}{b}")),
                        market: "other",
                        category: Some(category.into()),
                        pricing_type,
                        pricing_model: Some("PMP".into()),
                        delivered_at: Some(now),
                        delivered_on: Some(now.date_naive()),
                        month: Some(now.format("%Y-%m").to_string()),
                        currency: "GBP".into(),
                        cost: Some(10_000),
                        price: Some(12_000),
                        cost_card: None,
                        price_list: None,
                        tier_prior: Some(0),
                        conversation: None,
                        exists: false,
                    });
                }
            }
        }
    }
    let groups = rows.len();
    for chunk in rows.chunks(1000) {
        app::backend::repo::pricing::upsert_usage(
            &app::backend::auth::system_scope(&app.state),
            &app.state.db,
            chunk,
            now,
        )
        .await
        .expect("usage");
    }
    let finance = op;
    let day = now.date_naive();
    let mut rx = services::usage::export(
        &finance,
        server::exports::export_request(&day.to_string(), &day.to_string(), None, None, None)
            .expect("request"),
    )
    .await
    .expect("export");
    // The client reads nothing yet; the app still answers what needs the database.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let read = tokio::time::timeout(
        Duration::from_secs(5),
        app::backend::repo::pricing::tenant_choices(&finance, &app.state.db),
    )
    .await;
    assert!(
        matches!(read, Ok(Ok(_))),
        "the database answered while the export waited"
    );
    let mut csv = Vec::new();
    while let Some(chunk) = rx.recv().await {
        csv.extend(chunk.expect("chunk"));
    }
    let text = String::from_utf8(csv).expect("utf-8");
    assert_eq!(
        text.lines().count(),
        groups + 1,
        "every group and the header"
    );
}

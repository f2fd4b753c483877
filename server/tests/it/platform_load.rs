//! Platform events at volume: 10,000 changes replayed and shuffled give the same state; 500
//! alerts survive an SMTP outage; a server killed while processing loses nothing.

use crate::{
    both,
    support::*,
    webhooks::{deliver, platform_tenant, process, Platform, DISPLAY_NUMBER, PHONE_ID, WABA},
};
use rand::{seq::SliceRandom, Rng, SeedableRng};
use serde_json::{json, Value};

fn envelope(changes: &[(Option<i64>, &str, Value)]) -> String {
    // One entry per change keeps each change's own entry time.
    let entry: Vec<Value> = changes
        .iter()
        .map(|(time, field, value)| {
            let mut e = json!({"id": WABA, "changes": [{"field": field, "value": value}]});
            if let Some(t) = time {
                e["time"] = json!(t);
            }
            e
        })
        .collect();
    json!({"object": "whatsapp_business_account", "entry": entry}).to_string()
}

fn status_change(
    wamid: &str,
    status: &str,
    ts: i64,
    recipient: u32,
) -> (Option<i64>, &'static str, Value) {
    let mut s = json!({"id": wamid, "status": status, "timestamp": ts.to_string(), "recipient_id": format!("4477009{recipient:05}")});
    if status != "failed" {
        s["pricing"] = json!({"billable": true, "pricing_model": "PMP", "type": if recipient.is_multiple_of(3) { "free_customer_service" } else { "regular" }, "category": if recipient.is_multiple_of(2) { "marketing" } else { "utility" }});
    } else {
        s["errors"] = json!([{"code": 131049, "title": "not delivered"}]);
    }
    (
        None,
        "messages",
        json!({"messaging_product": "whatsapp", "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID}, "statuses": [s]}),
    )
}

/// 10,000 changes: statuses of 2,800 messages (sent / delivered / read, some failing), inbound
/// messages, and a life of template statuses, qualities and number events at distinct times.
pub fn ten_thousand() -> Vec<(Option<i64>, &'static str, Value)> {
    let mut out = Vec::with_capacity(10_000);
    let t0 = 1_783_000_000i64;
    for i in 0..2_800u32 {
        let wamid = format!("wamid.LOAD{i:06}");
        let ts = t0 + i64::from(i) * 10;
        let r = i % 700;
        if i % 9 == 0 {
            out.push(status_change(&wamid, "sent", ts, r));
            out.push(status_change(&wamid, "failed", ts + 2, r));
        } else {
            out.push(status_change(&wamid, "sent", ts, r));
            out.push(status_change(&wamid, "delivered", ts + 3, r));
            out.push(status_change(&wamid, "read", ts + 9, r));
        }
    }
    let mut k = 0i64;
    while out.len() < 9_400 {
        let user = format!("5511987{:06}", k % 400);
        let m = json!({"from": user, "id": format!("wamid.IN{k:06}"), "timestamp": (t0 + k * 7).to_string(), "type": "text", "text": {"body": "oi"}});
        let mut m = m;
        if k % 5 == 0 {
            m["referral"] = json!({"source_type": "ad", "source_id": "1"});
        }
        out.push((None, "messages", json!({"messaging_product": "whatsapp", "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID}, "messages": [m]})));
        k += 1;
    }
    // Templates: each moves through a cycle of statuses and qualities, one event every 100 s.
    let names = [
        ("order_shipped_v2", "en_US"),
        ("cart_reminder", "es_MX"),
        ("flash_sale_weekend", "pt_BR"),
        ("loyalty_points_news", "en_GB"),
        ("welcome_offer", "en_US"),
    ];
    let cycle = [
        "APPROVED", "FLAGGED", "PAUSED", "APPROVED", "PAUSED", "APPROVED", "FLAGGED", "APPROVED",
    ];
    let qualities = ["GREEN", "YELLOW", "RED", "YELLOW", "GREEN"];
    let mut n = 0i64;
    while out.len() < 9_990 {
        let (name, lang) = names[(n as usize) % names.len()];
        let at = t0 + 50_000 + n * 100;
        if n % 3 == 2 {
            let q = qualities[(n as usize / 3) % qualities.len()];
            out.push((Some(at), "message_template_quality_update", json!({"previous_quality_score": "UNKNOWN", "new_quality_score": q, "message_template_name": name, "message_template_language": lang})));
        } else {
            let ev = cycle[(n as usize / names.len()) % cycle.len()];
            let mut v = json!({"event": ev, "message_template_name": name, "message_template_language": lang, "reason": "NONE"});
            if ev == "PAUSED" {
                v["other_info"] = json!({"title": "PAUSED", "description": "low quality"});
            }
            out.push((Some(at), "message_template_status_update", v));
        }
        n += 1;
    }
    // The number: flagged, unflagged, upgraded … never flagged twice in a row.
    let events = ["FLAGGED", "UNFLAGGED", "UPGRADE", "FLAGGED", "DOWNGRADE"];
    let limits = ["TIER_10K", "TIER_10K", "TIER_100K", "TIER_100K", "TIER_10K"];
    let mut j = 0usize;
    while out.len() < 10_000 {
        out.push((Some(t0 + 90_000 + j as i64 * 1_000), "phone_number_quality_update", json!({"display_phone_number": DISPLAY_NUMBER, "event": events[j % events.len()], "current_limit": limits[j % limits.len()]})));
        j += 1;
    }
    out
}

/// The lines only in `a` and only in `b` (a readable failure instead of two dumps).
fn differences(a: &[String], b: &[String]) -> String {
    let only_a: Vec<&String> = a.iter().filter(|x| !b.contains(x)).take(5).collect();
    let only_b: Vec<&String> = b.iter().filter(|x| !a.contains(x)).take(5).collect();
    format!(
        "{} vs {} lines; only before: {only_a:?}; only after: {only_b:?}",
        a.len(),
        b.len()
    )
}

/// Everything the changes can touch, without ids, sorted.
async fn snapshot(app: &TestApp) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    let q = |sql: &str| sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned());
    let mut out = Vec::new();
    for (sql, cols) in [
        ("SELECT wamid, status, recipient_hash, recipient_country, category, pricing_type, sent_at, delivered_at, read_at, failed_at, error_code FROM message_statuses", 11),
        ("SELECT user_hash, last_inbound, last_referral, fep_reply FROM conversation_windows", 4),
        ("SELECT t.name, t.quality, t.quality_at, t.pause_count, t.paused_until, t.pause_title, t.disable_date, t.platform_status_at, r.status FROM templates t JOIN template_revisions r ON r.template_id = t.id", 9),
        ("SELECT number, quality_rating, number_status, messaging_tier, flagged_at, throughput, health_at FROM phone_numbers", 7),
        ("SELECT template_id, kind, value, at FROM template_health", 0),
    ] {
        let rows = db.query_all_raw(q(sql)).await.expect("snapshot query");
        if cols == 0 {
            out.push(format!("{} history lines", rows.len()));
            continue;
        }
        let mut lines: Vec<String> = rows
            .iter()
            .map(|r| {
                (0..cols)
                    .map(|i| {
                        r.try_get_by_index::<Option<String>>(i)
                            .map(|v| v.unwrap_or_default())
                            .or_else(|_| r.try_get_by_index::<Option<i64>>(i).map(|v| v.map(|n| n.to_string()).unwrap_or_default()))
                            .or_else(|_| r.try_get_by_index::<Option<i32>>(i).map(|v| v.map(|n| n.to_string()).unwrap_or_default()))
                            .or_else(|_| r.try_get_by_index::<Option<chrono::DateTime<chrono::Utc>>>(i).map(|v| v.map(|d| d.to_rfc3339()).unwrap_or_default()))
                            .unwrap_or_else(|_| "?".into())
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        lines.sort();
        out.extend(lines);
    }
    out
}

async fn deliver_all(
    app: &TestApp,
    changes: &[(Option<i64>, &str, Value)],
    sizes: impl Fn(usize) -> usize,
) {
    let mut i = 0;
    let mut n = 0;
    while i < changes.len() {
        let size = sizes(n).clamp(1, 1_000).min(changes.len() - i);
        let (status, body) = deliver(app, &envelope(&changes[i..i + size])).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        i += size;
        n += 1;
    }
}

/// Processes everything with `workers` concurrent workers (PostgreSQL; SQLite has one):
/// the first takes every change in event order, the others only status-only changes.
async fn process_with_workers(app: &TestApp, workers: usize) -> usize {
    use app::backend::services::platform_events::{process_due, Lane};
    let worker = |lane: Lane| {
        let scope = app::backend::auth::system_scope(&app.state);
        async move {
            let mut total = 0;
            loop {
                let p = process_due(&scope, 500, lane).await.expect("process");
                if p.taken == 0 {
                    return total;
                }
                total += p.changes;
            }
        }
    };
    let mut handles = vec![tokio::spawn(worker(Lane::All))];
    for _ in 1..workers {
        handles.push(tokio::spawn(worker(Lane::Statuses)));
    }
    let mut total = 0;
    for h in handles {
        let n = h.await.expect("worker");
        eprintln!("a worker applied {n} changes");
        total += n;
    }
    // Whatever the lanes left (a worker that stopped early) is done in order.
    total + process(app).await
}

async fn loaded(app: &TestApp) -> Platform {
    let f = fixture(app).await;
    platform_tenant(app, &f).await
}

both!(
    ten_thousand_changes_replayed_or_shuffled_give_the_same_state,
    async |app: &TestApp| {
        let _p = loaded(app).await;
        let changes = ten_thousand();
        assert_eq!(changes.len(), 10_000);
        deliver_all(app, &changes, |_| 1_000).await;
        assert_eq!(process(app).await, 10_000);
        let first = snapshot(app).await;
        assert!(first.len() > 3_000, "{}", first.len());
        // Delivered again three times: stored once, nothing changes.
        for _ in 0..3 {
            deliver_all(app, &changes, |_| 1_000).await;
            assert_eq!(process(app).await, 0, "redeliveries are recognised");
        }
        // Replayed three times by staff: applied again, same state.
        for _ in 0..3 {
            use sea_orm::ConnectionTrait;
            app.state
                .db
                .execute_unprepared(
                    "UPDATE platform_events SET status = 'pending', next_attempt_at = NULL",
                )
                .await
                .expect("replay all");
            assert_eq!(process(app).await, 10_000);
            let again = snapshot(app).await;
            assert!(
                again == first,
                "replay changed the state: {}",
                differences(&first, &again)
            );
        }
        // The same changes shuffled, in batches of random sizes, into a fresh database.
        let other = TestApp::spawn(
            if app.state.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                Db::Postgres
            } else {
                Db::Sqlite
            },
        )
        .await;
        let _q = loaded(&other).await;
        let mut shuffled = changes.clone();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        shuffled.shuffle(&mut rng);
        let sizes: Vec<usize> = (0..10_000).map(|_| rng.gen_range(1..=1_000)).collect();
        deliver_all(&other, &shuffled, |n| sizes[n]).await;
        // On PostgreSQL by three workers at once (one in event order, two taking status-only
        // changes beside it, as `EVENT_WORKERS=3` would); on SQLite by one.
        assert_eq!(process_with_workers(&other, 3).await, 10_000);
        let shuffled_state = snapshot(&other).await;
        assert!(
            shuffled_state == first,
            "the order of delivery changed the state: {}",
            differences(&first, &shuffled_state)
        );
        other.drop_db().await;
    }
);

// Message ids are the platform's strings: quotes, backslashes, commas, braces, "NULL" and
// non-ASCII reach both tables as sent, and a status of each is merged into the same row.
both!(
    awkward_message_ids_are_stored_as_sent,
    async |app: &TestApp| {
        let _p = loaded(app).await;
        let ids = [
            r#"wamid."quoted""#,
            r"wamid.back\slash\",
            "wamid.a,b",
            "wamid.{braces}",
            "NULL",
            "wamid.élan✓",
            " wamid.spaced ",
        ];
        let t0 = 1_783_000_000i64;
        let sent: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, w)| status_change(w, "sent", t0 + i as i64, 1))
            .collect();
        let delivered: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, w)| status_change(w, "delivered", t0 + 60 + i as i64, 1))
            .collect();
        deliver_all(app, &sent, |_| 7).await;
        assert_eq!(process(app).await, 7);
        deliver_all(app, &delivered, |_| 7).await;
        assert_eq!(process(app).await, 7);
        use sea_orm::ConnectionTrait;
        let db = &app.state.db;
        for table in ["message_statuses", "usage_records"] {
            let sql = format!("SELECT wamid FROM {table}");
            let rows = db
                .query_all_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    sql,
                ))
                .await
                .expect("ids");
            let mut got: Vec<String> = rows
                .iter()
                .map(|r| r.try_get_by_index::<String>(0).expect("wamid"))
                .collect();
            got.sort();
            let mut want: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
            want.sort();
            assert_eq!(got, want, "{table}");
        }
        let n =
            |sql: &str| sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned());
        let delivered = db.query_one_raw(n("SELECT COUNT(*) FROM message_statuses WHERE status = 'delivered' AND sent_at IS NOT NULL AND delivered_at IS NOT NULL")).await.expect("count").expect("row").try_get_by_index::<i64>(0).expect("n");
        assert_eq!(delivered, 7);
        let confirmed = db
            .query_one_raw(n(
                "SELECT COUNT(*) FROM usage_records WHERE state = 'confirmed'",
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get_by_index::<i64>(0)
            .expect("n");
        // Recipient 1 is not a multiple of 3: regular pricing, so each is a confirmed record.
        assert_eq!(confirmed, 7);
    }
);

/// 500 alerts while the mail server is down, then up: 500 emails, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_alerts_survive_an_smtp_outage() {
    let Some((url, maildir)) = smtp_sink() else {
        return;
    };
    let app = TestApp::spawn(Db::Postgres).await;
    let f = fixture(&app).await;
    let _p = platform_tenant(&app, &f).await;
    // A fresh alert address so the shared sink's older mail does not count.
    let to = format!("alerts-{}@gamma.test", uuid::Uuid::now_v7().simple());
    {
        use sea_orm::ConnectionTrait;
        app.state
            .db
            .execute_unprepared(&format!(
                r#"UPDATE tenants SET alert_emails = '["{to}"]' WHERE display_name = 'Gamma'"#
            ))
            .await
            .expect("alert address");
    }
    let notices: Vec<(Option<i64>, &str, Value)> = (0..500)
        .map(|i| (Some(1_783_000_000 + i), "account_alerts", json!({"entity_type": "BUSINESS", "entity_id": "1", "alert_info": {"alert_severity": "WARNING", "alert_status": "ACTIVE", "alert_type": "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED", "alert_description": format!("notice {i}")}})))
        .collect();
    let down = server::email::Transport::from_config(
        Some("smtp://127.0.0.1:9"),
        "BSP Console <no-reply@bsp.test>",
    )
    .expect("transport");
    let up = server::email::Transport::from_config(Some(&url), "BSP Console <no-reply@bsp.test>")
        .expect("transport");
    // Half arrive, the server is down for a while, the other half arrive (and the first half again).
    deliver(&app, &envelope(&notices[..250])).await;
    process(&app).await;
    for _ in 0..5 {
        while server::jobs::send_emails_once(&app.state, &down)
            .await
            .expect("send")
            > 0
        {}
        app.advance(chrono::TimeDelta::minutes(11));
    }
    deliver(&app, &envelope(&notices)).await;
    process(&app).await;
    // Back up: everything goes out.
    let mut sent = 0;
    for _ in 0..100 {
        let n = server::jobs::send_emails_once(&app.state, &up)
            .await
            .expect("send");
        sent += n;
        if n == 0 {
            app.advance(chrono::TimeDelta::minutes(11));
            if server::jobs::send_emails_once(&app.state, &up)
                .await
                .expect("send")
                == 0
            {
                break;
            }
        }
    }
    let _ = sent;
    let mails = mails_to(&maildir, &to);
    assert_eq!(mails.len(), 500, "one email per alert");
    let mut subjects: Vec<String> = mails
        .iter()
        .filter_map(|m| m.lines().find(|l| l.contains("notice ")).map(str::to_owned))
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 500, "no alert emailed twice");
    app.drop_db().await;
}

/// Kills the server (SIGKILL) while it processes 10,000 changes, starts it again: every change
/// acknowledged with a 200 is processed, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_while_processing_loses_nothing() {
    if std::env::var("TEST_POSTGRES_URL").is_err() {
        assert!(!in_ci(), "CI=true but TEST_POSTGRES_URL is not set");
    }
    let app = TestApp::spawn(Db::Postgres).await;
    let _p = loaded(&app).await;
    let url = secrecy::ExposeSecret::expose_secret(&app.cfg.database_url).to_owned();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        l.local_addr().expect("addr").port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("PUBLIC_URL", &base)
            .env("WHATSAPP_APP_SECRET", APP_SECRET)
            .env("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN)
            .env("RECIPIENT_HASH_KEY", "test-recipient-key")
            .env("EVENT_LEASE_SECONDS", "1")
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start server")
    };
    let ready = || async {
        for _ in 0..200 {
            if reqwest::get(format!("{base}/healthz"))
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("server did not start");
    };
    let mut server = start();
    ready().await;
    let changes: Vec<_> = (0..10_000u32)
        .map(|i| {
            status_change(
                &format!("wamid.KILL{i:06}"),
                if i % 2 == 0 { "sent" } else { "delivered" },
                1_783_000_000 + i64::from(i),
                i % 900,
            )
        })
        .collect();
    let client = reqwest::Client::new();
    let mut acknowledged = 0;
    for chunk in changes.chunks(1_000) {
        let body = envelope(chunk);
        let r = client
            .post(format!("{base}/webhooks/whatsapp"))
            .header("x-hub-signature-256", server_sign(&body))
            .body(body)
            .send()
            .await
            .expect("deliver");
        assert_eq!(r.status(), reqwest::StatusCode::OK);
        acknowledged += chunk.len();
    }
    // Let processing start, then kill the process in the middle of it.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.kill().expect("kill");
    let _ = server.wait();
    let done_before = pending(&app).await;
    eprintln!("pending when killed: {done_before}");
    server = start();
    ready().await;
    let mut left = i64::MAX;
    for _ in 0..600 {
        left = pending(&app).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(
        left, 0,
        "changes left unprocessed after the restart (pending when killed: {done_before})"
    );
    use sea_orm::ConnectionTrait;
    let n = |sql: &'static str| {
        let db = app.state.db.clone();
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .ok()
            .flatten()
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(-1)
        }
    };
    assert_eq!(
        n("SELECT COUNT(*) FROM platform_events WHERE field = 'messages'").await,
        acknowledged as i64,
        "every acknowledged change is stored"
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM platform_events WHERE field = 'messages' AND status = 'applied'")
            .await,
        acknowledged as i64
    );
    assert_eq!(
        n("SELECT COUNT(*) FROM message_statuses WHERE wamid LIKE 'wamid.KILL%'").await,
        10_000,
        "every message recorded once"
    );
    app.drop_db().await;
}

fn server_sign(body: &str) -> String {
    app::backend::services::platform_events::sign(APP_SECRET.as_bytes(), body.as_bytes())
}

async fn pending(app: &TestApp) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), "SELECT (SELECT COUNT(*) FROM platform_events WHERE status = 'pending') + (SELECT COALESCE(SUM(changes), 0) FROM webhook_deliveries WHERE processed_at IS NULL)".to_owned()))
        .await
        .ok()
        .flatten()
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .unwrap_or(-1)
}

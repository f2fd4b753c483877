//! Finance: rate cards (row errors, fix, publish, export), price lists (preview, publish),
//! rating of message statuses into usage (idempotent whatever the order), the tenant's
//! billing page, and the per-country export (content and formula-injection escaping).

use crate::{
    both,
    support::*,
    webhooks::{deliver, platform_tenant, process, DISPLAY_NUMBER, PHONE_ID, WABA},
};
use app::backend::{auth::operator_scope, services};
use reqwest::StatusCode;
use serde_json::json;

const HEADER: &str =
    "market,currency,marketing,utility,authentication,authentication_international,service,tier\n";

fn good_card() -> String {
    format!("{HEADER}United Kingdom,GBP,0.0526,0.0182,0.0182,,,\nNorth America,GBP,0.0207,0.01,0.01,,,0:2\nNorth America,GBP,,0.005,0.005,,,2:MAX\n")
}

async fn sql_i64(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let rows = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query");
    rows.first()
        .and_then(|r| {
            r.try_get::<i64>("", "n")
                .ok()
                .or_else(|| r.try_get::<Option<i64>>("", "n").ok().flatten())
        })
        .unwrap_or(-1)
}

/// Imports and publishes `csv` as finance through the server functions; returns the card id.
async fn publish_card(app: &TestApp, finance: &Session, csv: &str, from: &str) -> String {
    let r = finance
        .call(
            "stage_rate_card",
            &[
                ("card", ""),
                ("csv", csv),
                ("effective_from", from),
                ("note", "test"),
            ],
        )
        .await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{} {}",
        r.status,
        r.body
    );
    let op = operator_scope(&app.state, "test");
    let card = services::pricing::cards(&op)
        .await
        .expect("cards")
        .into_iter()
        .find(|c| c.status == "draft")
        .expect("a draft");
    let r = finance
        .call("publish_rate_card", &[("card", &card.id)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    card.id
}

both!(
    a_rate_card_with_bad_rows_is_staged_with_every_error_and_published_once_fixed,
    async |app: &TestApp| {
        let _f = fixture(app).await;
        let finance = app.signed_in(FINANCE, PW).await;
        let bad = format!("{HEADER}United Kingdom,GBP,0.0526,0.0182,0.0182,,,\nAtlantis,GBP,0.1,0.1,0.1,,,\nFrance,GBP,0.07,abc,0.0248,,,\n");
        let r = finance
            .call(
                "stage_rate_card",
                &[
                    ("card", ""),
                    ("csv", &bad),
                    ("effective_from", "2026-07-01"),
                    ("note", "July card"),
                ],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
        let op = operator_scope(&app.state, "test");
        let cards = services::pricing::cards(&op).await.expect("cards");
        assert_eq!(cards.len(), 1);
        let id = cards[0].id.clone();
        let detail = finance.call("get_rate_card", &[("card", &id)]).await;
        assert_eq!(detail.status, StatusCode::OK);
        let d: serde_json::Value = serde_json::from_str(&detail.body).expect("json");
        let errors: Vec<(u64, String)> = d["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["line"].as_u64().unwrap_or(0),
                    e["column"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            errors,
            vec![(3, "market".to_owned()), (4, "utility".to_owned())]
        );
        // Not publishable while rows are wrong; nothing is in force.
        let r = finance.call("publish_rate_card", &[("card", &id)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(app::backend::repo::pricing::card_in_force(
            &app.state.db,
            "GBP",
            chrono::NaiveDate::from_ymd_opt(2026, 8, 1).expect("day")
        )
        .await
        .expect("q")
        .is_none());
        // Fix the rows in the same draft, publish.
        let fixed = format!("{HEADER}United Kingdom,GBP,0.0526,0.0182,0.0182,,,\nFrance,GBP,0.07,0.0248,0.0248,,,\n");
        let r = finance
            .call(
                "stage_rate_card",
                &[
                    ("card", &id),
                    ("csv", &fixed),
                    ("effective_from", "2026-07-01"),
                    ("note", "July card"),
                ],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
        let r = finance.call("publish_rate_card", &[("card", &id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (_, _, rates) = app::backend::repo::pricing::card_in_force(
            &app.state.db,
            "GBP",
            chrono::NaiveDate::from_ymd_opt(2026, 8, 1).expect("day"),
        )
        .await
        .expect("q")
        .expect("in force");
        assert_eq!(rates.0.len(), 6);
        // A published card is final: restaging or publishing again is refused.
        let r = finance.call("publish_rate_card", &[("card", &id)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // Exported in the platform's shape.
        let csv = finance.get(&format!("/finance/rates/{id}/csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with("market,currency,marketing,utility,authentication,authentication_international,service\n"), "{}", csv.body);
        assert!(
            csv.body
                .contains("United Kingdom,GBP,0.0526,0.0182,0.0182,,\n"),
            "{}",
            csv.body
        );
        // A file that is no card at all: 422 next to the field, nothing saved.
        let r = finance
            .call(
                "stage_rate_card",
                &[
                    ("card", ""),
                    ("csv", "market,currency\nX,GBP\n"),
                    ("effective_from", "2026-07-01"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("csv_missing_column") || r.body.contains("CsvMissingColumn"),
            "{}",
            r.body
        );
        assert_eq!(services::pricing::cards(&op).await.expect("cards").len(), 1);
        // The audit log names the publication.
        assert_eq!(
            sql_i64(
                app,
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'rate_card.published'"
            )
            .await,
            1
        );
    }
);

both!(
    rating_bills_each_delivered_message_once_whatever_the_order_and_repetition,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let finance = app.signed_in(FINANCE, PW).await;
        publish_card(app, &finance, &good_card(), "2026-01-01").await;
        let today = app.state.now().date_naive().to_string();
        let r = finance
            .call(
                "stage_price_list",
                &[
                    ("tenant", ""),
                    ("currency", "GBP"),
                    ("list_effective_from", &today),
                    ("list_note", ""),
                    ("rule_market[0]", ""),
                    ("rule_category[0]", ""),
                    ("rule_method[0]", "percent"),
                    ("rule_value[0]", "20"),
                    ("rule_floor[0]", ""),
                    ("rule_cap[0]", ""),
                ],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
        let op = operator_scope(&app.state, "test");
        let list = services::pricing::price_lists(&op)
            .await
            .expect("lists")
            .lists[0]
            .id
            .clone();
        let preview = services::pricing::price_list(&op, list.parse().expect("id"))
            .await
            .expect("detail");
        let uk = preview
            .preview
            .iter()
            .find(|l| l.market == "United Kingdom" && l.category == "marketing")
            .expect("uk marketing");
        assert_eq!(
            (
                uk.cost.as_deref(),
                uk.price.as_deref(),
                uk.margin.as_deref()
            ),
            (Some("0.0526"), Some("0.06312"), Some("0.01052"))
        );
        let r = finance.call("publish_price_list", &[("list", &list)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let t0 = app.state.now().timestamp() + 60;
        let pricing = |kind: &str, cat: &str| json!({"billable": kind == "regular", "pricing_model": "PMP", "type": kind, "category": cat});
        // (wamid, recipient, pricing, statuses)
        let messages = [
            (
                "uk1",
                "447400123401",
                pricing("regular", "marketing"),
                vec!["sent", "delivered", "read"],
            ),
            (
                "uk2",
                "447400123402",
                pricing("regular", "marketing"),
                vec!["sent", "delivered"],
            ),
            (
                "uk3",
                "447400123403",
                pricing("regular", "marketing"),
                vec!["sent", "read"],
            ),
            (
                "us1",
                "12025550111",
                pricing("regular", "utility"),
                vec!["sent", "delivered"],
            ),
            (
                "us2",
                "12025550112",
                pricing("regular", "utility"),
                vec!["sent", "delivered"],
            ),
            (
                "us3",
                "12025550113",
                pricing("regular", "utility"),
                vec!["sent", "delivered", "read"],
            ),
            (
                "svc",
                "447400123404",
                pricing("free_customer_service", "service"),
                vec!["sent", "delivered"],
            ),
            (
                "fail",
                "447400123405",
                pricing("regular", "marketing"),
                vec!["sent", "failed"],
            ),
            (
                "wait",
                "447400123406",
                pricing("regular", "marketing"),
                vec!["sent"],
            ),
        ];
        let mut events = Vec::new();
        for (i, (id, to, pr, statuses)) in messages.iter().enumerate() {
            for (k, s) in statuses.iter().enumerate() {
                let ts = t0 + i64::try_from(i * 10 + k).unwrap_or(0);
                events.push(json!({"id": format!("wamid.{id}"), "status": s, "timestamp": ts.to_string(), "recipient_id": to, "pricing": pr}));
            }
        }
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let body = |s: &[serde_json::Value]| {
            json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":meta,"statuses":s}}]}]}).to_string()
        };
        // Three rounds, each in another order, each status in its own delivery (so each is a new
        // change), processed in small groups.
        let mut seed = 7u64;
        for round in 0..3 {
            let mut order: Vec<usize> = (0..events.len()).collect();
            for i in (1..order.len()).rev() {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, usize::try_from(seed >> 33).unwrap_or(0) % (i + 1));
            }
            for (n, i) in order.into_iter().enumerate() {
                let mut e = events[i].clone();
                // Redeliveries with another delivery body are new changes for the receiver.
                e["biz_opaque_callback_data"] = json!(format!("r{round}"));
                let (status, _) = deliver(app, &body(&[e])).await;
                assert_eq!(status, StatusCode::OK);
                if n % 5 == 4 {
                    process(app).await;
                }
            }
            process(app).await;
            let confirmed = sql_i64(
                app,
                "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed'",
            )
            .await;
            assert_eq!(confirmed, 7, "round {round}");
            // 3 × 0.0526 (UK marketing) + 2 × 0.01 + 1 × 0.005 (US utility, band 2:MAX) + free service.
            assert_eq!(sql_i64(app, "SELECT CAST(SUM(cost_micros) AS BIGINT) AS n FROM usage_records WHERE state = 'confirmed'").await, 3 * 52_600 + 2 * 10_000 + 5_000, "round {round}");
            assert_eq!(sql_i64(app, "SELECT CAST(SUM(price_micros) AS BIGINT) AS n FROM usage_records WHERE state = 'confirmed'").await, 3 * 63_120 + 2 * 12_000 + 6_000, "round {round}");
            assert_eq!(
                sql_i64(
                    app,
                    "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'void'"
                )
                .await,
                1
            );
            assert_eq!(
                sql_i64(
                    app,
                    "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'pending'"
                )
                .await,
                1
            );
            assert_eq!(
                sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records").await,
                9,
                "one record per message"
            );
            // Rating knows a record's state from the status row (no read): a repeated or late
            // status never counts a charged message twice in its band.
            assert_eq!(
                sql_i64(
                    app,
                    "SELECT CAST(SUM(count) AS BIGINT) AS n FROM tier_counters"
                )
                .await,
                6,
                "round {round}: each charged message once in its band"
            );
        }
        // Every charged record names the versions that priced it.
        assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed' AND pricing_type = 'regular' AND (cost_card_id IS NULL OR price_list_id IS NULL)").await, 0);

        // The tenant's billing page: its own usage at its prices.
        let month = chrono::DateTime::from_timestamp(t0, 0)
            .expect("t0")
            .format("%Y-%m")
            .to_string();
        let owner = app.signed_in("owner@gamma.test", PW).await;
        let r = owner
            .call(
                "get_billing",
                &[("tenant", &p.tenant.to_string()), ("month", &month)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let b: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        if chrono::DateTime::from_timestamp(t0 + 200, 0)
            .expect("t")
            .format("%Y-%m")
            .to_string()
            == month
        {
            assert_eq!(b["messages"], 7);
            assert_eq!(b["billable"], 6);
            // 0.21936 GBP → 0.22 (half to even at the total).
            assert_eq!(b["total"], "0.22");
        }
        let page = owner
            .get(&format!("/tenants/{}/billing?month={month}", p.tenant))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("usage-chart") && page.body.contains("United Kingdom"),
            "server-rendered chart and table"
        );

        // Finance's export: one row per tenant × country × market × category × pricing type.
        let from = app.state.now().date_naive();
        let to = from + chrono::TimeDelta::days(2);
        let csv = finance
            .get(&format!("/finance/usage.csv?from={from}&to={to}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(
            csv.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/csv; charset=utf-8")
        );
        let mut lines = csv.body.lines();
        assert_eq!(lines.next(), Some("period_start,period_end,tenant_id,tenant_name,country,market,category,pricing_type,messages,billable_messages,cost_minor,price_minor,margin_minor,currency,cost_card_version,price_list_version"));
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect();
        let gb_marketing = rows
            .iter()
            .find(|r| r[4] == "GB" && r[6] == "marketing")
            .expect("GB marketing row");
        assert_eq!(
            &gb_marketing[8..14],
            ["3", "3", "16", "19", "3", "GBP"],
            "3 × 0.0526 = 0.1578 → 16 pence; 3 × 0.06312 → 19"
        );
        let us = rows
            .iter()
            .find(|r| r[4] == "US" && r[6] == "utility")
            .expect("US utility row");
        assert_eq!(us[5], "north_america");
        let svc = rows
            .iter()
            .find(|r| r[7] == "free_customer_service")
            .expect("free row");
        assert_eq!(&svc[8..13], ["1", "0", "0", "0", "0"]);
        // The finance dashboard: totals per currency with the margin, rounded per row.
        let dash = finance
            .call("finance_usage", &[("month", &month), ("sort", "margin")])
            .await;
        assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
        let dash: serde_json::Value = serde_json::from_str(&dash.body).expect("json");
        if chrono::DateTime::from_timestamp(t0 + 200, 0)
            .expect("t")
            .format("%Y-%m")
            .to_string()
            == month
        {
            let total = &dash["totals"][0];
            assert_eq!(
                (
                    total["currency"].as_str(),
                    total["price"].as_str(),
                    total["cost"].as_str(),
                    total["margin"].as_str()
                ),
                (Some("GBP"), Some("0.22"), Some("0.18"), Some("0.04")),
                "{dash}"
            );
            assert_eq!(
                dash["rows"][0]["market"], "United Kingdom",
                "largest margin first"
            );
        }
        // Filters, and a reviewer may not export.
        let only_us = finance
            .get(&format!(
                "/finance/usage.csv?from={from}&to={to}&country=us"
            ))
            .await;
        assert_eq!(only_us.body.lines().count(), 2, "{}", only_us.body);
        let reviewer = app.signed_in(REVIEWER, PW).await;
        assert_eq!(
            reviewer
                .get(&format!("/finance/usage.csv?from={from}&to={to}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

both!(
    tenant_names_are_defused_in_the_export,
    async |app: &TestApp| {
        let _f = fixture(app).await;
        let op = operator_scope(&app.state, "test");
        let mut form = tenant_form("Evil", "999000111");
        form.display_name = "=HYPERLINK(\"http://evil.test\",\"x\")".into();
        let tenant = services::tenants::create(&op, &form).await.expect("tenant");
        let phone = app::backend::services::tenants::add_phone_number(
            &op,
            tenant,
            "",
            &app::domain::tenant::PhoneNumberForm {
                number: "+44 7400 123456".into(),
                phone_number_id: "5550001".into(),
                display_name: "Evil".into(),
            },
        )
        .await
        .expect("phone");
        let now = app.state.now();
        let row = app::backend::repo::pricing::UsageRow {
            tenant: tenant.0,
            phone: phone.0,
            wamid: "wamid.x".into(),
            state: "confirmed",
            country: Some("GB".into()),
            market: "united_kingdom",
            category: Some("marketing".into()),
            pricing_type: "regular",
            pricing_model: Some("PMP".into()),
            delivered_at: Some(now),
            delivered_on: Some(now.date_naive()),
            month: Some(now.format("%Y-%m").to_string()),
            currency: "GBP".into(),
            cost: Some(52_600),
            price: Some(60_000),
            cost_card: None,
            price_list: None,
            tier_prior: Some(0),
            conversation: None,
            exists: false,
        };
        app::backend::repo::pricing::upsert_usage(
            &app::backend::auth::system_scope(&app.state),
            &app.state.db,
            &[row],
            now,
        )
        .await
        .expect("usage");
        let finance = app.signed_in(FINANCE, PW).await;
        let day = now.date_naive();
        let csv = finance
            .get(&format!("/finance/usage.csv?from={day}&to={day}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body
                .contains(",\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\",GB,"),
            "{}",
            csv.body
        );
    }
);

/// Charged usage of tenant A delivered in October 2026, written as rating would.
async fn october_usage(app: &TestApp, f: &Fixture) {
    let op = operator_scope(&app.state, "test");
    let phone = app::backend::services::tenants::add_phone_number(
        &op,
        f.a,
        "",
        &app::domain::tenant::PhoneNumberForm {
            number: "+44 7400 123457".into(),
            phone_number_id: "5550002".into(),
            display_name: "A".into(),
        },
    )
    .await
    .expect("phone");
    let at = chrono::DateTime::parse_from_rfc3339("2026-10-15T10:00:00Z")
        .expect("at")
        .with_timezone(&chrono::Utc);
    let rows: Vec<_> = [
        ("GB", "united_kingdom", "marketing", 52_600, 63_120),
        ("GB", "united_kingdom", "marketing", 52_600, 63_120),
        ("US", "north_america", "utility", 10_000, 12_000),
    ]
    .iter()
    .enumerate()
    .map(
        |(i, (country, market, category, cost, price))| app::backend::repo::pricing::UsageRow {
            tenant: f.a.0,
            phone: phone.0,
            wamid: format!("wamid.oct{i}"),
            state: "confirmed",
            country: Some((*country).into()),
            market,
            category: Some((*category).into()),
            pricing_type: "regular",
            pricing_model: Some("PMP".into()),
            delivered_at: Some(at),
            delivered_on: Some(at.date_naive()),
            month: Some("2026-10".into()),
            currency: "GBP".into(),
            cost: Some(*cost),
            price: Some(*price),
            cost_card: None,
            price_list: None,
            tier_prior: Some(0),
            conversation: None,
            exists: false,
        },
    )
    .collect();
    app::backend::repo::pricing::upsert_usage(
        &app::backend::auth::system_scope(&app.state),
        &app.state.db,
        &rows,
        at,
    )
    .await
    .expect("usage");
}

both!(
    a_month_is_invoiced_exactly_once_even_by_two_processes_at_the_same_time,
    async |app: &TestApp| {
        let f = fixture(app).await;
        october_usage(app, &f).await;
        let db = secrecy::ExposeSecret::expose_secret(&app.cfg.database_url).to_owned();
        let run = |db: String| {
            std::thread::spawn(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                    .args(["--json", "invoices", "run", "--period", "2026-10"])
                    .env("DATABASE_URL", db)
                    .env("RUST_LOG", "error")
                    .env_remove("STRIPE_SECRET_KEY")
                    .output()
                    .expect("run")
            })
        };
        let (a, b) = (run(db.clone()), run(db.clone()));
        let outs = [a.join().expect("a"), b.join().expect("b")];
        let mut created = 0;
        for o in &outs {
            assert!(
                o.status.success(),
                "{} {}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            created += serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
                ["created"]
                .as_u64()
                .unwrap_or(9);
        }
        assert_eq!(
            created, 1,
            "one process issued the invoice, the other found it"
        );
        // A third run (the job, a restart) changes nothing.
        let r = services::invoicing::run_period(
            &app::backend::auth::system_scope(&app.state),
            "2026-10",
            false,
        )
        .await
        .expect("run");
        assert_eq!((r.created, r.already), (0, 1));
        assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM invoices").await, 1);
        assert_eq!(
            sql_i64(app, "SELECT COUNT(*) AS n FROM invoice_lines").await,
            2,
            "one line per market × category"
        );
        // A month that is not over is refused.
        let r = services::invoicing::run_period(
            &app::backend::auth::system_scope(&app.state),
            &app.state.now().format("%Y-%m").to_string(),
            false,
        )
        .await;
        assert!(matches!(
            r,
            Err(app::contract::AppError::Conflict {
                reason: app::contract::ConflictReason::NotAllowedNow
            })
        ));
        // The tenant sees it, with lines rounded half to even per line: 2 × 0.06312 = 0.12624 → 0.13; 0.012 → 0.01.
        let owner = app.signed_in(OWNER_A, PW).await;
        let billing = owner
            .call(
                "get_billing",
                &[("tenant", &f.a.to_string()), ("month", "2026-10")],
            )
            .await;
        let b: serde_json::Value = serde_json::from_str(&billing.body).expect("json");
        let inv = &b["invoices"][0];
        assert_eq!(
            (
                inv["period"].as_str(),
                inv["status"].as_str(),
                inv["total"].as_str()
            ),
            (Some("2026-10"), Some("internal"), Some("0.14"))
        );
        let id = inv["id"].as_str().expect("id").to_owned();
        let page = owner.get(&format!("/tenants/{}/invoices/{id}", f.a)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("invoice-total")
                && page.body.contains("0.14")
                && page.body.contains("United Kingdom"),
            "HTML invoice"
        );
        // Another tenant's owner cannot see it; nor can a reviewer.
        let other = app.signed_in(OWNER_B, PW).await;
        assert_eq!(
            other
                .call(
                    "get_invoice",
                    &[("tenant", &f.a.to_string()), ("invoice", &id)]
                )
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other
                .call(
                    "get_invoice",
                    &[("tenant", &f.b.to_string()), ("invoice", &id)]
                )
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let reviewer = app.signed_in(REVIEWER, PW).await;
        assert_eq!(
            reviewer
                .call(
                    "get_invoice",
                    &[("tenant", &f.a.to_string()), ("invoice", &id)]
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // A delivery confirmed after the invoice (a late webhook) is billed as an adjustment by the
        // job's true-up, once however many processes run it.
        let late_at = chrono::DateTime::parse_from_rfc3339("2026-10-31T23:00:00Z")
            .expect("at")
            .with_timezone(&chrono::Utc);
        let phone: uuid::Uuid = {
            use sea_orm::ConnectionTrait;
            let rows = app
                .state
                .db
                .query_all_raw(sea_orm::Statement::from_string(
                    app.state.db.get_database_backend(),
                    "SELECT phone_row_id FROM usage_records".to_owned(),
                ))
                .await
                .expect("q");
            rows[0]
                .try_get::<uuid::Uuid>("", "phone_row_id")
                .expect("phone")
        };
        let late = app::backend::repo::pricing::UsageRow {
            tenant: f.a.0,
            phone,
            wamid: "wamid.late".into(),
            state: "confirmed",
            country: Some("GB".into()),
            market: "united_kingdom",
            category: Some("marketing".into()),
            pricing_type: "regular",
            pricing_model: Some("PMP".into()),
            delivered_at: Some(late_at),
            delivered_on: Some(late_at.date_naive()),
            month: Some("2026-10".into()),
            currency: "GBP".into(),
            cost: Some(52_600),
            price: Some(63_120),
            cost_card: None,
            price_list: None,
            tier_prior: Some(3),
            conversation: None,
            exists: false,
        };
        let system = app::backend::auth::system_scope(&app.state);
        app::backend::repo::pricing::upsert_usage(&system, &app.state.db, &[late], late_at)
            .await
            .expect("late");
        let (a, b) = tokio::join!(
            services::invoicing::true_up_period(&system, &app.state.db, "2026-10", "late", None),
            services::invoicing::true_up_period(&system, &app.state.db, "2026-10", "late", None)
        );
        assert_eq!(a.expect("a") + b.expect("b"), 1, "one adjustment");
        let inv: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_invoice",
                    &[("tenant", &f.a.to_string()), ("invoice", &id)],
                )
                .await
                .body,
        )
        .expect("json");
        // UK marketing line: 3 × 0.06312 = 0.18936 → 0.19 (was 0.13): +0.06.
        assert_eq!(
            (inv["adjustments"][0][0].as_str(), inv["balance"].as_str()),
            (Some("0.06"), Some("0.20")),
            "{inv}"
        );
    }
);

both!(
    invoices_go_to_stripe_once_and_its_signed_webhooks_mark_them_paid,
    async |app: &TestApp| {
        let Some(base) = stripe_peer() else { return };
        let f = fixture(app).await;
        october_usage(app, &f).await;
        let system = app::backend::auth::system_scope(&app.state);
        let r = services::invoicing::run_period(&system, "2026-10", true)
            .await
            .expect("run");
        assert_eq!(r.created, 1);
        let payments = server::stripe::StripePayments::new(&server::config::StripeConfig {
            api_base: base.clone(),
            secret_key: secrecy::SecretString::from("sk_test_123".to_owned()),
        })
        .expect("client");
        assert_eq!(
            services::invoicing::sync(&system, &payments)
                .await
                .expect("sync"),
            1
        );
        assert_eq!(
            services::invoicing::sync(&system, &payments)
                .await
                .expect("sync"),
            0,
            "nothing left to send"
        );
        // Every call's key was stored and completed: customer, 2 items, invoice, finalize.
        assert_eq!(
            sql_i64(
                app,
                "SELECT COUNT(*) AS n FROM stripe_calls WHERE completed_at IS NOT NULL"
            )
            .await,
            5
        );
        let owner = app.signed_in(OWNER_A, PW).await;
        let b: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_billing",
                    &[("tenant", &f.a.to_string()), ("month", "2026-10")],
                )
                .await
                .body,
        )
        .expect("json");
        assert_eq!(b["invoices"][0]["status"], "open");
        let stripe_id = {
            use sea_orm::ConnectionTrait;
            let rows = app
                .state
                .db
                .query_all_raw(sea_orm::Statement::from_string(
                    app.state.db.get_database_backend(),
                    "SELECT stripe_invoice_id FROM invoices".to_owned(),
                ))
                .await
                .expect("q");
            rows[0]
                .try_get::<String>("", "stripe_invoice_id")
                .expect("stripe id")
        };
        // Stripe has the same lines and total.
        let http = reqwest::Client::new();
        let inv: serde_json::Value = http
            .get(format!("{base}v1/invoices/{stripe_id}"))
            .bearer_auth("sk_test_123")
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(
            (
                inv["status"].as_str(),
                inv["total"].as_i64(),
                inv["currency"].as_str()
            ),
            (Some("open"), Some(14), Some("gbp")),
            "{inv}"
        );
        assert_eq!(inv["lines"]["data"].as_array().map(Vec::len), Some(2));
        // A retry after a crash between Stripe's answer and our write reuses the stored key:
        // Stripe replays its first answer, no second invoice.
        {
            use sea_orm::ConnectionTrait;
            let db = &app.state.db;
            for sql in ["UPDATE stripe_calls SET completed_at = NULL, stripe_id = NULL WHERE step = 'invoice'", "UPDATE invoices SET status = 'awaiting_stripe'"] {
            db.execute_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned())).await.expect("update");
        }
        }
        assert_eq!(
            services::invoicing::sync(&system, &payments)
                .await
                .expect("sync"),
            1
        );
        let customer = inv["customer"].as_str().expect("customer").to_owned();
        let list: serde_json::Value = http
            .get(format!("{base}v1/invoices?customer={customer}"))
            .bearer_auth("sk_test_123")
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        assert_eq!(
            list["data"].as_array().map(Vec::len),
            Some(1),
            "still one invoice at Stripe: {list}"
        );

        // Webhooks: a bad signature is refused and changes nothing; a valid one marks it paid.
        let event = json!({"id": "evt_1", "object": "event", "type": "invoice.paid", "created": app.state.now().timestamp(), "data": {"object": {"id": stripe_id, "object": "invoice", "status": "paid"}}}).to_string();
        let post = |sig: String, body: String| {
            let url = format!("{}/webhooks/stripe", app.base);
            async move {
                reqwest::Client::new()
                    .post(url)
                    .header("stripe-signature", sig)
                    .body(body)
                    .send()
                    .await
                    .expect("post")
                    .status()
            }
        };
        let now = app.state.now().timestamp();
        assert_eq!(
            post(
                services::invoicing::stripe_sign(b"whsec_wrong", event.as_bytes(), now),
                event.clone()
            )
            .await,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            post(
                services::invoicing::stripe_sign(
                    STRIPE_WEBHOOK_SECRET.as_bytes(),
                    event.as_bytes(),
                    now - 301
                ),
                event.clone()
            )
            .await,
            StatusCode::BAD_REQUEST,
            "too old"
        );
        let b: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_billing",
                    &[("tenant", &f.a.to_string()), ("month", "2026-10")],
                )
                .await
                .body,
        )
        .expect("json");
        assert_eq!(b["invoices"][0]["status"], "open");
        // The real thing: localstripe signs and posts the event when the invoice is paid.
        let hook = format!("bsp{}", uuid::Uuid::now_v7().simple());
        let r = http
            .post(format!("{base}_config/webhooks/{hook}"))
            .form(&[
                ("url", format!("{}/webhooks/stripe", app.base)),
                ("secret", STRIPE_WEBHOOK_SECRET.to_owned()),
                ("events[]", "invoice.paid".to_owned()),
            ])
            .send()
            .await
            .expect("hook");
        assert!(r.status().is_success());
        let r = http
            .post(format!("{base}v1/invoices/{stripe_id}/pay"))
            .bearer_auth("sk_test_123")
            .form(&[("paid_out_of_band", "true")])
            .send()
            .await
            .expect("pay");
        assert!(
            r.status().is_success(),
            "{}",
            r.text().await.unwrap_or_default()
        );
        let mut status = String::new();
        for _ in 0..50 {
            let b: serde_json::Value = serde_json::from_str(
                &owner
                    .call(
                        "get_billing",
                        &[("tenant", &f.a.to_string()), ("month", "2026-10")],
                    )
                    .await
                    .body,
            )
            .expect("json");
            status = b["invoices"][0]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if status == "paid" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert_eq!(
            status, "paid",
            "localstripe's signed invoice.paid reached the endpoint"
        );
        // Paid is final: a late payment_failed does not undo it.
        let late = json!({"type": "invoice.payment_failed", "data": {"object": {"id": stripe_id}}})
            .to_string();
        assert_eq!(
            post(
                services::invoicing::stripe_sign(
                    STRIPE_WEBHOOK_SECRET.as_bytes(),
                    late.as_bytes(),
                    app.state.now().timestamp()
                ),
                late
            )
            .await,
            StatusCode::OK
        );
        let b: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_billing",
                    &[("tenant", &f.a.to_string()), ("month", "2026-10")],
                )
                .await
                .body,
        )
        .expect("json");
        assert_eq!(b["invoices"][0]["status"], "paid");
    }
);

both!(
    messages_delivered_before_any_card_are_priced_when_one_is_published,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let _p = platform_tenant(app, &f).await;
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let t0 = app.state.now().timestamp();
        let statuses: Vec<serde_json::Value> = ["sent", "delivered"].iter().enumerate().map(|(i, s)| json!({"id": "wamid.early", "status": s, "timestamp": (t0 + i64::try_from(i).unwrap_or(0)).to_string(), "recipient_id": "447400123456", "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"}})).collect();
        let body = json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":meta,"statuses":statuses}}]}]}).to_string();
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK);
        process(app).await;
        assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed' AND cost_micros IS NULL").await, 1, "confirmed, not priced yet");
        let finance = app.signed_in(FINANCE, PW).await;
        publish_card(app, &finance, &good_card(), "2026-01-01").await;
        assert_eq!(
            sql_i64(
                app,
                "SELECT CAST(SUM(cost_micros) AS BIGINT) AS n FROM usage_records"
            )
            .await,
            52_600
        );
        assert_eq!(
            sql_i64(
                app,
                "SELECT CAST(SUM(price_micros) AS BIGINT) AS n FROM usage_records"
            )
            .await,
            52_600,
            "no price list: the price is the cost"
        );
        assert_eq!(
            sql_i64(
                app,
                "SELECT COUNT(*) AS n FROM usage_records WHERE cost_card_id IS NULL"
            )
            .await,
            0
        );
    }
);

// Staff set the WABA's time zone; a message is dated in it (its day, month and invoice).
both!(
    a_messages_day_is_its_wabas_time_zone_set_by_staff,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let op = operator_scope(&app.state, "test");
        let scope = app::backend::auth::staff_in_tenant(&op, p.tenant)
            .await
            .expect("scope");
        let detail = services::tenants::detail(&scope).await.expect("detail");
        let waba = detail.wabas[0].id.to_string();
        assert_eq!(detail.wabas[0].time_zone, "UTC", "the default");
        let tenant = p.tenant.to_string();
        let r = admin
            .call(
                "set_waba_time_zone",
                &[
                    ("tenant", &tenant),
                    ("waba", &waba),
                    ("time_zone", "Mars/Olympus"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("time_zone"), "{}", r.body);
        let r = admin
            .call(
                "set_waba_time_zone",
                &[
                    ("tenant", &tenant),
                    ("waba", &waba),
                    ("time_zone", " pacific/auckland "),
                ],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
        assert_eq!(
            services::tenants::detail(&scope)
                .await
                .expect("detail")
                .wabas[0]
                .time_zone,
            "Pacific/Auckland"
        );
        // Another tenant's page cannot name this WABA.
        let r = admin
            .call(
                "set_waba_time_zone",
                &[
                    ("tenant", &f.b.to_string()),
                    ("waba", &waba),
                    ("time_zone", "Europe/Paris"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // 2026-11-30 13:00 UTC is 1 December 02:00 in Auckland (UTC+13 in summer).
        let at = 1_796_043_600i64;
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let statuses: Vec<serde_json::Value> = ["sent", "delivered"].iter().enumerate().map(|(i, s)| json!({"id": "wamid.kiwi", "status": s, "timestamp": (at + i64::try_from(i).unwrap_or(0)).to_string(), "recipient_id": "6421123456", "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"}})).collect();
        let body = json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":meta,"statuses":statuses}}]}]}).to_string();
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK);
        process(app).await;
        assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed' AND month = '2026-12'").await, 1, "dated in Auckland, not in UTC (November)");
    }
);

// Conversation-based pricing (before 2025-07): a conversation is charged once, however many
// messages it holds and whatever the order; the others are counted, free, as in_conversation.
both!(
    a_conversation_based_conversation_is_charged_once_whatever_the_order,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let _p = platform_tenant(app, &f).await;
        let finance = app.signed_in(FINANCE, PW).await;
        publish_card(app, &finance, &good_card(), "2024-01-01").await;
        // 2024-03-10 12:00 UTC: conversation-based pricing.
        let t0 = 1_710_072_000i64;
        let cbp = |conversation: Option<&str>| {
            let mut s = json!({"pricing": {"billable": true, "pricing_model": "CBP", "category": "marketing"}});
            if let Some(c) = conversation {
                s["conversation"] = json!({"id": c, "origin": {"type": "marketing"}});
            }
            s
        };
        // (wamid, conversation, statuses): conv-a holds three messages, one of them failed; conv-b
        // two, the second arriving after the first was rated; one CBP message has no conversation.
        let first = [
            ("a1", Some("conv-a"), vec!["sent", "delivered"]),
            ("a2", Some("conv-a"), vec!["sent", "delivered", "read"]),
            ("a3", Some("conv-a"), vec!["sent", "failed"]),
            ("b1", Some("conv-b"), vec!["sent", "read"]),
            ("lone", None, vec!["sent", "delivered"]),
        ];
        let later = [("b2", Some("conv-b"), vec!["sent", "delivered"])];
        let events = |messages: &[(&str, Option<&str>, Vec<&str>)], base: i64| {
            let mut out = Vec::new();
            for (i, (id, conversation, statuses)) in messages.iter().enumerate() {
                for (k, s) in statuses.iter().enumerate() {
                    let mut e = cbp(*conversation);
                    e["id"] = json!(format!("wamid.{id}"));
                    e["status"] = json!(s);
                    e["timestamp"] =
                        json!((base + i64::try_from(i * 10 + k).unwrap_or(0)).to_string());
                    e["recipient_id"] = json!(format!("44740012340{i}"));
                    out.push(e);
                }
            }
            out
        };
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let body = |s: &[serde_json::Value]| {
            json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":meta,"statuses":s}}]}]}).to_string()
        };
        let (early, late) = (events(&first, t0), events(&later, t0 + 600));
        for round in 0..3 {
            // Each round in another order: forwards, backwards, odd ones first.
            let mut order: Vec<&serde_json::Value> = early.iter().collect();
            match round {
                1 => order.reverse(),
                2 => order.sort_by_key(|e| e["status"] != "delivered"),
                _ => {}
            }
            for e in order {
                let mut e = e.clone();
                e["biz_opaque_callback_data"] = json!(format!("r{round}"));
                assert_eq!(deliver(app, &body(&[e])).await.0, StatusCode::OK);
            }
            process(app).await;
            for e in &late {
                let mut e = e.clone();
                e["biz_opaque_callback_data"] = json!(format!("r{round}"));
                assert_eq!(deliver(app, &body(&[e])).await.0, StatusCode::OK);
            }
            process(app).await;
            // Charged: conv-a once, conv-b once, the message without a conversation.
            assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed' AND pricing_type = 'regular'").await, 3, "round {round}");
            assert_eq!(sql_i64(app, "SELECT CAST(SUM(cost_micros) AS BIGINT) AS n FROM usage_records WHERE state = 'confirmed'").await, 3 * 52_600, "round {round}");
            assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'confirmed' AND pricing_type = 'in_conversation' AND cost_micros = 0 AND price_micros = 0").await, 2, "round {round}");
            assert_eq!(
                sql_i64(
                    app,
                    "SELECT COUNT(*) AS n FROM usage_records WHERE state = 'void'"
                )
                .await,
                1,
                "round {round}"
            );
            assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE conversation_id = 'conv-a' AND pricing_type = 'regular' AND wamid = 'wamid.a1'").await, 1, "the first delivered carries the charge");
            assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE conversation_id = 'conv-b' AND pricing_type = 'regular' AND wamid = 'wamid.b1'").await, 1, "an earlier batch's charge holds");
            assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE wamid = 'wamid.lone' AND conversation_id IS NULL AND pricing_type = 'regular'").await, 1);
        }
        // Per-message pricing never groups by conversation, even where the webhook names one.
        let pmp: Vec<serde_json::Value> = ["p1", "p2"].iter().flat_map(|id| ["sent", "delivered"].map(|s| json!({"id": format!("wamid.{id}"), "status": s, "timestamp": (app.state.now().timestamp() + 60).to_string(), "recipient_id": "447400123499", "conversation": {"id": "shared", "origin": {"type": "marketing"}}, "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"}}))).collect();
        assert_eq!(deliver(app, &body(&pmp)).await.0, StatusCode::OK);
        process(app).await;
        assert_eq!(sql_i64(app, "SELECT COUNT(*) AS n FROM usage_records WHERE wamid IN ('wamid.p1', 'wamid.p2') AND pricing_type = 'regular' AND conversation_id IS NULL").await, 2);
    }
);

both!(
    the_platforms_cost_figures_are_compared_with_what_we_rated,
    async |app: &TestApp| {
        let f = fixture(app).await;
        october_usage(app, &f).await;
        let finance = app.signed_in(FINANCE, PW).await;
        // Alpha's account (1001): marketing to GB agrees; utility to the US says 2 where we rated 1;
        // an account nobody has is skipped and reported; a bad row too.
        let csv = "waba_id,start,end,country,pricing_type,pricing_category,volume,cost\n\
               1001,1790812800,1793491200,GB,REGULAR,MARKETING,2,0.1052\n\
               1001,2026-10-01,2026-10-31,US,REGULAR,UTILITY,2,0.02\n\
               999999,2026-10-01,2026-10-31,FR,REGULAR,MARKETING,1,0.07\n\
               1001,2026-10-01,2026-10-31,GB,REGULAR,MARKETING,x,0.1\n";
        let r = finance
            .call("import_costs", &[("csv", csv), ("note", "October")])
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{} {}",
            r.status,
            r.body
        );
        let list: serde_json::Value =
            serde_json::from_str(&finance.call("list_cost_imports", &[]).await.body).expect("json");
        let id = list[0]["id"].as_str().expect("id").to_owned();
        assert_eq!(
            (list[0]["rows"].as_i64(), list[0]["errors"].as_i64()),
            (Some(2), Some(2))
        );
        let d: serde_json::Value = serde_json::from_str(
            &finance
                .call("get_reconciliation", &[("import", &id)])
                .await
                .body,
        )
        .expect("json");
        assert_eq!(d["mismatches"], 1, "{d}");
        let rows = d["rows"].as_array().expect("rows");
        let gb = rows.iter().find(|r| r["country"] == "GB").expect("GB");
        assert_eq!(
            (
                gb["platform_volume"].as_i64(),
                gb["our_volume"].as_i64(),
                gb["matches"].as_bool()
            ),
            (Some(2), Some(2), Some(true))
        );
        let us = rows.iter().find(|r| r["country"] == "US").expect("US");
        assert_eq!(
            (
                us["volume_difference"].as_i64(),
                us["platform_cost"].as_str(),
                us["our_cost"].as_str(),
                us["cost_difference"].as_str()
            ),
            (Some(-1), Some("0.02"), Some("0.01"), Some("-0.01"))
        );
        let problems: Vec<(i64, &str)> = d["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["line"].as_i64().unwrap_or(0),
                    e["problem"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(problems, vec![(4, "unknown_waba"), (5, "invalid_volume")]);
        let page = finance.get(&format!("/finance/reconciliation/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("mismatches"));
        // Not a file of that shape: 422, nothing kept.
        let r = finance
            .call("import_costs", &[("csv", "a,b\n1,2\n"), ("note", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            sql_i64(app, "SELECT COUNT(*) AS n FROM cost_imports").await,
            1
        );
    }
);

both!(
    re_rating_a_month_reports_the_differences_and_credits_issued_invoices,
    async |app: &TestApp| {
        let f = fixture(app).await;
        october_usage(app, &f).await;
        let system = app::backend::auth::system_scope(&app.state);
        assert_eq!(
            services::invoicing::run_period(&system, "2026-10", false)
                .await
                .expect("run")
                .created,
            1
        );
        // A corrected card for October: UK marketing lower, North America utility as before.
        let finance = app.signed_in(FINANCE, PW).await;
        let corrected = format!("{HEADER}United Kingdom,GBP,0.05,0.0182,0.0182,,,\nNorth America,GBP,0.0207,0.01,0.01,,,\n");
        publish_card(app, &finance, &corrected, "2026-10-01").await;
        let r = finance
            .call(
                "rerate_preview",
                &[("month", "2026-10"), ("currency", "GBP")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let report: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert!(!report.is_null(), "a month was given");
        assert_eq!(
            (
                report["changed"].as_i64(),
                report["invoiced_tenants"].as_i64()
            ),
            (Some(3), Some(1)),
            "{report}"
        );
        let uk = report["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["market"] == "United Kingdom")
            .expect("uk");
        assert_eq!(
            (
                uk["old_price"].as_str(),
                uk["new_price"].as_str(),
                uk["difference"].as_str()
            ),
            (Some("0.13"), Some("0.10"), Some("-0.03"))
        );
        // The preview changed nothing.
        assert_eq!(
            sql_i64(
                app,
                "SELECT CAST(SUM(price_micros) AS BIGINT) AS n FROM usage_records"
            )
            .await,
            2 * 63_120 + 12_000
        );
        let r = finance
            .call("apply_rerate", &[("month", "2026-10"), ("currency", "GBP")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            sql_i64(
                app,
                "SELECT CAST(SUM(price_micros) AS BIGINT) AS n FROM usage_records"
            )
            .await,
            2 * 50_000 + 10_000
        );
        // The issued invoice is untouched; a credit note of 0.03 is added to it.
        let owner = app.signed_in(OWNER_A, PW).await;
        let b: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_billing",
                    &[("tenant", &f.a.to_string()), ("month", "2026-10")],
                )
                .await
                .body,
        )
        .expect("json");
        assert_eq!(b["invoices"][0]["total"], "0.14");
        let id = b["invoices"][0]["id"].as_str().expect("id").to_owned();
        let inv: serde_json::Value = serde_json::from_str(
            &owner
                .call(
                    "get_invoice",
                    &[("tenant", &f.a.to_string()), ("invoice", &id)],
                )
                .await
                .body,
        )
        .expect("json");
        assert_eq!(inv["adjustments"][0][0], "-0.03");
        assert_eq!(inv["balance"], "0.11");
        // Applying again finds nothing to change and adds nothing.
        let again: serde_json::Value = serde_json::from_str(
            &finance
                .call("apply_rerate", &[("month", "2026-10"), ("currency", "GBP")])
                .await
                .body,
        )
        .expect("json");
        assert_eq!(
            (
                again["changed"].as_i64(),
                again["adjusted_invoices"].as_i64()
            ),
            (Some(0), Some(0))
        );
        assert_eq!(
            sql_i64(app, "SELECT COUNT(*) AS n FROM invoice_adjustments").await,
            1
        );
        assert_eq!(
            sql_i64(
                app,
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'usage.rerated'"
            )
            .await,
            2
        );
    }
);

both!(
    a_category_change_alert_gives_the_monthly_cost_difference_at_the_recent_volume,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let p = platform_tenant(app, &f).await;
        let finance = app.signed_in(FINANCE, PW).await;
        publish_card(app, &finance, &good_card(), "2026-01-01").await;
        // Three utility messages delivered to the United Kingdom (0.0182 each; marketing is 0.0526).
        let meta = json!({"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_ID});
        let t0 = app.state.now().timestamp();
        let statuses: Vec<serde_json::Value> =
        (0..3).flat_map(|i| ["sent", "delivered"].map(|s| json!({"id": format!("wamid.util{i}"), "status": s, "timestamp": (t0 + i).to_string(), "recipient_id": "447400123456", "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"}}))).collect();
        let body = json!({"object":"whatsapp_business_account","entry":[{"id":WABA,"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":meta,"statuses":statuses}}]}]}).to_string();
        assert_eq!(deliver(app, &body).await.0, StatusCode::OK);
        process(app).await;
        assert_eq!(
            deliver(
                app,
                &crate::webhooks::example("template_category_update_completed")
            )
            .await
            .0,
            StatusCode::OK
        );
        process(app).await;
        let admin = app.signed_in(ADMIN, PW).await;
        let alerts = admin
            .call(
                "list_alerts",
                &[("tenant", &p.tenant.to_string()), ("status", "")],
            )
            .await
            .json();
        let detail = alerts
            .as_array()
            .and_then(|a| a.iter().find(|a| a["kind"] == "template_category_changed"))
            .map(|a| a["detail"].as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        // 3 × (0.0526 − 0.0182) = 0.1032 → GBP 0.10.
        assert!(detail.starts_with("UTILITY → MARKETING; "), "{detail}");
        assert!(
            detail.contains("(3 messages across the tenant's templates) up to +GBP 0.10 a month"),
            "{detail}"
        );
    }
);

/// Stripe (localstripe), with Stripe's `invoice.paid` webhook arriving while the console is
/// still finalizing the invoice.
struct PaidWhileFinalizing {
    inner: server::stripe::StripePayments,
    state: app::backend::state::AppState,
}

#[async_trait::async_trait]
impl app::backend::payments::Payments for PaidWhileFinalizing {
    async fn create_customer(
        &self,
        key: &str,
        tenant: &str,
        name: &str,
        email: &str,
    ) -> Result<String, app::backend::payments::PaymentError> {
        self.inner.create_customer(key, tenant, name, email).await
    }
    async fn add_item(
        &self,
        key: &str,
        customer: &str,
        currency: &str,
        amount_minor: i64,
        description: &str,
        invoice: &str,
    ) -> Result<String, app::backend::payments::PaymentError> {
        self.inner
            .add_item(key, customer, currency, amount_minor, description, invoice)
            .await
    }
    async fn create_invoice(
        &self,
        key: &str,
        customer: &str,
        invoice: &str,
        number: &str,
    ) -> Result<String, app::backend::payments::PaymentError> {
        self.inner
            .create_invoice(key, customer, invoice, number)
            .await
    }
    async fn finalize(
        &self,
        key: &str,
        provider_invoice: &str,
    ) -> Result<Option<String>, app::backend::payments::PaymentError> {
        let url = self.inner.finalize(key, provider_invoice).await?;
        let system = app::backend::auth::system_scope(&self.state);
        let known = services::invoicing::provider_status(
            &system,
            provider_invoice,
            services::invoicing::PAID,
        )
        .await
        .map_err(|e| app::backend::payments::PaymentError(e.to_string()))?;
        assert!(
            known,
            "the invoice is known by its Stripe id before it is final"
        );
        Ok(url)
    }
}

both!(
    a_payment_reported_while_the_invoice_is_finalized_is_not_overwritten,
    async |app: &TestApp| {
        let Some(base) = stripe_peer() else { return };
        let f = fixture(app).await;
        october_usage(app, &f).await;
        let system = app::backend::auth::system_scope(&app.state);
        services::invoicing::run_period(&system, "2026-10", true)
            .await
            .expect("run");
        let payments = PaidWhileFinalizing {
            inner: server::stripe::StripePayments::new(&server::config::StripeConfig {
                api_base: base,
                secret_key: secrecy::SecretString::from("sk_test_123".to_owned()),
            })
            .expect("client"),
            state: app.state.clone(),
        };
        assert_eq!(
            services::invoicing::sync(&system, &payments)
                .await
                .expect("sync"),
            1
        );
        let owner = app.signed_in(OWNER_A, PW).await;
        let b = owner
            .call(
                "get_billing",
                &[("tenant", &f.a.to_string()), ("month", "2026-10")],
            )
            .await
            .json();
        assert_eq!(b["invoices"][0]["status"], "paid", "{b}");
    }
);

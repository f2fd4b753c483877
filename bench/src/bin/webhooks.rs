//! The webhook benchmark's parts (run them with `bench/scripts/webhooks.sh`):
//! `setup` registers a tenant with the account and number the deliveries name; `load` is the
//! platform: it signs and posts deliveries (1-change and 1,000-change batches mixed) to the
//! running server, then waits until every change is processed, and reports changes/s stored
//! and end to end, and how many were lost; `copy` is the yardstick: it COPYs the same rows
//! into the same table of another database.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, Statement};
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WABA: &str = "309000000000001";
const PHONE_ID: &str = "409000000000001";
const NUMBER: &str = "+44 7400 123456";

#[derive(Parser)]
#[command(about = "Webhook benchmark parts")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Migrates an empty database and registers the tenant the deliveries are for.
    Setup {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
    /// Posts `changes` status changes as signed deliveries, waits until all are processed.
    Load {
        #[arg(long)]
        url: String,
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, env = "WHATSAPP_APP_SECRET")]
        secret: String,
        #[arg(long, default_value_t = 100_000)]
        changes: usize,
        /// Share of the changes sent one per delivery (the rest in batches of 1,000).
        #[arg(long, default_value_t = 0.05)]
        singles: f64,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// COPYs the rows `load` stored (read from `--from`) into the same table of `--to`.
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

fn status(i: usize) -> serde_json::Value {
    serde_json::json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "447400123456", "phone_number_id": PHONE_ID},
        "statuses": [{
            "id": format!("wamid.BENCH{i:09}"), "status": if i.is_multiple_of(2) { "sent" } else { "delivered" },
            "timestamp": (1_783_000_000 + i as i64).to_string(), "recipient_id": format!("44770090{:04}", i % 10_000),
            "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"}
        }]
    })
}

fn delivery(range: std::ops::Range<usize>) -> String {
    let changes: Vec<_> = range
        .map(|i| serde_json::json!({"field": "messages", "value": status(i)}))
        .collect();
    serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": WABA, "changes": changes}]}).to_string()
}

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Setup { database_url } => {
            let db = server::startup::connect(&database_url).await?;
            server::startup::migrate(&db).await?;
            let cfg = server::config::Config::from_env()?;
            let state = server::startup::state(
                db,
                &cfg,
                std::sync::Arc::new(app::backend::clock::SystemClock),
            );
            let op = app::backend::auth::operator_scope(&state, "bench");
            let form = app::domain::tenant::TenantForm {
                legal_name: "Bench Ltd".into(),
                display_name: "Bench".into(),
                country: "GB".into(),
                locale: "en".into(),
                billing_email: "billing@bench.test".into(),
                alert_emails: "alerts@bench.test".into(),
                currency: "GBP".into(),
                account_manager: String::new(),
                waba_id: WABA.into(),
            };
            let tenant = app::backend::services::tenants::create(&op, &form)
                .await
                .map_err(|e| anyhow::anyhow!("tenant: {e}"))?;
            let phone = app::domain::tenant::PhoneNumberForm {
                number: NUMBER.into(),
                phone_number_id: PHONE_ID.into(),
                display_name: "Bench".into(),
            };
            app::backend::services::tenants::add_phone_number(&op, tenant, "", &phone)
                .await
                .map_err(|e| anyhow::anyhow!("number: {e}"))?;
        }
        Cmd::Load {
            url,
            database_url,
            secret,
            changes,
            singles,
            concurrency,
        } => {
            // Deliveries: `singles` of the changes alone, the rest by 1,000, interleaved.
            let n_single = ((changes as f64) * singles) as usize;
            let mut plan: Vec<std::ops::Range<usize>> = Vec::new();
            let mut i = 0;
            let mut singles_left = n_single;
            while i < changes {
                if singles_left > 0 && (plan.len() % 2 == 1 || i + 1_000 > changes - singles_left) {
                    let take = singles_left.min(50);
                    for k in 0..take {
                        plan.push(i + k..i + k + 1);
                    }
                    i += take;
                    singles_left -= take;
                } else {
                    let end = (i + 1_000).min(changes - singles_left).max(i + 1);
                    plan.push(i..end);
                    i = end;
                }
            }
            let bodies: Vec<(String, String)> = plan
                .into_iter()
                .map(|r| {
                    let b = delivery(r);
                    let s = app::backend::services::platform_events::sign(
                        secret.as_bytes(),
                        b.as_bytes(),
                    );
                    (b, s)
                })
                .collect();
            let deliveries = bodies.len();
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(concurrency)
                .build()?;
            let queue = std::sync::Arc::new(std::sync::Mutex::new(bodies));
            let started = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (queue, client, url) = (queue.clone(), client.clone(), url.clone());
                tasks.push(tokio::spawn(async move {
                    let mut failed = 0u64;
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some((body, sig)) = next else { break };
                        // The platform retries until it gets a 200.
                        let mut ok = false;
                        for _ in 0..20 {
                            let r = client
                                .post(&url)
                                .header("content-type", "application/json")
                                .header("x-hub-signature-256", &sig)
                                .body(body.clone())
                                .send()
                                .await;
                            if r.is_ok_and(|r| r.status().is_success()) {
                                ok = true;
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        if !ok {
                            failed += 1;
                        }
                    }
                    failed
                }));
            }
            let mut failed = 0;
            for t in tasks {
                failed += t.await?;
            }
            let stored_secs = started.elapsed().as_secs_f64();
            let db = server::startup::connect(&database_url).await?;
            loop {
                if count(&db, "SELECT (SELECT COUNT(*) FROM platform_events WHERE status = 'pending') + (SELECT COALESCE(SUM(changes), 0) FROM webhook_deliveries WHERE processed_at IS NULL)").await? == 0 {
                    break;
                }
                if started.elapsed() > Duration::from_secs(1_800) {
                    bail!("not processed within 30 minutes");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let total_secs = started.elapsed().as_secs_f64();
            let applied = count(
                &db,
                "SELECT COUNT(*) FROM platform_events WHERE status = 'applied'",
            )
            .await?;
            let messages = count(&db, "SELECT COUNT(*) FROM message_statuses").await?;
            println!(
                "{}",
                serde_json::json!({
                    "changes": changes, "deliveries": deliveries, "failed_deliveries": failed,
                    "stored_seconds": stored_secs, "stored_per_s": changes as f64 / stored_secs,
                    "end_to_end_seconds": total_secs, "end_to_end_per_s": changes as f64 / total_secs,
                    "applied": applied, "messages": messages, "lost": changes as i64 - applied,
                })
            );
        }
        Cmd::Copy { from, to } => {
            let src = server::startup::connect(&from).await?;
            let dst = server::startup::connect(&to).await?;
            server::startup::migrate(&dst).await?;
            // Read the rows first (not timed), then COPY them in (timed).
            let cols = "id, delivery_id, seq, dedupe_key, field, waba_id, phone_number_id, tenant_id, payload, event_time, status, result, attempts, next_attempt_at, received_at, processed_at";
            let mut csv = Vec::new();
            {
                let pool = src.get_postgres_connection_pool();
                let mut conn = pool.acquire().await?;
                let mut out = conn
                    .copy_out_raw(&format!(
                        "COPY (SELECT {cols} FROM platform_events) TO STDOUT (FORMAT csv)"
                    ))
                    .await?;
                use futures_util::StreamExt;
                while let Some(chunk) = out.next().await {
                    csv.extend_from_slice(&chunk?);
                }
            }
            let deliveries = count(&src, "SELECT COUNT(*) FROM webhook_deliveries").await?;
            let rows = count(&src, "SELECT COUNT(*) FROM platform_events").await?;
            dst.execute_unprepared(
                "ALTER TABLE platform_events DROP CONSTRAINT IF EXISTS fk_platform_events_delivery",
            )
            .await?;
            let started = Instant::now();
            let pool = dst.get_postgres_connection_pool();
            let mut conn = pool.acquire().await?;
            let mut copy = conn
                .copy_in_raw(&format!(
                    "COPY platform_events ({cols}) FROM STDIN (FORMAT csv)"
                ))
                .await?;
            copy.send(csv.as_slice()).await?;
            copy.finish().await?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({"rows": rows, "deliveries": deliveries, "bytes": csv.len(), "seconds": secs, "rows_per_s": rows as f64 / secs})
            );
        }
    }
    Ok(())
}

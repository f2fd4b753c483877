//! The billing benchmarks' parts (run them with `bench/scripts/billing.sh`, PostgreSQL only):
//! `rating` rates N status events through the same write path as the event processor (status
//! merge + rating, 500 per transaction) and then COPYs the same N events as rows into an
//! unindexed table of the same shape: the yardstick; `seed-usage` writes N usage records for
//! the export benchmark (not measured).

use anyhow::Context;
use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WABA: &str = "309000000000002";
const PHONE_ID: &str = "409000000000002";

#[derive(Parser)]
#[command(about = "Billing benchmark parts")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    Rating {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        events: usize,
        /// Transactions in flight at once, like the event processor's workers (`EVENT_WORKERS`).
        #[arg(long, env = "EVENT_WORKERS", default_value_t = 3)]
        workers: usize,
    },
    SeedUsage {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value_t = 10_000_000)]
        records: i64,
    },
}

async fn setup(
    database_url: &str,
) -> anyhow::Result<(
    app::backend::state::AppState,
    app::domain::ids::TenantId,
    app::domain::ids::PhoneNumberRowId,
)> {
    let db = server::startup::connect(database_url).await?;
    server::startup::migrate(&db).await?;
    let cfg = server::config::Config::from_env()?;
    let state = server::startup::state(
        db,
        &cfg,
        std::sync::Arc::new(app::backend::clock::SystemClock),
    );
    let op = app::backend::auth::operator_scope(&state, "bench");
    let form = app::domain::tenant::TenantForm {
        legal_name: "Bench Billing Ltd".into(),
        display_name: "Bench Billing".into(),
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
        number: "+44 7400 123458".into(),
        phone_number_id: PHONE_ID.into(),
        display_name: "Bench".into(),
    };
    let phone = app::backend::services::tenants::add_phone_number(&op, tenant, "", &phone)
        .await
        .map_err(|e| anyhow::anyhow!("number: {e}"))?;
    let card = "market,currency,marketing,utility,authentication,authentication_international,service,tier\n\
                United Kingdom,GBP,0.0526,0.0182,0.0182,,,0:100000\nUnited Kingdom,GBP,,0.015,0.015,,,100000:MAX\n\
                France,GBP,0.0712,0.0248,0.0248,,,\nGermany,GBP,0.1131,0.0456,0.0456,,,\nNorth America,GBP,0.0207,0.0028,0.0028,,,\nOther,GBP,0.05,0.0064,0.0064,,,\n";
    let id = app::backend::services::pricing::stage_card(&op, None, card, "2020-01-01", "bench")
        .await
        .map_err(|e| anyhow::anyhow!("card: {e}"))?;
    app::backend::services::pricing::publish_card(&op, id)
        .await
        .map_err(|e| anyhow::anyhow!("publish: {e}"))?;
    let rule = app::domain::pricing::prices::RuleForm {
        method: "percent".into(),
        value: "15".into(),
        ..Default::default()
    };
    let today = state.now().date_naive().to_string();
    let list =
        app::backend::services::pricing::stage_price_list(&op, "", "GBP", &today, "bench", &[rule])
            .await
            .map_err(|e| anyhow::anyhow!("list: {e}"))?;
    app::backend::services::pricing::publish_price_list(&op, list)
        .await
        .map_err(|e| anyhow::anyhow!("publish list: {e}"))?;
    Ok((state, tenant, phone))
}

const RECIPIENTS: [&str; 5] = [
    "447400123456",
    "33612345678",
    "4915123456789",
    "12025550143",
    "821012345678",
];
const CATEGORIES: [&str; 3] = ["marketing", "utility", "authentication"];

fn event(i: usize, round: usize, base: i64) -> app::domain::platform::StatusUpdate {
    use app::domain::platform::{DeliveryStatus, Pricing, StatusUpdate};
    let status = [
        DeliveryStatus::Sent,
        DeliveryStatus::Delivered,
        DeliveryStatus::Read,
    ][round];
    StatusUpdate {
        wamid: format!("wamid.RATE{i:09}"),
        status,
        at: chrono::DateTime::from_timestamp(
            base + i64::try_from(i).unwrap_or(0) / 100 + i64::try_from(round).unwrap_or(0) * 60,
            0,
        ),
        recipient: RECIPIENTS[i % RECIPIENTS.len()].to_owned(),
        pricing: Some(Pricing {
            billable: Some(true),
            model: Some("PMP".into()),
            kind: Some("regular".into()),
            category: Some(CATEGORIES[i % CATEGORIES.len()].into()),
            conversation: None,
        }),
        error_code: None,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Rating {
            database_url,
            events,
            workers,
        } => {
            let (state, tenant, phone) = setup(&database_url).await?;
            let messages = events.div_ceil(3);
            let base = state.now().timestamp() - 3_600;
            // The stream: every message sent, then delivered, then read (events arrive in
            // that order on the platform), 500 per transaction like the processor's batches.
            let stream: Vec<(usize, usize)> = (0..3)
                .flat_map(|round| (0..messages).map(move |i| (i, round)))
                .take(events)
                .collect();
            let chunks: std::sync::Arc<Vec<Vec<(usize, usize)>>> =
                std::sync::Arc::new(stream.chunks(500).map(<[_]>::to_vec).collect());
            let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            // When each round's first batch was taken (sent, delivered, read): where the time goes.
            let round_starts: std::sync::Arc<std::sync::Mutex<Vec<f64>>> =
                std::sync::Arc::default();
            let first_of_round: Vec<usize> = (0..3).map(|r| (r * messages).div_ceil(500)).collect();
            let started = Instant::now();
            let mut handles = Vec::new();
            for _ in 0..workers.max(1) {
                let (state, chunks, next, round_starts, first_of_round) = (
                    state.clone(),
                    chunks.clone(),
                    next.clone(),
                    round_starts.clone(),
                    first_of_round.clone(),
                );
                let system = app::backend::auth::system_scope(&state);
                handles.push(tokio::spawn(async move {
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(chunk) = chunks.get(n) else { return anyhow::Ok(()) };
                        if first_of_round.contains(&n) {
                            if let Ok(mut r) = round_starts.lock() {
                                r.push(started.elapsed().as_secs_f64());
                            }
                        }
                        // This machine's PostgreSQL runs with autovacuum off; refresh the planner's
                        // statistics as autovacuum would, counted in the time: every 100 batches
                        // (autovacuum looks once a minute) each table changed by more than
                        // autovacuum's threshold since its last ANALYZE (50 rows + 10 %).
                        if n % 100 == 1 {
                            let due = state
                                .db
                                .query_all_raw(Statement::from_string(
                                    state.db.get_database_backend(),
                                    "SELECT s.relname::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid \
                                     WHERE s.relname IN ('message_statuses', 'usage_records') AND s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)",
                                ))
                                .await?;
                            for row in due {
                                let table: String = row.try_get_by_index(0)?;
                                state.db.execute_unprepared(&format!("ANALYZE {table}")).await?;
                            }
                        }
                        // As the processor does: a recipient's hash and country worked out once.
                        let rows: Vec<app::backend::repo::platform::StatusRow> = chunk
                            .iter()
                            .map(|(i, round)| {
                                let e = event(*i, *round, base);
                                let (_, recipient_country) = state.recipients.get_or(&e.recipient, || (String::new(), app::domain::phone::country_of(&e.recipient)));
                                let recipient_hash = format!("{:064}", i % 10_000);
                                app::backend::repo::platform::StatusRow { tenant, phone, recipient_hash, recipient_country, state: app::domain::platform::MessageState::of(&e) }
                            })
                            .collect();
                        let tx = state.db.begin().await?;
                        // As the processor does, before the status upsert (the band counters stay
                        // locked from their bump to the commit: no round trip in between).
                        app::backend::repo::platform::commit_without_waiting_for_disk(&tx, true).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                        let priced = app::backend::repo::platform::upsert_statuses(&system, &tx, &rows, state.now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                        app::backend::services::rating::rate_messages(&system, &tx, priced, state.now()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                        tx.commit().await?;
                    }
                }));
            }
            for h in handles {
                h.await??;
            }
            let secs = started.elapsed().as_secs_f64();
            let mut rounds = round_starts.lock().map(|r| r.clone()).unwrap_or_default();
            rounds.sort_by(f64::total_cmp);
            rounds.push(secs);
            let round_seconds: Vec<f64> = rounds.windows(2).map(|w| w[1] - w[0]).collect();
            let one = |sql: &'static str| {
                let db = state.db.clone();
                async move {
                    db.query_one_raw(Statement::from_string(
                        db.get_database_backend(),
                        sql.to_owned(),
                    ))
                    .await?
                    .context("no row")?
                    .try_get_by_index::<i64>(0)
                    .map_err(anyhow::Error::from)
                }
            };
            let confirmed =
                one("SELECT COUNT(*) FROM usage_records WHERE state = 'confirmed'").await?;
            let priced =
                one("SELECT COUNT(*) FROM usage_records WHERE cost_micros IS NOT NULL").await?;
            // The yardstick: the same events as rows of the same shape, COPYed into a table
            // without indexes (CSV built first, not timed).
            state
                .db
                .execute_unprepared("CREATE TABLE copy_target (LIKE message_statuses)")
                .await?;
            let mut csv = String::new();
            for (i, round) in &stream {
                let e = event(*i, *round, base);
                let at = e.at.map(|a| a.to_rfc3339()).unwrap_or_default();
                csv.push_str(&format!(
                    "{},{},{},{},{},{},{:064},GB,{},regular,PMP,true,{at},,,,,{at}\n",
                    uuid::Uuid::now_v7(),
                    tenant.0,
                    phone.0,
                    e.wamid,
                    e.status.code(),
                    e.status.rank(),
                    i % 10_000,
                    CATEGORIES[i % CATEGORIES.len()]
                ));
            }
            let cols = "id, tenant_id, phone_row_id, wamid, status, rank, recipient_hash, recipient_country, category, pricing_type, pricing_model, billable, sent_at, delivered_at, read_at, failed_at, error_code, updated_at";
            let pool = state.db.get_postgres_connection_pool();
            let mut conn = pool.acquire().await?;
            let copy_started = Instant::now();
            let mut copy = conn
                .copy_in_raw(&format!(
                    "COPY copy_target ({cols}) FROM STDIN (FORMAT csv)"
                ))
                .await?;
            copy.send(csv.as_bytes()).await?;
            copy.finish().await?;
            let copy_secs = copy_started.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({"events": stream.len(), "messages": messages, "workers": workers, "confirmed": confirmed, "priced": priced, "seconds": secs, "round_seconds": round_seconds, "per_s": stream.len() as f64 / secs, "copy_seconds": copy_secs, "copy_per_s": stream.len() as f64 / copy_secs})
            );
        }
        Cmd::SeedUsage {
            database_url,
            records,
        } => {
            let (state, tenant, phone) = setup(&database_url).await?;
            let sql = format!(
                "INSERT INTO usage_records (id, tenant_id, phone_row_id, wamid, state, country, market, category, pricing_type, pricing_model, delivered_at, delivered_on, month, currency, cost_micros, price_micros, cost_card_id, price_list_id, tier_prior, rated_at) \
                 SELECT gen_random_uuid(), '{t}', '{p}', 'w' || g, 'confirmed', (ARRAY['GB','FR','DE','US','KR','IN','BR','ES','IT','MX'])[1 + g % 10], \
                 (ARRAY['united_kingdom','france','germany','north_america','other','india','brazil','spain','italy','mexico'])[1 + g % 10], \
                 (ARRAY['marketing','utility','authentication','service'])[1 + (g / 10) % 4], CASE WHEN g % 7 = 0 THEN 'free_customer_service' ELSE 'regular' END, 'PMP', \
                 TIMESTAMPTZ '2026-10-01 00:00:00+00' + (g % 2678400) * INTERVAL '1 second', DATE '2026-10-01' + (g % 31), '2026-10', 'GBP', 50000 + g % 1000, 57500 + g % 1000, NULL, NULL, g, now() \
                 FROM generate_series(1, {records}) AS g",
                t = tenant.0,
                p = phone.0
            );
            let started = Instant::now();
            state.db.execute_unprepared(&sql).await?;
            state.db.execute_unprepared("ANALYZE usage_records").await?;
            println!(
                "{}",
                serde_json::json!({"records": records, "seconds": started.elapsed().as_secs_f64(), "tenant": tenant.0})
            );
        }
    }
    Ok(())
}

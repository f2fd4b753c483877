//! The review-queue benchmark's parts (run them with `bench/scripts/queue.sh`):
//! `seed` fills PostgreSQL with a large queue, `baseline` serves the same 50 rows with one
//! SQL query as plain HTML (the yardstick), `load` drives a URL with concurrent requests and
//! reports requests/s and latency percentiles, `lint` measures the pre-check's throughput on
//! every stored revision.

use anyhow::{bail, Context};
use app::domain::template::{
    lint::{lint, LintContext},
    model::CreateTemplate,
};
use axum::{extract::State, response::Html, routing::get, Router};
use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

// The same allocator as the server, so the baseline is measured on equal terms.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Review-queue benchmark parts")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Fills an empty, migrated PostgreSQL database: tenants, one account each, pending revisions.
    Seed {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value_t = 10_000)]
        tenants: u32,
        #[arg(long, default_value_t = 100_000)]
        pending: u32,
    },
    /// The yardstick: one handler, one SQL query for the same 50 rows, plain HTML.
    Baseline {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value = "127.0.0.1:3901")]
        bind: std::net::SocketAddr,
    },
    /// Concurrent GETs of `url` for `seconds` (after signing in, when asked); prints JSON.
    Load {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        #[arg(long, default_value_t = 15)]
        seconds: u64,
        /// `email:password` to sign in with first (the console's own sign-in).
        #[arg(long)]
        sign_in: Option<String>,
        /// A header sent with every request (`Authorization: Bearer …`).
        #[arg(long)]
        header: Option<String>,
    },
    /// Lints every stored revision and reports templates/s.
    Lint {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Seed {
            database_url,
            tenants,
            pending,
        } => seed(&database_url, tenants, pending).await,
        Cmd::Baseline { database_url, bind } => baseline(&database_url, bind).await,
        Cmd::Load {
            url,
            concurrency,
            seconds,
            sign_in,
            header,
        } => {
            load(
                &url,
                concurrency,
                seconds,
                sign_in.as_deref(),
                header.as_deref(),
            )
            .await
        }
        Cmd::Lint { database_url } => lint_all(&database_url).await,
    }
}

async fn seed(url: &str, tenants: u32, pending: u32) -> anyhow::Result<()> {
    let db = server::startup::connect(url).await?;
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        bail!("the benchmark seeds PostgreSQL");
    }
    server::startup::migrate(&db).await?;
    let started = Instant::now();
    let sql = [
        format!(
            "INSERT INTO tenants (id, legal_name, display_name, search_name, country, locale, billing_email, alert_emails, currency, account_manager_id, status, created_at, updated_at)
             SELECT md5('t' || g)::uuid, 'Tenant ' || g || ' Ltd', 'Tenant ' || g, 'tenant ' || g, 'GB', 'en', 'billing' || g || '@t.test', '', 'GBP', NULL, 'active', now(), now()
             FROM generate_series(1, {tenants}) g"
        ),
        format!("INSERT INTO wabas (id, tenant_id, waba_id, created_at) SELECT md5('w' || g)::uuid, md5('t' || g)::uuid, (100000000 + g)::text, now() FROM generate_series(1, {tenants}) g"),
        format!(
            "INSERT INTO templates (id, tenant_id, waba_row_id, name, language, category, created_at, category_consent)
             SELECT md5('p' || g)::uuid, md5('t' || (1 + g % {tenants}))::uuid, md5('w' || (1 + g % {tenants}))::uuid, 'template_' || g, 'en_US',
                    CASE WHEN g % 3 = 0 THEN 'MARKETING' ELSE 'UTILITY' END, now(), false
             FROM generate_series(1, {pending}) g"
        ),
        format!(
            "INSERT INTO template_revisions (id, tenant_id, template_id, number, content, status, error_count, warning_count, created_by, created_at, submitted_at, submit_attempts)
             SELECT md5('r' || g)::uuid, md5('t' || (1 + g % {tenants}))::uuid, md5('p' || g)::uuid, 1,
                    json_build_object('name', 'template_' || g, 'language', 'en_US', 'category', CASE WHEN g % 3 = 0 THEN 'MARKETING' ELSE 'UTILITY' END,
                      'components', json_build_array(
                        json_build_object('type', 'HEADER', 'format', 'TEXT', 'text', 'Order ' || g),
                        json_build_object('type', 'BODY', 'text', 'Hello {{{{1}}}}, your order ' || g || ' has shipped and will arrive within ' || (g % 7 + 1) || ' days. Track it at https://shop.example.com/t/' || g || ' any time.',
                                          'example', json_build_object('body_text', json_build_array(json_build_array('Ana')))),
                        json_build_object('type', 'FOOTER', 'text', 'Example Shop')))::text,
                    'IN_BSP_REVIEW', 0, g % 3, NULL, now() - interval '2 days', now() - interval '2 days' + (g || ' seconds')::interval, 0
             FROM generate_series(1, {pending}) g"
        ),
        "ANALYZE".to_owned(),
    ];
    for s in sql {
        db.execute_unprepared(&s)
            .await
            .with_context(|| s.chars().take(60).collect::<String>())?;
    }
    println!(
        "seeded {tenants} tenants and {pending} pending revisions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(Clone)]
struct Baseline {
    db: DatabaseConnection,
}

/// The same first page of the queue, one query, rendered by hand.
async fn baseline_page(State(b): State<Baseline>) -> Result<Html<String>, axum::http::StatusCode> {
    let sql = "SELECT r.tenant_id, r.template_id, r.number, r.submitted_at, r.error_count, r.warning_count, t.name, t.language, t.category, n.display_name
               FROM template_revisions r JOIN templates t ON t.id = r.template_id JOIN tenants n ON n.id = r.tenant_id
               WHERE r.status = 'IN_BSP_REVIEW' ORDER BY r.submitted_at, r.id LIMIT 50";
    let rows =
        b.db.query_all_raw(Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            sql,
        ))
        .await
        .map_err(|_| axum::http::StatusCode::INTERNAL_SERVER_ERROR)?;
    let mut html = String::from("<!doctype html><html><body><table><tr><th>Submitted</th><th>Tenant</th><th>Template</th><th>Language</th><th>Category</th><th>Findings</th></tr>");
    for r in rows {
        let get = |c: &str| r.try_get::<String>("", c).unwrap_or_default();
        let at: chrono::DateTime<chrono::Utc> = r.try_get("", "submitted_at").unwrap_or_default();
        let tenant: uuid::Uuid = r.try_get("", "tenant_id").unwrap_or_default();
        let template: uuid::Uuid = r.try_get("", "template_id").unwrap_or_default();
        let (e, w): (i32, i32) = (
            r.try_get("", "error_count").unwrap_or_default(),
            r.try_get("", "warning_count").unwrap_or_default(),
        );
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><a href=\"/review/{tenant}/{template}\">{}</a></td><td>{}</td><td>{}</td><td>{e} / {w}</td></tr>",
            at.format("%Y-%m-%d %H:%M"),
            escape(&get("display_name")),
            escape(&get("name")),
            escape(&get("language")),
            escape(&get("category"))
        ));
    }
    html.push_str("</table></body></html>");
    Ok(Html(html))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn baseline(url: &str, bind: std::net::SocketAddr) -> anyhow::Result<()> {
    let db = server::startup::connect(url).await?;
    let app = Router::new()
        .route("/", get(baseline_page))
        .with_state(Baseline { db });
    let listener = tokio::net::TcpListener::bind(bind).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn load(
    url: &str,
    concurrency: usize,
    seconds: u64,
    sign_in: Option<&str>,
    header: Option<&str>,
) -> anyhow::Result<()> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(h) = header {
        let (name, value) = h.split_once(':').context("--header name:value")?;
        headers.insert(
            reqwest::header::HeaderName::from_bytes(name.trim().as_bytes())?,
            reqwest::header::HeaderValue::from_str(value.trim())?,
        );
    }
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    if let Some(cred) = sign_in {
        let (email, password) = cred.split_once(':').context("--sign-in email:password")?;
        let base = url::Url::parse(url)?;
        let origin = base.origin().ascii_serialization();
        let r = client
            .post(format!("{origin}/api/sign_in"))
            .header("origin", &origin)
            .form(&[("email", email), ("password", password)])
            .send()
            .await?;
        if !r.status().is_success() {
            bail!("sign-in failed: {}", r.status());
        }
    }
    // One request first: the page must answer 200 with the rows.
    let first = client.get(url).send().await?;
    if first.status() != reqwest::StatusCode::OK {
        bail!("{url} answered {}", first.status());
    }
    let bytes = first.bytes().await?.len();
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, stop) = (client.clone(), url.to_owned(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                match client.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        if r.bytes().await.is_err() {
                            errors += 1;
                        }
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "{}",
        serde_json::json!({"url": url, "requests": all.len(), "errors": errors, "rps": all.len() as f64 / elapsed, "p50_ms": pct(0.50), "p99_ms": pct(0.99), "bytes": bytes, "concurrency": concurrency})
    );
    Ok(())
}

async fn lint_all(url: &str) -> anyhow::Result<()> {
    let db = server::startup::connect(url).await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT content FROM template_revisions",
        ))
        .await?;
    let templates: Vec<CreateTemplate> = rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "content").ok())
        .filter_map(|c| serde_json::from_str(&c).ok())
        .collect();
    // Each template is checked against ten other templates of its account, as in the app.
    let others: Vec<(String, String)> = templates
        .iter()
        .take(10)
        .map(|t| {
            (
                t.body().and_then(|b| b.text.clone()).unwrap_or_default(),
                String::new(),
            )
        })
        .collect();
    let ctx = LintContext {
        verified_domains: vec!["shop.example.com".into()],
        other_templates: others,
    };
    let started = Instant::now();
    let mut findings = 0usize;
    for t in &templates {
        findings += lint(t, &ctx).len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"templates": templates.len(), "seconds": secs, "templates_per_s": templates.len() as f64 / secs, "findings": findings})
    );
    Ok(())
}

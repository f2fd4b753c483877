//! B6, the REST API's list (run it with `bench/scripts/api.sh`): `seed` creates templates
//! through the API itself, `baseline` serves the same 50 rows with one SQL query as JSON (the
//! yardstick); the load is `queue load` with the key in a header.

use anyhow::bail;
use axum::{extract::State, routing::get, Json, Router};
use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

// The same allocator as the server, so the baseline is measured on equal terms.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "B6: the API's template list against one query")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Creates `count` templates through `POST /api/v1/templates` with a write key.
    Seed {
        #[arg(long)]
        url: String,
        #[arg(long)]
        key: String,
        #[arg(long, default_value_t = 200)]
        count: u32,
    },
    /// The yardstick: one handler, one SQL query for the tenant's first 50 templates, JSON.
    Baseline {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value = "127.0.0.1:3903")]
        bind: std::net::SocketAddr,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::Seed { url, key, count } => seed(&url, &key, count).await,
        Cmd::Baseline { database_url, bind } => baseline(&database_url, bind).await,
    }
}

async fn seed(url: &str, key: &str, count: u32) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for i in 0..count {
        let r = client
            .post(format!("{url}/api/v1/templates"))
            .bearer_auth(key)
            .json(&serde_json::json!({
                "name": format!("bench_template_{i:04}"),
                "language": "en",
                "category": "UTILITY",
                "body": format!("Order {{{{1}}}} number {i} has shipped and arrives tomorrow."),
                "examples": ["A-1042"],
            }))
            .send()
            .await?;
        if r.status() != reqwest::StatusCode::CREATED {
            bail!("template {i}: {} {}", r.status(), r.text().await?);
        }
    }
    Ok(())
}

/// The same 50 rows the API's first page shows (latest revision of each template, by name),
/// read with one statement and written as JSON.
const QUERY: &str = "SELECT t.id, t.name, t.language, t.category, r.status, r.number, \
    r.error_count, r.warning_count FROM templates t JOIN template_revisions r \
    ON r.template_id = t.id AND r.number = (SELECT MAX(r2.number) FROM template_revisions r2 \
    WHERE r2.template_id = t.id) ORDER BY t.name, t.language, t.id LIMIT 50";

async fn page(State(db): State<DatabaseConnection>) -> Json<serde_json::Value> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), QUERY))
        .await
        .unwrap_or_default();
    let data: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.try_get::<uuid::Uuid>("", "id").ok(),
                "name": r.try_get::<String>("", "name").ok(),
                "language": r.try_get::<String>("", "language").ok(),
                "category": r.try_get::<String>("", "category").ok(),
                "status": r.try_get::<String>("", "status").ok(),
                "revision": r.try_get::<i32>("", "number").ok(),
                "error_count": r.try_get::<i32>("", "error_count").ok(),
                "warning_count": r.try_get::<i32>("", "warning_count").ok(),
            })
        })
        .collect();
    Json(serde_json::json!({ "data": data }))
}

async fn baseline(url: &str, bind: std::net::SocketAddr) -> anyhow::Result<()> {
    let db = server::startup::connect(url).await?;
    let app = Router::new().route("/", get(page)).with_state(db);
    let listener = tokio::net::TcpListener::bind(bind).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

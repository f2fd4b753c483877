//! Structured logs with tracing (`RUST_LOG` filters; `LOG_FORMAT=json` for JSON lines).
//! Nothing logged carries a password, token or email address: log ids instead.

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,tower_sessions=warn".into());
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v == "json");
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        b.json().try_init()
    } else {
        b.try_init()
    };
}

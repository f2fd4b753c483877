//! Builds the application: database, migrations, state, router with sessions and the
//! cross-site guard.

use crate::{
    config::Config,
    hedge::Hedge,
    http::{
        csrf_guard, echo_form_on_error, healthz, page_session, readyz, server_fn_status,
        AllowedOrigins,
    },
};
use app::{
    backend::{
        clock::Clock,
        services::platform_events::Lane,
        session_store::DbSessionStore,
        state::{AppState, Settings},
    },
    shell, App,
};
use axum::{
    http::{header, HeaderValue},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use secrecy::ExposeSecret;
use std::{sync::Arc, time::Duration};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

/// Gives each request its own cache of the signed-in user (see `UserCache`).
async fn with_user_cache(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    req.extensions_mut()
        .insert(app::backend::cache::UserCache::default());
    next.run(req).await
}

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .and_then(|p| p.split('?').next())
    {
        if let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)?;
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .max_connections(if url.starts_with("sqlite") { 1 } else { 10 })
        .acquire_timeout(Duration::from_secs(10));
    // sqlx pings a connection when it goes back to the pool, and by default again when it is
    // taken out: a third round trip for every statement. A connection idle for a while (one
    // the server, a proxy or a firewall may have dropped) is still tested before use.
    opts.test_before_acquire_if_idle_for(Duration::from_secs(30));
    let db = Database::connect(opts).await?;
    if url.starts_with("sqlite") {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;",
        )
        .await?;
    }
    Ok(db)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

pub fn state(db: DatabaseConnection, cfg: &Config, clock: Arc<dyn Clock>) -> AppState {
    let generated = app::backend::state::WebhookSecrets::generate();
    let webhook = app::backend::state::WebhookSecrets {
        app_secret: cfg
            .webhook_app_secret
            .clone()
            .unwrap_or(generated.app_secret),
        verify_token: cfg
            .webhook_verify_token
            .clone()
            .unwrap_or(generated.verify_token),
        recipient_key: cfg
            .recipient_hash_key
            .clone()
            .unwrap_or(generated.recipient_key),
    };
    let settings = Settings {
        public_url: cfg.public_url.clone(),
        trust_forwarded_for: cfg.trust_forwarded_for,
        trusted_proxies: cfg.trusted_proxies.clone(),
        session_max: chrono::TimeDelta::hours(cfg.session_max_hours),
        session_idle: chrono::TimeDelta::seconds(cfg.session_idle_seconds),
        secrets_key: cfg
            .secrets_key
            .clone()
            .unwrap_or_else(|| app::backend::sealed::generate_key().into()),
        require_2fa: cfg.require_2fa,
        media_quota_bytes: cfg.media_quota_mb.saturating_mul(1024 * 1024),
        api_rate_per_minute: cfg.api_rate_per_minute,
        raw_retention: chrono::TimeDelta::days(cfg.raw_retention_days),
        sso: cfg.sso.clone(),
        review_sla: cfg.review_sla,
        graph: cfg.graph.clone(),
        webhook,
        event_lease: chrono::TimeDelta::seconds(cfg.event_lease_seconds),
        stripe_webhook_secret: cfg.stripe_webhook_secret.clone(),
        ..Settings::default()
    };
    AppState {
        db,
        settings: Arc::new(settings),
        clock,
        versions: Arc::default(),
        receiving: Arc::default(),
        recipients: Arc::default(),
        session_users: Arc::default(),
        claimer_names: Arc::default(),
    }
}

pub fn leptos_options(site_addr: std::net::SocketAddr) -> LeptosOptions {
    let mut o = get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("bsp-console").build());
    o.site_addr = site_addr;
    o
}

/// The whole HTTP application.
pub fn router(state: AppState, cfg: &Config, options: LeptosOptions) -> Router {
    let sessions = DbSessionStore::new(state.db.clone(), state.session_users.clone())
        .with_cache(Duration::from_secs(cfg.session_cache_seconds));
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name("bsp_session")
        .with_secure(cfg.secure_cookies())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            cfg.session_idle_seconds,
        )));
    let origins = AllowedOrigins(Arc::new(vec![cfg.public_url.clone()]));
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let fallback_state = state.clone();
    let db = state.db.clone();
    // The platform's webhooks: no session, no cross-site check (they are signed instead).
    let webhooks = Router::new()
        .route(
            "/webhooks/whatsapp",
            get(crate::webhook::verify).post(crate::webhook::receive),
        )
        .route(
            "/webhooks/stripe",
            axum::routing::post(crate::webhook::stripe),
        )
        .with_state(state.clone());
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(ctx_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            move || provide_context(fallback_state.clone()),
            shell,
        ))
        .with_state(options);
    let downloads = Router::new()
        .route(
            "/finance/rates/{id}/csv",
            get(crate::exports::rate_card_csv),
        )
        .route("/finance/usage.csv", get(crate::exports::usage_csv))
        .route("/auth/oidc/start", get(crate::sso::start))
        .route("/auth/oidc/callback", get(crate::sso::callback))
        .route("/tenants/{tenant}/photos/{id}", get(crate::uploads::serve))
        .route(
            "/tenants/{tenant}/numbers/{number}/photo",
            axum::routing::post(crate::uploads::upload).layer(
                axum::extract::DefaultBodyLimit::max(crate::uploads::BODY_LIMIT),
            ),
        )
        .route(
            "/tenants/{tenant}/media/{id}",
            get(crate::uploads::serve_sample),
        )
        .route(
            "/tenants/{tenant}/templates/{template}/sample",
            axum::routing::post(crate::uploads::upload_sample).layer(
                axum::extract::DefaultBodyLimit::max(crate::uploads::SAMPLE_BODY_LIMIT),
            ),
        )
        .with_state(state.clone());
    let console = Router::new()
        .route("/healthz", get(healthz))
        .merge(downloads)
        .route("/readyz", get(move || readyz(db.clone())))
        .fallback_service(tower::Layer::layer(
            &axum::middleware::from_fn_with_state(state.clone(), page_session),
            Hedge::new(pages),
        ))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(echo_form_on_error))
        .layer(axum::middleware::from_fn(with_user_cache))
        .layer(axum::middleware::from_fn_with_state(origins, csrf_guard))
        .layer(session_layer);
    let hsts = cfg.secure_cookies().then(|| {
        // Over https only (RFC 6797): browsers then never try plain http for a year.
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    webhooks
        .merge(crate::rest::router(state.clone()))
        .merge(console)
        .layer(tower::util::option_layer(hsts))
        // Every response: no MIME sniffing, no framing (clickjacking), referrers only to
        // ourselves (form posts without JavaScript still return to their page).
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// Starts the background jobs: email, housekeeping, the event processor (and its extra
/// statuses workers where rows can be locked), the Graph API's jobs when it is configured, and
/// invoicing (with Stripe when it is configured).
fn spawn_jobs(
    state: &AppState,
    cfg: &Config,
    transport: crate::email::Transport,
    stop_rx: &tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut jobs = vec![
        crate::jobs::spawn_email_sender(
            state.clone(),
            transport,
            Duration::from_millis(cfg.outbox_poll_ms),
            stop_rx.clone(),
        ),
        crate::jobs::spawn_housekeeping(
            state.clone(),
            DbSessionStore::new(state.db.clone(), state.session_users.clone()),
            stop_rx.clone(),
        ),
        crate::jobs::spawn_event_processor(state.clone(), Lane::All, stop_rx.clone()),
    ];
    if app::backend::repo::platform::claims_with_locks(&state.db) {
        for _ in 1..cfg.event_workers {
            jobs.push(crate::jobs::spawn_event_processor(
                state.clone(),
                Lane::Statuses,
                stop_rx.clone(),
            ));
        }
    }
    match &cfg.graph {
        Some(g) => {
            let api = app::backend::graph::GraphApi::new(g.clone())
                .map_err(|e| anyhow::anyhow!("Graph API client: {e}"))?;
            if cfg.number_poll_minutes > 0 {
                jobs.push(crate::jobs::spawn_number_poll(
                    state.clone(),
                    api.clone(),
                    Duration::from_secs(cfg.number_poll_minutes * 60),
                    stop_rx.clone(),
                ));
            }
            jobs.push(crate::jobs::spawn_template_sender(
                state.clone(),
                api,
                stop_rx.clone(),
            ));
        }
        None => {
            tracing::info!("GRAPH_API_BASE_URL not set: approved templates wait as ready to submit")
        }
    }
    let payments: Option<std::sync::Arc<dyn app::backend::payments::Payments>> = match &cfg.stripe {
        Some(s) => Some(std::sync::Arc::new(crate::stripe::StripePayments::new(s)?)),
        None => {
            tracing::info!("STRIPE_SECRET_KEY not set: invoices stay internal");
            None
        }
    };
    jobs.push(crate::jobs::spawn_invoicing(
        state.clone(),
        payments,
        stop_rx.clone(),
    ));
    Ok(jobs)
}

/// Serves until Ctrl-C / SIGTERM; in-flight requests finish, jobs stop after their item.
pub async fn serve(cfg: Config) -> anyhow::Result<()> {
    let db = connect(cfg.database_url.expose_secret()).await?;
    migrate(&db).await?;
    let cfg = with_stored_secrets(&db, cfg).await?;
    let state = state(db, &cfg, Arc::new(app::backend::clock::SystemClock));
    if cfg.seed_demo {
        app::backend::services::users::seed_demo(&app::backend::auth::system_scope(&state))
            .await
            .map_err(|e| anyhow::anyhow!("seeding demo data: {e}"))?;
        print_demo_sign_ins(&cfg.public_url);
    }
    let transport = crate::email::Transport::from_config(
        cfg.smtp_url.as_ref().map(|s| s.expose_secret()),
        &cfg.smtp_from,
    )?;
    if !transport.sends() {
        tracing::info!("SMTP_URL not set: emails stay in the outbox (Outbox page)");
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let jobs = spawn_jobs(&state, &cfg, transport, &stop_rx)?;
    let app = router(state, &cfg, leptos_options(cfg.bind));
    let listener = tokio::net::TcpListener::bind(cfg.bind).await?;
    tracing::info!(addr = %cfg.bind, "listening");
    crate::serve::serve(listener, app, cfg.http, shutdown_signal()).await?;
    let _ = stop_tx.send(true);
    for j in jobs {
        let _ = j.await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Fills in the webhook secrets not given in the environment from the database, generating
/// them on first start (and printing the pair the platform's app dashboard needs).
async fn with_stored_secrets(db: &DatabaseConnection, mut cfg: Config) -> anyhow::Result<Config> {
    use app::backend::repo::settings::get_or_insert;
    let fresh = app::backend::state::WebhookSecrets::generate();
    let err = |e: app::contract::AppError| anyhow::anyhow!("reading instance settings: {e}");
    let mut generated = false;
    if cfg.webhook_app_secret.is_none() {
        let (v, new) = get_or_insert(db, "whatsapp_app_secret", fresh.app_secret.expose_secret())
            .await
            .map_err(err)?;
        generated |= new;
        cfg.webhook_app_secret = Some(v.into());
    }
    if cfg.webhook_verify_token.is_none() {
        let (v, new) = get_or_insert(
            db,
            "whatsapp_verify_token",
            fresh.verify_token.expose_secret(),
        )
        .await
        .map_err(err)?;
        generated |= new;
        cfg.webhook_verify_token = Some(v.into());
    }
    if cfg.recipient_hash_key.is_none() {
        let (v, _) = get_or_insert(
            db,
            "recipient_hash_key",
            fresh.recipient_key.expose_secret(),
        )
        .await
        .map_err(err)?;
        cfg.recipient_hash_key = Some(v.into());
    }
    if cfg.secrets_key.is_none() {
        let (v, _) = get_or_insert(db, "secrets_key", &app::backend::sealed::generate_key())
            .await
            .map_err(err)?;
        cfg.secrets_key = Some(v.into());
    }
    if generated {
        // Printed once, on the console of the first start (not logged).
        println!("\nWebhook secrets generated and stored in the database (set WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN to use your own):");
        println!("  callback URL   {}/webhooks/whatsapp", cfg.public_url);
        println!(
            "  verify token   {}",
            cfg.webhook_verify_token
                .as_ref()
                .map(|s| s.expose_secret())
                .unwrap_or_default()
        );
        println!(
            "  app secret     {}\n",
            cfg.webhook_app_secret
                .as_ref()
                .map(|s| s.expose_secret())
                .unwrap_or_default()
        );
    }
    Ok(cfg)
}

fn print_demo_sign_ins(url: &str) {
    println!(
        "\nDemo data seeded. Sign in at {url} with password `{}` as:",
        app::backend::services::users::DEMO_PASSWORD
    );
    for (email, what) in app::backend::services::users::DEMO_USERS {
        println!("  {email:<24} {what}");
    }
    println!();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

//! `TestApp::spawn(Db::…)`: a fresh database through the real migrations, the real router on
//! a random port, a manual clock, and an HTTP client with a cookie jar.

use app::backend::{clock::ManualClock, state::AppState};
use chrono::TimeDelta;
use reqwest::{header, Client, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use server::{config::Config, startup};
use std::{net::SocketAddr, sync::Arc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The server to create per-test PostgreSQL databases on.
fn pg_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub struct TestApp {
    #[allow(dead_code)]
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    pub clock: ManualClock,
    pub cfg: Config,
    db_name: Option<String>,
    _tmp: Option<tempfile::TempDir>,
    _watchdog: Watchdog,
}

/// A test that runs far longer than any test here does is stuck: rather than let the run
/// wait for CI's limit, print every thread's stack (gdb) and abort the test binary.
const STUCK_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Armed while its `TestApp` lives; dropping it disarms it.
struct Watchdog(#[allow(dead_code)] std::sync::mpsc::Sender<()>);

impl Watchdog {
    fn arm() -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let name = std::thread::current().name().unwrap_or("?").to_owned();
        std::thread::spawn(move || {
            if rx.recv_timeout(STUCK_AFTER) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                eprintln!(
                    "test {name} is stuck after {} s; the stacks of every thread follow",
                    STUCK_AFTER.as_secs()
                );
                let pid = std::process::id().to_string();
                match std::process::Command::new("gdb")
                    .args(["-p", &pid, "-batch", "-ex", "thread apply all bt"])
                    .output()
                {
                    Ok(out) => eprintln!("{}", String::from_utf8_lossy(&out.stdout)),
                    Err(e) => eprintln!("(no gdb: {e})"),
                }
                std::process::abort();
            }
        });
        Self(tx)
    }
}

pub fn test_config(public_url: &str, database_url: &str) -> Config {
    Config {
        database_url: secrecy::SecretString::from(database_url.to_owned()),
        bind: "127.0.0.1:0"
            .parse()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0))),
        public_url: public_url.to_owned(),
        smtp_url: None,
        smtp_from: "BSP Console <no-reply@bsp-console.test>".into(),
        production: false,
        seed_demo: false,
        trust_forwarded_for: false,
        trusted_proxies: app::backend::client_addr::default_trusted_proxies(),
        outbox_poll_ms: 1000,
        session_idle_seconds: 28_800,
        session_max_hours: 12,
        session_cache_seconds: 2,
        review_sla: Default::default(),
        graph: None,
        number_poll_minutes: 0,
        webhook_app_secret: Some(secrecy::SecretString::from(APP_SECRET.to_owned())),
        webhook_verify_token: Some(secrecy::SecretString::from(VERIFY_TOKEN.to_owned())),
        recipient_hash_key: Some(secrecy::SecretString::from("test-recipient-key".to_owned())),
        secrets_key: Some(secrecy::SecretString::from("0f".repeat(32))),
        // Tests that are not about two-factor sign-in sign staff in with a password alone.
        require_2fa: app::backend::state::TwoFactorPolicy::None,
        event_lease_seconds: 120,
        event_workers: 2,
        stripe: None,
        http: server::serve::Limits::default(),
        media_quota_mb: 200,
        api_rate_per_minute: 600,
        sso: None,
        raw_retention_days: 30,
        stripe_webhook_secret: Some(secrecy::SecretString::from(
            STRIPE_WEBHOOK_SECRET.to_owned(),
        )),
    }
}

pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_test_secret";

/// localstripe's base URL (`TEST_STRIPE_URL`, started by scripts/test.sh).
pub fn stripe_peer() -> Option<String> {
    match std::env::var("TEST_STRIPE_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            assert!(
                !in_ci(),
                "CI=true but TEST_STRIPE_URL is not set: localstripe is missing"
            );
            eprintln!("skipping: no localstripe (set TEST_STRIPE_URL)");
            None
        }
    }
}

/// The webhook secrets of every test app.
pub const APP_SECRET: &str = "test-app-secret";
pub const VERIFY_TOKEN: &str = "test-verify-token";

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    /// As `spawn`, with the configuration adjusted first.
    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let (url, db_name, tmp) = match db {
            Db::Sqlite => {
                let tmp = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}?mode=rwc", tmp.path().join("test.db").display());
                (url, None, Some(tmp))
            }
            Db::Postgres => {
                let name = format!("bsp_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Database::connect(pg_admin_url())
                    .await
                    .expect("PostgreSQL must be reachable (TEST_POSTGRES_URL)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let base = pg_admin_url();
                let url = format!(
                    "{}/{name}",
                    base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base)
                );
                (url, Some(name), None)
            }
        };
        Self::spawn_on(&url, db_name, tmp, adjust).await
    }

    /// A second process-like app on the same database (for multi-replica tests).
    pub async fn spawn_sibling(&self) -> TestApp {
        let url = secrecy::ExposeSecret::expose_secret(&self.cfg.database_url).to_owned();
        Self::spawn_on(&url, None, None, |_| {}).await
    }

    /// Another app on the same database with its configuration adjusted.
    pub async fn sibling_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let url = secrecy::ExposeSecret::expose_secret(&self.cfg.database_url).to_owned();
        Self::spawn_on(&url, None, None, adjust).await
    }

    async fn spawn_on(
        url: &str,
        db_name: Option<String>,
        tmp: Option<tempfile::TempDir>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let base = format!("http://{addr}");
        let mut cfg = test_config(&base, url);
        adjust(&mut cfg);
        let conn = startup::connect(url).await.expect("connect");
        startup::migrate(&conn).await.expect("migrate");
        let clock = ManualClock::new(chrono::Utc::now());
        let state = startup::state(conn, &cfg, Arc::new(clock.clone()));
        let router = startup::router(state.clone(), &cfg, startup::leptos_options(addr));
        let limits = cfg.http;
        tokio::spawn(async move {
            let _ = server::serve::serve(listener, router, limits, std::future::pending()).await;
        });
        TestApp {
            addr,
            base,
            state,
            clock,
            cfg,
            db_name,
            _tmp: tmp,
            _watchdog: Watchdog::arm(),
        }
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    /// A browser-like client: cookie jar, no redirects followed.
    pub fn client(&self) -> Session {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .expect("client");
        Session {
            client,
            base: self.base.clone(),
        }
    }

    /// A signed-in client.
    pub async fn signed_in(&self, email: &str, password: &str) -> Session {
        let s = self.client();
        let r = s
            .call("sign_in", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "sign-in of {email} failed: {}",
            r.body
        );
        s
    }

    pub async fn drop_db(&self) {
        if let Some(name) = &self.db_name {
            if let Ok(admin) = Database::connect(pg_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

pub struct Session {
    pub client: Client,
    pub base: String,
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub headers: header::HeaderMap,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    /// The stable error code of an `AppError` reply.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_owned()
    }
}

impl Session {
    /// Calls a server function the way a fetch from our own page does.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_with_origin(endpoint, form, Some(&self.base.clone()))
            .await
    }

    pub async fn call_with_origin(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Reply {
        let mut req = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let r = req.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        Reply {
            status,
            headers,
            body: r.text().await.unwrap_or_default(),
        }
    }

    /// Posts a multipart form with one file field, as a browser does (`html`: as a page
    /// navigation, which is answered with a redirect) or as a script (answered with JSON).
    pub async fn upload(
        &self,
        path: &str,
        field: &str,
        filename: &str,
        content_type: &str,
        bytes: &[u8],
        html: bool,
    ) -> Reply {
        let boundary = "----bsp-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let accept = if html {
            "text/html,application/xhtml+xml"
        } else {
            "application/json"
        };
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::ORIGIN, self.base.clone())
            .header(header::ACCEPT, accept)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        Reply {
            status,
            headers,
            body: r.text().await.unwrap_or_default(),
        }
    }

    /// The raw bytes of a GET, with extra request headers.
    pub async fn get_bytes(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, header::HeaderMap, Vec<u8>) {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.expect("request");
        let (status, h) = (r.status(), r.headers().clone());
        (
            status,
            h,
            r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        )
    }

    pub async fn get(&self, path: &str) -> Reply {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        Reply {
            status,
            headers,
            body: r.text().await.unwrap_or_default(),
        }
    }
}

/// Runs a test body on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn($crate::support::Db::Sqlite).await;
                ($body)(&app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::support::TestApp::spawn($crate::support::Db::Postgres).await;
                ($body)(&app).await;
                app.drop_db().await;
            }
        }
    };
}

pub const PW: &str = "correct horse battery staple";

/// Two tenants and one user per role: staff (admin, reviewer, finance), tenant A (owner,
/// editor, viewer) and tenant B (owner).
pub struct Fixture {
    pub a: app::domain::ids::TenantId,
    pub b: app::domain::ids::TenantId,
}

pub const ADMIN: &str = "admin@bsp.test";
pub const REVIEWER: &str = "reviewer@bsp.test";
pub const FINANCE: &str = "finance@bsp.test";
pub const OWNER_A: &str = "owner@a.test";
pub const EDITOR_A: &str = "editor@a.test";
pub const VIEWER_A: &str = "viewer@a.test";
pub const OWNER_B: &str = "owner@b.test";

pub fn tenant_form(name: &str, waba: &str) -> app::domain::tenant::TenantForm {
    app::domain::tenant::TenantForm {
        legal_name: format!("{name} Ltd"),
        display_name: name.into(),
        country: "GB".into(),
        locale: "en".into(),
        billing_email: format!("billing@{}.test", name.to_lowercase().replace(' ', "-")),
        alert_emails: format!("alerts@{}.test", name.to_lowercase().replace(' ', "-")),
        currency: "GBP".into(),
        account_manager: String::new(),
        waba_id: waba.into(),
    }
}

pub async fn fixture(app: &TestApp) -> Fixture {
    use app::backend::{auth::operator_scope, services};
    use app::domain::roles::{StaffRole, TenantRole};
    let op = operator_scope(&app.state, "test");
    for (email, role) in [
        (ADMIN, StaffRole::Admin),
        (REVIEWER, StaffRole::Reviewer),
        (FINANCE, StaffRole::Finance),
    ] {
        services::users::create_staff(&op, email, email, PW, role)
            .await
            .expect("staff");
    }
    let a = services::tenants::create(&op, &tenant_form("Alpha", "1001"))
        .await
        .expect("tenant a");
    let b = services::tenants::create(&op, &tenant_form("Beta", "2002"))
        .await
        .expect("tenant b");
    for (email, t, role) in [
        (OWNER_A, a, TenantRole::Owner),
        (EDITOR_A, a, TenantRole::Editor),
        (VIEWER_A, a, TenantRole::Viewer),
        (OWNER_B, b, TenantRole::Owner),
    ] {
        services::users::add_tenant_user(&op, t, email, email, PW, role)
            .await
            .expect("tenant user");
    }
    Fixture { a, b }
}

/// The SMTP sink of the test run (aiosmtpd writing a maildir), if configured.
pub fn smtp_sink() -> Option<(String, std::path::PathBuf)> {
    match (
        std::env::var("TEST_SMTP_URL"),
        std::env::var("TEST_MAILDIR"),
    ) {
        (Ok(u), Ok(d)) => Some((u, d.into())),
        _ => {
            assert!(
                !in_ci(),
                "CI=true but TEST_SMTP_URL / TEST_MAILDIR are not set: the SMTP sink is missing"
            );
            eprintln!("skipping: no SMTP sink (set TEST_SMTP_URL and TEST_MAILDIR)");
            None
        }
    }
}

/// Messages in the sink's maildir addressed to `to`.
pub fn mails_to(maildir: &std::path::Path, to: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(rd) = std::fs::read_dir(maildir.join(sub)) {
            for e in rd.flatten() {
                if let Ok(s) = std::fs::read_to_string(e.path()) {
                    if s.lines()
                        .any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to))
                    {
                        out.push(s);
                    }
                }
            }
        }
    }
    out
}

/// Every `(kind, recipient)` in the outbox, newest first.
pub async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    let op = app::backend::auth::operator_scope(&app.state, "test");
    app::backend::services::outbox::list(&op)
        .await
        .expect("outbox")
        .into_iter()
        .map(|r| (r.kind, r.recipient))
        .collect()
}

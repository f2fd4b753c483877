//! Configuration, read once from the environment at start-up. Every variable is documented
//! here and in the README.

use anyhow::{bail, Context};
use secrecy::SecretString;
use std::net::SocketAddr;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default: `sqlite://data/bsp-console.db?mode=rwc`) or
    /// `postgres://…`.
    pub database_url: SecretString,
    /// `BIND_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub bind: SocketAddr,
    /// `PUBLIC_URL`: the console's public base URL, for links in emails and the CSRF origin
    /// check (default `http://127.0.0.1:3000`).
    pub public_url: String,
    /// `SMTP_URL`: e.g. `smtp://127.0.0.1:8025` or `smtps://user:pass@host`. Unset: emails
    /// stay in the outbox, visible to admins (the embedded default; refused in production).
    pub smtp_url: Option<SecretString>,
    /// `SMTP_FROM`: the sender (default `BSP Console <no-reply@bsp-console.local>`).
    pub smtp_from: String,
    /// `APP_ENV`: `production` refuses stub transports; anything else is development.
    pub production: bool,
    /// `SEED_DEMO`: `true` seeds demo data on first start (default false).
    pub seed_demo: bool,
    /// `TRUST_FORWARDED_FOR`: `true` behind a reverse proxy that sets `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// `TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` counts, as a comma-separated
    /// list of networks or addresses (default: loopback and private networks). The client is
    /// the right-most address in the header that is not one of them.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `OUTBOX_POLL_MS`: how often the email sender looks for due emails (default 1000).
    pub outbox_poll_ms: u64,
    /// `SESSION_IDLE_SECONDS`: idle expiry of sessions (default 28800, 8 hours).
    pub session_idle_seconds: i64,
    /// `SESSION_MAX_HOURS`: a session's absolute lifetime from its sign-in, however active
    /// (default 12).
    pub session_max_hours: i64,
    /// `SESSION_CACHE_SECONDS`: how long this process reuses a session (and its user) it read,
    /// unless it changes here first (default 2; 0: read every request's session from the
    /// database). With several server processes, a sign-out or a disabled user on one takes
    /// effect on the others within this time.
    pub session_cache_seconds: u64,
    /// `REVIEW_SLA_AMBER_MINUTES` / `REVIEW_SLA_RED_MINUTES`: when a waiting template turns
    /// amber and red in the review queue (default 240 and 1440: 4 h and 24 h).
    pub review_sla: app::domain::template::review::SlaPolicy,
    /// `GRAPH_API_BASE_URL` (e.g. `https://graph.facebook.com/v21.0`) and `GRAPH_API_TOKEN`:
    /// where BSP-approved templates are sent. Unset (the embedded default): approved
    /// templates wait as "ready to submit" and staff mark them submitted. `GRAPH_APP_ID`:
    /// the Meta app id for uploads (profile photos); without it photos are not sent.
    pub graph: Option<app::backend::graph::GraphConfig>,
    /// `NUMBER_POLL_MINUTES`: how often every number's health is read from the Graph API
    /// (statuses such as RESTRICTED and quality RED are not sent as webhooks); default 15,
    /// 0 turns the poll off. Only with the Graph API configured.
    pub number_poll_minutes: u64,
    /// `WHATSAPP_APP_SECRET`: the Meta app secret that signs webhook deliveries.
    /// `WHATSAPP_VERIFY_TOKEN`: the token of the subscription handshake. Unset (the embedded
    /// default): a pair is generated on first start, stored in the database and printed.
    /// Required with `APP_ENV=production`.
    pub webhook_app_secret: Option<SecretString>,
    pub webhook_verify_token: Option<SecretString>,
    /// `SECRETS_KEY`: 64 hex digits (32 bytes), the key that seals secrets the console reads
    /// back (two-factor secrets). Required with `APP_ENV=production`; unset in development, one
    /// is generated on first start and kept in the database.
    pub secrets_key: Option<SecretString>,
    /// `REQUIRE_2FA_FOR`: `staff` (default), `all` or `none`: who must enrol in two-factor
    /// sign-in before anything else.
    pub require_2fa: app::backend::state::TwoFactorPolicy,
    /// `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`, `OIDC_ALLOWED_DOMAINS`
    /// (comma-separated, required with the others), `OIDC_ROLE_CLAIM`, `OIDC_SCOPES`,
    /// `OIDC_LABEL`: staff sign-in through the organisation's OpenID provider (unset: off).
    /// The provider's callback is `PUBLIC_URL` + `/auth/oidc/callback`.
    pub sso: Option<app::backend::sso::SsoConfig>,
    /// `MEDIA_QUOTA_MB`: the most megabytes of template header samples one tenant keeps
    /// (default 200).
    pub media_quota_mb: u64,
    /// `RATE_LIMIT_PER_MINUTE`: requests each API key may make a minute (default 600).
    pub api_rate_per_minute: u32,
    /// `RAW_RETENTION_DAYS`: how long raw webhook bodies (end customers' messages) are kept
    /// for inspection by admins before they are purged (default 30).
    pub raw_retention_days: i64,
    /// `RECIPIENT_HASH_KEY`: key of the hash that counts users without storing their numbers
    /// (default: generated once and kept in the database).
    pub recipient_hash_key: Option<SecretString>,
    /// `EVENT_LEASE_SECONDS`: how long a process holds platform events it is processing before
    /// another may take them over (after a crash), default 120 (SQLite; PostgreSQL claims them
    /// with row locks instead).
    pub event_lease_seconds: i64,
    /// `EVENT_WORKERS`: workers applying platform events, default 3 (PostgreSQL; the first takes
    /// every change in event order, the others status-only changes). SQLite always has one.
    pub event_workers: usize,
    /// `STRIPE_SECRET_KEY` (and `STRIPE_API_BASE`, default `https://api.stripe.com/`): where
    /// invoices are sent. Unset (the embedded default): invoices stay internal.
    pub stripe: Option<StripeConfig>,
    /// `HTTP_HEADER_TIMEOUT_SECONDS` (default 10), `HTTP_REQUEST_TIMEOUT_SECONDS` (default
    /// 60), `HTTP_MAX_CONNECTIONS` (default 1024): how long a client may take to send a
    /// request's headers (an idle keep-alive connection is closed after the same time), how long
    /// a request may take to be read and answered, and how many connections are open at once.
    pub http: crate::serve::Limits,
    /// `STRIPE_WEBHOOK_SECRET`: the signing secret of the `/webhooks/stripe` endpoint (unset:
    /// the endpoint answers 404).
    pub stripe_webhook_secret: Option<SecretString>,
}

#[derive(Clone, Debug)]
pub struct StripeConfig {
    pub api_base: String,
    pub secret_key: SecretString,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &str) -> anyhow::Result<bool> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => bail!("{name} must be true or false, not {other:?}"),
    }
}

/// A number from the environment within `range` (`default` when unset).
fn number<T>(name: &str, default: T, range: std::ops::RangeInclusive<T>) -> anyhow::Result<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let Some(raw) = var(name) else {
        return Ok(default);
    };
    match raw.trim().parse::<T>() {
        Ok(v) if range.contains(&v) => Ok(v),
        _ => bail!(
            "{name} must be a number from {} to {}",
            range.start(),
            range.end()
        ),
    }
}

/// `OIDC_*`: all of issuer, client id and secret and allowed domains, or none of them.
fn sso_from_env(production: bool) -> anyhow::Result<Option<app::backend::sso::SsoConfig>> {
    let list = |name: &str| -> Vec<String> {
        var(name)
            .map(|v| {
                v.split([',', ' '])
                    .map(|d| d.trim().to_ascii_lowercase())
                    .filter(|d| !d.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (issuer, id, secret) = (
        var("OIDC_ISSUER"),
        var("OIDC_CLIENT_ID"),
        var("OIDC_CLIENT_SECRET"),
    );
    let domains = list("OIDC_ALLOWED_DOMAINS");
    match (issuer, id, secret) {
        (None, None, None) => Ok(None),
        (Some(issuer), Some(client_id), Some(secret)) => {
            if domains.is_empty() {
                bail!("OIDC_ALLOWED_DOMAINS must name the email domains that may sign in with the provider");
            }
            if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                bail!("OIDC_ISSUER must be the provider's issuer URL");
            }
            if production && !issuer.starts_with("https://") {
                bail!("APP_ENV=production needs an https:// OIDC_ISSUER: the client secret and the provider's keys travel to it");
            }
            Ok(Some(app::backend::sso::SsoConfig {
                issuer,
                client_id,
                client_secret: SecretString::from(secret),
                allowed_domains: domains,
                role_claim: var("OIDC_ROLE_CLAIM"),
                extra_scopes: var("OIDC_SCOPES")
                    .map(|v| v.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default(),
                label: var("OIDC_LABEL").unwrap_or_else(|| "Single sign-on".into()),
                trust_mfa: flag("OIDC_TRUST_MFA")?,
            }))
        }
        _ => bail!(
            "set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together, or none of them"
        ),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let production = var("APP_ENV").is_some_and(|v| v == "production");
        let smtp_url = var("SMTP_URL").map(SecretString::from);
        if production && smtp_url.is_none() {
            bail!(
                "APP_ENV=production needs SMTP_URL: the outbox-only transport is for development"
            );
        }
        let webhook_app_secret = var("WHATSAPP_APP_SECRET").map(SecretString::from);
        let webhook_verify_token = var("WHATSAPP_VERIFY_TOKEN").map(SecretString::from);
        if production && (webhook_app_secret.is_none() || webhook_verify_token.is_none()) {
            bail!("APP_ENV=production needs WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN");
        }
        let secrets_key = var("SECRETS_KEY");
        if let Some(k) = &secrets_key {
            if !app::backend::sealed::valid_key(k) {
                bail!("SECRETS_KEY must be 64 hex digits (32 bytes), e.g. from `openssl rand -hex 32`");
            }
        } else if production {
            bail!(
                "APP_ENV=production needs SECRETS_KEY (64 hex digits): it seals two-factor secrets"
            );
        }
        let require_2fa = match var("REQUIRE_2FA_FOR") {
            Some(raw) => app::backend::state::TwoFactorPolicy::parse(&raw)
                .context("REQUIRE_2FA_FOR must be staff, all or none")?,
            None => app::backend::state::TwoFactorPolicy::Staff,
        };
        let seed_demo = flag("SEED_DEMO")?;
        if production && seed_demo {
            bail!("SEED_DEMO is refused with APP_ENV=production: the demo users' password is published");
        }
        let trusted_proxies = match var("TRUSTED_PROXIES") {
            Some(raw) => app::backend::client_addr::parse_trusted_proxies(&raw)
                .map_err(|e| anyhow::anyhow!("TRUSTED_PROXIES: {e}"))?,
            None => app::backend::client_addr::default_trusted_proxies(),
        };
        let public_url = var("PUBLIC_URL")
            .unwrap_or_else(|| "http://127.0.0.1:3000".into())
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            database_url: SecretString::from(
                var("DATABASE_URL")
                    .unwrap_or_else(|| "sqlite://data/bsp-console.db?mode=rwc".into()),
            ),
            bind: var("BIND_ADDR")
                .unwrap_or_else(|| "127.0.0.1:3000".into())
                .parse()
                .context("BIND_ADDR must be host:port")?,
            public_url,
            smtp_url,
            smtp_from: var("SMTP_FROM")
                .unwrap_or_else(|| "BSP Console <no-reply@bsp-console.local>".into()),
            production,
            seed_demo,
            trust_forwarded_for: flag("TRUST_FORWARDED_FOR")?,
            trusted_proxies,
            number_poll_minutes: var("NUMBER_POLL_MINUTES")
                .map(|v| v.parse())
                .transpose()
                .context("NUMBER_POLL_MINUTES must be a number of minutes")?
                .unwrap_or(15),
            outbox_poll_ms: var("OUTBOX_POLL_MS")
                .map(|v| v.parse())
                .transpose()
                .context("OUTBOX_POLL_MS must be a number")?
                .unwrap_or(1000),
            review_sla: {
                let d = app::domain::template::review::SlaPolicy::default();
                let amber = var("REVIEW_SLA_AMBER_MINUTES")
                    .map(|v| v.parse())
                    .transpose()
                    .context("REVIEW_SLA_AMBER_MINUTES must be a number")?
                    .unwrap_or(d.amber_minutes);
                let red = var("REVIEW_SLA_RED_MINUTES")
                    .map(|v| v.parse())
                    .transpose()
                    .context("REVIEW_SLA_RED_MINUTES must be a number")?
                    .unwrap_or(d.red_minutes);
                if amber <= 0 || red <= amber {
                    bail!("REVIEW_SLA_AMBER_MINUTES must be positive and below REVIEW_SLA_RED_MINUTES");
                }
                app::domain::template::review::SlaPolicy {
                    amber_minutes: amber,
                    red_minutes: red,
                }
            },
            graph: match (var("GRAPH_API_BASE_URL"), var("GRAPH_API_TOKEN")) {
                (Some(base_url), Some(token)) => Some(app::backend::graph::GraphConfig {
                    base_url: base_url.trim_end_matches('/').to_owned(),
                    token: SecretString::from(token),
                    app_id: var("GRAPH_APP_ID"),
                }),
                (None, None) => None,
                _ => bail!("set both GRAPH_API_BASE_URL and GRAPH_API_TOKEN, or neither"),
            },
            webhook_app_secret,
            webhook_verify_token,
            recipient_hash_key: var("RECIPIENT_HASH_KEY").map(SecretString::from),
            secrets_key: secrets_key.map(SecretString::from),
            require_2fa,
            stripe: var("STRIPE_SECRET_KEY").map(|k| StripeConfig {
                api_base: var("STRIPE_API_BASE")
                    .unwrap_or_else(|| "https://api.stripe.com/".into()),
                secret_key: SecretString::from(k),
            }),
            stripe_webhook_secret: var("STRIPE_WEBHOOK_SECRET").map(SecretString::from),
            event_lease_seconds: var("EVENT_LEASE_SECONDS")
                .map(|v| v.parse())
                .transpose()
                .context("EVENT_LEASE_SECONDS must be a number")?
                .filter(|s: &i64| *s > 0)
                .unwrap_or(120),
            event_workers: var("EVENT_WORKERS")
                .map(|v| v.parse())
                .transpose()
                .context("EVENT_WORKERS must be a number")?
                .filter(|n: &usize| *n > 0)
                .unwrap_or(3),
            session_idle_seconds: var("SESSION_IDLE_SECONDS")
                .map(|v| v.parse())
                .transpose()
                .context("SESSION_IDLE_SECONDS must be a number")?
                .unwrap_or(28_800),
            session_max_hours: var("SESSION_MAX_HOURS")
                .map(|v| v.parse())
                .transpose()
                .context("SESSION_MAX_HOURS must be a number of hours")?
                .filter(|h: &i64| *h > 0)
                .unwrap_or(12),
            http: crate::serve::Limits {
                header_read: std::time::Duration::from_secs(number(
                    "HTTP_HEADER_TIMEOUT_SECONDS",
                    10,
                    1..=3_600,
                )?),
                request: std::time::Duration::from_secs(number(
                    "HTTP_REQUEST_TIMEOUT_SECONDS",
                    60,
                    1..=3_600,
                )?),
                max_connections: number("HTTP_MAX_CONNECTIONS", 1024, 1..=1_000_000)?,
                ..Default::default()
            },
            sso: sso_from_env(production)?,
            media_quota_mb: number("MEDIA_QUOTA_MB", 200, 1..=1_000_000)?,
            api_rate_per_minute: number("RATE_LIMIT_PER_MINUTE", 600, 1..=1_000_000)?,
            raw_retention_days: number("RAW_RETENTION_DAYS", 30, 1..=36_500)?,
            session_cache_seconds: var("SESSION_CACHE_SECONDS")
                .map(|v| v.parse())
                .transpose()
                .context("SESSION_CACHE_SECONDS must be a number of seconds")?
                .unwrap_or(2),
        })
    }

    /// Cookies get `Secure` when the console is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

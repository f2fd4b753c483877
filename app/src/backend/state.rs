//! The shared application state handed to every request and job.

use super::{
    cache::{ClaimerNames, PricingVersions, RecipientCache, SessionUsers},
    clock::Clock,
};
use chrono::TimeDelta;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Settings the backend needs (read once from the environment by the server's config).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Public base URL, used in links inside emails (e.g. `https://console.example.com`).
    pub public_url: String,
    /// How long an invitation link stays valid.
    pub invite_ttl: TimeDelta,
    /// A session's absolute lifetime from its sign-in, however active (`SESSION_MAX_HOURS`).
    pub session_max: TimeDelta,
    /// A session's idle expiry (`SESSION_IDLE_SECONDS`): its last activity is its expiry
    /// minus this.
    pub session_idle: TimeDelta,
    /// Sign-in throttling.
    pub throttle: ThrottlePolicy,
    /// Trust `X-Forwarded-For` for the client address (only behind a reverse proxy)…
    pub trust_forwarded_for: bool,
    /// … when the request comes from one of these proxies (`client_addr`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// When waiting templates turn amber and red in the review queue.
    pub review_sla: crate::domain::template::review::SlaPolicy,
    /// The platform's Graph API; `None` keeps approved templates "ready to submit".
    pub graph: Option<crate::backend::graph::GraphConfig>,
    /// The platform's webhook secrets and the key that hashes users' numbers.
    pub webhook: WebhookSecrets,
    /// How long a process holds the platform events it leased.
    pub event_lease: TimeDelta,
    /// The signing secret of Stripe's webhooks (`None`: the endpoint is off).
    pub stripe_webhook_secret: Option<secrecy::SecretString>,
    /// The key that seals secrets the console reads back (two-factor secrets), 64 hex digits.
    pub secrets_key: secrecy::SecretString,
    /// Who must use two-factor sign-in (`REQUIRE_2FA_FOR`).
    pub require_2fa: TwoFactorPolicy,
    /// The most bytes of header samples one tenant keeps (`MEDIA_QUOTA_MB`).
    pub media_quota_bytes: u64,
    /// Requests each API key may make a minute (`RATE_LIMIT_PER_MINUTE`).
    pub api_rate_per_minute: u32,
    /// How long raw webhook bodies are kept (`RAW_RETENTION_DAYS`).
    pub raw_retention: TimeDelta,
    /// Staff sign-in through an OpenID provider (`OIDC_*`; `None`: passwords only).
    pub sso: Option<super::sso::SsoConfig>,
}

/// `REQUIRE_2FA_FOR`: staff (the default), all users, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TwoFactorPolicy {
    Staff,
    All,
    None,
}

impl TwoFactorPolicy {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "staff" => Some(Self::Staff),
            "all" => Some(Self::All),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    /// Whether a user (staff or not) must have a second factor.
    pub fn applies(self, staff: bool) -> bool {
        match self {
            Self::Staff => staff,
            Self::All => true,
            Self::None => false,
        }
    }
}

/// `WHATSAPP_APP_SECRET` (signs deliveries), `WHATSAPP_VERIFY_TOKEN` (the subscription
/// handshake), and the key of the keyed hash that counts users without storing numbers.
#[derive(Clone, Debug)]
pub struct WebhookSecrets {
    pub app_secret: secrecy::SecretString,
    pub verify_token: secrecy::SecretString,
    pub recipient_key: secrecy::SecretString,
}

impl WebhookSecrets {
    /// The key of the hash that stands for an end customer's number.
    pub fn recipient_key_bytes(&self) -> Vec<u8> {
        use secrecy::ExposeSecret;
        self.recipient_key.expose_secret().as_bytes().to_vec()
    }
}

impl WebhookSecrets {
    /// Fresh random secrets (the embedded default stores them on first start).
    pub fn generate() -> Self {
        let r = || -> secrecy::SecretString { hex::encode(rand::random::<[u8; 24]>()).into() };
        Self {
            app_secret: r(),
            verify_token: r(),
            recipient_key: r(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ThrottlePolicy {
    /// Failed guesses at one account from browsers it never signed in from, within `window`,
    /// before further ones wait for the window's end.
    pub per_account: i32,
    /// Failed guesses from one browser the account signed in from before (its own allowance).
    pub per_device: i32,
    /// Failed guesses from one client address (IPv6: one /64), whatever the account.
    pub per_ip: i32,
    pub window: TimeDelta,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".into(),
            invite_ttl: TimeDelta::hours(72),
            session_max: TimeDelta::hours(12),
            session_idle: TimeDelta::hours(8),
            throttle: ThrottlePolicy {
                per_account: 5,
                per_device: 5,
                per_ip: 20,
                window: TimeDelta::minutes(15),
            },
            trust_forwarded_for: false,
            trusted_proxies: super::client_addr::default_trusted_proxies(),
            review_sla: Default::default(),
            graph: None,
            webhook: WebhookSecrets::generate(),
            event_lease: TimeDelta::minutes(2),
            stripe_webhook_secret: None,
            secrets_key: super::sealed::generate_key().into(),
            require_2fa: TwoFactorPolicy::Staff,
            media_quota_bytes: 200 * 1024 * 1024,
            api_rate_per_minute: 600,
            raw_retention: TimeDelta::days(30),
            sso: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    /// The pricing versions the event processor read, kept between its batches.
    pub versions: Arc<std::sync::Mutex<PricingVersions>>,
    /// Webhook deliveries being stored right now: the extra event workers give way to them
    /// (the platform waits for our 200; processing can wait a few milliseconds).
    pub receiving: Arc<std::sync::atomic::AtomicUsize>,
    /// Recipients of message statuses seen lately: their keyed hash and country, so a number
    /// is parsed once rather than once per status (a message has several, in different batches).
    pub recipients: Arc<RecipientCache>,
    /// Users read with their sessions, waiting for their requests (`session_store`).
    pub session_users: Arc<SessionUsers>,
    /// Reviewers' names for the queue's claim badges.
    pub claimer_names: Arc<ClaimerNames>,
}

impl AppState {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Whether a webhook delivery is being received.
    pub fn receiving(&self) -> bool {
        self.receiving.load(std::sync::atomic::Ordering::Relaxed) > 0
    }
}

/// Counts a delivery as being received while it lives.
pub struct Receiving(Arc<std::sync::atomic::AtomicUsize>);

impl Receiving {
    pub fn start(state: &AppState) -> Self {
        state
            .receiving
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self(state.receiving.clone())
    }
}

impl Drop for Receiving {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

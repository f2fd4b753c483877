//! The request context of a server function: state, session, the signed-in user (with
//! their memberships in active tenants), the language and the client address.

use super::{
    cache::UserCache,
    error::internal,
    identity::{Actor, CurrentUser},
    repo,
    state::AppState,
};
use crate::{
    contract::{AppError, *},
    domain::{
        ids::{TenantId, UserId},
        locale::Locale,
    },
};
use axum::extract::ConnectInfo;
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

pub const SESSION_USER: &str = "uid";
pub const SESSION_TENANT: &str = "tenant";
/// When, from where and with what the session signed in (`SignedInMeta`).
pub const SESSION_SIGNED_IN: &str = "signed_in";
/// A sign-in whose password was right, waiting for its second step.
pub const SESSION_PENDING: &str = "pending_2fa";
/// Set when the signed-in user must enrol in two-factor sign-in before anything else.
pub const SESSION_MUST_ENROL: &str = "must_enrol";

/// Kept in a session at sign-in: its absolute lifetime counts from `at`, and the user's
/// sessions list shows the rest.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SignedInMeta {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The user agent, at most 256 bytes.
    pub agent: String,
    /// The client address's throttle key (IPv6: its /64).
    pub place: Option<String>,
}

/// The longest user agent kept.
const MAX_AGENT: usize = 256;

/// The session of a page request, read by the server's page layer before rendering (the
/// page reads it as `ui::session::PageSessionInfo`).
pub async fn page_session(state: AppState, parts: &http::request::Parts) -> PageSession {
    PageSession(
        RequestCtx::from_parts(state, parts)
            .await
            .map(|c| c.session_info()),
    )
}

/// The client's address of a request: the peer, or with `TRUST_FORWARDED_FOR` the right-most
/// `X-Forwarded-For` entry that is not a trusted proxy.
pub fn client_ip_of(state: &AppState, parts: &http::request::Parts) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let settings = &state.settings;
    super::client_addr::client_address(
        peer,
        parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok()),
        settings
            .trust_forwarded_for
            .then_some(settings.trusted_proxies.as_slice()),
    )
}

/// What the context needs from a request's head.
struct Head {
    session: Session,
    client_ip: Option<IpAddr>,
    device: Option<String>,
    user_agent: String,
    locale: Locale,
    cache: Option<UserCache>,
}

impl Head {
    fn of(state: &AppState, parts: &http::request::Parts) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| internal(&"session layer missing"))?;
        let headers = &parts.headers;
        let client_ip = client_ip_of(state, parts);
        let accept = headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(Self {
            session,
            client_ip,
            device: super::device::from_headers(headers),
            user_agent: headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| truncate(v, MAX_AGENT))
                .unwrap_or_default(),
            locale: Locale::from_accept_language(accept),
            cache: parts.extensions.get::<UserCache>().cloned(),
        })
    }
}

pub struct RequestCtx {
    state: AppState,
    session: Session,
    user: Option<CurrentUser>,
    /// A signed-in user who must enrol in two-factor sign-in first (`user` is then `None`).
    enrolling: Option<CurrentUser>,
    active_tenant: Option<TenantId>,
    locale: Locale,
    client_ip: Option<IpAddr>,
    /// The device cookie's token (`device`), if the browser sent one.
    device: Option<String>,
    user_agent: String,
}

fn truncate(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

impl RequestCtx {
    /// Loads the context from the current request (inside a server function or a page render).
    /// The request's head is read in place (`with_context`): `use_context` would copy it,
    /// headers and extensions, for every server function a page calls.
    pub async fn load() -> Result<Self, AppError> {
        let state = leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| internal(&"AppState missing from context"))?;
        let head = leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
            tracing::debug!(path = %parts.uri.path(), "server function context");
            Head::of(&state, parts)
        });
        let head = head.ok_or_else(|| internal(&"request parts missing from context"))??;
        Self::from_head(state, head).await
    }

    /// Loads the context from a request's head: its session, headers, client address and the
    /// request's user cache (all put there by the server's layers).
    pub async fn from_parts(
        state: AppState,
        parts: &http::request::Parts,
    ) -> Result<Self, AppError> {
        let head = Head::of(&state, parts)?;
        Self::from_head(state, head).await
    }

    async fn from_head(state: AppState, head: Head) -> Result<Self, AppError> {
        let mut ctx =
            Self::build(state, head.session, head.client_ip, head.locale, head.cache).await?;
        ctx.device = head.device;
        ctx.user_agent = head.user_agent;
        if ctx.user_or_enrolling().is_some() && ctx.outlived().await {
            // Past its absolute lifetime (`SESSION_MAX_HOURS`), however active it was.
            ctx.session.flush().await?;
            ctx.user = None;
            ctx.enrolling = None;
            ctx.active_tenant = None;
            return Ok(ctx);
        }
        if ctx.user_or_enrolling().is_none()
            && ctx
                .session
                .get::<UserId>(SESSION_USER)
                .await
                .ok()
                .flatten()
                .is_some()
        {
            // The user was disabled or their tenants suspended since signing in.
            ctx.session.flush().await?;
        }
        Ok(ctx)
    }

    /// The context of a plain HTTP handler (downloads): the session's user, no page.
    pub async fn for_http(state: AppState, session: Session) -> Result<Self, AppError> {
        Self::build(state, session, None, Locale::default(), None).await
    }

    async fn build(
        state: AppState,
        session: Session,
        client_ip: Option<IpAddr>,
        header_locale: Locale,
        cache: Option<UserCache>,
    ) -> Result<Self, AppError> {
        let uid: Option<UserId> = session.get(SESSION_USER).await.ok().flatten();
        if uid.is_some() {
            // A signed-in request moves the idle expiry (tower-sessions saves only sessions
            // marked changed; the store writes the row only when the expiry moves by more than
            // a twentieth of the idle time, at most a minute: `DbSessionStore::save`).
            session.set_expiry(session.expiry());
        }
        let user = match (uid, cache.as_ref().zip(uid).and_then(|(c, id)| c.get(id))) {
            (_, Some(cached)) => cached,
            (Some(id), None) => {
                // Read with the session when its row names the user; else on its own.
                let read = session
                    .id()
                    .and_then(|s| state.session_users.take(&s.to_string(), id));
                let user = match read {
                    Some(user) => user,
                    None => repo::users::load_current(&state.db, id).await?,
                };
                if let Some(c) = &cache {
                    c.put(id, &user);
                }
                user
            }
            (None, None) => None,
        };
        // A user the policy requires to enrol in two-factor sign-in is signed in for that
        // only: to everything else they are nobody until they have.
        let must_enrol = user.is_some()
            && session
                .get::<bool>(SESSION_MUST_ENROL)
                .await
                .ok()
                .flatten()
                .unwrap_or(false);
        let (user, enrolling) = if must_enrol {
            (None, user)
        } else {
            (user, None)
        };
        let wanted: Option<TenantId> = session.get(SESSION_TENANT).await.ok().flatten();
        let active_tenant = user.as_ref().and_then(|u| {
            wanted
                .filter(|t| u.memberships.iter().any(|m| m.tenant_id == *t))
                .or_else(|| u.memberships.first().map(|m| m.tenant_id))
        });
        let locale = user
            .as_ref()
            .or(enrolling.as_ref())
            .and_then(|u| u.locale)
            .unwrap_or(header_locale);
        Ok(Self {
            state,
            session,
            user,
            enrolling,
            active_tenant,
            locale,
            client_ip,
            device: None,
            user_agent: String::new(),
        })
    }

    /// Whether the session signed in longer ago than the absolute lifetime allows.
    async fn outlived(&self) -> bool {
        let meta: Option<SignedInMeta> = self.session.get(SESSION_SIGNED_IN).await.ok().flatten();
        meta.is_some_and(|m| m.at + self.state.settings.session_max <= self.state.now())
    }

    /// What the session keeps of its sign-in (`SignedInMeta`), now.
    pub fn signed_in_meta(&self) -> SignedInMeta {
        SignedInMeta {
            at: self.state.now(),
            agent: self.user_agent.clone(),
            place: self.client_ip.map(super::client_addr::throttle_key),
        }
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }
    pub fn session(&self) -> &Session {
        &self.session
    }
    pub fn user(&self) -> Option<&CurrentUser> {
        self.user.as_ref()
    }
    /// The signed-in user, or one who must enrol in two-factor sign-in first (for enrolment).
    pub fn user_or_enrolling(&self) -> Option<&CurrentUser> {
        self.user.as_ref().or(self.enrolling.as_ref())
    }
    pub fn locale(&self) -> Locale {
        self.locale
    }
    pub fn client_ip(&self) -> Option<IpAddr> {
        self.client_ip
    }
    pub fn device_token(&self) -> Option<&str> {
        self.device.as_deref()
    }
    pub fn active_tenant(&self) -> Option<TenantId> {
        self.active_tenant
    }

    /// The actor for the audit log; requires a signed-in user.
    pub fn actor(&self) -> Result<Actor, AppError> {
        let u = self.user().ok_or(AppError::Unauthorized)?;
        Ok(Actor::User {
            id: u.id,
            email: u.email.clone(),
        })
    }

    pub fn session_info(&self) -> SessionInfo {
        SessionInfo {
            user: self.user.as_ref().map(|u| Me {
                id: u.id,
                email: u.email.clone(),
                name: u.name.clone(),
                staff_role: u.staff_role,
                memberships: u.memberships.clone(),
                active_tenant: self.active_tenant,
            }),
            locale: self.locale,
            must_enrol: self.enrolling.is_some(),
        }
    }
}

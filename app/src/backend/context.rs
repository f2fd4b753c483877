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

/// The session of a page request, read by the server's page layer before rendering (the
/// page reads it as `ui::session::PageSessionInfo`).
pub async fn page_session(state: AppState, parts: &http::request::Parts) -> PageSession {
    PageSession(
        RequestCtx::from_parts(state, parts)
            .await
            .map(|c| c.session_info()),
    )
}

/// What the context needs from a request's head.
struct Head {
    session: Session,
    client_ip: Option<IpAddr>,
    device: Option<String>,
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
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let headers = &parts.headers;
        let settings = &state.settings;
        let client_ip = super::client_addr::client_address(
            peer,
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok()),
            settings
                .trust_forwarded_for
                .then_some(settings.trusted_proxies.as_slice()),
        );
        let accept = headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(Self {
            session,
            client_ip,
            device: super::device::from_headers(headers),
            locale: Locale::from_accept_language(accept),
            cache: parts.extensions.get::<UserCache>().cloned(),
        })
    }
}

pub struct RequestCtx {
    state: AppState,
    session: Session,
    user: Option<CurrentUser>,
    active_tenant: Option<TenantId>,
    locale: Locale,
    client_ip: Option<IpAddr>,
    /// The device cookie's token (`device`), if the browser sent one.
    device: Option<String>,
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
        if ctx.user.is_none()
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
        let wanted: Option<TenantId> = session.get(SESSION_TENANT).await.ok().flatten();
        let active_tenant = user.as_ref().and_then(|u| {
            wanted
                .filter(|t| u.memberships.iter().any(|m| m.tenant_id == *t))
                .or_else(|| u.memberships.first().map(|m| m.tenant_id))
        });
        let locale = user
            .as_ref()
            .and_then(|u| u.locale)
            .unwrap_or(header_locale);
        Ok(Self {
            state,
            session,
            user,
            active_tenant,
            locale,
            client_ip,
            device: None,
        })
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
        }
    }
}

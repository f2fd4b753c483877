//! Staff sign-in through the organisation's OpenID provider (`backend::sso` speaks the
//! protocol): which account a provider's user signs in to, and the session that follows.
//!
//! A provider's user is its (issuer, subject). The first time, it is linked to the staff
//! account with the same email — verified by the provider and in `OIDC_ALLOWED_DOMAINS` — or,
//! when `OIDC_ROLE_CLAIM` names a reviewer or finance role, a staff account is made for it.
//! An admin account is never made this way: an admin creates it, the first sign-in links it.

use super::{
    audit::{record, Entry},
    auth::{after_first_factor, FirstFactor, SignedIn},
    sign_in_guard,
};
use crate::{
    backend::{
        context::RequestCtx,
        identity::Actor,
        repo::{self, users::UserRecord},
        sso::{self, Pending, SsoConfig, SsoRefusal, Verified},
        tx::Tx,
    },
    contract::AppError,
    domain::{email::Email, roles::StaffRole},
};
use serde_json::json;

const SESSION_SSO: &str = "sso_pending";

/// How long the provider may take between the redirect and the callback.
fn pending_lifetime() -> chrono::TimeDelta {
    chrono::TimeDelta::minutes(10)
}

/// Whether provider sign-in is configured, and its button's text.
pub fn label(ctx: &RequestCtx) -> Option<String> {
    ctx.state().settings.sso.as_ref().map(|c| c.label.clone())
}

fn config(ctx: &RequestCtx) -> Result<&SsoConfig, AppError> {
    ctx.state().settings.sso.as_ref().ok_or(AppError::NotFound)
}

/// Starts a sign-in: the provider's URL to send the browser to; the state, nonce and PKCE
/// verifier wait in the session.
pub async fn begin(ctx: &RequestCtx) -> Result<Result<String, SsoRefusal>, AppError> {
    let cfg = config(ctx)?;
    let st = ctx.state();
    match sso::begin(cfg, &st.settings.public_url, st.now()).await {
        Ok((url, pending)) => {
            ctx.session().insert(SESSION_SSO, pending).await?;
            Ok(Ok(url))
        }
        Err(r) => Ok(Err(r)),
    }
}

/// What the provider sent back to `/auth/oidc/callback`.
pub struct Callback<'a> {
    pub code: Option<&'a str>,
    pub state: Option<&'a str>,
    /// The provider's `error` (the user cancelled, or may not use the console).
    pub error: Option<&'a str>,
}

/// Finishes a sign-in: checks the state against the session's (once), the provider's answer,
/// then signs in to the linked, matching or new staff account.
pub async fn callback(
    ctx: &RequestCtx,
    cb: Callback<'_>,
) -> Result<Result<SignedIn, SsoRefusal>, AppError> {
    let cfg = config(ctx)?;
    let st = ctx.state();
    // Taken whatever happens next: a state is good for one try.
    let pending: Option<Pending> = ctx.session().remove(SESSION_SSO).await?;
    let Some(pending) = pending.filter(|p| st.now() - p.at < pending_lifetime()) else {
        return Ok(Err(SsoRefusal::State));
    };
    if cb.state != Some(pending.state.as_str()) {
        return Ok(Err(SsoRefusal::State));
    }
    if cb.error.is_some() {
        return Ok(Err(SsoRefusal::Denied));
    }
    let Some(code) = cb.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return Ok(Err(SsoRefusal::Failed));
    };
    let verified = match sso::finish(cfg, &st.settings.public_url, &pending, code).await {
        Ok(v) => v,
        Err(r) => return Ok(Err(r)),
    };
    let user = match account_for(ctx, cfg, &verified).await? {
        Ok(u) => u,
        Err(r) => {
            tracing::info!(refusal = r.code(), "provider sign-in refused");
            return Ok(Err(r));
        }
    };
    let known = sign_in_guard::known_device(ctx, &user).await?;
    let first = if cfg.trust_mfa {
        FirstFactor::ProviderWithMfa
    } else {
        FirstFactor::Provider
    };
    Ok(Ok(after_first_factor(ctx, &user, known, first).await?))
}

/// The staff account the provider's user signs in to.
async fn account_for(
    ctx: &RequestCtx,
    cfg: &SsoConfig,
    v: &Verified,
) -> Result<Result<UserRecord, SsoRefusal>, AppError> {
    let st = ctx.state();
    let now = st.now();
    let Some(address) = v
        .email
        .as_deref()
        .filter(|_| v.email_verified)
        .and_then(|e| Email::parse(e).ok())
    else {
        return Ok(Err(SsoRefusal::Unverified));
    };
    let email = address.as_str();
    if !cfg
        .allowed_domains
        .iter()
        .any(|d| d.eq_ignore_ascii_case(address.domain()))
    {
        return Ok(Err(SsoRefusal::Domain));
    }
    let staff = |u: Option<UserRecord>| u.filter(|u| u.staff_role.is_some());
    if let Some(id) = repo::identities::user_of(&st.db, &v.issuer, &v.subject, now).await? {
        return Ok(match staff(repo::users::find(&st.db, id).await?) {
            Some(u) if u.disabled => Err(SsoRefusal::Disabled),
            Some(u) => Ok(u),
            // No longer staff: the link stays, the door does not open.
            None => Err(SsoRefusal::NoAccount),
        });
    }
    let tx = Tx::begin(&st.db).await?;
    let (user, action, role) = match repo::users::find_by_email(&tx, email).await? {
        Some(u) if u.staff_role.is_none() => return Ok(Err(SsoRefusal::NoAccount)),
        Some(u) if u.disabled => return Ok(Err(SsoRefusal::Disabled)),
        // Already linked to another user of this provider: that one signs in, not this one.
        Some(u) if repo::identities::linked(&tx, u.id, &v.issuer).await? => {
            return Ok(Err(SsoRefusal::NoAccount))
        }
        Some(u) => {
            let role = u.staff_role;
            (u, "user.sso_linked", role)
        }
        None => {
            // Never an admin: an admin account is made by an admin, then linked here.
            let Some(role) = v
                .roles
                .iter()
                .filter_map(|r| StaffRole::parse(r))
                .find(|r| *r != StaffRole::Admin)
            else {
                return Ok(Err(SsoRefusal::NoAccount));
            };
            let u = create_staff(&tx, &address, v, role, now).await?;
            (u, "user.sso_created", Some(role))
        }
    };
    repo::identities::link(&tx, user.id, &v.issuer, &v.subject, now).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            tenant: None,
            action,
            subject: &user.id.to_string(),
            before: None,
            after: Some(json!({"issuer": v.issuer, "role": role.map(|r| r.code())})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(user))
}

/// A staff account for the provider's user, named as the provider names them.
async fn create_staff(
    tx: &Tx,
    address: &Email,
    v: &Verified,
    role: StaffRole,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<UserRecord, AppError> {
    let name = v
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| address.as_str().to_owned());
    let name: String = name.chars().take(200).collect();
    let id = repo::users::insert(tx, address, &name, None, Some(role), None, now).await?;
    repo::users::find(tx, id).await?.ok_or(AppError::NotFound)
}

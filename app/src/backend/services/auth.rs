//! Signing in and out, tenant switching, language choice.

use super::{
    audit::{record, Entry},
    sign_in_guard::{self, Verdict},
};
use crate::{
    backend::{
        context::{RequestCtx, SESSION_TENANT, SESSION_USER},
        device,
        identity::Actor,
        repo,
        tx::Tx,
    },
    contract::AppError,
    domain::{ids::TenantId, locale::Locale},
};

/// What a successful sign-in leaves in the browser besides the session.
pub struct SignedIn {
    /// A `Set-Cookie` value for a browser this user had not signed in from before.
    pub device_cookie: Option<String>,
}

/// The longest email and password looked at: longer ones cannot be right, and are refused
/// before anything is counted or hashed.
const MAX_EMAIL: usize = 320;
const MAX_PASSWORD: usize = 1024;

pub async fn sign_in(ctx: &RequestCtx, email: &str, password: &str) -> Result<SignedIn, AppError> {
    let st = ctx.state();
    if email.len() > MAX_EMAIL || password.len() > MAX_PASSWORD {
        return Err(AppError::InvalidCredentials);
    }
    let account = email.trim().to_lowercase();
    let user = repo::users::find_by_email(&st.db, &account).await?;
    let verdict = sign_in_guard::check_password(ctx, &account, user.as_ref(), password).await?;
    let (Some(user), Verdict::Right { known_device }) = (user, verdict) else {
        tracing::info!("sign-in refused");
        return Err(AppError::InvalidCredentials);
    };
    // Checked after the password, so it says nothing about accounts one cannot open.
    if user.staff_role.is_none() && !repo::users::has_active_membership(&st.db, user.id).await? {
        return Err(AppError::Suspended);
    }
    let device_cookie = match known_device {
        Some(d) => {
            repo::throttle::touch_device(&st.db, d, st.now()).await?;
            None
        }
        None => {
            let (token, hash) = device::new_token();
            repo::throttle::add_device(&st.db, user.id.0, &hash, st.now()).await?;
            Some(device::set_cookie(
                &token,
                st.settings.public_url.starts_with("https://"),
            ))
        }
    };
    start_session(ctx, &user).await?;
    Ok(SignedIn { device_cookie })
}

/// A new session for `user` (a new id defeats session fixation), in the audit log.
async fn start_session(ctx: &RequestCtx, user: &repo::users::UserRecord) -> Result<(), AppError> {
    let st = ctx.state();
    let session = ctx.session();
    session.cycle_id().await?;
    session.insert(SESSION_USER, user.id).await?;
    session.remove::<TenantId>(SESSION_TENANT).await?;
    record(
        &st.db,
        st.now(),
        Entry::<(), ()> {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            tenant: None,
            action: "user.sign_in",
            subject: &user.id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(())
}

pub async fn sign_out(ctx: &RequestCtx) -> Result<(), AppError> {
    // Deletes the row in the store, so a copied cookie is useless afterwards.
    ctx.session().flush().await?;
    Ok(())
}

pub async fn switch_tenant(ctx: &RequestCtx, tenant: TenantId) -> Result<(), AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    if !user.memberships.iter().any(|m| m.tenant_id == tenant) {
        return Err(AppError::NotFound);
    }
    ctx.session().insert(SESSION_TENANT, tenant).await?;
    Ok(())
}

pub async fn set_locale(ctx: &RequestCtx, raw: &str) -> Result<(), AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    let locale = Locale::parse(raw).ok_or_else(|| {
        let mut e = crate::domain::validation::FieldErrors::new();
        e.add(
            "locale",
            crate::domain::validation::FieldCode::InvalidLocale,
        );
        AppError::from(e)
    })?;
    let tx = Tx::begin(&ctx.state().db).await?;
    repo::users::update_locale(&tx, user.id, locale).await?;
    Ok(tx.commit().await?)
}

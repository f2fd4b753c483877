//! Signing in and out, tenant switching, language choice.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::verify_password,
        context::{RequestCtx, SESSION_TENANT, SESSION_USER},
        identity::Actor,
        repo,
        tx::Tx,
    },
    contract::AppError,
    domain::{ids::TenantId, locale::Locale},
};

/// Refuses with the time to wait if `key` failed `limit` times within the window.
async fn check_throttle(ctx: &RequestCtx, key: &str, limit: u64) -> Result<(), AppError> {
    let st = ctx.state();
    let now = st.now();
    let window = st.settings.throttle.window;
    let recent = repo::throttle::recent(&st.db, key, now - window, limit).await?;
    if recent.len() as u64 >= limit {
        if let Some(oldest) = recent.last() {
            let wait = (*oldest + window - now).num_seconds().max(1) as u64;
            return Err(AppError::Throttled {
                retry_after_secs: wait,
            });
        }
    }
    Ok(())
}

pub async fn sign_in(ctx: &RequestCtx, email: &str, password: &str) -> Result<(), AppError> {
    let st = ctx.state();
    let account_key = format!("account:{}", email.trim().to_lowercase());
    let ip_key = ctx.client_ip().map(|ip| format!("ip:{ip}"));
    check_throttle(ctx, &account_key, st.settings.throttle.per_account).await?;
    if let Some(k) = &ip_key {
        check_throttle(ctx, k, st.settings.throttle.per_ip).await?;
    }
    let user = repo::users::find_by_email(&st.db, email).await?;
    let hash = user
        .as_ref()
        .filter(|u| !u.disabled)
        .and_then(|u| u.password_hash.clone());
    let ok = verify_password(password.to_owned(), hash.clone()).await? && hash.is_some();
    let Some(user) = user.filter(|_| ok) else {
        let now = st.now();
        repo::throttle::record(&st.db, &account_key, now).await?;
        if let Some(k) = &ip_key {
            repo::throttle::record(&st.db, k, now).await?;
        }
        tracing::info!("sign-in refused");
        return Err(AppError::InvalidCredentials);
    };
    // Checked after the password, so it says nothing about accounts one cannot open.
    if user.staff_role.is_none() && !repo::users::has_active_membership(&st.db, user.id).await? {
        return Err(AppError::Suspended);
    }
    repo::throttle::clear(&st.db, &account_key).await?;
    let session = ctx.session();
    // A new id at sign-in defeats session fixation.
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

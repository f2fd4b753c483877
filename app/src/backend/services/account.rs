//! One's own account: the sessions it is signed in with (each can be ended), changing the
//! password (the current one required, other sessions signed
//! out) and resetting a forgotten one by email (OWASP's Forgot Password Cheat Sheet,
//! <https://cheatsheetseries.owasp.org/cheatsheets/Forgot_Password_Cheat_Sheet.html>): the
//! same answer whether the address exists, a 256-bit single-use token stored hashed, 30
//! minutes to use it, every session ended after the reset, no automatic sign-in, throttled.

use super::{
    audit::{record, Entry},
    invitations::token_hash,
    sign_in_guard::{self, Verdict},
};
use crate::{
    backend::{
        context::{RequestCtx, SignedInMeta, SESSION_SIGNED_IN},
        identity::Actor,
        outbox::{EmailMessage, NewEmail},
        password::{check_new, hash_password},
        repo::{self, users::UserRecord},
        state::AppState,
        tx::Tx,
    },
    contract::{AppError, SessionView},
    domain::{
        locale::Locale,
        validation::{FieldCode, FieldErrors},
    },
    i18n::T,
};
use chrono::TimeDelta;
use sha2::{Digest, Sha256};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 30;
/// Reset emails one account can be sent per throttle window (15 minutes).
const RESETS_PER_ACCOUNT: i32 = 3;
/// Reset requests, and reset links tried, from one client address per window.
const RESETS_PER_CLIENT: i32 = 10;

fn base_url(st: &AppState) -> String {
    st.settings.public_url.trim_end_matches('/').to_owned()
}

/// Tells the user their password changed, in the same transaction as the change.
async fn notify_changed(st: &AppState, tx: &Tx, user: &UserRecord) -> Result<(), AppError> {
    repo::outbox::insert(
        tx,
        &NewEmail {
            tenant: None,
            recipient: user.email.clone(),
            locale: user.locale.unwrap_or_default(),
            message: EmailMessage::PasswordChanged {
                url: format!("{}/forgot-password", base_url(st)),
            },
        },
        st.now(),
    )
    .await?;
    Ok(())
}

fn actor_of(user: &UserRecord) -> Actor {
    Actor::User {
        id: user.id,
        email: user.email.clone(),
    }
}

/// Changes the signed-in user's password. The current one is checked like a sign-in (same
/// limits); every other session of the user ends.
pub async fn change_password(
    ctx: &RequestCtx,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    let user = repo::users::find(&st.db, me.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let mut errs = FieldErrors::new();
    errs.take(
        "password",
        check_new(new, confirm, &[&user.email, &user.name]),
    );
    errs.into_result()?;
    let verdict = sign_in_guard::check_password(ctx, &user.email, Some(&user), current).await?;
    if !matches!(verdict, Verdict::Right { .. }) {
        let mut e = FieldErrors::new();
        e.add("current", FieldCode::WrongPassword);
        return Err(e.into());
    }
    let hash = hash_password(new.to_owned()).await?;
    // This session moves to a new id (its row is written when the answer goes out); every
    // row of the user's sessions, the old id of this one included, is deleted.
    ctx.session().cycle_id().await?;
    let tx = Tx::begin(&st.db).await?;
    repo::users::update_password(&tx, user.id, None, &hash).await?;
    let ended = repo::sessions::delete_for_user(&tx, user.id).await?;
    notify_changed(st, &tx, &user).await?;
    record(
        &tx,
        st.now(),
        Entry::<(), _> {
            actor: &actor_of(&user),
            tenant: None,
            action: "user.password_change",
            subject: &user.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"other_sessions_ended": ended})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a reset link if `email` is an active account's. The answer is the same either way.
pub async fn request_reset(ctx: &RequestCtx, email: &str) -> Result<(), AppError> {
    let st = ctx.state();
    if let Some(key) = sign_in_guard::client_key(ctx, "reset-ip") {
        sign_in_guard::limit(st, &key, RESETS_PER_CLIENT).await?;
    }
    let account = email.trim().to_lowercase();
    if account.is_empty() || account.len() > 320 {
        return Ok(());
    }
    // Counted for unknown addresses too, so the throttle says nothing about who exists.
    sign_in_guard::limit(st, &format!("reset:{account}"), RESETS_PER_ACCOUNT).await?;
    let Some(user) = repo::users::find_by_email(&st.db, &account)
        .await?
        .filter(|u| !u.disabled)
    else {
        tracing::info!("password reset asked for an unknown or disabled address");
        return Ok(());
    };
    let (token, hash) = super::invitations::new_token();
    let now = st.now();
    let expires_at = now + TimeDelta::minutes(RESET_MINUTES);
    let tx = Tx::begin(&st.db).await?;
    repo::resets::insert(&tx, user.id, &hash, now, expires_at).await?;
    repo::outbox::insert(
        &tx,
        &NewEmail {
            tenant: None,
            recipient: user.email.clone(),
            locale: user.locale.unwrap_or_default(),
            // Built from the configured public URL, never from the request's Host.
            message: EmailMessage::PasswordReset {
                url: format!("{}/reset-password/{token}", base_url(st)),
                expires_at,
            },
        },
        now,
    )
    .await?;
    record(
        &tx,
        now,
        Entry::<(), ()> {
            actor: &actor_of(&user),
            tenant: None,
            action: "user.password_reset_request",
            subject: &user.id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link can still be used (the page shows the form, or says it cannot).
pub async fn reset_link_valid(ctx: &RequestCtx, token: &str) -> Result<bool, AppError> {
    let st = ctx.state();
    Ok(
        repo::resets::find_valid(&st.db, &token_hash(token), st.now())
            .await?
            .is_some(),
    )
}

/// Sets a new password from a reset link, ends every session of the user and uses the link
/// (and any other open one). The user then signs in.
pub async fn reset_password(
    ctx: &RequestCtx,
    token: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let st = ctx.state();
    if let Some(key) = sign_in_guard::client_key(ctx, "reset-link-ip") {
        sign_in_guard::limit(st, &key, RESETS_PER_CLIENT).await?;
    }
    let now = st.now();
    let (id, user_id) = repo::resets::find_valid(&st.db, &token_hash(token), now)
        .await?
        .ok_or(AppError::ResetLinkInvalid)?;
    let user = repo::users::find(&st.db, user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(AppError::ResetLinkInvalid)?;
    let mut errs = FieldErrors::new();
    errs.take(
        "password",
        check_new(new, confirm, &[&user.email, &user.name]),
    );
    errs.into_result()?;
    let hash = hash_password(new.to_owned()).await?;
    let tx = Tx::begin(&st.db).await?;
    if !repo::resets::consume(&tx, id, user.id, now).await? {
        return Err(AppError::ResetLinkInvalid);
    }
    repo::users::update_password(&tx, user.id, None, &hash).await?;
    let ended = repo::sessions::delete_for_user(&tx, user.id).await?;
    notify_changed(st, &tx, &user).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: &actor_of(&user),
            tenant: None,
            action: "user.password_reset",
            subject: &user.id.to_string(),
            before: None,
            after: Some(serde_json::json!({"sessions_ended": ended})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The most sessions listed (a user rarely has more than a few).
const SESSIONS_SHOWN: u64 = 50;

/// How a session is named on the page: a hash of its id, never the id (the cookie's secret).
fn handle_of(id: &str) -> String {
    hex::encode(&Sha256::digest(id.as_bytes())[..16])
}

/// The signed-in user's live sessions, latest activity first.
pub async fn list_sessions(ctx: &RequestCtx) -> Result<Vec<SessionView>, AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    let current = ctx.session().id().map(|id| handle_of(&id.to_string()));
    let now = chrono::Utc::now();
    let l = ctx.locale();
    let rows = repo::sessions::list_for_user(&st.db, me.id, SESSIONS_SHOWN).await?;
    Ok(rows
        .into_iter()
        // Expiry is kept by the session layer on the system clock.
        .filter(|(_, _, expires)| *expires > now)
        .map(|(id, data, expires)| {
            let meta = serde_json::from_str::<serde_json::Value>(&data)
                .ok()
                .and_then(|r| {
                    serde_json::from_value::<SignedInMeta>(r["data"][SESSION_SIGNED_IN].clone())
                        .ok()
                });
            let handle = handle_of(&id);
            SessionView {
                current: current.as_deref() == Some(handle.as_str()),
                handle,
                device: device_text(meta.as_ref().map_or("", |m| m.agent.as_str()), l),
                place: meta.as_ref().and_then(|m| m.place.clone()),
                signed_in_at: meta.map(|m| m.at),
                last_seen_at: expires - st.settings.session_idle,
            }
        })
        .collect())
}

fn device_text(agent: &str, l: Locale) -> String {
    match crate::domain::device::device_of(agent) {
        (Some(b), Some(s)) => T::DeviceOn.fill(l, &[b, s]),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => T::UnknownDevice.get(l).to_owned(),
    }
}

/// Ends one of the user's sessions (their current one is a sign-out).
pub async fn end_session(ctx: &RequestCtx, handle: &str) -> Result<(), AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    let rows = repo::sessions::list_for_user(&st.db, me.id, SESSIONS_SHOWN).await?;
    let Some((id, _, _)) = rows.iter().find(|(id, _, _)| handle_of(id) == handle) else {
        return Err(AppError::NotFound);
    };
    let tx = Tx::begin(&st.db).await?;
    if !repo::sessions::delete_of_user(&tx, me.id, id).await? {
        return Err(AppError::NotFound);
    }
    audit_sessions_ended(&tx, st, ctx, 1).await?;
    tx.commit().await?;
    if ctx.session().id().is_some_and(|s| s.to_string() == *id) {
        ctx.session().flush().await?;
    }
    Ok(())
}

/// Ends every session of the user but this one.
pub async fn end_other_sessions(ctx: &RequestCtx) -> Result<u64, AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    // This session moves to a new id; every row of the user's, its old one included, goes.
    ctx.session().cycle_id().await?;
    let tx = Tx::begin(&st.db).await?;
    let ended = repo::sessions::delete_for_user(&tx, me.id).await?;
    audit_sessions_ended(&tx, st, ctx, ended).await?;
    tx.commit().await?;
    Ok(ended)
}

async fn audit_sessions_ended(
    tx: &Tx,
    st: &AppState,
    ctx: &RequestCtx,
    ended: u64,
) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    let subject = actor.user_id().map(|u| u.to_string()).unwrap_or_default();
    record(
        tx,
        st.now(),
        Entry::<(), _> {
            actor: &actor,
            tenant: None,
            action: "user.sessions_end",
            subject: &subject,
            before: None,
            after: Some(serde_json::json!({"ended": ended})),
        },
    )
    .await
}

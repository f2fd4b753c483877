//! Sign-in, sign-out, the session's user, tenant switching, language, invitations.

use crate::contract::{AppError, *};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::{go_to, respond, set_cookie},
    crate::backend::{context::RequestCtx, services},
};

/// The signed-in user (if any) and the interface language.
#[server(endpoint = "session")]
pub async fn get_session() -> Result<SessionInfo, AppError> {
    respond(async { Ok(RequestCtx::load().await?.session_info()) }).await
}

/// The sign-in page's other way in: the organisation's OpenID provider's button text, when
/// one is configured.
#[server(endpoint = "sign_in_options")]
pub async fn sign_in_options() -> Result<Option<String>, AppError> {
    respond(async { Ok(services::sso::label(&RequestCtx::load().await?)) }).await
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let signed_in = services::auth::sign_in(&ctx, &email, &password).await?;
        after_sign_in(signed_in, next.as_deref())
    })
    .await
}

/// Where a sign-in step goes: its next step, else the page asked for.
#[cfg(feature = "ssr")]
fn after_sign_in(
    signed_in: crate::backend::services::auth::SignedIn,
    next: Option<&str>,
) -> Result<String, AppError> {
    if let Some(cookie) = signed_in.device_cookie {
        set_cookie(&cookie)?;
    }
    let next = crate::domain::safe_next(next);
    Ok(go_to(&match signed_in.next {
        Some(step) => format!(
            "{step}?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ),
        None => next,
    }))
}

/// The second step of a sign-in: a code from the authenticator app, or a recovery code.
#[server(endpoint = "sign_in_code")]
pub async fn sign_in_code(code: String, next: Option<String>) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let signed_in = services::auth::sign_in_code(&ctx, &code).await?;
        after_sign_in(signed_in, next.as_deref())
    })
    .await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<String, AppError> {
    respond(async {
        let ctx = RequestCtx::load().await?;
        services::auth::sign_out(&ctx).await?;
        Ok(go_to("/sign-in"))
    })
    .await
}

#[server(endpoint = "switch_tenant")]
pub async fn switch_tenant(tenant_id: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let id = tenant_id.parse().map_err(|_| AppError::NotFound)?;
        services::auth::switch_tenant(&ctx, id).await?;
        Ok(go_to(&format!("/tenants/{id}")))
    })
    .await
}

/// Returns an empty path: the page reloads itself (without JavaScript the browser is sent
/// back to the page it came from).
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::auth::set_locale(&ctx, &locale).await?;
        Ok(String::new())
    })
    .await
}

#[server(endpoint = "invite_preview")]
pub async fn get_invite_preview(token: String) -> Result<InvitePreview, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::invitations::preview(ctx.state(), &token).await
    })
    .await
}

#[server(endpoint = "accept_invite")]
pub async fn accept_invite(
    token: String,
    name: String,
    password: String,
    confirm: String,
) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let next = services::invitations::accept(&ctx, &token, &name, &password, &confirm).await?;
        Ok(go_to(&next))
    })
    .await
}

/// Sends a password reset link if the address is an account's; the answer never says.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::request_reset(&ctx, &email).await?;
        Ok(go_to("/forgot-password?flash=reset_sent"))
    })
    .await
}

/// Whether a reset link can still be used.
#[server(endpoint = "reset_link")]
pub async fn reset_link(token: String) -> Result<bool, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::reset_link_valid(&ctx, &token).await
    })
    .await
}

/// Sets a new password from a reset link; the user then signs in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::reset_password(&ctx, &token, &password, &confirm).await?;
        Ok(go_to("/sign-in?flash=password_reset"))
    })
    .await
}

/// Changes the signed-in user's password (the current one required).
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::change_password(&ctx, &current, &password, &confirm).await?;
        Ok(go_to("/account?flash=password_changed"))
    })
    .await
}

/// The signed-in user's sessions.
#[server(endpoint = "list_my_sessions")]
pub async fn list_my_sessions() -> Result<Vec<SessionView>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::list_sessions(&ctx).await
    })
    .await
}

/// Ends one of the user's sessions (their own: a sign-out).
#[server(endpoint = "end_session")]
pub async fn end_session(handle: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::end_session(&ctx, &handle).await?;
        Ok(go_to("/account"))
    })
    .await
}

/// Ends every other session of the user.
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::account::end_other_sessions(&ctx).await?;
        Ok(go_to("/account"))
    })
    .await
}

/// The user's two-factor state.
#[server(endpoint = "two_factor_status")]
pub async fn get_two_factor() -> Result<TwoFactorStatus, AppError> {
    respond(async move { services::two_factor::status(&RequestCtx::load().await?).await }).await
}

/// Starts enrolment in two-factor sign-in: a new secret, as a QR code and as text.
#[server(endpoint = "begin_two_factor")]
pub async fn begin_two_factor() -> Result<TwoFactorSetup, AppError> {
    respond(async move { services::two_factor::begin(&RequestCtx::load().await?).await }).await
}

/// Confirms enrolment with a first code; the recovery codes are shown next.
#[server(endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String, next: Option<String>) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::two_factor::confirm(&ctx, &code).await?;
        let next = crate::domain::safe_next(next.as_deref());
        Ok(go_to(&format!(
            "/account/recovery-codes?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        )))
    })
    .await
}

/// The recovery codes just made, once.
#[server(endpoint = "take_recovery_codes")]
pub async fn take_recovery_codes() -> Result<Vec<String>, AppError> {
    respond(
        async move { services::two_factor::take_recovery_codes(&RequestCtx::load().await?).await },
    )
    .await
}

/// Turns the user's own second factor off (their password required).
#[server(endpoint = "disable_two_factor")]
pub async fn disable_two_factor(off_password: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::two_factor::disable(&ctx, &off_password).await?;
        Ok(go_to("/account?flash=two_factor_off"))
    })
    .await
}

/// An admin resets a user's second factor.
#[server(endpoint = "reset_two_factor")]
pub async fn reset_two_factor(user: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = crate::backend::auth::platform_scope(
            &ctx,
            crate::domain::roles::PlatformAction::ManageStaff,
        )?;
        let id = user.parse().map_err(|_| AppError::NotFound)?;
        services::two_factor::reset(&scope, id).await
    })
    .await
}

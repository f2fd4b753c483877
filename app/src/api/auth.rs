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

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let signed_in = services::auth::sign_in(&ctx, &email, &password).await?;
        if let Some(cookie) = signed_in.device_cookie {
            set_cookie(&cookie)?;
        }
        Ok(go_to(&crate::domain::safe_next(next.as_deref())))
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

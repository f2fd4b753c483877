//! BSP staff management (admins only).

use crate::contract::{AppError, StaffPage};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::roles::PlatformAction,
    },
};

#[cfg(feature = "ssr")]
fn id<T: std::str::FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

#[server(endpoint = "get_staff")]
pub async fn get_staff() -> Result<StaffPage, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::staff::page(&auth::platform_scope(&ctx, PlatformAction::ManageStaff)?).await
    })
    .await
}

#[server(endpoint = "invite_staff")]
pub async fn invite_staff(email: String, role: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::staff::invite(
            &auth::platform_scope(&ctx, PlatformAction::ManageStaff)?,
            &email,
            &role,
        )
        .await
        .map(|_| ())
    })
    .await
}

#[server(endpoint = "revoke_staff_invitation")]
pub async fn revoke_staff_invitation(invitation: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageStaff)?;
        services::staff::revoke(&scope, id(&invitation)?).await
    })
    .await
}

#[server(endpoint = "set_staff_role")]
pub async fn set_staff_role(user: String, role: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageStaff)?;
        services::staff::set_role(&scope, id(&user)?, &role).await
    })
    .await
}

#[server(endpoint = "set_staff_disabled")]
pub async fn set_staff_disabled(user: String, disabled: bool) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageStaff)?;
        services::staff::set_disabled(&scope, id(&user)?, disabled).await
    })
    .await
}

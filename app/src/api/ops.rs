//! Operations views: the email outbox (admins) and the audit log (admins: all; tenant
//! owners: their tenant's).

use super::{types::*, AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::error::respond, crate::backend::{auth, context::RequestCtx, services}, crate::domain::roles::{PlatformAction, TenantAction}};

#[server(endpoint = "list_outbox")]
pub async fn list_outbox() -> Result<Vec<OutboxRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageOutbox)?;
        services::outbox::list(&scope).await
    })
    .await
}

#[server(endpoint = "resend_email")]
pub async fn resend_email(id: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageOutbox)?;
        let id = id.parse().map_err(|_| AppError::NotFound)?;
        services::outbox::requeue(&scope, id).await
    })
    .await
}

/// The audit log: everything for admins, the active tenant's entries for its owner.
#[server(endpoint = "list_audit")]
pub async fn list_audit() -> Result<Vec<AuditRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        match auth::platform_scope(&ctx, PlatformAction::ViewAudit) {
            Ok(scope) => return services::audit::list_all(&scope).await,
            Err(AppError::Forbidden) => {}
            Err(e) => return Err(e),
        }
        let tenant = ctx.active_tenant().ok_or(AppError::Forbidden)?;
        let scope = auth::tenant_scope_for(&ctx, tenant, TenantAction::ManageUsers).await?;
        services::audit::list_for_tenant(&scope).await
    })
    .await
}

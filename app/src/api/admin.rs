//! Operations views: the email outbox (admins) and the audit log (admins: all; tenant
//! owners: their tenant's).

use crate::contract::{AppError, *};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::roles::{PlatformAction, TenantAction},
    },
};

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

/// The audit log: admins see everything (or one tenant's entries), a tenant's owners see
/// that tenant's (the active one unless `tenant` names another of theirs).
#[server(endpoint = "list_audit")]
pub async fn list_audit(tenant: Option<String>) -> Result<Vec<AuditRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let tenant = tenant.filter(|t| !t.is_empty());
        match (
            auth::platform_scope(&ctx, PlatformAction::ViewAudit),
            &tenant,
        ) {
            (Ok(scope), None) => return services::audit::list_all(&scope).await,
            (Ok(_), Some(_)) | (Err(AppError::Forbidden), _) => {}
            (Err(e), _) => return Err(e),
        }
        let scope = match tenant {
            Some(raw) => auth::tenant_scope(&ctx, &raw, TenantAction::ManageUsers).await?,
            None => {
                auth::tenant_scope_for(
                    &ctx,
                    ctx.active_tenant().ok_or(AppError::Forbidden)?,
                    TenantAction::ManageUsers,
                )
                .await?
            }
        };
        services::audit::list_for_tenant(&scope).await
    })
    .await
}

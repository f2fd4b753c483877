//! Tenant onboarding and tenant users: list, create, detail, suspend, WhatsApp assets,
//! invitations.
// A server function's arguments are its form's fields, so a form of nine fields takes nine.
#![allow(clippy::too_many_arguments)]

use crate::contract::{AppError, *};

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::{
            roles::{PlatformAction, TenantAction},
            tenant::{PhoneNumberForm, TenantForm},
        },
    },
};

#[cfg(feature = "ssr")]
fn tenant_id(raw: &str) -> Result<crate::domain::ids::TenantId, AppError> {
    // A malformed id is a tenant that does not exist, not a bad request.
    raw.parse().map_err(|_| AppError::NotFound)
}

#[server(endpoint = "list_tenants")]
pub async fn list_tenants(
    q: Option<String>,
    status: Option<String>,
    page: Option<u64>,
) -> Result<TenantPage, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ViewTenants)?;
        services::tenants::list(
            &scope,
            q.as_deref().unwrap_or(""),
            status.as_deref(),
            page.unwrap_or(1),
        )
        .await
    })
    .await
}

#[server(endpoint = "list_staff")]
pub async fn list_staff() -> Result<Vec<StaffOption>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        services::tenants::staff_options(&scope).await
    })
    .await
}

#[server(endpoint = "create_tenant")]
pub async fn create_tenant(
    legal_name: String,
    display_name: String,
    country: String,
    locale: String,
    billing_email: String,
    alert_emails: String,
    currency: String,
    account_manager: String,
    waba_id: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        let form = TenantForm {
            legal_name,
            display_name,
            country,
            locale,
            billing_email,
            alert_emails,
            currency,
            account_manager,
            waba_id,
        };
        let id = services::tenants::create(&scope, &form).await?;
        leptos_axum::redirect(&format!("/tenants/{id}?flash=tenant_created"));
        Ok(())
    })
    .await
}

#[server(endpoint = "update_tenant")]
pub async fn update_tenant(
    id: String,
    legal_name: String,
    display_name: String,
    country: String,
    locale: String,
    billing_email: String,
    alert_emails: String,
    currency: String,
    account_manager: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        let form = TenantForm {
            legal_name,
            display_name,
            country,
            locale,
            billing_email,
            alert_emails,
            currency,
            account_manager,
            waba_id: String::new(),
        };
        let id = tenant_id(&id)?;
        services::tenants::update(&scope, id, &form).await?;
        leptos_axum::redirect(&format!("/tenants/{id}?flash=saved"));
        Ok(())
    })
    .await
}

#[server(endpoint = "get_tenant")]
pub async fn get_tenant(id: String) -> Result<TenantDetail, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &id, TenantAction::View).await?;
        services::tenants::detail(&scope).await
    })
    .await
}

#[server(endpoint = "set_tenant_status")]
pub async fn set_tenant_status(id: String, status: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        services::tenants::set_status(&scope, tenant_id(&id)?, &status).await
    })
    .await
}

/// Staff admins: the tenant's own Graph API token (`clear` removes it).
#[server(endpoint = "set_tenant_graph_token")]
pub async fn set_tenant_graph_token(
    id: String,
    token: String,
    #[server(default)] clear: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        services::tenants::set_graph_token(&scope, tenant_id(&id)?, &token, !clear.is_empty()).await
    })
    .await
}

/// Staff: the time zone of one of the tenant's WhatsApp business accounts.
#[server(endpoint = "set_waba_time_zone")]
pub async fn set_waba_time_zone(
    tenant: String,
    waba: String,
    time_zone: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        services::tenants::set_waba_time_zone(&scope, tenant_id(&tenant)?, &waba, &time_zone).await
    })
    .await
}

#[server(endpoint = "add_phone_number")]
pub async fn add_phone_number(
    tenant: String,
    waba: String,
    number: String,
    phone_number_id: String,
    display_name: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManageTenants)?;
        let form = PhoneNumberForm {
            number,
            phone_number_id,
            display_name,
        };
        services::tenants::add_phone_number(&scope, tenant_id(&tenant)?, &waba, &form)
            .await
            .map(|_| ())
    })
    .await
}

#[server(endpoint = "invite_user")]
pub async fn invite_user(tenant: String, email: String, role: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::ManageUsers).await?;
        services::invitations::invite(&scope, &email, &role)
            .await
            .map(|_| ())
    })
    .await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(tenant: String, invitation: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::ManageUsers).await?;
        let id = invitation.parse().map_err(|_| AppError::NotFound)?;
        services::invitations::resend(&scope, id).await
    })
    .await
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(tenant: String, invitation: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::ManageUsers).await?;
        let id = invitation.parse().map_err(|_| AppError::NotFound)?;
        services::invitations::revoke(&scope, id).await
    })
    .await
}

#[server(endpoint = "set_member_role")]
pub async fn set_member_role(tenant: String, user: String, role: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::ManageUsers).await?;
        let user = user.parse().map_err(|_| AppError::NotFound)?;
        services::members::set_role(&scope, user, &role).await
    })
    .await
}

#[server(endpoint = "remove_member")]
pub async fn remove_member(tenant: String, user: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::ManageUsers).await?;
        let user = user.parse().map_err(|_| AppError::NotFound)?;
        services::members::remove(&scope, user).await
    })
    .await
}

//! Templates, tenant side: list, create a draft, view it with its pre-check, submit it.
// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use super::{types::*, AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::error::respond, crate::backend::{auth, context::RequestCtx, services}, crate::domain::{roles::TenantAction, template::draft::DraftForm}};

#[server(endpoint = "list_templates")]
pub async fn list_templates(tenant: String) -> Result<Vec<TemplateRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::templates::list(&auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?).await
    })
    .await
}

/// What the builder needs; answers 403/404 to those who may not create templates here.
#[server(endpoint = "template_builder")]
pub async fn template_builder(tenant: String) -> Result<String, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        Ok(scope.tenant_id().to_string())
    })
    .await
}

#[server(endpoint = "create_template")]
pub async fn create_template(tenant: String, name: String, language: String, category: String, header: String, body: String, footer: String, examples: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let form = DraftForm { name, language, category, header, body, footer, examples };
        let id = services::templates::create(&scope, &form).await?;
        leptos_axum::redirect(&format!("/tenants/{}/templates/{id}", scope.tenant_id()));
        Ok(())
    })
    .await
}

#[server(endpoint = "get_template")]
pub async fn get_template(tenant: String, id: String) -> Result<TemplateDetail, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?;
        services::templates::detail(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

#[server(endpoint = "submit_template")]
pub async fn submit_template(tenant: String, id: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        services::templates::submit(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

/// The review queue across tenants (reviewers and admins).
#[server(endpoint = "list_review_queue")]
pub async fn list_review_queue() -> Result<Vec<QueueRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::templates::queue(&auth::platform_scope(&ctx, crate::domain::roles::PlatformAction::ReviewTemplates)?).await
    })
    .await
}

#[server(endpoint = "decide_template")]
pub async fn decide_template(tenant: String, id: String, decision: String, reason: String, note: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, crate::domain::roles::PlatformAction::ReviewTemplates)?;
        let d = crate::domain::template::review::Decision::parse(&decision, &reason, &note)?;
        let tenant = tenant.parse().map_err(|_| AppError::NotFound)?;
        let id = id.parse().map_err(|_| AppError::NotFound)?;
        services::templates::decide(&scope, tenant, id, &d).await
    })
    .await
}

#[server(endpoint = "edit_template")]
pub async fn edit_template(tenant: String, id: String, category: String, header: String, body: String, footer: String, examples: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let tid = id.parse().map_err(|_| AppError::NotFound)?;
        // Name and language are the template's identity: the service keeps them.
        let form = DraftForm { category, header, body, footer, examples, ..Default::default() };
        services::templates::edit(&scope, tid, &form).await?;
        leptos_axum::redirect(&format!("/tenants/{}/templates/{id}", scope.tenant_id()));
        Ok(())
    })
    .await
}

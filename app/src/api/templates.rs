//! Templates, tenant side: list, create a draft, view it with its pre-check, submit it.
// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::contract::{AppError, *};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::{roles::TenantAction, template::draft::DraftForm},
    },
};

#[server(endpoint = "list_templates")]
pub async fn list_templates(tenant: String) -> Result<Vec<TemplateRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::templates::list(&auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?)
            .await
    })
    .await
}

/// What the builder needs (the tenant, its verified link domains for the live pre-check);
/// answers 403/404 to those who may not create templates here.
#[server(endpoint = "template_builder")]
pub async fn template_builder(tenant: String) -> Result<BuilderInfo, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let verified_domains = services::domains::list(&scope)
            .await?
            .into_iter()
            .filter(|d| d.verified_at.is_some())
            .map(|d| d.domain)
            .collect();
        Ok(BuilderInfo {
            tenant: scope.tenant_id().to_string(),
            verified_domains,
        })
    })
    .await
}

/// The builder's optional parts, as the form sends them (absent when the section is).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Extras {
    pub header_format: Option<String>,
    pub header_example: Option<String>,
    pub header_sample: Option<String>,
    pub button_kind: Option<Vec<String>>,
    pub button_text: Option<Vec<String>>,
    pub button_value: Option<Vec<String>>,
    pub button_example: Option<Vec<String>>,
    pub security_recommendation: Option<String>,
    pub code_expiration: Option<String>,
    pub otp_type: Option<String>,
    pub otp_button_text: Option<String>,
    pub autofill_text: Option<String>,
    pub package_name: Option<String>,
    pub signature_hash: Option<String>,
    pub zero_tap_terms: Option<String>,
}

#[cfg(feature = "ssr")]
fn draft(
    name: String,
    language: String,
    category: String,
    header: String,
    body: String,
    footer: String,
    examples: String,
    x: Extras,
) -> DraftForm {
    use crate::domain::template::draft::{ButtonForm, OtpForm, MAX_BUTTON_ROWS};
    let (kinds, texts, values, samples) = (
        x.button_kind.unwrap_or_default(),
        x.button_text.unwrap_or_default(),
        x.button_value.unwrap_or_default(),
        x.button_example.unwrap_or_default(),
    );
    let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    let buttons = (0..kinds.len().min(MAX_BUTTON_ROWS))
        .map(|i| ButtonForm {
            kind: at(&kinds, i),
            text: at(&texts, i),
            value: at(&values, i),
            example: at(&samples, i),
        })
        .collect();
    DraftForm {
        name,
        language,
        category,
        header,
        body,
        footer,
        examples,
        header_format: x.header_format.unwrap_or_default(),
        header_example: x.header_example.unwrap_or_default(),
        header_sample: x.header_sample.unwrap_or_default(),
        buttons,
        otp: OtpForm {
            security_recommendation: x.security_recommendation.is_some(),
            code_expiration: x.code_expiration.unwrap_or_default(),
            otp_type: x.otp_type.unwrap_or_default(),
            button_text: x.otp_button_text.unwrap_or_default(),
            autofill_text: x.autofill_text.unwrap_or_default(),
            package_name: x.package_name.unwrap_or_default(),
            signature_hash: x.signature_hash.unwrap_or_default(),
            zero_tap_terms: x.zero_tap_terms.is_some(),
        },
    }
}

#[server(endpoint = "create_template")]
pub async fn create_template(
    tenant: String,
    name: String,
    language: String,
    category: String,
    header: String,
    body: String,
    footer: String,
    examples: String,
    category_consent: Option<String>,
    #[server(flatten)] extras: Extras,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let form = draft(
            name, language, category, header, body, footer, examples, extras,
        );
        let id = services::templates::create(&scope, &form, category_consent.is_some()).await?;
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

#[server(endpoint = "edit_template")]
pub async fn edit_template(
    tenant: String,
    id: String,
    category: String,
    header: String,
    body: String,
    footer: String,
    examples: String,
    category_consent: Option<String>,
    #[server(flatten)] extras: Extras,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let tid = id.parse().map_err(|_| AppError::NotFound)?;
        // Name and language are the template's identity: the service keeps them.
        let form = draft(
            String::new(),
            String::new(),
            category,
            header,
            body,
            footer,
            examples,
            extras,
        );
        services::templates::edit(&scope, tid, &form, category_consent.is_some()).await?;
        leptos_axum::redirect(&format!("/tenants/{}/templates/{id}", scope.tenant_id()));
        Ok(())
    })
    .await
}

/// Every revision of a template with what changed each time.
#[server(endpoint = "template_history")]
pub async fn template_history(tenant: String, id: String) -> Result<Vec<RevisionView>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?;
        services::templates::history(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

/// The tenant's link domains (verified or waiting for staff).
#[server(endpoint = "list_domains")]
pub async fn list_domains(tenant: String) -> Result<Vec<DomainRow>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::domains::list(&auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?).await
    })
    .await
}

#[server(endpoint = "declare_domain")]
pub async fn declare_domain(tenant: String, domain: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::domains::declare(
            &auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?,
            &domain,
        )
        .await
    })
    .await
}

#[server(endpoint = "remove_domain")]
pub async fn remove_domain(tenant: String, id: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        services::domains::remove(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

//! The BSP's review of templates (reviewers and admins): the queue, claims, decisions.
// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::contract::{AppError, *};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, scope::PlatformScope, services},
        domain::{
            ids::{TemplateId, TenantId},
            roles::PlatformAction,
            template::review::{Decision, QueueFilter},
        },
    },
};

#[cfg(feature = "ssr")]
async fn reviewer() -> Result<PlatformScope, AppError> {
    auth::platform_scope(&RequestCtx::load().await?, PlatformAction::ReviewTemplates)
}

#[cfg(feature = "ssr")]
fn ids(tenant: &str, id: &str) -> Result<(TenantId, TemplateId), AppError> {
    Ok((
        tenant.parse().map_err(|_| AppError::NotFound)?,
        id.parse().map_err(|_| AppError::NotFound)?,
    ))
}

/// The review queue across tenants, filtered (the page's query string).
#[server(endpoint = "list_review_queue")]
pub async fn list_review_queue(
    tenant: String,
    category: String,
    language: String,
    severity: String,
    search: String,
    page: String,
) -> Result<QueuePage, AppError> {
    respond(async move {
        let f = QueueFilter::parse(&tenant, &category, &language, &severity, &search, &page);
        services::review::queue(&reviewer().await?, &f).await
    })
    .await
}

/// A revision as the reviewer sees it, with who holds it (opening never claims).
#[server(endpoint = "open_review")]
pub async fn open_review(tenant: String, id: String) -> Result<ReviewDetail, AppError> {
    respond(async move {
        let (t, i) = ids(&tenant, &id)?;
        services::review::open(&reviewer().await?, t, i).await
    })
    .await
}

/// Claims, or extends one's claim (the review page calls it while the reviewer is active).
#[server(endpoint = "claim_template")]
pub async fn claim_template(
    tenant: String,
    id: String,
) -> Result<crate::domain::template::review::Claim, AppError> {
    respond(async move {
        let (t, i) = ids(&tenant, &id)?;
        services::review::claim(&reviewer().await?, t, i).await
    })
    .await
}

#[server(endpoint = "release_template")]
pub async fn release_template(tenant: String, id: String) -> Result<(), AppError> {
    respond(async move {
        let (t, i) = ids(&tenant, &id)?;
        services::review::release(&reviewer().await?, t, i).await
    })
    .await
}

/// Approve, reject with a reason, or request changes (with a note and/or per-finding
/// comments: `comment_keys[i]` names the finding `comments[i]` is about).
#[server(endpoint = "decide_template")]
pub async fn decide_template(
    tenant: String,
    id: String,
    revision: String,
    decision: String,
    reason: String,
    note: String,
    category: Option<String>,
    comment_keys: Option<Vec<String>>,
    comments: Option<Vec<String>>,
) -> Result<(), AppError> {
    respond(async move {
        let scope = reviewer().await?;
        let (t, i) = ids(&tenant, &id)?;
        let pairs: Vec<(String, String)> = comment_keys
            .unwrap_or_default()
            .into_iter()
            .zip(comments.unwrap_or_default())
            .collect();
        let d = Decision::parse_with_comments(&decision, &reason, &note, &pairs)?;
        let revision = revision.trim().parse().map_err(|_| AppError::Request {
            message: "revision".into(),
        })?;
        services::review::decide(
            &scope,
            t,
            i,
            &services::review::DecideInput {
                revision,
                decision: &d,
                category,
            },
        )
        .await
    })
    .await
}

/// Approves or rejects the selected queue rows (`items[i]` = `tenant/template/revision`).
#[server(endpoint = "bulk_decide")]
pub async fn bulk_decide(
    decision: String,
    reason: String,
    note: String,
    items: Option<Vec<String>>,
) -> Result<BulkOutcome, AppError> {
    respond(async move {
        services::review::bulk_form(
            &reviewer().await?,
            &decision,
            &reason,
            &note,
            &items.unwrap_or_default(),
        )
        .await
    })
    .await
}

/// Staff: the approved revision was submitted to the platform by hand (`retry` empty), or
/// the Graph API client should try again now (`retry` set).
#[server(endpoint = "mark_template_submitted")]
pub async fn mark_template_submitted(
    tenant: String,
    id: String,
    retry: Option<String>,
) -> Result<(), AppError> {
    respond(async move {
        let (t, i) = ids(&tenant, &id)?;
        services::submission::mark_submitted(&reviewer().await?, t, i, retry.is_some()).await
    })
    .await
}

/// Staff verify a link domain a tenant declared (`verified` = "true"), or withdraw it.
#[server(endpoint = "verify_domain")]
pub async fn verify_domain(tenant: String, id: String, verified: String) -> Result<(), AppError> {
    respond(async move {
        let t: TenantId = tenant.parse().map_err(|_| AppError::NotFound)?;
        services::domains::verify(
            &reviewer().await?,
            t,
            id.parse().map_err(|_| AppError::NotFound)?,
            verified == "true",
        )
        .await
    })
    .await
}

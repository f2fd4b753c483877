//! Handing approved templates to the platform: marked sent by a reviewer (no Graph API), or
//! sent by the job through the Graph API with its header sample uploaded, retried.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::staff_in_tenant,
        repo::{self},
        scope::{PlatformScope, TenantScope},
        tx::Tx,
    },
    contract::{AppError, ConflictReason},
    domain::{
        ids::{TemplateId, TenantId},
        template::status::{transition, Event, TemplateStatus},
    },
};
use chrono::TimeDelta;
use serde_json::json;

/// Staff record that a BSP-approved revision was submitted to the platform by hand (no
/// Graph API configured), or ask the client to try again now after an error.
pub async fn mark_submitted(
    scope: &PlatformScope,
    tenant: TenantId,
    id: TemplateId,
    retry: bool,
) -> Result<(), AppError> {
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let l = repo::templates::latest(&ts, &tx, id).await?;
    let to = transition(l.status, Event::SubmittedToPlatform)
        .map_err(|_| AppError::conflict(ConflictReason::NotAllowedNow))?;
    if retry {
        if scope.state().settings.graph.is_none() {
            return Err(AppError::conflict(ConflictReason::NotAllowedNow));
        }
        repo::submissions::schedule_submission(&ts, &tx, l.revision, now).await?;
    } else {
        repo::submissions::mark_submitted(&ts, &tx, l.revision, None, to).await?;
    }
    let action = if retry {
        "template.submit_retry"
    } else {
        "template.mark_submitted"
    };
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action,
            subject: &l.content.name,
            before: Some(json!({"status": l.status})),
            after: Some(json!({"status": if retry { l.status } else { to }, "revision": l.number})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends due BSP-approved revisions to the platform (the job behind "ready to submit" when
/// the Graph API is configured); returns how many were accepted by the platform.
pub async fn send_due(
    scope: &crate::backend::scope::SystemScope,
    api: &crate::backend::graph::GraphApi,
) -> Result<usize, AppError> {
    let now = scope.state().now();
    let due =
        repo::submissions::lease_due_submissions(scope, scope.db(), now, TimeDelta::minutes(5), 20)
            .await?;
    let mut sent = 0;
    for s in due {
        let ts = crate::backend::auth::system_in_tenant(scope, s.tenant);
        let api = api.with_token(repo::tenants::graph_token(&ts, ts.db()).await?);
        let result = match with_uploaded_sample(&ts, &api, &s.content).await? {
            Ok(content) => api.create_template(&s.waba_id, &content).await,
            Err(e) => Err(e),
        };
        let tx = Tx::begin(scope.db()).await?;
        match &result {
            Ok(created) => {
                // The platform answers PENDING, or already APPROVED / REJECTED.
                let pending = transition(TemplateStatus::BspApproved, Event::SubmittedToPlatform)
                    .map_err(|_| AppError::conflict(ConflictReason::NotAllowedNow))?;
                let status = created
                    .status
                    .as_deref()
                    .and_then(crate::domain::template::status::PlatformEvent::parse)
                    .and_then(|e| transition(pending, Event::Platform(e)).ok())
                    .unwrap_or(pending);
                repo::submissions::mark_submitted(&ts, &tx, s.revision, Some(&created.id), status)
                    .await?;
                record(
                    &tx,
                    now,
                    Entry {
                        actor: ts.actor(),
                        tenant: Some(s.tenant),
                        action: "template.sent_to_platform",
                        subject: &s.content.name,
                        before: Some(json!({"status": TemplateStatus::BspApproved})),
                        after: Some(json!({"status": status, "platform_id": created.id})),
                    },
                )
                .await?;
                tracing::info!(template = %s.template, "template sent to the platform");
                sent += 1;
            }
            Err(e) => {
                let next = e
                    .retryable()
                    .then(|| now + TimeDelta::minutes(1i64 << s.attempts.clamp(0, 6)));
                tracing::warn!(template = %s.template, attempt = s.attempts + 1, retry = next.is_some(), error = %e, "sending a template failed");
                repo::submissions::submission_failed(&ts, &tx, s.revision, &e.to_string(), next)
                    .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// The template as the platform must receive it: a header sample kept by the console
/// (`media:<sha256>`) is uploaded through the Resumable Upload API and replaced by the
/// platform's handle. The outer error is ours (database); the inner one the platform's.
async fn with_uploaded_sample(
    ts: &TenantScope,
    api: &crate::backend::graph::GraphApi,
    t: &crate::domain::template::model::CreateTemplate,
) -> Result<
    Result<crate::domain::template::model::CreateTemplate, crate::backend::graph::GraphError>,
    AppError,
> {
    use crate::{backend::graph::GraphError, domain::template::media};
    let Some(id) = media::media_header(t)
        .and_then(|(_, h)| h)
        .and_then(media::stored_id)
    else {
        return Ok(Ok(t.clone()));
    };
    if !api.uploads() {
        return Ok(Err(GraphError::NotConfigured(
            "GRAPH_APP_ID is not set: the header sample cannot be uploaded to the platform".into(),
        )));
    }
    let Some((content_type, bytes)) = repo::submissions::media(ts, ts.db(), id).await? else {
        return Ok(Err(GraphError::NotConfigured(
            "the header sample file is missing: attach it again".into(),
        )));
    };
    Ok(match api.upload(&bytes, &content_type).await {
        Ok(handle) => {
            let mut out = t.clone();
            media::set_handle(&mut out, &handle);
            Ok(out)
        }
        Err(e) => Err(e),
    })
}

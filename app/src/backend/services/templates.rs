//! Templates, tenant side: draft, list, view with the pre-check, submit for BSP review.

use super::audit::{record, Entry};
use crate::{
    api::{
        types::{FindingView, TemplateDetail, TemplateRow},
        AppError,
    },
    backend::{repo, repo::templates::Counts, scope::TenantScope},
    domain::{
        ids::TemplateId,
        roles::TenantAction,
        template::{
            draft::DraftForm,
            lint::{lint, Finding, LintContext, Severity},
            model::CreateTemplate,
            status::{transition, Event, TemplateStatus},
        },
        validation::{FieldCode, FieldErrors},
    },
};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;

async fn check(scope: &TenantScope, db: &impl ConnectionTrait, t: &CreateTemplate, waba: crate::domain::ids::WabaRowId, id: Option<TemplateId>) -> Result<Vec<Finding>, AppError> {
    let others = repo::templates::other_texts(scope, db, waba, id).await?;
    Ok(lint(t, &LintContext { verified_domains: vec![], other_templates: others }))
}

fn counts(f: &[Finding]) -> Counts {
    let errors = f.iter().filter(|x| x.severity == Severity::Error).count() as i32;
    Counts { errors, warnings: f.len() as i32 - errors }
}

pub async fn create(scope: &TenantScope, form: &DraftForm) -> Result<TemplateId, AppError> {
    let t = form.parse()?;
    let waba = repo::tenants::list_wabas(scope, scope.db()).await?.first().map(|w| w.id).ok_or(AppError::Conflict)?;
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    if repo::templates::name_taken(scope, &tx, waba, &t.name, &t.language).await? {
        let mut e = FieldErrors::new();
        e.add("name", FieldCode::AlreadyTaken);
        return Err(e.into());
    }
    let findings = check(scope, &tx, &t, waba, None).await?;
    let id = repo::templates::insert(scope, &tx, waba, &t, now).await?;
    repo::templates::insert_revision(scope, &tx, id, 1, &t, counts(&findings), scope.actor().user_id(), now).await?;
    record(&tx, now, Entry::<(), _> { actor: scope.actor(), tenant: Some(scope.tenant_id()), action: "template.create", subject: &t.name, before: None, after: Some(json!({"language": t.language, "category": t.category})) }).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(scope: &TenantScope) -> Result<Vec<TemplateRow>, AppError> {
    repo::templates::list(scope, scope.db()).await
}

pub async fn detail(scope: &TenantScope, id: TemplateId) -> Result<TemplateDetail, AppError> {
    let l = repo::templates::latest(scope, scope.db(), id).await?;
    let findings = check(scope, scope.db(), &l.content, l.waba, Some(id)).await?;
    Ok(TemplateDetail {
        id,
        tenant: scope.tenant_id(),
        status: l.status,
        revision: l.number,
        findings: findings.into_iter().map(|f| FindingView { rule: f.rule.to_owned(), severity: f.severity, component: f.component, args: f.args }).collect(),
        content: l.content,
        can_submit: l.status == TemplateStatus::Draft && scope.access().can(TenantAction::Edit),
        can_edit: l.status.editable() && scope.access().can(TenantAction::Edit),
        can_review: l.status == TemplateStatus::InBspReview && matches!(scope.access(), crate::backend::scope::Access::Staff(r) if r.can(crate::domain::roles::PlatformAction::ReviewTemplates)),
        reason: l.reason,
        note: l.note,
    })
}

/// Submits the latest draft for BSP review; refused while error findings remain.
pub async fn submit(scope: &TenantScope, id: TemplateId) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    let l = repo::templates::latest(scope, &tx, id).await?;
    let to = transition(l.status, Event::Submit).map_err(|_| AppError::Conflict)?;
    let findings = check(scope, &tx, &l.content, l.waba, Some(id)).await?;
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    if errors > 0 {
        return Err(AppError::LintBlocked { errors: errors as u32 });
    }
    repo::templates::move_status(scope, &tx, l.revision, l.status, to, Some(now)).await?;
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(scope.tenant_id()), action: "template.submit", subject: &l.content.name, before: Some(json!({"status": l.status})), after: Some(json!({"status": to, "revision": l.number})) }).await?;
    tx.commit().await?;
    Ok(())
}

/// The review queue (staff).
pub async fn queue(scope: &crate::backend::scope::PlatformScope) -> Result<Vec<crate::api::types::QueueRow>, AppError> {
    repo::templates::queue(scope, scope.db(), 200).await
}

/// A reviewer approves, rejects (with one of the platform's reasons) or asks for changes.
pub async fn decide(scope: &crate::backend::scope::PlatformScope, tenant: crate::domain::ids::TenantId, id: TemplateId, d: &crate::domain::template::review::Decision) -> Result<(), AppError> {
    let ts = crate::backend::auth::staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    let l = repo::templates::latest(&ts, &tx, id).await?;
    let to = transition(l.status, d.event()).map_err(|_| AppError::Conflict)?;
    repo::templates::decide(&ts, &tx, l.revision, l.status, to, scope.actor().user_id(), d.reason(), d.note(), now).await?;
    // The tenant's owners and editors hear about it, in the tenant's language.
    let tenant_rec = repo::tenants::load(&ts, &tx).await?;
    let url = format!("{}/tenants/{tenant}/templates/{id}", scope.state().settings.public_url.trim_end_matches('/'));
    let decision = match d.event() {
        Event::Approve => "approved",
        Event::Reject => "rejected",
        _ => "changes_requested",
    };
    for m in repo::users::list_members(&ts, &tx).await?.into_iter().filter(|m| m.role.can(TenantAction::Edit)) {
        let message = crate::backend::outbox::EmailMessage::TemplateDecision {
            tenant_name: tenant_rec.display_name.clone(),
            template: l.content.name.clone(),
            language: l.content.language.clone(),
            decision: decision.into(),
            reason: d.reason().map(str::to_owned),
            note: d.note().map(str::to_owned),
            url: url.clone(),
        };
        repo::outbox::insert(&tx, &crate::backend::outbox::NewEmail { tenant: Some(tenant), recipient: m.email, locale: tenant_rec.locale, message }, now).await?;
    }
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(tenant), action: "template.decide", subject: &l.content.name, before: Some(json!({"status": l.status})), after: Some(json!({"status": to, "reason": d.reason(), "revision": l.number})) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits a template: a draft in place; a rejected, changes-requested, paused or approved one
/// as a new draft revision (the old revision stays as history). Name and language are the
/// template's identity and do not change.
pub async fn edit(scope: &TenantScope, id: TemplateId, form: &DraftForm) -> Result<i32, AppError> {
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    let l = repo::templates::latest(scope, &tx, id).await?;
    let fixed = DraftForm { name: l.content.name.clone(), language: l.content.language.clone(), ..form.clone() };
    let t = fixed.parse()?;
    let findings = check(scope, &tx, &t, l.waba, Some(id)).await?;
    let number = if l.status == TemplateStatus::Draft {
        repo::templates::update_draft(scope, &tx, l.revision, &t, counts(&findings)).await?;
        l.number
    } else {
        transition(l.status, Event::Edit).map_err(|_| AppError::Conflict)?;
        repo::templates::insert_revision(scope, &tx, id, l.number + 1, &t, counts(&findings), scope.actor().user_id(), now).await?;
        l.number + 1
    };
    repo::templates::update_category(scope, &tx, id, &t.category).await?;
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(scope.tenant_id()), action: "template.edit", subject: &t.name, before: Some(json!({"status": l.status, "revision": l.number})), after: Some(json!({"status": TemplateStatus::Draft, "revision": number})) }).await?;
    tx.commit().await?;
    Ok(number)
}

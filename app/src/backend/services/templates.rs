//! Templates, tenant side: draft, list, view with the pre-check, submit for BSP review.

use super::audit::{record, Entry};
use crate::{
    backend::{
        repo::{self, templates::Counts},
        scope::TenantScope,
        tx::Tx,
    },
    contract::{AppError, ConflictReason, FindingView, TemplateDetail, TemplateRow},
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
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn check(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    t: &CreateTemplate,
    waba: crate::domain::ids::WabaRowId,
    id: Option<TemplateId>,
) -> Result<Vec<Finding>, AppError> {
    let others = repo::templates::other_texts(scope, db, waba, id).await?;
    let verified_domains = repo::domains::verified(scope, db).await?;
    Ok(lint(
        t,
        &LintContext {
            verified_domains,
            other_templates: others,
        },
    ))
}

fn counts(f: &[Finding]) -> Counts {
    let errors = f.iter().filter(|x| x.severity == Severity::Error).count() as i32;
    Counts {
        errors,
        warnings: f.len() as i32 - errors,
    }
}

/// Creates a draft; `consent`: the tenant lets the BSP change the category on review.
pub async fn create(
    scope: &TenantScope,
    form: &DraftForm,
    consent: bool,
) -> Result<TemplateId, AppError> {
    let t = form.parse()?;
    let waba = repo::tenants::list_wabas(scope, scope.db())
        .await?
        .first()
        .map(|w| w.id)
        .ok_or(AppError::conflict(ConflictReason::ChangedMeanwhile))?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    if repo::templates::name_taken(scope, &tx, waba, &t.name, &t.language).await? {
        let mut e = FieldErrors::new();
        e.add("name", FieldCode::AlreadyTaken);
        return Err(e.into());
    }
    let findings = check(scope, &tx, &t, waba, None).await?;
    let id = repo::templates::insert(scope, &tx, waba, &t, now).await?;
    repo::templates::insert_revision(
        scope,
        &tx,
        id,
        1,
        &t,
        counts(&findings),
        scope.actor().user_id(),
        now,
    )
    .await?;
    repo::templates::update_category(scope, &tx, id, &t.category, Some(consent)).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "template.create",
            subject: &t.name,
            before: None,
            after: Some(json!({"language": t.language, "category": t.category})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(scope: &TenantScope) -> Result<Vec<TemplateRow>, AppError> {
    repo::templates::list(scope, scope.db()).await
}

/// A page of the tenant's templates (by name, language, id), and whether more follow.
pub async fn page(
    scope: &TenantScope,
    filter: &repo::template_pages::TemplateFilter,
    after: Option<&repo::template_pages::After>,
    limit: u64,
) -> Result<(Vec<TemplateRow>, bool), AppError> {
    repo::template_pages::page(scope, scope.db(), filter, after, limit).await
}

/// The pre-check of a draft not saved yet, read as leniently as the builder's live pre-check
/// (what is missing or wrong becomes a finding), against the tenant's first account.
pub async fn precheck(scope: &TenantScope, form: &DraftForm) -> Result<Vec<FindingView>, AppError> {
    let waba = repo::tenants::list_wabas(scope, scope.db())
        .await?
        .first()
        .map(|w| w.id)
        .ok_or(AppError::conflict(ConflictReason::NotAllowedNow))?;
    let findings = check(scope, scope.db(), &form.sketch(), waba, None).await?;
    Ok(findings
        .into_iter()
        .map(|f| FindingView {
            rule: f.rule.to_owned(),
            severity: f.severity,
            component: f.component,
            span: f.span,
            args: f.args,
            comment: None,
        })
        .collect())
}

pub async fn detail(scope: &TenantScope, id: TemplateId) -> Result<TemplateDetail, AppError> {
    let l = repo::templates::latest(scope, scope.db(), id).await?;
    detail_of(scope, id, l).await
}

/// The detail of `l`, the latest revision of `id`, with its findings and what the viewer may do.
pub(crate) async fn detail_of(
    scope: &TenantScope,
    id: TemplateId,
    l: repo::templates::Latest,
) -> Result<TemplateDetail, AppError> {
    let findings = check(scope, scope.db(), &l.content, l.waba, Some(id)).await?;
    let staff_reviewer = matches!(scope.access(), crate::backend::identity::Access::Staff(r) if r.can(crate::domain::roles::PlatformAction::ReviewTemplates));
    let mut comments = l.comments;
    let findings: Vec<FindingView> = findings
        .into_iter()
        .map(|f| {
            let mut v = FindingView {
                rule: f.rule.to_owned(),
                severity: f.severity,
                component: f.component,
                span: f.span,
                args: f.args,
                comment: None,
            };
            if let Some(i) = comments.iter().position(|c| c.finding == v.key()) {
                v.comment = Some(comments.remove(i).comment);
            }
            v
        })
        .collect();
    let graph_configured = scope.state().settings.graph.is_some();
    let sample = match crate::domain::template::media::media_header(&l.content) {
        None => None,
        Some((kind, handle)) => {
            let stored_id = handle.and_then(crate::domain::template::media::stored_id);
            let stored = match stored_id {
                Some(id) => repo::submissions::media_info(scope, scope.db(), id)
                    .await?
                    .map(|(ct, n)| (id.to_owned(), ct, n)),
                None => None,
            };
            Some(crate::contract::SampleView {
                kind,
                handle: handle.filter(|_| stored_id.is_none()).map(str::to_owned),
                stored,
            })
        }
    };
    Ok(TemplateDetail {
        id,
        tenant: scope.tenant_id(),
        status: l.status,
        revision: l.number,
        findings,
        can_submit: l.status == TemplateStatus::Draft && scope.access().can(TenantAction::Edit),
        can_edit: l.status.editable() && scope.access().can(TenantAction::Edit),
        can_review: l.status == TemplateStatus::InBspReview && staff_reviewer,
        can_mark_submitted: l.status == TemplateStatus::BspApproved && staff_reviewer,
        graph_configured,
        reason: l.reason,
        note: l.note,
        comments,
        category_consent: l.category_consent,
        previous_category: l.previous_category,
        platform_id: l.platform_id,
        submit_error: l.submit_error,
        sample,
        content: l.content,
    })
}

/// Every revision, oldest first, each with what changed from the one before.
pub async fn history(
    scope: &TenantScope,
    id: TemplateId,
) -> Result<Vec<crate::contract::RevisionView>, AppError> {
    let mut revs = repo::review::revisions(scope, scope.db(), id).await?;
    for i in (1..revs.len()).rev() {
        revs[i].changes =
            crate::domain::template::diff::diff_templates(&revs[i - 1].content, &revs[i].content);
    }
    Ok(revs)
}

/// Submits the latest draft for BSP review; refused while error findings remain.
pub async fn submit(scope: &TenantScope, id: TemplateId) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let l = repo::templates::latest(scope, &tx, id).await?;
    let to = transition(l.status, Event::Submit)
        .map_err(|_| AppError::conflict(ConflictReason::NotAllowedNow))?;
    let findings = check(scope, &tx, &l.content, l.waba, Some(id)).await?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(AppError::LintBlocked {
            errors: errors as u32,
        });
    }
    repo::templates::move_status(scope, &tx, l.revision, l.status, to, Some(now)).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "template.submit",
            subject: &l.content.name,
            before: Some(json!({"status": l.status})),
            after: Some(json!({"status": to, "revision": l.number})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Edits a template: a draft in place; a rejected, changes-requested, paused or approved one
/// as a new draft revision (the old revision stays as history). Name and language are the
/// template's identity and do not change.
pub async fn edit(
    scope: &TenantScope,
    id: TemplateId,
    form: &DraftForm,
    consent: bool,
) -> Result<i32, AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let l = repo::templates::latest(scope, &tx, id).await?;
    let fixed = DraftForm {
        name: l.content.name.clone(),
        language: l.content.language.clone(),
        ..form.clone()
    };
    let t = fixed.parse()?;
    let findings = check(scope, &tx, &t, l.waba, Some(id)).await?;
    let number = if l.status == TemplateStatus::Draft {
        repo::templates::update_draft(scope, &tx, l.revision, &t, counts(&findings)).await?;
        l.number
    } else {
        transition(l.status, Event::Edit)
            .map_err(|_| AppError::conflict(ConflictReason::NotAllowedNow))?;
        repo::templates::insert_revision(
            scope,
            &tx,
            id,
            l.number + 1,
            &t,
            counts(&findings),
            scope.actor().user_id(),
            now,
        )
        .await?;
        l.number + 1
    };
    repo::templates::update_category(scope, &tx, id, &t.category, Some(consent)).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "template.edit",
            subject: &t.name,
            before: Some(json!({"status": l.status, "revision": l.number})),
            after: Some(json!({"status": TemplateStatus::Draft, "revision": number})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Attaches a sample file to the media header of the template's latest revision (as an edit:
/// a draft in place, otherwise a new draft revision) and keeps the file; returns the handle
/// written into the template (`media:<sha256>`). Refused, with nothing kept, when the
/// template has no media header or the file is not what its format takes.
pub async fn attach_sample(
    scope: &TenantScope,
    id: TemplateId,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    use crate::domain::template::media::{media_header, sniff, MediaError, STORED_PREFIX};
    if !scope.access().can(TenantAction::Edit) {
        return Err(AppError::Forbidden);
    }
    let l = repo::templates::latest(scope, scope.db(), id).await?;
    if !l.status.editable() {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    let (kind, _) = media_header(&l.content).ok_or(AppError::MediaInvalid {
        error: MediaError::NoMediaHeader,
    })?;
    let content_type = sniff(kind, &bytes).map_err(|error| AppError::MediaInvalid { error })?;
    let media_id = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let handle = format!("{STORED_PREFIX}{media_id}");
    let quota = scope.state().settings.media_quota_bytes;
    // A file already kept (the same bytes) stores nothing new. Two uploads at once may pass
    // the quota by one file at most.
    let new = repo::submissions::media_info(scope, scope.db(), &media_id)
        .await?
        .is_none();
    let stored = repo::submissions::media_total(scope, scope.db()).await?;
    if new && stored.saturating_add(bytes.len() as i64) > i64::try_from(quota).unwrap_or(i64::MAX) {
        return Err(AppError::MediaInvalid {
            error: MediaError::QuotaFull {
                quota_bytes: usize::try_from(quota).unwrap_or(usize::MAX),
            },
        });
    }
    repo::submissions::insert_media(
        scope,
        scope.db(),
        &media_id,
        content_type,
        &bytes,
        scope.actor().user_id(),
        scope.state().now(),
    )
    .await?;
    let mut form = DraftForm::from_template(&l.content);
    form.header_sample = handle.clone();
    edit(scope, id, &form, l.category_consent).await?;
    Ok(handle)
}

/// A header sample's bytes (any member, staff).
pub async fn sample(scope: &TenantScope, media_id: &str) -> Result<(String, Vec<u8>), AppError> {
    if !crate::domain::is_content_id(media_id) {
        return Err(AppError::NotFound);
    }
    repo::submissions::media(scope, scope.db(), media_id)
        .await?
        .ok_or(AppError::NotFound)
}

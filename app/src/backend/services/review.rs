//! The BSP's review of submitted templates: the queue, claims, decisions (one or in bulk),
//! the category change with the tenant's consent, and the hand-over to the platform.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::staff_in_tenant,
        outbox::{EmailMessage, NewEmail},
        repo::{
            self,
            templates::{DecisionRecord, Latest},
        },
        scope::{PlatformScope, TenantScope},
        services::templates::detail_of,
        tx::Tx,
    },
    contract::{AppError, BulkOutcome, ConflictReason, QueuePage, QueueRow, ReviewDetail},
    domain::{
        ids::{TemplateId, TenantId, UserId},
        roles::TenantAction,
        template::{
            diff::diff_templates,
            draft::CATEGORIES,
            review::{
                age_text, may_act, BulkItem, Claim, Decision, QueueFilter, BULK_MAX, CLAIM_MINUTES,
            },
            status::{transition, Event, TemplateStatus},
        },
        validation::{FieldCode, FieldErrors},
    },
};
use chrono::TimeDelta;
use sea_orm::ConnectionTrait;
use serde_json::json;

fn reviewer(scope: &PlatformScope) -> Result<UserId, AppError> {
    // Decisions and claims are personal: an operator (CLI) has no user to claim for.
    scope.actor().user_id().ok_or(AppError::Forbidden)
}

/// Names the reviewers holding claims on `rows`, from `cache::ClaimerNames` where it can.
async fn name_claimers(scope: &PlatformScope, rows: &mut [QueueRow]) -> Result<(), AppError> {
    let claimers: Vec<uuid::Uuid> = rows
        .iter()
        .filter_map(|r| r.claim.as_ref().map(|c| c.by))
        .collect();
    if claimers.is_empty() {
        return Ok(());
    }
    let cache = &scope.state().claimer_names;
    let mut names = cache.lookup(&claimers);
    if !names.missing.is_empty() {
        let read = repo::users::shown_names(scope.db(), &names.missing).await?;
        cache.keep(names.generation, &read);
        names.known.extend(read);
    }
    for c in rows.iter_mut().filter_map(|r| r.claim.as_mut()) {
        c.by_name = names.known.get(&c.by).cloned().unwrap_or_default();
    }
    Ok(())
}

pub async fn queue(scope: &PlatformScope, f: &QueueFilter) -> Result<QueuePage, AppError> {
    let sla = scope.state().settings.review_sla;
    let (mut rows, has_next) =
        repo::review::queue(scope, scope.db(), f, scope.state().now(), sla).await?;
    name_claimers(scope, &mut rows).await?;
    // The tenant filter offers the tenants on this page (and the one filtered on); a list of
    // every tenant would weigh on each page load with thousands of them.
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    let mut tenants: Vec<(TenantId, String)> = rows
        .iter()
        .filter(|r| seen.insert(r.tenant))
        .map(|r| (r.tenant, r.tenant_name.clone()))
        .collect();
    if let Some(id) = f
        .tenant
        .map(TenantId)
        .filter(|id| !tenants.iter().any(|(t, _)| t == id))
    {
        if let Ok(ts) = staff_in_tenant(scope, id).await {
            tenants.push((id, repo::tenants::load(&ts, ts.db()).await?.display_name));
        }
    }
    tenants.sort_by_cached_key(|t| t.1.to_lowercase());
    Ok(QueuePage {
        rows,
        page: f.page,
        has_next,
        tenants,
        sla,
    })
}

/// Claims a revision in review for the signed-in reviewer (or extends their claim); a claim
/// held by someone else is an error naming them.
async fn claim_latest(
    ts: &TenantScope,
    db: &impl ConnectionTrait,
    who: UserId,
    l: &Latest,
) -> Result<Option<Claim>, AppError> {
    if l.status != TemplateStatus::InBspReview {
        return Ok(None);
    }
    let now = ts.state().now();
    if repo::review::try_claim(
        ts,
        db,
        l.revision,
        who,
        now,
        now + TimeDelta::minutes(CLAIM_MINUTES),
    )
    .await?
    {
        return repo::review::claim_of(ts, db, l.revision).await;
    }
    match repo::review::claim_of(ts, db, l.revision).await? {
        Some(c) if c.active(now) && c.by != who.0 => Err(AppError::ClaimedByOther {
            by: c.by_name,
            until: c.until,
        }),
        _ => Err(AppError::conflict(ConflictReason::ChangedMeanwhile)),
    }
}

/// The review page: the revision, its history and who holds it. Claiming is `claim`.
pub async fn open(
    scope: &PlatformScope,
    tenant: TenantId,
    id: TemplateId,
) -> Result<ReviewDetail, AppError> {
    let who = reviewer(scope)?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let l = repo::templates::latest(&ts, ts.db(), id).await?;
    // Opening only reads: the page is a GET, which a link on another site can make in the
    // reviewer's name. The reviewer claims with a POST from the page (`claim`).
    let claim = repo::review::claim_of(&ts, ts.db(), l.revision)
        .await?
        .filter(|c| c.active(now));
    let claimed_by_me = claim.as_ref().is_some_and(|c| c.by == who.0);
    let tenant_rec = repo::tenants::load(&ts, ts.db()).await?;
    let revisions = repo::review::revisions(&ts, ts.db(), id).await?;
    let diff = revisions
        .iter()
        .rev()
        .filter(|r| r.number < l.number)
        .find(|r| {
            matches!(
                r.status,
                TemplateStatus::BspRejected
                    | TemplateStatus::ChangesRequested
                    | TemplateStatus::Rejected
            )
        })
        .map(|r| (r.number, diff_templates(&r.content, &l.content)));
    let others = repo::templates::list(&ts, ts.db())
        .await?
        .into_iter()
        .filter(|t| t.id != id)
        .collect();
    let past = repo::review::past_decisions(&ts, ts.db(), 20).await?;
    let compliance_complete = !repo::profiles::complete_among(ts.db(), &[tenant.0])
        .await?
        .is_empty();
    let submitted_at = l.submitted_at;
    let waited = submitted_at.map(|at| now - at).unwrap_or_default();
    let mut detail = detail_of(&ts, id, l).await?;
    detail.can_review = detail.can_review && (claimed_by_me || claim.is_none());
    Ok(ReviewDetail {
        detail,
        tenant_name: tenant_rec.display_name,
        submitted_at,
        age: age_text(waited),
        sla: scope.state().settings.review_sla.of(waited),
        claim,
        claimed_by_me,
        others,
        past,
        compliance_complete,
        diff,
    })
}

/// Claims or extends (the review page's "Claim" and its keep-alive while the reviewer is
/// active); returns the claim.
pub async fn claim(
    scope: &PlatformScope,
    tenant: TenantId,
    id: TemplateId,
) -> Result<Claim, AppError> {
    let who = reviewer(scope)?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let l = repo::templates::latest(&ts, ts.db(), id).await?;
    if l.status != TemplateStatus::InBspReview {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    claim_latest(&ts, ts.db(), who, &l)
        .await?
        .ok_or(AppError::conflict(ConflictReason::ChangedMeanwhile))
}

pub async fn release(
    scope: &PlatformScope,
    tenant: TenantId,
    id: TemplateId,
) -> Result<(), AppError> {
    let who = reviewer(scope)?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let l = repo::templates::latest(&ts, ts.db(), id).await?;
    repo::review::release(&ts, ts.db(), l.revision, who).await
}

/// The content with the category the reviewer chose, when it differs: only on approval, a
/// category of the platform's, and with the tenant's consent to a change.
fn recategorised(
    input: &DecideInput<'_>,
    l: &Latest,
) -> Result<Option<crate::domain::template::model::CreateTemplate>, AppError> {
    let d = input.decision;
    let new_category = input
        .category
        .as_deref()
        .map(str::trim)
        .map(str::to_ascii_uppercase)
        .filter(|c| !c.is_empty() && *c != l.content.category);
    match new_category {
        None => Ok(None),
        Some(c) => {
            let mut e = FieldErrors::new();
            if !matches!(d, Decision::Approve { .. }) || !CATEGORIES.contains(&c.as_str()) {
                e.add("category", FieldCode::InvalidCategory);
            } else if !l.category_consent {
                e.add("category", FieldCode::NoCategoryConsent);
            }
            e.into_result()?;
            let mut content = l.content.clone();
            content.category = c;
            Ok(Some(content))
        }
    }
}

/// What a reviewer decides on one revision.
pub struct DecideInput<'a> {
    pub revision: i32,
    pub decision: &'a Decision,
    /// A new category (approve only; needs the tenant's consent).
    pub category: Option<String>,
}

/// Decides on the revision the reviewer saw: refused if the tenant has since made a newer
/// revision, or another reviewer holds it.
pub async fn decide(
    scope: &PlatformScope,
    tenant: TenantId,
    id: TemplateId,
    input: &DecideInput<'_>,
) -> Result<(), AppError> {
    let who = reviewer(scope)?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let l = repo::templates::latest(&ts, &tx, id).await?;
    if l.number != input.revision {
        return Err(AppError::RevisionChanged { current: l.number });
    }
    let d = input.decision;
    let to = transition(l.status, d.event())
        .map_err(|_| AppError::conflict(ConflictReason::NotAllowedNow))?;
    if let Some(c) = repo::review::claim_of(&ts, &tx, l.revision)
        .await?
        .filter(|c| !may_act(Some(c), who.0, now))
    {
        return Err(AppError::ClaimedByOther {
            by: c.by_name,
            until: c.until,
        });
    }
    let recategorised = recategorised(input, &l)?;
    let submit_at = (to == TemplateStatus::BspApproved && scope.state().settings.graph.is_some())
        .then_some(now);
    let record_d = DecisionRecord {
        to,
        by: who,
        reason: d.reason(),
        note: d.note(),
        comments: d.comments(),
        recategorised: recategorised
            .as_ref()
            .map(|c| (c, l.content.category.clone())),
        submit_at,
    };
    match repo::templates::decide(&ts, &tx, l.revision, l.status, &record_d, now).await {
        Ok(()) => {}
        // Lost a race: say who won, if someone holds it now.
        Err(AppError::Conflict { .. }) => {
            return Err(match repo::review::claim_of(&ts, &tx, l.revision).await? {
                Some(c) if c.active(now) && c.by != who.0 => AppError::ClaimedByOther {
                    by: c.by_name,
                    until: c.until,
                },
                _ => AppError::conflict(ConflictReason::ChangedMeanwhile),
            });
        }
        Err(e) => return Err(e),
    }
    if let Some(c) = &recategorised {
        repo::templates::update_category(&ts, &tx, id, &c.category, None).await?;
    }
    notify_decision(&ts, &tx, scope, id, &l, d, now).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "template.decide",
            subject: &l.content.name,
            before: Some(json!({"status": l.status, "category": l.content.category})),
            after: Some(json!({"status": to, "reason": d.reason(), "revision": l.number, "category": recategorised.as_ref().map(|c| c.category.clone()), "comments": d.comments().len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant's owners and editors hear about a decision, in the tenant's language.
async fn notify_decision(
    ts: &TenantScope,
    tx: &impl ConnectionTrait,
    scope: &PlatformScope,
    id: TemplateId,
    l: &Latest,
    d: &Decision,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let tenant = ts.tenant_id();
    let tenant_rec = repo::tenants::load(ts, tx).await?;
    let url = format!(
        "{}/tenants/{tenant}/templates/{id}",
        scope.state().settings.public_url.trim_end_matches('/')
    );
    let decision = match d.event() {
        Event::Approve => "approved",
        Event::Reject => "rejected",
        _ => "changes_requested",
    };
    for m in repo::users::list_members(ts, tx)
        .await?
        .into_iter()
        .filter(|m| m.role.can(TenantAction::Edit))
    {
        let message = EmailMessage::TemplateDecision {
            tenant_name: tenant_rec.display_name.clone(),
            template: l.content.name.clone(),
            language: l.content.language.clone(),
            decision: decision.into(),
            reason: d.reason().map(str::to_owned),
            note: d.note().map(str::to_owned),
            url: url.clone(),
        };
        repo::outbox::insert(
            tx,
            &NewEmail {
                tenant: Some(tenant),
                recipient: m.email,
                locale: tenant_rec.locale,
                message,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The bulk form as sent: a decision (approve or reject, with its reason and note) for the
/// checked rows (`tenant/template/revision`, at most `BULK_MAX`).
pub async fn bulk_form(
    scope: &PlatformScope,
    decision: &str,
    reason: &str,
    note: &str,
    items: &[String],
) -> Result<BulkOutcome, AppError> {
    let mut e = FieldErrors::new();
    if items.is_empty() {
        e.add("items", FieldCode::Required);
    } else if items.len() > BULK_MAX {
        e.add("items", FieldCode::TooLong);
    }
    let parsed: Vec<BulkItem> = items.iter().filter_map(|s| BulkItem::parse(s)).collect();
    if parsed.len() != items.len() {
        return Err(AppError::Request {
            message: "items".into(),
        });
    }
    // Change requests need per-template comments: one at a time, on the review page.
    if decision.trim() == "request_changes" {
        e.add("decision", FieldCode::Required);
    }
    match Decision::parse(decision, reason, note) {
        Ok(d) if e.is_empty() => bulk(scope, &parsed, &d).await,
        Ok(_) => Err(e.into()),
        Err(mut more) => {
            more.0.extend(e.0);
            Err(more.into())
        }
    }
}

/// Approves or rejects the selected rows, each on its own (one refused row does not stop
/// the others); returns what was decided and why the rest was refused.
pub async fn bulk(
    scope: &PlatformScope,
    items: &[BulkItem],
    d: &Decision,
) -> Result<BulkOutcome, AppError> {
    reviewer(scope)?;
    let mut out = BulkOutcome {
        decided: 0,
        refused: vec![],
    };
    for item in items {
        let input = DecideInput {
            revision: item.revision,
            decision: d,
            category: None,
        };
        match decide(
            scope,
            TenantId(item.tenant),
            TemplateId(item.template),
            &input,
        )
        .await
        {
            Ok(()) => out.decided += 1,
            Err(e @ AppError::Internal { .. }) => return Err(e),
            Err(e) => out
                .refused
                .push((item.key(), e.message(crate::domain::locale::Locale::En))),
        }
    }
    Ok(out)
}

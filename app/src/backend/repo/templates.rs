//! Message templates and their revisions (tenant-owned: every function takes the scope).

use super::scoped;
use super::{
    entities::{template, template_revision},
    revisions::{status_code, status_of},
};
use crate::{
    backend::{error::stored_json, scope::TenantScope},
    contract::{AppError, ConflictReason, TemplateRow},
    domain::{
        ids::{TemplateId, UserId, WabaRowId},
        template::{model::CreateTemplate, status::TemplateStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

pub async fn name_taken(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    name: &str,
    language: &str,
) -> Result<bool, AppError> {
    Ok(by_name(scope, db, waba, name, language).await?.is_some())
}

/// The account's template with this (name, language), the pair the platform keys templates by.
pub async fn by_name(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    name: &str,
    language: &str,
) -> Result<Option<TemplateId>, AppError> {
    Ok(scoped::find::<template::Entity>(scope)
        .filter(template::Column::WabaRowId.eq(waba.0))
        .filter(template::Column::Name.eq(name))
        .filter(template::Column::Language.eq(language))
        .one(db)
        .await?
        .map(|t| TemplateId(t.id)))
}

pub async fn insert(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    t: &CreateTemplate,
    now: DateTime<Utc>,
) -> Result<TemplateId, AppError> {
    let id = TemplateId::new();
    template::Entity::insert(template::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(scope.tenant_id().0),
        waba_row_id: Set(waba.0),
        name: Set(t.name.clone()),
        language: Set(t.language.clone()),
        category: Set(t.category.clone()),
        created_at: Set(now),
        category_consent: Set(false),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Counts of error and warning findings stored with a revision.
pub struct Counts {
    pub errors: i32,
    pub warnings: i32,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_revision(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    template: TemplateId,
    number: i32,
    t: &CreateTemplate,
    counts: Counts,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    template_revision::Entity::insert(template_revision::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id().0),
        template_id: Set(template.0),
        number: Set(number),
        content: Set(serde_json::to_string(t).map_err(|e| crate::backend::error::internal(&e))?),
        status: Set(status_code(TemplateStatus::Draft)),
        error_count: Set(counts.errors),
        warning_count: Set(counts.warnings),
        created_by: Set(by.map(|u| u.0)),
        created_at: Set(now),
        submitted_at: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        reason: Set(None),
        note: Set(None),
        claimed_by: Set(None),
        claimed_until: Set(None),
        comments: Set(None),
        platform_id: Set(None),
        submit_error: Set(None),
        submit_attempts: Set(0),
        submit_next_at: Set(None),
        previous_category: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The latest revision of each of the scope's templates: names, status and counts only (a
/// revision's content is read one template at a time, never for the whole list). The page
/// shows them all, up to `LIST_MAX` (the platform allows far fewer per account).
pub async fn list(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<TemplateRow>, AppError> {
    const LIST_MAX: u64 = 10_000;
    let (rows, _) =
        super::template_pages::page(scope, db, &Default::default(), None, LIST_MAX).await?;
    Ok(rows)
}

/// A template's latest revision: (waba, revision id, number, status, content).
pub struct Latest {
    pub reason: Option<String>,
    pub note: Option<String>,
    pub comments: Vec<crate::domain::template::review::FindingComment>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub claimed_by: Option<uuid::Uuid>,
    pub platform_id: Option<String>,
    pub submit_error: Option<String>,
    pub previous_category: Option<String>,
    pub category_consent: bool,
    pub waba: WabaRowId,
    pub revision: uuid::Uuid,
    pub number: i32,
    pub status: TemplateStatus,
    pub content: CreateTemplate,
}

pub async fn latest(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
) -> Result<Latest, AppError> {
    let t = template::Entity::find_by_id(id.0)
        .filter(scoped::of::<template::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = scoped::find::<template_revision::Entity>(scope)
        .filter(template_revision::Column::TemplateId.eq(t.id))
        .order_by_desc(template_revision::Column::Number)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Latest {
        reason: r.reason,
        note: r.note,
        comments: match r.comments.as_deref() {
            Some(c) => stored_json(c, "template_revisions", r.id)?,
            None => Vec::new(),
        },
        submitted_at: r.submitted_at,
        claimed_by: r.claimed_by,
        platform_id: r.platform_id,
        submit_error: r.submit_error,
        previous_category: r.previous_category,
        category_consent: t.category_consent,
        waba: WabaRowId(t.waba_row_id),
        revision: r.id,
        number: r.number,
        status: status_of(&r.status, r.id)?,
        content: stored_json(&r.content, "template_revisions", r.id)?,
    })
}

/// (body, footer) of the latest revisions of the account's other templates.
pub async fn other_texts(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    except: Option<TemplateId>,
) -> Result<Vec<(String, String)>, AppError> {
    let mut q =
        scoped::find::<template::Entity>(scope).filter(template::Column::WabaRowId.eq(waba.0));
    if let Some(id) = except {
        q = q.filter(template::Column::Id.ne(id.0));
    }
    let ids: Vec<uuid::Uuid> = q.all(db).await?.into_iter().map(|t| t.id).collect();
    let revisions = template_revision::Entity::find()
        .filter(template_revision::Column::TemplateId.is_in(ids.clone()))
        .filter(scoped::of::<template_revision::Entity>(scope))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            revisions
                .iter()
                .filter(|r| r.template_id == *id)
                .max_by_key(|r| r.number)
        })
        .filter_map(|r| serde_json::from_str::<CreateTemplate>(&r.content).ok())
        .map(|c| {
            (
                c.body().and_then(|b| b.text.clone()).unwrap_or_default(),
                c.footer().and_then(|f| f.text.clone()).unwrap_or_default(),
            )
        })
        .collect())
}

type RevisionUpdate = sea_orm::UpdateMany<template_revision::Entity>;

/// Runs `q` on the scope's `revision` only if it is still in `from`; a revision that moved
/// on meanwhile (another reviewer, another tab) is a `Conflict`.
pub(super) async fn update_if_still(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    from: TemplateStatus,
    q: RevisionUpdate,
) -> Result<(), AppError> {
    let r = q
        .filter(template_revision::Column::Id.eq(revision))
        .filter(scoped::of::<template_revision::Entity>(scope))
        .filter(template_revision::Column::Status.eq(status_code(from)))
        .exec(db)
        .await?;
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::conflict(ConflictReason::ChangedMeanwhile))
    }
}

/// Moves a revision from `from` to `to`.
pub async fn move_status(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    from: TemplateStatus,
    to: TemplateStatus,
    submitted_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let mut q = template_revision::Entity::update_many().col_expr(
        template_revision::Column::Status,
        Expr::value(status_code(to)),
    );
    if let Some(at) = submitted_at {
        q = q.col_expr(template_revision::Column::SubmittedAt, Expr::value(at));
    }
    update_if_still(scope, db, revision, from, q).await
}

/// A reviewer's decision as stored on the revision.
pub struct DecisionRecord<'a> {
    pub to: TemplateStatus,
    pub by: UserId,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
    pub comments: &'a [crate::domain::template::review::FindingComment],
    /// A changed category: the new content and the category before.
    pub recategorised: Option<(&'a CreateTemplate, String)>,
    /// When the Graph API client should send it (approved, client configured).
    pub submit_at: Option<DateTime<Utc>>,
}

/// Records a reviewer's decision, if the revision is still where the reviewer saw it and
/// no one else holds it; the claim is released.
pub async fn decide(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    from: TemplateStatus,
    d: &DecisionRecord<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use template_revision::Column as R;
    let mut q = template_revision::Entity::update_many()
        .col_expr(R::Status, Expr::value(status_code(d.to)))
        .col_expr(R::DecidedBy, Expr::value(d.by.0))
        .col_expr(R::DecidedAt, Expr::value(now))
        .col_expr(R::Reason, Expr::value(d.reason.map(str::to_owned)))
        .col_expr(R::Note, Expr::value(d.note.map(str::to_owned)))
        .col_expr(
            R::Comments,
            Expr::value(
                (!d.comments.is_empty())
                    .then(|| serde_json::to_string(d.comments).unwrap_or_default()),
            ),
        )
        .col_expr(R::ClaimedBy, Expr::value(Option::<uuid::Uuid>::None))
        .col_expr(R::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(R::SubmitNextAt, Expr::value(d.submit_at))
        .filter(super::revisions::free_for(d.by, now));
    if let Some((content, before)) = &d.recategorised {
        q = q
            .col_expr(
                R::Content,
                Expr::value(
                    serde_json::to_string(content)
                        .map_err(|e| crate::backend::error::internal(&e))?,
                ),
            )
            .col_expr(R::PreviousCategory, Expr::value(before.clone()));
    }
    update_if_still(scope, db, revision, from, q).await
}

/// Replaces a draft revision's content (drafts are edited in place).
pub async fn update_draft(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    t: &CreateTemplate,
    counts: Counts,
) -> Result<(), AppError> {
    let q = template_revision::Entity::update_many()
        .col_expr(
            template_revision::Column::Content,
            Expr::value(serde_json::to_string(t).map_err(|e| crate::backend::error::internal(&e))?),
        )
        .col_expr(
            template_revision::Column::ErrorCount,
            Expr::value(counts.errors),
        )
        .col_expr(
            template_revision::Column::WarningCount,
            Expr::value(counts.warnings),
        );
    update_if_still(scope, db, revision, TemplateStatus::Draft, q).await
}

/// Keeps the template's category in step with its newest revision, and records whether the
/// tenant lets the BSP change it.
pub async fn update_category(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    category: &str,
    consent: Option<bool>,
) -> Result<(), AppError> {
    let mut q = template::Entity::update_many()
        .col_expr(template::Column::Category, Expr::value(category.to_owned()));
    if let Some(c) = consent {
        q = q.col_expr(template::Column::CategoryConsent, Expr::value(c));
    }
    q.filter(template::Column::Id.eq(id.0))
        .filter(scoped::of::<template::Entity>(scope))
        .exec(db)
        .await?;
    Ok(())
}

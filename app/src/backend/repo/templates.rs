//! Message templates and their revisions (tenant-owned: every function takes the scope).

use super::entities::{template, template_revision};
use crate::{
    api::{types::TemplateRow, AppError},
    backend::scope::TenantScope,
    domain::{
        ids::{TemplateId, UserId, WabaRowId},
        template::{model::CreateTemplate, status::TemplateStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

fn status_code(s: TemplateStatus) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn status_of(raw: &str) -> TemplateStatus {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).unwrap_or(TemplateStatus::Draft)
}

pub async fn name_taken(scope: &TenantScope, db: &impl ConnectionTrait, waba: WabaRowId, name: &str, language: &str) -> Result<bool, AppError> {
    Ok(template::Entity::find()
        .filter(template::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template::Column::WabaRowId.eq(waba.0))
        .filter(template::Column::Name.eq(name))
        .filter(template::Column::Language.eq(language))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert(scope: &TenantScope, db: &impl ConnectionTrait, waba: WabaRowId, t: &CreateTemplate, now: DateTime<Utc>) -> Result<TemplateId, AppError> {
    let id = TemplateId::new();
    template::Entity::insert(template::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(scope.tenant_id().0),
        waba_row_id: Set(waba.0),
        name: Set(t.name.clone()),
        language: Set(t.language.clone()),
        category: Set(t.category.clone()),
        created_at: Set(now),
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
pub async fn insert_revision(scope: &TenantScope, db: &impl ConnectionTrait, template: TemplateId, number: i32, t: &CreateTemplate, counts: Counts, by: Option<UserId>, now: DateTime<Utc>) -> Result<(), AppError> {
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
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The latest revision of each of the scope's templates.
pub async fn list(scope: &TenantScope, db: &impl ConnectionTrait) -> Result<Vec<TemplateRow>, AppError> {
    let templates = template::Entity::find().filter(template::Column::TenantId.eq(scope.tenant_id().0)).order_by_asc(template::Column::Name).order_by_asc(template::Column::Language).all(db).await?;
    let revisions = template_revision::Entity::find().filter(template_revision::Column::TenantId.eq(scope.tenant_id().0)).all(db).await?;
    Ok(templates
        .into_iter()
        .filter_map(|t| {
            let r = revisions.iter().filter(|r| r.template_id == t.id).max_by_key(|r| r.number)?;
            Some(TemplateRow {
                id: TemplateId(t.id),
                name: t.name,
                language: t.language,
                category: t.category,
                status: status_of(&r.status),
                revision: r.number,
                error_count: r.error_count,
                warning_count: r.warning_count,
            })
        })
        .collect())
}

/// A template's latest revision: (waba, revision id, number, status, content).
pub struct Latest {
    pub reason: Option<String>,
    pub note: Option<String>,
    pub waba: WabaRowId,
    pub revision: uuid::Uuid,
    pub number: i32,
    pub status: TemplateStatus,
    pub content: CreateTemplate,
}

pub async fn latest(scope: &TenantScope, db: &impl ConnectionTrait, id: TemplateId) -> Result<Latest, AppError> {
    let t = template::Entity::find_by_id(id.0).filter(template::Column::TenantId.eq(scope.tenant_id().0)).one(db).await?.ok_or(AppError::NotFound)?;
    let r = template_revision::Entity::find()
        .filter(template_revision::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template_revision::Column::TemplateId.eq(t.id))
        .order_by_desc(template_revision::Column::Number)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Latest { reason: r.reason, note: r.note, waba: WabaRowId(t.waba_row_id), revision: r.id, number: r.number, status: status_of(&r.status), content: serde_json::from_str(&r.content).unwrap_or_default() })
}

/// (body, footer) of the latest revisions of the account's other templates.
pub async fn other_texts(scope: &TenantScope, db: &impl ConnectionTrait, waba: WabaRowId, except: Option<TemplateId>) -> Result<Vec<(String, String)>, AppError> {
    let mut q = template::Entity::find().filter(template::Column::TenantId.eq(scope.tenant_id().0)).filter(template::Column::WabaRowId.eq(waba.0));
    if let Some(id) = except {
        q = q.filter(template::Column::Id.ne(id.0));
    }
    let ids: Vec<uuid::Uuid> = q
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let revisions = template_revision::Entity::find().filter(template_revision::Column::TemplateId.is_in(ids.clone())).filter(template_revision::Column::TenantId.eq(scope.tenant_id().0)).all(db).await?;
    Ok(ids
        .iter()
        .filter_map(|id| revisions.iter().filter(|r| r.template_id == *id).max_by_key(|r| r.number))
        .filter_map(|r| serde_json::from_str::<CreateTemplate>(&r.content).ok())
        .map(|c| (c.body().and_then(|b| b.text.clone()).unwrap_or_default(), c.footer().and_then(|f| f.text.clone()).unwrap_or_default()))
        .collect())
}

type RevisionUpdate = sea_orm::UpdateMany<template_revision::Entity>;

/// Runs `q` on the scope's `revision` only if it is still in `from`; a revision that moved
/// on meanwhile (another reviewer, another tab) is a `Conflict`.
async fn update_if_still(scope: &TenantScope, db: &impl ConnectionTrait, revision: uuid::Uuid, from: TemplateStatus, q: RevisionUpdate) -> Result<(), AppError> {
    let r = q
        .filter(template_revision::Column::Id.eq(revision))
        .filter(template_revision::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template_revision::Column::Status.eq(status_code(from)))
        .exec(db)
        .await?;
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// Moves a revision from `from` to `to`.
pub async fn move_status(scope: &TenantScope, db: &impl ConnectionTrait, revision: uuid::Uuid, from: TemplateStatus, to: TemplateStatus, submitted_at: Option<DateTime<Utc>>) -> Result<(), AppError> {
    let mut q = template_revision::Entity::update_many().col_expr(template_revision::Column::Status, Expr::value(status_code(to)));
    if let Some(at) = submitted_at {
        q = q.col_expr(template_revision::Column::SubmittedAt, Expr::value(at));
    }
    update_if_still(scope, db, revision, from, q).await
}

/// Records a reviewer's decision, if the revision is still where the reviewer saw it.
#[allow(clippy::too_many_arguments)]
pub async fn decide(scope: &TenantScope, db: &impl ConnectionTrait, revision: uuid::Uuid, from: TemplateStatus, to: TemplateStatus, by: Option<UserId>, reason: Option<&str>, note: Option<&str>, now: DateTime<Utc>) -> Result<(), AppError> {
    let q = template_revision::Entity::update_many()
        .col_expr(template_revision::Column::Status, Expr::value(status_code(to)))
        .col_expr(template_revision::Column::DecidedBy, Expr::value(by.map(|u| u.0)))
        .col_expr(template_revision::Column::DecidedAt, Expr::value(now))
        .col_expr(template_revision::Column::Reason, Expr::value(reason.map(str::to_owned)))
        .col_expr(template_revision::Column::Note, Expr::value(note.map(str::to_owned)));
    update_if_still(scope, db, revision, from, q).await
}

/// The review queue across every tenant, oldest submission first (staff only: the caller
/// holds a `PlatformScope`).
pub async fn queue(_scope: &crate::backend::scope::PlatformScope, db: &impl ConnectionTrait, limit: u64) -> Result<Vec<crate::api::types::QueueRow>, AppError> {
    use super::entities::tenant;
    use sea_orm::QuerySelect;
    let revisions = template_revision::Entity::find()
        .filter(template_revision::Column::Status.eq(status_code(TemplateStatus::InBspReview)))
        .order_by_asc(template_revision::Column::SubmittedAt)
        .limit(limit)
        .all(db)
        .await?;
    let templates = template::Entity::find().filter(template::Column::Id.is_in(revisions.iter().map(|r| r.template_id).collect::<Vec<_>>())).all(db).await?;
    let tenants = tenant::Entity::find().filter(tenant::Column::Id.is_in(templates.iter().map(|t| t.tenant_id).collect::<Vec<_>>())).all(db).await?;
    Ok(revisions
        .into_iter()
        .filter_map(|r| {
            let t = templates.iter().find(|t| t.id == r.template_id)?;
            let tn = tenants.iter().find(|x| x.id == t.tenant_id)?;
            Some(crate::api::types::QueueRow {
                tenant: crate::domain::ids::TenantId(t.tenant_id),
                tenant_name: tn.display_name.clone(),
                template: TemplateId(t.id),
                name: t.name.clone(),
                language: t.language.clone(),
                category: t.category.clone(),
                revision: r.number,
                submitted_at: r.submitted_at.unwrap_or(r.created_at),
                error_count: r.error_count,
                warning_count: r.warning_count,
            })
        })
        .collect())
}

/// Replaces a draft revision's content (drafts are edited in place).
pub async fn update_draft(scope: &TenantScope, db: &impl ConnectionTrait, revision: uuid::Uuid, t: &CreateTemplate, counts: Counts) -> Result<(), AppError> {
    let q = template_revision::Entity::update_many()
        .col_expr(template_revision::Column::Content, Expr::value(serde_json::to_string(t).map_err(|e| crate::backend::error::internal(&e))?))
        .col_expr(template_revision::Column::ErrorCount, Expr::value(counts.errors))
        .col_expr(template_revision::Column::WarningCount, Expr::value(counts.warnings));
    update_if_still(scope, db, revision, TemplateStatus::Draft, q).await
}

/// Keeps the template's category in step with its newest revision.
pub async fn update_category(scope: &TenantScope, db: &impl ConnectionTrait, id: TemplateId, category: &str) -> Result<(), AppError> {
    template::Entity::update_many()
        .col_expr(template::Column::Category, Expr::value(category.to_owned()))
        .filter(template::Column::Id.eq(id.0))
        .filter(template::Column::TenantId.eq(scope.tenant_id().0))
        .exec(db)
        .await?;
    Ok(())
}

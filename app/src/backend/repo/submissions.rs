//! Approved revisions on their way to the platform (marked sent, failed, scheduled, leased by
//! the job) and the header samples they carry.

use super::scoped;
use super::templates::update_if_still;
use super::{
    entities::{template, template_revision},
    revisions::status_code,
};
use crate::{
    backend::{error::stored_json, scope::TenantScope},
    contract::AppError,
    domain::{
        ids::TemplateId,
        template::{model::CreateTemplate, status::TemplateStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

/// A BSP-approved revision went to the platform (sent by the client, or marked by staff).
pub async fn mark_submitted(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    platform_id: Option<&str>,
    platform_status: TemplateStatus,
) -> Result<(), AppError> {
    use template_revision::Column as R;
    let q = template_revision::Entity::update_many()
        .col_expr(R::Status, Expr::value(status_code(platform_status)))
        .col_expr(R::PlatformId, Expr::value(platform_id.map(str::to_owned)))
        .col_expr(R::SubmitError, Expr::value(Option::<String>::None))
        .col_expr(R::SubmitNextAt, Expr::value(Option::<DateTime<Utc>>::None));
    update_if_still(scope, db, revision, TemplateStatus::BspApproved, q).await
}

/// Sending failed: keep the error for staff and try again at `next` (`None`: not again
/// until staff retry).
pub async fn submission_failed(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    use template_revision::Column as R;
    let q = template_revision::Entity::update_many()
        .col_expr(
            R::SubmitError,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .col_expr(R::SubmitAttempts, Expr::col(R::SubmitAttempts).add(1))
        .col_expr(R::SubmitNextAt, Expr::value(next));
    update_if_still(scope, db, revision, TemplateStatus::BspApproved, q).await
}

/// Schedules a BSP-approved revision to be sent now (staff retry after an error).
pub async fn schedule_submission(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let q = template_revision::Entity::update_many()
        .col_expr(template_revision::Column::SubmitNextAt, Expr::value(at));
    update_if_still(scope, db, revision, TemplateStatus::BspApproved, q).await
}

/// A BSP-approved revision due to be sent to the platform, leased to one sender.
pub struct DueSubmission {
    pub tenant: crate::domain::ids::TenantId,
    pub template: TemplateId,
    pub revision: uuid::Uuid,
    pub attempts: i32,
    pub waba_id: String,
    pub content: CreateTemplate,
}

/// Leases up to `limit` due submissions for `lease` (the lease moves `submit_next_at`, so
/// two processes never send the same revision at once).
pub async fn lease_due_submissions(
    _scope: &crate::backend::scope::SystemScope,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: chrono::TimeDelta,
    limit: u64,
) -> Result<Vec<DueSubmission>, AppError> {
    use super::entities::waba;
    use sea_orm::QuerySelect;
    use template_revision::Column as R;
    let due = template_revision::Entity::find()
        .filter(R::Status.eq(status_code(TemplateStatus::BspApproved)))
        .filter(R::SubmitNextAt.lte(now))
        .order_by_asc(R::SubmitNextAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for r in due {
        let leased = template_revision::Entity::update_many()
            .col_expr(R::SubmitNextAt, Expr::value(now + lease))
            .filter(R::Id.eq(r.id))
            .filter(R::SubmitNextAt.eq(r.submit_next_at))
            .exec(db)
            .await?;
        if leased.rows_affected != 1 {
            continue;
        }
        let Some(t) = template::Entity::find_by_id(r.template_id).one(db).await? else {
            continue;
        };
        let Some(w) = waba::Entity::find_by_id(t.waba_row_id).one(db).await? else {
            continue;
        };
        out.push(DueSubmission {
            tenant: crate::domain::ids::TenantId(r.tenant_id),
            template: TemplateId(t.id),
            revision: r.id,
            attempts: r.submit_attempts,
            waba_id: w.waba_id,
            content: stored_json(&r.content, "template_revisions", r.id)?,
        });
    }
    Ok(out)
}

/// Keeps a header sample (once per tenant and content).
pub async fn insert_media(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: &str,
    content_type: &str,
    bytes: &[u8],
    by: Option<crate::domain::ids::UserId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use super::entities::template_media;
    use sea_orm::sea_query::OnConflict;
    template_media::Entity::insert(template_media::ActiveModel {
        tenant_id: Set(scope.tenant_id().0),
        id: Set(id.to_owned()),
        content_type: Set(content_type.to_owned()),
        content: Set(bytes.to_vec()),
        bytes: Set(i32::try_from(bytes.len()).unwrap_or(i32::MAX)),
        uploaded_by: Set(by.map(|u| u.0)),
        uploaded_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([template_media::Column::TenantId, template_media::Column::Id])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// One of the scope's header samples: (content type, bytes).
pub async fn media(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    use super::entities::template_media;
    Ok(
        template_media::Entity::find_by_id((scope.tenant_id().0, id.to_owned()))
            .one(db)
            .await?
            .map(|m| (m.content_type, m.content)),
    )
}

/// The content type and size of a header sample, without its bytes.
pub async fn media_info(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<(String, i32)>, AppError> {
    use super::entities::template_media;
    use sea_orm::QuerySelect;
    Ok(template_media::Entity::find()
        .select_only()
        .column(template_media::Column::ContentType)
        .column(template_media::Column::Bytes)
        .filter(scoped::of::<template_media::Entity>(scope))
        .filter(template_media::Column::Id.eq(id))
        .into_tuple::<(String, i32)>()
        .one(db)
        .await?)
}

/// The bytes of the scope's stored header samples, all together.
pub async fn media_total(scope: &TenantScope, db: &impl ConnectionTrait) -> Result<i64, AppError> {
    use super::entities::template_media;
    use sea_orm::QuerySelect;
    let total: Option<Option<i64>> = template_media::Entity::find()
        .select_only()
        .column_as(template_media::Column::Bytes.sum(), "total")
        .filter(scoped::of::<template_media::Entity>(scope))
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.flatten().unwrap_or(0))
}

/// Deletes header samples uploaded before `before` that no revision of their tenant's
/// templates names any more (a replaced sample, an upload whose edit failed); returns how many.
pub async fn prune_unreferenced_media(
    db: &impl ConnectionTrait,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<u64, AppError> {
    use super::entities::template_media;
    use sea_orm::sea_query::Expr;
    // The handle a revision stores is `media:<id>` (`domain::template::media::STORED_PREFIX`).
    Ok(template_media::Entity::delete_many()
        .filter(template_media::Column::UploadedAt.lt(before))
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM template_revisions r \
             WHERE r.tenant_id = template_media.tenant_id \
             AND r.content LIKE '%media:' || template_media.id || '%')",
        ))
        .exec(db)
        .await?
        .rows_affected)
}

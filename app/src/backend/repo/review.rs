//! The review queue across tenants, reviewers' claims, and the history reviewers read.

use super::entities::{template, template_revision, tenant, user};
use super::scoped;
use crate::{
    backend::scope::{PlatformScope, TenantScope},
    contract::{AppError, PastDecision, QueueRow, RevisionView},
    domain::{
        ids::{TemplateId, TenantId, UserId},
        template::{
            review::{age_text, Claim, QueueFilter, SeverityFilter, SlaPolicy, QUEUE_PAGE},
            status::TemplateStatus,
        },
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::revisions::{free_for, status_code, status_literal, status_of};
use crate::backend::error::stored_json;

/// A page of the queue, oldest submission first, filtered; one query (the benchmark's
/// subject). Returns the rows and whether there is a next page.
pub async fn queue(
    _scope: &PlatformScope,
    db: &impl ConnectionTrait,
    f: &QueueFilter,
    now: DateTime<Utc>,
    sla: SlaPolicy,
) -> Result<(Vec<QueueRow>, bool), AppError> {
    let backend = db.get_database_backend();
    let unfiltered = f.tenant.is_none()
        && f.category.is_none()
        && f.language.is_none()
        && f.severity.is_none()
        && f.search.is_none();
    let mut stmt = if unfiltered {
        // The queue as most reviewers see it: the same text every time, built once.
        static POSTGRES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        static OTHER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let cell = if backend == sea_orm::DatabaseBackend::Postgres {
            &POSTGRES
        } else {
            &OTHER
        };
        sea_orm::Statement::from_string(
            backend,
            cell.get_or_init(|| backend.build(&queue_select(f)).sql)
                .clone(),
        )
    } else {
        backend.build(&queue_select(f))
    };
    stmt.sql.push_str(&format!(
        " LIMIT {} OFFSET {}",
        QUEUE_PAGE + 1,
        u64::from(f.page) * QUEUE_PAGE
    ));
    let rows = db.query_all_raw(stmt).await?;
    let mut out = Vec::with_capacity(rows.len());
    // Read by position, in the order `queue_select` selects (a name is a hash lookup per value).
    for row in &rows {
        let submitted: DateTime<Utc> = match col::<Option<DateTime<Utc>>>(row, 3)? {
            Some(at) => at,
            None => col(row, 4)?,
        };
        let claim = match (
            col::<Option<uuid::Uuid>>(row, 7)?,
            col::<Option<DateTime<Utc>>>(row, 8)?,
        ) {
            // Named by the review service (`cache::ClaimerNames`).
            (Some(by), Some(until)) if until > now => Some(Claim {
                by,
                by_name: String::new(),
                until,
            }),
            _ => None,
        };
        out.push(QueueRow {
            tenant: TenantId(col(row, 0)?),
            tenant_name: col(row, 12)?,
            template: TemplateId(col(row, 1)?),
            name: col(row, 9)?,
            language: col(row, 10)?,
            category: col(row, 11)?,
            revision: col(row, 2)?,
            submitted_at: submitted,
            error_count: col(row, 5)?,
            warning_count: col(row, 6)?,
            age: age_text(now - submitted),
            sla: sla.of(now - submitted),
            claim,
        });
    }
    let has_next = out.len() as u64 > QUEUE_PAGE;
    out.truncate(QUEUE_PAGE as usize);
    Ok((out, has_next))
}

/// Column `i` of a queue row. On PostgreSQL the statement is `queue_select`'s, its column
/// types fixed, so sqlx's check of each value's type against the row's description (most of
/// the cost of reading a row) is left out; a NULL where none may be, or a malformed value, is
/// still an error. Other databases read through sea-orm as usual.
fn col<T>(row: &sea_orm::QueryResult, i: usize) -> Result<T, sea_orm::DbErr>
where
    T: sea_orm::TryGetable
        + for<'r> sea_orm::sqlx::Decode<'r, sea_orm::sqlx::Postgres>
        + sea_orm::sqlx::Type<sea_orm::sqlx::Postgres>,
{
    use sea_orm::sqlx::Row as _;
    match row.try_as_pg_row() {
        Some(pg) => pg
            .try_get_unchecked(i)
            .map_err(|e| sea_orm::DbErr::Type(format!("queue column {i}: {e}"))),
        None => row.try_get_by_index(i),
    }
}

/// Revisions whose template name or tenant name contains `s` (case-insensitive, `%` and `_`
/// taken literally).
fn matching(s: &str) -> sea_orm::sea_query::SimpleExpr {
    use template_revision::Column as R;
    let (r, t, n) = (template_revision::Entity, template::Entity, tenant::Entity);
    let pattern = format!(
        "%{}%",
        s.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    // As two id sets (each served by a trigram index on PostgreSQL) rather than a filter on
    // the joined rows: 226 → ~20 ms for a rare term over 100,000 pending revisions.
    let like = |col: sea_orm::sea_query::ColumnRef| {
        Expr::expr(Func::lower(Expr::col(col)))
            .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
    };
    let by_name = Query::select()
        .column(template::Column::Id)
        .from(t)
        .and_where(like(sea_orm::sea_query::IntoColumnRef::into_column_ref(
            template::Column::Name,
        )))
        .to_owned();
    let by_tenant = Query::select()
        .column(tenant::Column::Id)
        .from(n)
        .and_where(like(sea_orm::sea_query::IntoColumnRef::into_column_ref(
            tenant::Column::DisplayName,
        )))
        .to_owned();
    Expr::col((r, R::TemplateId))
        .in_subquery(by_name)
        .or(Expr::col((r, R::TenantId)).in_subquery(by_tenant))
}

/// The queue's statement for filter `f` (its page's LIMIT and OFFSET are added by `queue`).
fn queue_select(f: &QueueFilter) -> sea_orm::sea_query::SelectStatement {
    use template_revision::Column as R;
    let (r, t, n) = (template_revision::Entity, template::Entity, tenant::Entity);
    let mut q = Query::select();
    q.from(r)
        .column((r, R::TenantId))
        .column((r, R::TemplateId))
        .column((r, R::Number))
        .column((r, R::SubmittedAt))
        .column((r, R::CreatedAt))
        .column((r, R::ErrorCount))
        .column((r, R::WarningCount))
        .column((r, R::ClaimedBy))
        .column((r, R::ClaimedUntil))
        .expr_as(
            Expr::col((t, template::Column::Name)),
            Alias::new("template_name"),
        )
        .column((t, template::Column::Language))
        .column((t, template::Column::Category))
        .expr_as(
            Expr::col((n, tenant::Column::DisplayName)),
            Alias::new("tenant_name"),
        )
        .join(
            JoinType::InnerJoin,
            t,
            Expr::col((t, template::Column::Id)).equals((r, R::TemplateId)),
        )
        .join(
            JoinType::InnerJoin,
            n,
            Expr::col((n, tenant::Column::Id)).equals((r, R::TenantId)),
        )
        // Constants of ours are written into the statement, not bound: PostgreSQL plans a
        // statement with parameters afresh on every run when its generic plan looks costlier
        // (a LIMIT it cannot see), and planning this join took longer than running it. The
        // unfiltered queue is thus one statement, planned once per connection; the literals
        // also let the partial indexes of the queue and its severity tabs match.
        .and_where(Expr::cust(format!(
            "\"template_revisions\".\"status\" = '{}'",
            status_literal(TemplateStatus::InBspReview)
        )))
        .order_by((r, R::SubmittedAt), Order::Asc)
        .order_by((r, R::Id), Order::Asc);
    if let Some(id) = f.tenant {
        q.and_where(Expr::col((r, R::TenantId)).eq(id));
    }
    if let Some(c) = &f.category {
        q.and_where(Expr::col((t, template::Column::Category)).eq(c.clone()));
    }
    if let Some(l) = &f.language {
        q.and_where(Expr::col((t, template::Column::Language)).eq(l.clone()));
    }
    match f.severity {
        Some(SeverityFilter::Errors) => {
            q.and_where(Expr::cust("\"template_revisions\".\"error_count\" > 0"));
        }
        Some(SeverityFilter::Warnings) => {
            q.and_where(Expr::cust("\"template_revisions\".\"error_count\" = 0 AND \"template_revisions\".\"warning_count\" > 0"));
        }
        Some(SeverityFilter::Clean) => {
            q.and_where(Expr::cust("\"template_revisions\".\"error_count\" = 0 AND \"template_revisions\".\"warning_count\" = 0"));
        }
        None => {}
    }
    if let Some(s) = &f.search {
        q.and_where(matching(s));
    }
    q
}

/// Who holds `revision` (an expired claim is reported too; callers ask `Claim::active`).
pub async fn claim_of(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
) -> Result<Option<Claim>, AppError> {
    let Some(r) = template_revision::Entity::find_by_id(revision)
        .filter(scoped::of::<template_revision::Entity>(scope))
        .one(db)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let (Some(by), Some(until)) = (r.claimed_by, r.claimed_until) else {
        return Ok(None);
    };
    let by_name = user::Entity::find_by_id(by)
        .one(db)
        .await?
        .map(|u| super::users::shown_name(&u))
        .unwrap_or_default();
    Ok(Some(Claim { by, by_name, until }))
}

/// Claims (or extends the claim on) a revision in review for `who` until `until`, unless
/// someone else holds an unexpired claim. One conditional UPDATE: of two reviewers racing,
/// exactly one gets it.
pub async fn try_claim(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    who: UserId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, AppError> {
    use template_revision::Column as R;
    let r = template_revision::Entity::update_many()
        .col_expr(R::ClaimedBy, Expr::value(who.0))
        .col_expr(R::ClaimedUntil, Expr::value(until))
        .filter(R::Id.eq(revision))
        .filter(scoped::of::<template_revision::Entity>(scope))
        .filter(R::Status.eq(status_code(TemplateStatus::InBspReview)))
        .filter(free_for(who, now))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Gives a claim back (only one's own).
pub async fn release(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    revision: uuid::Uuid,
    who: UserId,
) -> Result<(), AppError> {
    use template_revision::Column as R;
    template_revision::Entity::update_many()
        .col_expr(R::ClaimedBy, Expr::value(Option::<uuid::Uuid>::None))
        .col_expr(R::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(R::Id.eq(revision))
        .filter(scoped::of::<template_revision::Entity>(scope))
        .filter(R::ClaimedBy.eq(who.0))
        .exec(db)
        .await?;
    Ok(())
}

/// The tenant's rejections and change requests, newest first.
pub async fn past_decisions(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<PastDecision>, AppError> {
    use template_revision::Column as R;
    let revs = scoped::find::<template_revision::Entity>(scope)
        .filter(
            R::Status.is_in(
                [
                    TemplateStatus::BspRejected,
                    TemplateStatus::ChangesRequested,
                    TemplateStatus::Rejected,
                ]
                .map(status_code),
            ),
        )
        .order_by_desc(R::DecidedAt)
        .limit(limit)
        .all(db)
        .await?;
    let templates = scoped::find::<template::Entity>(scope)
        .filter(template::Column::Id.is_in(revs.iter().map(|r| r.template_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    revs.into_iter()
        .filter_map(|r| {
            let t = templates.iter().find(|t| t.id == r.template_id)?;
            Some(status_of(&r.status, r.id).map(|status| PastDecision {
                template: TemplateId(t.id),
                name: t.name.clone(),
                language: t.language.clone(),
                revision: r.number,
                status,
                reason: r.reason,
                note: r.note,
                decided_at: r.decided_at,
            }))
        })
        .collect()
}

/// Every revision of a template, oldest first (`changes` left empty for the caller).
pub async fn revisions(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
) -> Result<Vec<RevisionView>, AppError> {
    use template_revision::Column as R;
    let revs = scoped::find::<template_revision::Entity>(scope)
        .filter(R::TemplateId.eq(id.0))
        .order_by_asc(R::Number)
        .all(db)
        .await?;
    if revs.is_empty() {
        return Err(AppError::NotFound);
    }
    let people: Vec<uuid::Uuid> = revs
        .iter()
        .flat_map(|r| [r.created_by, r.decided_by])
        .flatten()
        .collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?;
    let name = |id: Option<uuid::Uuid>| {
        id.and_then(|id| users.iter().find(|u| u.id == id))
            .map(super::users::shown_name)
    };
    revs.into_iter()
        .map(|r| {
            Ok(RevisionView {
                number: r.number,
                status: status_of(&r.status, r.id)?,
                content: stored_json(&r.content, "template_revisions", r.id)?,
                created_at: r.created_at,
                created_by: name(r.created_by),
                submitted_at: r.submitted_at,
                decided_at: r.decided_at,
                decided_by: name(r.decided_by),
                reason: r.reason,
                note: r.note,
                changes: vec![],
            })
        })
        .collect()
}

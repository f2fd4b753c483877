//! The email outbox table, with lease-based claiming so that several server processes
//! never send the same email twice.

use super::entities::email_outbox;
use crate::{
    backend::outbox::{ClaimedEmail, NewEmail},
    contract::{AppError, OutboxRow},
    domain::{ids::EmailId, locale::Locale},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";

pub async fn insert(
    db: &impl ConnectionTrait,
    e: &NewEmail,
    now: DateTime<Utc>,
) -> Result<EmailId, AppError> {
    let id = EmailId::new();
    email_outbox::Entity::insert(email_outbox::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(e.tenant.map(|t| t.0)),
        kind: Set(e.message.kind().to_owned()),
        recipient: Set(e.recipient.clone()),
        locale: Set(e.locale.code().to_owned()),
        payload: Set(
            serde_json::to_string(&e.message).map_err(|x| crate::backend::error::internal(&x))?
        ),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(email_outbox::Column::Status.eq(PENDING))
        .add(email_outbox::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(email_outbox::Column::LockedUntil.is_null())
                .add(email_outbox::Column::LockedUntil.lt(now)),
        )
}

/// Claims up to `limit` due emails for `lease`: a row is ours only if our conditional
/// update changed it.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<ClaimedEmail>, AppError> {
    let candidates = email_outbox::Entity::find()
        .filter(claimable(now))
        .order_by_asc(email_outbox::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for c in candidates {
        let r = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::LockedUntil, Expr::value(lease_until))
            .filter(email_outbox::Column::Id.eq(c.id))
            .filter(claimable(now))
            .exec(db)
            .await?;
        if r.rows_affected == 1 {
            out.push(ClaimedEmail {
                id: EmailId(c.id),
                recipient: c.recipient,
                locale: Locale::parse(&c.locale).unwrap_or_default(),
                message: serde_json::from_str(&c.payload).ok(),
                attempts: c.attempts,
            });
        }
    }
    Ok(out)
}

/// Marks an email sent; `kept_payload` replaces its payload (the copy without secrets).
pub async fn mark_sent(
    db: &impl ConnectionTrait,
    id: EmailId,
    kept_payload: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut q = email_outbox::Entity::update_many();
    if let Some(p) = kept_payload {
        q = q.col_expr(email_outbox::Column::Payload, Expr::value(p));
    }
    super::one_row(
        q.col_expr(email_outbox::Column::Status, Expr::value(SENT))
            .col_expr(email_outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                email_outbox::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                email_outbox::Column::Attempts,
                Expr::col(email_outbox::Column::Attempts).add(1),
            )
            .filter(email_outbox::Column::Id.eq(id.0))
            .exec(db)
            .await?,
    )
}

/// Records a failed attempt: retried at `retry_at`, or dead-lettered when `retry_at` is None.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    id: EmailId,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let mut q = email_outbox::Entity::update_many()
        .col_expr(
            email_outbox::Column::LastError,
            Expr::value(error.chars().take(500).collect::<String>()),
        )
        .col_expr(
            email_outbox::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            email_outbox::Column::Attempts,
            Expr::col(email_outbox::Column::Attempts).add(1),
        );
    q = match retry_at {
        Some(at) => q.col_expr(email_outbox::Column::NextAttemptAt, Expr::value(at)),
        None => q.col_expr(email_outbox::Column::Status, Expr::value(DEAD)),
    };
    super::one_row(q.filter(email_outbox::Column::Id.eq(id.0)).exec(db).await?)
}

/// The kind and status of an outbox row.
pub async fn kind_and_status(
    db: &impl ConnectionTrait,
    id: EmailId,
) -> Result<(String, String), AppError> {
    email_outbox::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(|e| (e.kind, e.status))
        .ok_or(AppError::NotFound)
}

/// Deletes sent emails sent before `before` (retention).
pub async fn prune_sent(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(email_outbox::Entity::delete_many()
        .filter(email_outbox::Column::Status.eq(SENT))
        .filter(email_outbox::Column::SentAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// Puts a sent or dead email back in the queue (admin "resend").
pub async fn requeue(
    db: &impl ConnectionTrait,
    id: EmailId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    super::one_row(
        email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::Status, Expr::value(PENDING))
            .col_expr(email_outbox::Column::Attempts, Expr::value(0))
            .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(now))
            .col_expr(
                email_outbox::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(email_outbox::Column::Id.eq(id.0))
            .exec(db)
            .await?,
    )
}

pub async fn list(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<OutboxRow>, AppError> {
    Ok(email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::CreatedAt)
        .order_by_desc(email_outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|e| OutboxRow {
            id: EmailId(e.id),
            kind: e.kind,
            recipient: e.recipient,
            status: e.status,
            attempts: e.attempts,
            last_error: e.last_error,
            created_at: e.created_at,
        })
        .collect())
}

//! API requests sent with an `Idempotency-Key`: claimed before they run (one statement, so two
//! concurrent requests with one key cannot both run), their answer kept afterwards.

use super::entities::api_idempotency as idem;
use crate::contract::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

const RUNNING: &str = "running";
const DONE: &str = "done";

/// A stored answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// This request runs; `finish` its answer.
    Run,
    /// The same request is still running elsewhere.
    Running,
    /// The key was used for another request.
    Mismatch,
    /// The same request ran: its answer.
    Replay(Stored),
}

/// Claims (`key`, `idem_key`) for a request whose fingerprint is `fingerprint`. A claim older
/// than `ttl` is forgotten; a running claim older than `lease` (its process died) is taken over.
pub async fn claim(
    db: &impl ConnectionTrait,
    key: uuid::Uuid,
    idem_key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
    ttl: TimeDelta,
    lease: TimeDelta,
) -> Result<Claim, AppError> {
    let inserted = idem::Entity::insert(idem::ActiveModel {
        api_key_id: Set(key),
        idem_key: Set(idem_key.to_owned()),
        fingerprint: Set(fingerprint.to_owned()),
        state: Set(RUNNING.into()),
        status: Set(None),
        content_type: Set(None),
        location: Set(None),
        body: Set(None),
        created_at: Set(now),
        started_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([idem::Column::ApiKeyId, idem::Column::IdemKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 1 {
        return Ok(Claim::Run);
    }
    let Some(row) = idem::Entity::find_by_id((key, idem_key.to_owned()))
        .one(db)
        .await?
    else {
        // Deleted meanwhile (expired): the caller may try again.
        return Ok(Claim::Running);
    };
    let expired = row.created_at <= now - ttl;
    let abandoned = row.state == RUNNING && row.started_at <= now - lease;
    if expired || (abandoned && row.fingerprint == fingerprint) {
        // Taken over only if nobody else took it since it was read.
        let taken = idem::Entity::update_many()
            .col_expr(idem::Column::Fingerprint, Expr::value(fingerprint))
            .col_expr(idem::Column::State, Expr::value(RUNNING))
            .col_expr(idem::Column::Status, Expr::value(Option::<i32>::None))
            .col_expr(idem::Column::Body, Expr::value(Option::<String>::None))
            .col_expr(idem::Column::CreatedAt, Expr::value(now))
            .col_expr(idem::Column::StartedAt, Expr::value(now))
            .filter(idem::Column::ApiKeyId.eq(key))
            .filter(idem::Column::IdemKey.eq(idem_key))
            .filter(idem::Column::StartedAt.eq(row.started_at))
            .exec(db)
            .await?;
        return Ok(if taken.rows_affected == 1 {
            Claim::Run
        } else {
            Claim::Running
        });
    }
    if row.fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    match (row.state.as_str(), row.status, row.body) {
        (DONE, Some(status), Some(body)) => Ok(Claim::Replay(Stored {
            status: u16::try_from(status).unwrap_or(500),
            content_type: row.content_type,
            location: row.location,
            body,
        })),
        _ => Ok(Claim::Running),
    }
}

/// Keeps the answer of a claimed request.
pub async fn finish(
    db: &impl ConnectionTrait,
    key: uuid::Uuid,
    idem_key: &str,
    answer: &Stored,
) -> Result<(), AppError> {
    idem::Entity::update_many()
        .col_expr(idem::Column::State, Expr::value(DONE))
        .col_expr(idem::Column::Status, Expr::value(i32::from(answer.status)))
        .col_expr(
            idem::Column::ContentType,
            Expr::value(answer.content_type.clone()),
        )
        .col_expr(idem::Column::Location, Expr::value(answer.location.clone()))
        .col_expr(idem::Column::Body, Expr::value(answer.body.clone()))
        .filter(idem::Column::ApiKeyId.eq(key))
        .filter(idem::Column::IdemKey.eq(idem_key))
        .exec(db)
        .await?;
    Ok(())
}

/// Lets a claimed request be tried again (it was refused before it ran: its answer is not
/// kept, as Stripe does for requests that failed validation).
pub async fn release(
    db: &impl ConnectionTrait,
    key: uuid::Uuid,
    idem_key: &str,
) -> Result<(), AppError> {
    idem::Entity::delete_many()
        .filter(idem::Column::ApiKeyId.eq(key))
        .filter(idem::Column::IdemKey.eq(idem_key))
        .filter(idem::Column::State.eq(RUNNING))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets the answers older than `before` (housekeeping).
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(idem::Entity::delete_many()
        .filter(idem::Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

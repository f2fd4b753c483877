//! Sign-in failures, kept in the database so throttling holds across server processes.

use super::entities::sign_in_failure;
use crate::contract::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

pub async fn record(
    db: &impl ConnectionTrait,
    key: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    sign_in_failure::Entity::insert(sign_in_failure::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        key: Set(key.to_owned()),
        at: Set(at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Failure times of `key` since `since`, newest first, at most `limit`.
pub async fn recent(
    db: &impl ConnectionTrait,
    key: &str,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    Ok(sign_in_failure::Entity::find()
        .filter(sign_in_failure::Column::Key.eq(key))
        .filter(sign_in_failure::Column::At.gt(since))
        .order_by_desc(sign_in_failure::Column::At)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.at)
        .collect())
}

pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes failures older than `before` (housekeeping).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(sign_in_failure::Entity::delete_many()
        .filter(sign_in_failure::Column::At.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

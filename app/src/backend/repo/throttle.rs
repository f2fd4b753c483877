//! Sign-in attempt counters, kept in the database so throttling holds across server processes.
//!
//! One row per key. `reserve` counts an attempt *before* the password is checked, in one
//! upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, atomic on PostgreSQL and SQLite): of
//! any number of parallel attempts, exactly one sees each count, so no more than the limit are
//! ever verified. A window starts with the first attempt after the previous one ended.

use super::entities::{known_device, sign_in_attempt};
use crate::contract::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// A key's count in its current window, this attempt included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserved {
    pub count: i32,
    pub window_start: DateTime<Utc>,
}

/// Counts one attempt of `key`; a window older than `window` starts afresh at `now`.
pub async fn reserve(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    window: TimeDelta,
) -> Result<Reserved, AppError> {
    use sign_in_attempt::{Column as C, Entity as T};
    let over = Expr::col((T, C::WindowStart)).lte(now - window);
    let row = T::insert(sign_in_attempt::ActiveModel {
        key: Set(key.to_owned()),
        window_start: Set(now),
        count: Set(1),
    })
    .on_conflict(
        OnConflict::column(C::Key)
            .value(
                C::Count,
                Expr::case(over.clone(), 1).finally(Expr::col((T, C::Count)).add(1)),
            )
            .value(
                C::WindowStart,
                Expr::case(over, now).finally(Expr::col((T, C::WindowStart))),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(Reserved {
        count: row.count,
        window_start: row.window_start,
    })
}

/// Gives back an attempt that was not a failed guess (the password was right, or the server
/// was too busy to check it).
pub async fn release(db: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    use sign_in_attempt::{Column as C, Entity as T};
    T::update_many()
        .col_expr(C::Count, Expr::col(C::Count).sub(1))
        .filter(C::Key.eq(key))
        .filter(C::Count.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes counters whose window started before `before` (housekeeping).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(sign_in_attempt::Entity::delete_many()
        .filter(sign_in_attempt::Column::WindowStart.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// A browser that signed in as `user` before: the device's id, if the hash is known.
pub async fn known_device(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<known_device::Model>, AppError> {
    Ok(known_device::Entity::find()
        .filter(known_device::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?)
}

pub async fn add_device(
    db: &impl ConnectionTrait,
    user: uuid::Uuid,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<uuid::Uuid, AppError> {
    let id = uuid::Uuid::now_v7();
    known_device::Entity::insert(known_device::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(now),
        last_seen_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn touch_device(
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    known_device::Entity::update_many()
        .col_expr(known_device::Column::LastSeenAt, Expr::value(now))
        .filter(known_device::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets devices not seen since `before` (housekeeping).
pub async fn prune_devices(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(known_device::Entity::delete_many()
        .filter(known_device::Column::LastSeenAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

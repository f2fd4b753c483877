//! Password reset links: the hash of each token, single use, with an expiry.

use super::entities::password_reset;
use crate::{backend::tx::Tx, contract::AppError, domain::ids::UserId};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

pub async fn insert(
    db: &impl ConnectionTrait,
    user: UserId,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), AppError> {
    password_reset::Entity::insert(password_reset::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user.0),
        token_hash: Set(token_hash.to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The user of a link that is neither used nor expired.
pub async fn find_valid(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(uuid::Uuid, UserId)>, AppError> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|r| (r.id, UserId(r.user_id))))
}

/// Uses every open link of `user` (the one just followed and any other); `true` if `id` was
/// among them, that is, nobody used it meanwhile.
pub async fn consume(
    tx: &Tx,
    id: uuid::Uuid,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let this = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(tx)
        .await?
        .rows_affected;
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(user.0))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(tx)
        .await?;
    Ok(this == 1)
}

/// Deletes links that expired before `before` (housekeeping).
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(password_reset::Entity::delete_many()
        .filter(password_reset::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

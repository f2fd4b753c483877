//! Two-factor secrets (sealed), the last time step accepted, and recovery codes (hashed).

use super::entities::{recovery_code, user_totp};
use crate::{backend::tx::Tx, contract::AppError, domain::ids::UserId};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

/// A user's secret: sealed, and whether enrolment was confirmed.
pub struct Totp {
    pub secret_sealed: String,
    pub enabled: bool,
}

pub async fn find(db: &impl ConnectionTrait, user: UserId) -> Result<Option<Totp>, AppError> {
    Ok(user_totp::Entity::find_by_id(user.0)
        .one(db)
        .await?
        .map(|t| Totp {
            secret_sealed: t.secret_sealed,
            enabled: t.enabled_at.is_some(),
        }))
}

pub async fn is_enabled(db: &impl ConnectionTrait, user: UserId) -> Result<bool, AppError> {
    Ok(find(db, user).await?.is_some_and(|t| t.enabled))
}

/// Starts (or restarts) an enrolment with a new secret; `false` if two-factor is already on.
pub async fn set_pending(
    tx: &Tx,
    user: UserId,
    secret_sealed: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    user_totp::Entity::delete_many()
        .filter(user_totp::Column::UserId.eq(user.0))
        .filter(user_totp::Column::EnabledAt.is_null())
        .exec(tx)
        .await?;
    if find(tx, user).await?.is_some() {
        return Ok(false);
    }
    user_totp::Entity::insert(user_totp::ActiveModel {
        user_id: Set(user.0),
        secret_sealed: Set(secret_sealed.to_owned()),
        enabled_at: Set(None),
        last_step: Set(0),
        created_at: Set(now),
    })
    .exec_without_returning(tx)
    .await?;
    Ok(true)
}

/// Confirms an enrolment with the step of its first code; `false` if nothing was pending.
pub async fn enable(
    tx: &Tx,
    user: UserId,
    step: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(user_totp::Entity::update_many()
        .col_expr(user_totp::Column::EnabledAt, Expr::value(now))
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(user.0))
        .filter(user_totp::Column::EnabledAt.is_null())
        .exec(tx)
        .await?
        .rows_affected
        == 1)
}

/// Accepts a code's time step if it is later than any accepted before (RFC 6238 §5.2: a code
/// is never accepted twice), in one statement: of two requests with the same code, one wins.
pub async fn accept_step(
    db: &impl ConnectionTrait,
    user: UserId,
    step: i64,
) -> Result<bool, AppError> {
    Ok(user_totp::Entity::update_many()
        .col_expr(user_totp::Column::LastStep, Expr::value(step))
        .filter(user_totp::Column::UserId.eq(user.0))
        .filter(user_totp::Column::EnabledAt.is_not_null())
        .filter(user_totp::Column::LastStep.lt(step))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Turns two-factor off: the secret and the recovery codes go.
pub async fn remove(tx: &Tx, user: UserId) -> Result<bool, AppError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.0))
        .exec(tx)
        .await?;
    Ok(user_totp::Entity::delete_many()
        .filter(user_totp::Column::UserId.eq(user.0))
        .exec(tx)
        .await?
        .rows_affected
        > 0)
}

/// Replaces the user's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    tx: &Tx,
    user: UserId,
    hashes: &[String],
) -> Result<(), AppError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user.0))
        .exec(tx)
        .await?;
    recovery_code::Entity::insert_many(hashes.iter().map(|h| recovery_code::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        user_id: Set(user.0),
        code_hash: Set(h.clone()),
        used_at: Set(None),
    }))
    .exec_without_returning(tx)
    .await?;
    Ok(())
}

/// Uses a recovery code, once: `true` if it was the user's and unused (one statement).
pub async fn use_recovery_code(
    db: &impl ConnectionTrait,
    user: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::UserId.eq(user.0))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        >= 1)
}

pub async fn recovery_codes_left(db: &impl ConnectionTrait, user: UserId) -> Result<u64, AppError> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user.0))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

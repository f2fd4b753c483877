//! Links between staff accounts and their OpenID Connect provider's users.

use super::entities::user_identity;
use crate::{contract::AppError, domain::ids::UserId};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// The account linked to the provider's user (`issuer`, `subject`), noting its use.
pub async fn user_of(
    db: &impl ConnectionTrait,
    issuer: &str,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, AppError> {
    let found = user_identity::Entity::find_by_id((issuer.to_owned(), subject.to_owned()))
        .one(db)
        .await?;
    if found.is_some() {
        user_identity::Entity::update_many()
            .col_expr(user_identity::Column::LastUsedAt, Expr::value(now))
            .filter(user_identity::Column::Issuer.eq(issuer))
            .filter(user_identity::Column::Subject.eq(subject))
            .exec(db)
            .await?;
    }
    Ok(found.map(|i| UserId(i.user_id)))
}

/// Whether the account is already linked to some user of this provider.
pub async fn linked(
    db: &impl ConnectionTrait,
    user: UserId,
    issuer: &str,
) -> Result<bool, AppError> {
    Ok(user_identity::Entity::find()
        .filter(user_identity::Column::UserId.eq(user.0))
        .filter(user_identity::Column::Issuer.eq(issuer))
        .one(db)
        .await?
        .is_some())
}

pub async fn link(
    db: &impl ConnectionTrait,
    user: UserId,
    issuer: &str,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    user_identity::Entity::insert(user_identity::ActiveModel {
        issuer: Set(issuer.to_owned()),
        subject: Set(subject.to_owned()),
        user_id: Set(user.0),
        created_at: Set(now),
        last_used_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

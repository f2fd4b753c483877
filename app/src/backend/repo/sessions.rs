//! Session rows for the tower-sessions store: `(id, data as JSON, expires_at, user_id)`.

use super::entities::{session, user};
use crate::{backend::identity::CurrentUser, contract::AppError, domain::ids::UserId};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// Inserts a new session; `false` if the id exists already (the caller picks another).
pub async fn create(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: DateTime<Utc>,
    user: Option<UserId>,
) -> Result<bool, AppError> {
    let r = session::Entity::insert(session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set(data.to_owned()),
        expires_at: Set(expires_at),
        user_id: Set(user.map(|u| u.0)),
    })
    .on_conflict(
        OnConflict::column(session::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(r == 1)
}

/// Writes a session's data and expiry, if the session still exists: a request that read it
/// before a sign-out elsewhere must not bring it back (sessions are made by `create` only).
pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    data: &str,
    expires_at: DateTime<Utc>,
    user: Option<UserId>,
) -> Result<(), AppError> {
    session::Entity::update_many()
        .col_expr(session::Column::Data, Expr::value(data))
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .col_expr(session::Column::UserId, Expr::value(user.map(|u| u.0)))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A live session: its data and, when the row names its user, that user as
/// `users::load_current` reads them (`Some(None)`: disabled, suspended or gone).
pub struct Loaded {
    pub data: String,
    pub user: Option<(UserId, Option<CurrentUser>)>,
}

/// Reads a live session and its user in one statement (every request starts here).
pub async fn load(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<Loaded>, AppError> {
    use sea_orm::sea_query::{ExprTrait, JoinType, Query};
    let (s, u) = (session::Entity, user::Entity);
    let mut q = Query::select();
    q.column((s, session::Column::Data))
        .column((s, session::Column::UserId))
        .from(s)
        .join(
            JoinType::LeftJoin,
            u,
            Expr::col((u, user::Column::Id)).equals((s, session::Column::UserId)),
        )
        .and_where(Expr::col((s, session::Column::Id)).eq(id))
        .and_where(Expr::col((s, session::Column::ExpiresAt)).gt(now));
    super::users::with_current_user(&mut q);
    let rows = db.query_all(&q).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let data: String = first.try_get("", "data")?;
    let user = match first.try_get::<Option<uuid::Uuid>>("", "user_id")? {
        Some(uid) => Some((
            UserId(uid),
            super::users::current_from_rows(UserId(uid), &rows)?,
        )),
        None => None,
    };
    Ok(Some(Loaded { data, user }))
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(id.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of `user`. Sessions saved before rows named their user are found by
/// the id in their data.
pub async fn delete_for_user(tx: &crate::backend::tx::Tx, user: UserId) -> Result<u64, AppError> {
    use sea_orm::sea_query::ExprTrait;
    tx.wrote_users();
    Ok(session::Entity::delete_many()
        .filter(
            session::Column::UserId
                .eq(user.0)
                .or(session::Column::UserId
                    .is_null()
                    .and(session::Column::Data.contains(user.0.to_string()))),
        )
        .exec(tx)
        .await?
        .rows_affected)
}

/// A user's session rows: id, the encoded record, expiry. At most `limit`, latest expiry first.
pub async fn list_for_user(
    db: &impl ConnectionTrait,
    user: UserId,
    limit: u64,
) -> Result<Vec<(String, String, DateTime<Utc>)>, AppError> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user.0))
        .order_by_desc(session::Column::ExpiresAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.data, s.expires_at))
        .collect())
}

/// Ends one session of `user` (`false`: no such session of theirs).
pub async fn delete_of_user(
    tx: &crate::backend::tx::Tx,
    user: UserId,
    id: &str,
) -> Result<bool, AppError> {
    tx.wrote_users();
    Ok(session::Entity::delete_many()
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UserId.eq(user.0))
        .exec(tx)
        .await?
        .rows_affected
        == 1)
}

pub async fn delete_expired(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?
        .rows_affected)
}

//! Session rows for the tower-sessions store: `(id, data as JSON, expires_at)`.

use super::entities::session;
use crate::api::AppError;
use chrono::{DateTime, Utc};
use sea_orm::{sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Inserts a new session; `false` if the id exists already (the caller picks another).
pub async fn create(db: &impl ConnectionTrait, id: &str, data: &str, expires_at: DateTime<Utc>) -> Result<bool, AppError> {
    let r = session::Entity::insert(session::ActiveModel { id: Set(id.to_owned()), data: Set(data.to_owned()), expires_at: Set(expires_at) })
        .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(r == 1)
}

pub async fn upsert(db: &impl ConnectionTrait, id: &str, data: &str, expires_at: DateTime<Utc>) -> Result<(), AppError> {
    session::Entity::insert(session::ActiveModel { id: Set(id.to_owned()), data: Set(data.to_owned()), expires_at: Set(expires_at) })
        .on_conflict(OnConflict::column(session::Column::Id).update_columns([session::Column::Data, session::Column::ExpiresAt]).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub async fn load(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    Ok(session::Entity::find_by_id(id.to_owned()).filter(session::Column::ExpiresAt.gt(now)).one(db).await?.map(|s| s.data))
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(id.to_owned()).exec(db).await?;
    Ok(())
}

pub async fn delete_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(db).await?.rows_affected)
}

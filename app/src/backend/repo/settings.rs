//! Instance settings: values the console generates once and keeps (the embedded default's
//! webhook secrets).

use super::entities::instance_setting;
use crate::contract::AppError;
use sea_orm::{sea_query::OnConflict, ActiveValue::Set, ConnectionTrait, EntityTrait};

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(instance_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Stores `value` under `key` unless a value is there already; returns the stored value
/// (two processes starting at once agree on one).
pub async fn get_or_insert(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
) -> Result<(String, bool), AppError> {
    let n = instance_setting::Entity::insert(instance_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
    })
    .on_conflict(
        OnConflict::column(instance_setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = get(db, key).await?.unwrap_or_else(|| value.to_owned());
    Ok((stored, n == 1))
}

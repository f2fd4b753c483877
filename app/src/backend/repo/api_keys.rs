//! API keys. A tenant's keys are read and changed through its scope; the BSP's keys (no
//! tenant) through a platform scope; a presented key is found by its digest alone.

use super::{entities::api_key, one_row, scoped};
use crate::{
    backend::scope::{PlatformScope, TenantScope},
    contract::AppError,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub use api_key::Model as ApiKeyRecord;

/// How many keys a list shows (newest first): active keys are capped far below this.
const LIST_LIMIT: u64 = 200;

pub struct NewApiKey<'a> {
    pub id: uuid::Uuid,
    pub tenant: Option<crate::domain::ids::TenantId>,
    pub name: &'a str,
    pub rights: String,
    pub shown: &'a str,
    pub digest: &'a str,
    pub created_by: Option<uuid::Uuid>,
    pub created_by_label: String,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    k: NewApiKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    api_key::Entity::insert(api_key::ActiveModel {
        id: Set(k.id),
        tenant_id: Set(k.tenant.map(|t| t.0)),
        name: Set(k.name.to_owned()),
        rights: Set(k.rights),
        shown: Set(k.shown.to_owned()),
        digest: Set(k.digest.to_owned()),
        created_by: Set(k.created_by),
        created_by_label: Set(k.created_by_label),
        created_at: Set(now),
        expires_at: Set(k.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        last_used_addr: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The key with this digest, whoever's it is (the caller checks revocation and expiry).
pub async fn by_digest(
    db: &impl ConnectionTrait,
    digest: &str,
) -> Result<Option<ApiKeyRecord>, AppError> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::Digest.eq(digest))
        .one(db)
        .await?)
}

/// Which keys a statement may touch: the scope's tenant's, or the BSP's own.
#[derive(Clone, Copy)]
pub enum Owner<'a> {
    Tenant(&'a TenantScope),
    Bsp(&'a PlatformScope),
}

impl Owner<'_> {
    fn condition(self) -> Condition {
        match self {
            Owner::Tenant(scope) => scoped::of::<api_key::Entity>(scope),
            Owner::Bsp(_) => Condition::all().add(api_key::Column::TenantId.is_null()),
        }
    }
}

pub async fn list(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
) -> Result<Vec<ApiKeyRecord>, AppError> {
    Ok(api_key::Entity::find()
        .filter(owner.condition())
        .order_by_desc(api_key::Column::CreatedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?)
}

pub async fn find(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
    id: uuid::Uuid,
) -> Result<ApiKeyRecord, AppError> {
    api_key::Entity::find_by_id(id)
        .filter(owner.condition())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many keys of the owner are usable at `now` (not revoked, not expired).
pub async fn count_active(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(api_key::Entity::find()
        .filter(owner.condition())
        .filter(api_key::Column::RevokedAt.is_null())
        .filter(
            Condition::any()
                .add(api_key::Column::ExpiresAt.is_null())
                .add(api_key::Column::ExpiresAt.gt(now)),
        )
        .count(db)
        .await?)
}

/// Revokes a key that is not revoked yet.
pub async fn revoke(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    one_row(
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, Expr::value(now))
            .filter(owner.condition())
            .filter(api_key::Column::Id.eq(id))
            .filter(api_key::Column::RevokedAt.is_null())
            .exec(db)
            .await?,
    )
}

/// Sets when a key stops working (a rotation's overlap).
pub async fn set_expiry(
    db: &impl ConnectionTrait,
    owner: Owner<'_>,
    id: uuid::Uuid,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    one_row(
        api_key::Entity::update_many()
            .col_expr(api_key::Column::ExpiresAt, Expr::value(at))
            .filter(owner.condition())
            .filter(api_key::Column::Id.eq(id))
            .exec(db)
            .await?,
    )
}

/// Notes a key's use: when and from which address.
pub async fn touch(
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
    now: DateTime<Utc>,
    addr: Option<String>,
) -> Result<(), AppError> {
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
        .col_expr(api_key::Column::LastUsedAddr, Expr::value(addr))
        .filter(api_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

//! Users and memberships.

use super::entities::{membership, tenant, user};
use super::scoped;
use crate::{
    backend::{identity::CurrentUser, scope::TenantScope, tx::Tx},
    contract::{AppError, *},
    domain::{
        email::Email,
        ids::{TenantId, UserId},
        locale::Locale,
        roles::{StaffRole, TenantRole},
        tenant::TenantStatus,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub staff_role: Option<StaffRole>,
    pub disabled: bool,
    /// The language they chose (unset: the tenant's or the browser's).
    pub locale: Option<Locale>,
}

fn record(m: user::Model) -> UserRecord {
    UserRecord {
        id: UserId(m.id),
        email: m.email,
        name: m.name,
        password_hash: m.password_hash,
        staff_role: m.staff_role.as_deref().and_then(StaffRole::parse),
        disabled: m.disabled,
        locale: Locale::parse(&m.locale),
    }
}

/// How a user is named to others: their name, else their email.
pub(crate) fn shown_name(u: &user::Model) -> String {
    if u.name.is_empty() {
        u.email.clone()
    } else {
        u.name.clone()
    }
}

/// The shown names of users `ids` (those that exist).
pub async fn shown_names(
    db: &impl ConnectionTrait,
    ids: &[uuid::Uuid],
) -> Result<Vec<(uuid::Uuid, String)>, AppError> {
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(users.iter().map(|u| (u.id, shown_name(u))).collect())
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<UserRecord>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
        .map(record))
}

pub async fn find(db: &impl ConnectionTrait, id: UserId) -> Result<Option<UserRecord>, AppError> {
    Ok(user::Entity::find_by_id(id.0).one(db).await?.map(record))
}

/// The signed-in user with memberships in active tenants only; `None` when the user is
/// disabled, or is a tenant user whose tenants are all suspended.
pub async fn load_current(
    db: &impl ConnectionTrait,
    id: UserId,
) -> Result<Option<CurrentUser>, AppError> {
    use sea_orm::sea_query::{ExprTrait, Query};
    let mut q = Query::select();
    q.from(user::Entity)
        .and_where(Expr::col((user::Entity, user::Column::Id)).eq(id.0));
    with_current_user(&mut q);
    current_from_rows(id, &db.query_all(&q).await?)
}

/// Adds what reads a signed-in user to `q`, which has `users` in its `FROM` or joined already:
/// the user's columns, and each membership with its tenant when that tenant is active, in
/// tenant name order (one row per membership, or one row without). `sessions::load` reads it
/// joined to the session row.
pub(crate) fn with_current_user(q: &mut sea_orm::sea_query::SelectStatement) {
    use sea_orm::sea_query::{Alias, ExprTrait, JoinType, Order};
    let (u, m, t) = (user::Entity, membership::Entity, tenant::Entity);
    q.column((u, user::Column::Email))
        .column((u, user::Column::Name))
        .column((u, user::Column::StaffRole))
        .column((u, user::Column::Locale))
        .column((u, user::Column::Disabled))
        .column((m, membership::Column::Role))
        .expr_as(Expr::col((t, tenant::Column::Id)), Alias::new("tenant_id"))
        .expr_as(
            Expr::col((t, tenant::Column::DisplayName)),
            Alias::new("tenant_name"),
        )
        .join(
            JoinType::LeftJoin,
            m,
            Expr::col((m, membership::Column::UserId)).equals((u, user::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            t,
            Expr::col((t, tenant::Column::Id))
                .equals((m, membership::Column::TenantId))
                .and(Expr::col((t, tenant::Column::Status)).eq(TenantStatus::Active.code())),
        )
        .order_by((t, tenant::Column::DisplayName), Order::Asc);
}

/// The user `id` from the rows `with_current_user` reads (none: no such user); `None` when the
/// user is disabled, or is a tenant user whose tenants are all suspended.
pub(crate) fn current_from_rows(
    id: UserId,
    rows: &[sea_orm::QueryResult],
) -> Result<Option<CurrentUser>, AppError> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let Some(email) = first.try_get::<Option<String>>("", "email")? else {
        return Ok(None);
    };
    if first.try_get::<bool>("", "disabled")? {
        return Ok(None);
    }
    let mut memberships = Vec::new();
    for r in rows {
        let (Some(tenant), Some(role)) = (
            r.try_get::<Option<uuid::Uuid>>("", "tenant_id")?,
            r.try_get::<Option<String>>("", "role")?,
        ) else {
            continue;
        };
        let Some(role) = TenantRole::parse(&role) else {
            continue;
        };
        memberships.push(MembershipInfo {
            tenant_id: TenantId(tenant),
            tenant_name: r.try_get("", "tenant_name")?,
            role,
        });
    }
    let staff_role = first
        .try_get::<Option<String>>("", "staff_role")?
        .as_deref()
        .and_then(StaffRole::parse);
    if staff_role.is_none() && memberships.is_empty() {
        return Ok(None);
    }
    let locale: String = first.try_get("", "locale")?;
    Ok(Some(CurrentUser {
        id,
        email,
        name: first.try_get("", "name")?,
        staff_role,
        locale: Locale::parse(&locale),
        memberships,
    }))
}

/// Whether the user has at least one membership in an active tenant.
pub async fn has_active_membership(
    db: &impl ConnectionTrait,
    id: UserId,
) -> Result<bool, AppError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::UserId.eq(id.0))
        .all(db)
        .await?;
    let ids: Vec<_> = rows.iter().map(|m| m.tenant_id).collect();
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(ids))
        .filter(tenant::Column::Status.eq(TenantStatus::Active.code()))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    email: &Email,
    name: &str,
    password_hash: Option<String>,
    staff_role: Option<StaffRole>,
    locale: Option<Locale>,
    now: DateTime<Utc>,
) -> Result<UserId, AppError> {
    let id = UserId::new();
    user::Entity::insert(user::ActiveModel {
        id: Set(id.0),
        email: Set(email.as_str().to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        staff_role: Set(staff_role.map(|r| r.code().to_owned())),
        locale: Set(locale.map(|l| l.code().to_owned()).unwrap_or_default()),
        disabled: Set(false),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn update_password(
    tx: &Tx,
    id: UserId,
    name: Option<&str>,
    hash: &str,
) -> Result<(), AppError> {
    tx.wrote_users();
    let mut q = user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash.to_owned()));
    if let Some(n) = name {
        q = q.col_expr(user::Column::Name, Expr::value(n.to_owned()));
    }
    super::one_row(q.filter(user::Column::Id.eq(id.0)).exec(tx).await?)
}

pub async fn update_locale(tx: &Tx, id: UserId, locale: Locale) -> Result<(), AppError> {
    tx.wrote_users();
    super::one_row(
        user::Entity::update_many()
            .col_expr(user::Column::Locale, Expr::value(locale.code()))
            .filter(user::Column::Id.eq(id.0))
            .exec(tx)
            .await?,
    )
}

pub async fn list_staff(db: &impl ConnectionTrait) -> Result<Vec<StaffOption>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::StaffRole.is_not_null())
        .filter(user::Column::Disabled.eq(false))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| StaffOption {
            id: UserId(u.id),
            name: shown_name(&u),
        })
        .collect())
}

pub async fn is_staff(db: &impl ConnectionTrait, id: UserId) -> Result<bool, AppError> {
    Ok(user::Entity::find_by_id(id.0)
        .filter(user::Column::StaffRole.is_not_null())
        .one(db)
        .await?
        .is_some())
}

/// Members of the scope's tenant.
pub async fn list_members(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<MemberInfo>, AppError> {
    let rows = scoped::find::<membership::Entity>(scope).all(db).await?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id).collect::<Vec<_>>()))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .filter_map(|u| {
            let role = rows
                .iter()
                .find(|m| m.user_id == u.id)
                .and_then(|m| TenantRole::parse(&m.role))?;
            Some(MemberInfo {
                user_id: UserId(u.id),
                name: u.name,
                email: u.email,
                role,
            })
        })
        .collect())
}

pub async fn is_member(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<bool, AppError> {
    Ok(
        membership::Entity::find_by_id((scope.tenant_id().0, user.0))
            .one(db)
            .await?
            .is_some(),
    )
}

pub async fn insert_membership(
    scope: &TenantScope,
    tx: &Tx,
    user: UserId,
    role: TenantRole,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    tx.wrote_users();
    membership::Entity::insert(membership::ActiveModel {
        tenant_id: Set(scope.tenant_id().0),
        user_id: Set(user.0),
        role: Set(role.code().to_owned()),
        created_at: Set(now),
    })
    .exec_without_returning(tx)
    .await?;
    Ok(())
}

/// A member's role in the scope's tenant, if they are one.
pub async fn member_role(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Option<TenantRole>, AppError> {
    Ok(
        membership::Entity::find_by_id((scope.tenant_id().0, user.0))
            .one(db)
            .await?
            .and_then(|m| TenantRole::parse(&m.role)),
    )
}

pub async fn count_owners(scope: &TenantScope, db: &impl ConnectionTrait) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(scoped::find::<membership::Entity>(scope)
        .filter(membership::Column::Role.eq(TenantRole::Owner.code()))
        .count(db)
        .await?)
}

pub async fn update_membership_role(
    scope: &TenantScope,
    tx: &Tx,
    user: UserId,
    role: TenantRole,
) -> Result<(), AppError> {
    tx.wrote_users();
    super::one_row(
        membership::Entity::update_many()
            .col_expr(membership::Column::Role, Expr::value(role.code()))
            .filter(scoped::of::<membership::Entity>(scope))
            .filter(membership::Column::UserId.eq(user.0))
            .exec(tx)
            .await?,
    )
}

pub async fn delete_membership(scope: &TenantScope, tx: &Tx, user: UserId) -> Result<(), AppError> {
    tx.wrote_users();
    let r = scoped::delete::<membership::Entity>(scope)
        .filter(membership::Column::UserId.eq(user.0))
        .exec(tx)
        .await?;
    if r.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    // Their alert subscriptions in the tenant go with the membership.
    scoped::delete::<super::entities::alert_preference::Entity>(scope)
        .filter(super::entities::alert_preference::Column::UserId.eq(user.0))
        .exec(tx)
        .await?;
    Ok(())
}

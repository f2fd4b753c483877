//! Tenants and their WhatsApp assets (business accounts, phone numbers).

use super::entities::{phone_number, tenant, user, waba};
use super::scoped;
use crate::{
    backend::{error::stored, scope::TenantScope, tx::Tx},
    contract::{AppError, *},
    domain::{
        ids::{PhoneNumberRowId, TenantId, UserId, WabaRowId},
        locale::Locale,
        tenant::{NewPhoneNumber, TenantDetails, TenantStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub async fn exists(db: &impl ConnectionTrait, id: TenantId) -> Result<bool, AppError> {
    Ok(tenant::Entity::find_by_id(id.0).one(db).await?.is_some())
}

/// Whether the tenant exists and is not suspended.
pub async fn is_active(db: &impl ConnectionTrait, id: TenantId) -> Result<bool, AppError> {
    let status: Option<String> = tenant::Entity::find_by_id(id.0)
        .select_only()
        .column(tenant::Column::Status)
        .into_tuple()
        .one(db)
        .await?;
    Ok(status.as_deref().and_then(TenantStatus::parse) == Some(TenantStatus::Active))
}

/// Every tenant's display name (staff views across tenants).
pub async fn names(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<TenantId, String>, AppError> {
    let rows: Vec<(uuid::Uuid, String)> = tenant::Entity::find()
        .select_only()
        .column(tenant::Column::Id)
        .column(tenant::Column::DisplayName)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (TenantId(id), n)).collect())
}

/// Lower-cased names, for case-insensitive search on both databases.
fn search_name(t: &TenantDetails) -> String {
    format!("{} {}", t.display_name, t.legal_name).to_lowercase()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    t: &TenantDetails,
    now: DateTime<Utc>,
) -> Result<TenantId, AppError> {
    let id = TenantId::new();
    let alerts: Vec<&str> = t.alert_emails.iter().map(|e| e.as_str()).collect();
    tenant::Entity::insert(tenant::ActiveModel {
        id: Set(id.0),
        legal_name: Set(t.legal_name.clone()),
        display_name: Set(t.display_name.clone()),
        search_name: Set(search_name(t)),
        country: Set(t.country.clone()),
        locale: Set(t.locale.code().to_owned()),
        billing_email: Set(t.billing_email.as_str().to_owned()),
        alert_emails: Set(serde_json::to_string(&alerts).unwrap_or_else(|_| "[]".into())),
        currency: Set(t.currency.clone()),
        account_manager_id: Set(t.account_manager.map(|u| u.0)),
        status: Set(TenantStatus::Active.code().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        stripe_customer_id: Set(None),
        graph_token: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn waba_taken(db: &impl ConnectionTrait, waba_id: &str) -> Result<bool, AppError> {
    Ok(waba::Entity::find()
        .filter(waba::Column::WabaId.eq(waba_id))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert_waba(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba_id: &str,
    now: DateTime<Utc>,
) -> Result<WabaRowId, AppError> {
    let id = WabaRowId::new();
    waba::Entity::insert(waba::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(scope.tenant_id().0),
        waba_id: Set(waba_id.to_owned()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn list_wabas(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<WabaInfo>, AppError> {
    Ok(scoped::find::<waba::Entity>(scope)
        .order_by_asc(waba::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|w| WabaInfo {
            id: WabaRowId(w.id),
            waba_id: w.waba_id,
            time_zone: w.time_zone,
        })
        .collect())
}

/// Which of `number` / `phone_number_id` are already registered (to any tenant).
pub async fn phone_taken(
    db: &impl ConnectionTrait,
    p: &NewPhoneNumber,
) -> Result<(bool, bool), AppError> {
    let n = phone_number::Entity::find()
        .filter(phone_number::Column::Number.eq(&p.number.number))
        .one(db)
        .await?
        .is_some();
    let i = phone_number::Entity::find()
        .filter(phone_number::Column::PhoneNumberId.eq(&p.phone_number_id))
        .one(db)
        .await?
        .is_some();
    Ok((n, i))
}

pub async fn insert_phone_number(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    p: &NewPhoneNumber,
    now: DateTime<Utc>,
) -> Result<PhoneNumberRowId, AppError> {
    let id = PhoneNumberRowId::new();
    phone_number::Entity::insert(phone_number::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(scope.tenant_id().0),
        waba_row_id: Set(waba.0),
        number: Set(p.number.number.clone()),
        country: Set(p.number.country.clone()),
        phone_number_id: Set(p.phone_number_id.clone()),
        display_name: Set(p.display_name.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

pub async fn list_phone_numbers(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<PhoneNumberInfo>, AppError> {
    Ok(scoped::find::<phone_number::Entity>(scope)
        .order_by_asc(phone_number::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PhoneNumberInfo {
            id: PhoneNumberRowId(p.id),
            number: p.number,
            country: p.country,
            phone_number_id: p.phone_number_id,
            display_name: p.display_name,
        })
        .collect())
}

/// The tenant's own record and account manager name.
pub struct TenantRecord {
    pub legal_name: String,
    pub display_name: String,
    pub country: String,
    pub locale: Locale,
    pub billing_email: String,
    pub alert_emails: Vec<String>,
    pub currency: String,
    pub account_manager: Option<String>,
    pub account_manager_id: Option<UserId>,
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
}

pub async fn load(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<TenantRecord, AppError> {
    let t = tenant::Entity::find_by_id(scope.tenant_id().0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager = match t.account_manager_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| super::users::shown_name(&u)),
        None => None,
    };
    Ok(TenantRecord {
        legal_name: t.legal_name,
        display_name: t.display_name,
        country: t.country,
        locale: Locale::parse(&t.locale).unwrap_or_default(),
        billing_email: t.billing_email,
        alert_emails: serde_json::from_str(&t.alert_emails).unwrap_or_default(),
        currency: t.currency,
        account_manager: manager,
        account_manager_id: t.account_manager_id.map(UserId),
        status: stored(TenantStatus::parse(&t.status), "tenants", t.id, &t.status)?,
        created_at: t.created_at,
    })
}

pub async fn update_status(
    scope: &TenantScope,
    tx: &Tx,
    status: TenantStatus,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    tx.wrote_users();
    super::one_row(
        tenant::Entity::update_many()
            .col_expr(tenant::Column::Status, Expr::value(status.code()))
            .col_expr(tenant::Column::UpdatedAt, Expr::value(now))
            .filter(tenant::Column::Id.eq(scope.tenant_id().0))
            .exec(tx)
            .await?,
    )
}

/// Staff search over all tenants: name contains `q` (case-insensitive), optional status,
/// newest first.
pub async fn search(
    db: &impl ConnectionTrait,
    q: &str,
    status: Option<TenantStatus>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<TenantRow>, u64), AppError> {
    let mut query = tenant::Entity::find();
    let q = q.trim().to_lowercase();
    if !q.is_empty() {
        query = query.filter(tenant::Column::SearchName.contains(&q));
    }
    if let Some(s) = status {
        query = query.filter(tenant::Column::Status.eq(s.code()));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(tenant::Column::CreatedAt)
        .order_by_desc(tenant::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    let ids: Vec<_> = rows.iter().map(|t| t.id).collect();
    let counts: Vec<(uuid::Uuid, i64)> = phone_number::Entity::find()
        .select_only()
        .column(phone_number::Column::TenantId)
        .column_as(phone_number::Column::Id.count(), "n")
        .filter(phone_number::Column::TenantId.is_in(ids))
        .group_by(phone_number::Column::TenantId)
        .into_tuple()
        .all(db)
        .await?;
    let rows = rows
        .into_iter()
        .map(|t| {
            let status = stored(TenantStatus::parse(&t.status), "tenants", t.id, &t.status)?;
            Ok(TenantRow {
                id: TenantId(t.id),
                phone_numbers: counts
                    .iter()
                    .find(|(id, _)| *id == t.id)
                    .map(|(_, n)| *n as u64)
                    .unwrap_or(0),
                display_name: t.display_name,
                legal_name: t.legal_name,
                country: t.country,
                status,
                created_at: t.created_at,
                compliance_complete: false,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((rows, total))
}

/// Replaces the scope's tenant's details.
pub async fn update_details(
    scope: &TenantScope,
    tx: &Tx,
    t: &TenantDetails,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    tx.wrote_users();
    let alerts: Vec<&str> = t.alert_emails.iter().map(|e| e.as_str()).collect();
    super::one_row(
        tenant::Entity::update_many()
            .col_expr(tenant::Column::LegalName, Expr::value(t.legal_name.clone()))
            .col_expr(
                tenant::Column::DisplayName,
                Expr::value(t.display_name.clone()),
            )
            .col_expr(tenant::Column::SearchName, Expr::value(search_name(t)))
            .col_expr(tenant::Column::Country, Expr::value(t.country.clone()))
            .col_expr(tenant::Column::Locale, Expr::value(t.locale.code()))
            .col_expr(
                tenant::Column::BillingEmail,
                Expr::value(t.billing_email.as_str().to_owned()),
            )
            .col_expr(
                tenant::Column::AlertEmails,
                Expr::value(serde_json::to_string(&alerts).unwrap_or_else(|_| "[]".into())),
            )
            .col_expr(tenant::Column::Currency, Expr::value(t.currency.clone()))
            .col_expr(
                tenant::Column::AccountManagerId,
                Expr::value(t.account_manager.map(|u| u.0)),
            )
            .col_expr(tenant::Column::UpdatedAt, Expr::value(now))
            .filter(tenant::Column::Id.eq(scope.tenant_id().0))
            .exec(tx)
            .await?,
    )
}

/// Whether `id` is a staff user (account managers must be).
pub async fn account_manager_valid(
    db: &impl ConnectionTrait,
    id: UserId,
) -> Result<bool, AppError> {
    super::users::is_staff(db, id).await
}

/// Sets (or, with `None`, clears) the tenant's own Graph API token, sealed with the instance's
/// `SECRETS_KEY` for this tenant (`backend::sealed`): a copy of the database alone does not
/// give it away.
pub async fn set_graph_token(
    scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
    id: TenantId,
    token: Option<&str>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    let key = &scope.state().settings.secrets_key;
    let sealed = token
        .map(|t| crate::backend::sealed::seal(key, t.as_bytes(), id.0.as_bytes()))
        .transpose()?;
    let r = tenant::Entity::update_many()
        .col_expr(tenant::Column::GraphToken, Expr::value(sealed))
        .filter(tenant::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    super::one_row(r)
}

/// Sets the time zone of one of the scope's WABAs (another tenant's is `NotFound`).
pub async fn set_waba_time_zone(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: WabaRowId,
    time_zone: &str,
) -> Result<(), AppError> {
    let r = waba::Entity::update_many()
        .col_expr(waba::Column::TimeZone, Expr::value(time_zone))
        .filter(waba::Column::Id.eq(id.0))
        .filter(scoped::of::<waba::Entity>(scope))
        .exec(db)
        .await?;
    super::one_row(r)
}

/// The token the platform is called with for this tenant's assets, if it has its own. A token
/// stored before tokens were sealed is read as it is (until it is set again).
pub async fn graph_token(
    scope: &crate::backend::scope::TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Option<secrecy::SecretString>, AppError> {
    let Some(stored) = tenant::Entity::find_by_id(scope.tenant_id().0)
        .one(db)
        .await?
        .and_then(|t| t.graph_token)
    else {
        return Ok(None);
    };
    if !stored.starts_with("v1:") {
        return Ok(Some(stored.into()));
    }
    let key = &scope.state().settings.secrets_key;
    let plain = crate::backend::sealed::open(key, &stored, scope.tenant_id().0.as_bytes())?;
    let token = String::from_utf8(plain).map_err(|e| crate::backend::error::internal(&e))?;
    Ok(Some(token.into()))
}

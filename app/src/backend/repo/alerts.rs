//! Alerts and alert preferences (tenant-owned).

use super::entities::{alert, alert_preference, membership, tenant, user};
use super::scoped;
use crate::{
    backend::scope::TenantScope,
    contract::AppError,
    domain::{
        alert::{AlertKind, Delivery, Preferences, Severity},
        ids::{TenantId, UserId},
        locale::Locale,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

pub const OPEN: &str = "open";
pub const ACKNOWLEDGED: &str = "acknowledged";
pub const RESOLVED: &str = "resolved";

/// An alert to raise.
#[derive(Clone, Debug)]
pub struct NewAlert {
    pub kind: AlertKind,
    pub severity: Severity,
    /// `template`, `number` or `account`.
    pub subject_type: &'static str,
    pub subject_id: Option<Uuid>,
    pub subject_label: String,
    /// Path inside the console (e.g. `/tenants/…/templates/…`).
    pub link: String,
    /// The same trouble reported twice (a redelivery, a replay) has the same key.
    pub dedupe_key: String,
    pub detail: String,
    pub event: Option<Uuid>,
    /// What had already resolved the incident when it was raised (a later event of the
    /// platform): the alert is recorded and announced, resolved.
    pub resolution: Option<String>,
}

/// Raises an alert; `None` if one with the same key exists already (nothing is sent twice).
pub async fn raise(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    a: &NewAlert,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    let id = Uuid::now_v7();
    let inserted = alert::Entity::insert(alert::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id().0),
        kind: Set(a.kind.code().into()),
        severity: Set(a.severity.code().into()),
        subject_type: Set(a.subject_type.into()),
        subject_id: Set(a.subject_id),
        subject_label: Set(a.subject_label.chars().take(600).collect()),
        link: Set(a.link.chars().take(500).collect()),
        dedupe_key: Set(a.dedupe_key.chars().take(128).collect()),
        status: Set(if a.resolution.is_some() {
            RESOLVED
        } else {
            OPEN
        }
        .into()),
        detail: Set(a.detail.clone()),
        event_id: Set(a.event),
        opened_at: Set(now),
        acknowledged_by: Set(None),
        acknowledged_at: Set(None),
        resolved_at: Set(a.resolution.is_some().then_some(now)),
        resolution: Set(a.resolution.as_ref().map(|r| r.chars().take(200).collect())),
    })
    .on_conflict(
        OnConflict::column(alert::Column::DedupeKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok((inserted == 1).then_some(id))
}

/// Resolves the open or acknowledged alerts of `kinds` about `subject`.
pub async fn resolve_for(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    subject: Uuid,
    kinds: &[AlertKind],
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let r = alert::Entity::update_many()
        .col_expr(alert::Column::Status, Expr::value(RESOLVED))
        .col_expr(alert::Column::ResolvedAt, Expr::value(now))
        .filter(scoped::of::<alert::Entity>(scope))
        .filter(alert::Column::SubjectId.eq(subject))
        .filter(alert::Column::Kind.is_in(kinds.iter().map(|k| k.code())))
        .filter(alert::Column::Status.ne(RESOLVED))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Resolves the alert with dedupe key `key` if it is still open or acknowledged, saying what
/// resolved it (a later event of the platform). Returns whether it was.
pub async fn resolve_key(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    key: &str,
    resolution: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let r = alert::Entity::update_many()
        .col_expr(alert::Column::Status, Expr::value(RESOLVED))
        .col_expr(alert::Column::ResolvedAt, Expr::value(now))
        .col_expr(
            alert::Column::Resolution,
            Expr::value(resolution.chars().take(200).collect::<String>()),
        )
        .filter(scoped::of::<alert::Entity>(scope))
        .filter(alert::Column::DedupeKey.eq(key))
        .filter(alert::Column::Status.ne(RESOLVED))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One alert as listed.
#[derive(Clone, Debug)]
pub struct AlertRow {
    pub id: Uuid,
    pub tenant: TenantId,
    pub kind: String,
    pub severity: String,
    pub subject_type: String,
    pub subject_label: String,
    pub link: String,
    pub status: String,
    pub detail: String,
    pub opened_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// What resolved it, when the platform did.
    pub resolution: Option<String>,
}

async fn rows(
    db: &impl ConnectionTrait,
    q: sea_orm::Select<alert::Entity>,
    limit: u64,
) -> Result<Vec<AlertRow>, AppError> {
    let list = q
        .order_by_desc(alert::Column::OpenedAt)
        .order_by_desc(alert::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let ackers: Vec<Uuid> = list.iter().filter_map(|a| a.acknowledged_by).collect();
    let names: std::collections::HashMap<Uuid, String> = if ackers.is_empty() {
        Default::default()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(ackers))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(list
        .into_iter()
        .map(|a| AlertRow {
            id: a.id,
            tenant: TenantId(a.tenant_id),
            acknowledged_by: a.acknowledged_by.and_then(|u| names.get(&u).cloned()),
            kind: a.kind,
            severity: a.severity,
            subject_type: a.subject_type,
            subject_label: a.subject_label,
            link: a.link,
            status: a.status,
            detail: a.detail,
            opened_at: a.opened_at,
            acknowledged_at: a.acknowledged_at,
            resolved_at: a.resolved_at,
            resolution: a.resolution,
        })
        .collect())
}

/// The tenant's alerts with `status` (`None`: all), newest first.
pub async fn list(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<AlertRow>, AppError> {
    let mut q = scoped::find::<alert::Entity>(scope);
    if let Some(s) = status {
        q = q.filter(alert::Column::Status.eq(s));
    }
    rows(db, q, limit).await
}

/// Every tenant's alerts with `status` (staff view).
pub async fn list_all(
    _scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<AlertRow>, AppError> {
    let mut q = alert::Entity::find();
    if let Some(s) = status {
        q = q.filter(alert::Column::Status.eq(s));
    }
    rows(db, q, limit).await
}

pub async fn count_open(scope: &TenantScope, db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(scoped::find::<alert::Entity>(scope)
        .filter(alert::Column::Status.eq(OPEN))
        .count(db)
        .await?)
}

/// Moves an alert to acknowledged or resolved.
pub async fn set_status(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut q = alert::Entity::update_many()
        .col_expr(alert::Column::Status, Expr::value(status))
        .filter(alert::Column::Id.eq(id))
        .filter(scoped::of::<alert::Entity>(scope));
    if status == ACKNOWLEDGED {
        q = q
            .col_expr(alert::Column::AcknowledgedBy, Expr::value(by.map(|u| u.0)))
            .col_expr(alert::Column::AcknowledgedAt, Expr::value(now))
            .filter(alert::Column::Status.eq(OPEN));
    } else {
        q = q
            .col_expr(alert::Column::ResolvedAt, Expr::value(now))
            .filter(alert::Column::Status.ne(RESOLVED));
    }
    super::one_row(q.exec(db).await?)
}

/// Who hears of the tenant's alerts: the tenant's alert addresses, its account manager, and
/// its users with their preferences (only users who chose; critical ones cannot be muted).
#[derive(Clone, Debug)]
pub struct Audience {
    pub tenant_name: String,
    pub locale: Locale,
    pub alert_emails: Vec<String>,
    pub account_manager: Option<String>,
    pub users: Vec<(UserId, String, Preferences)>,
}

pub async fn audience(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Audience, AppError> {
    let t = tenant::Entity::find_by_id(scope.tenant_id().0)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let manager = match t.account_manager_id {
        Some(m) => user::Entity::find_by_id(m)
            .filter(user::Column::Disabled.eq(false))
            .one(db)
            .await?
            .map(|u| u.email),
        None => None,
    };
    let prefs = scoped::find::<alert_preference::Entity>(scope)
        .all(db)
        .await?;
    let members: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::UserId)
        .filter(scoped::of::<membership::Entity>(scope))
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = prefs
        .iter()
        .map(|p| p.user_id)
        .filter(|u| members.contains(u))
        .collect();
    let emails: std::collections::HashMap<Uuid, String> = if ids.is_empty() {
        Default::default()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .filter(user::Column::Disabled.eq(false))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect()
    };
    let users = prefs
        .into_iter()
        .filter_map(|p| {
            let email = emails.get(&p.user_id)?.clone();
            Some((UserId(p.user_id), email, prefs_of(&p)))
        })
        .collect();
    Ok(Audience {
        tenant_name: t.display_name,
        locale: Locale::parse(&t.locale).unwrap_or_default(),
        // Stored as a JSON list (see `repo::tenants`).
        alert_emails: serde_json::from_str::<Vec<String>>(&t.alert_emails)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| !e.trim().is_empty())
            .collect(),
        account_manager: manager,
        users,
    })
}

fn prefs_of(p: &alert_preference::Model) -> Preferences {
    let d = Preferences::default();
    Preferences {
        critical: Delivery::parse(&p.critical)
            .filter(|c| *c != Delivery::Off)
            .unwrap_or(d.critical),
        warning: Delivery::parse(&p.warning).unwrap_or(d.warning),
        info: Delivery::parse(&p.info).unwrap_or(d.info),
    }
}

/// A user's preferences for the tenant (`None`: not subscribed).
pub async fn preferences(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
) -> Result<Option<Preferences>, AppError> {
    Ok(
        alert_preference::Entity::find_by_id((scope.tenant_id().0, user.0))
            .one(db)
            .await?
            .map(|p| prefs_of(&p)),
    )
}

/// Subscribes a user with `prefs`, or unsubscribes (`None`).
pub async fn set_preferences(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
    prefs: Option<Preferences>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match prefs {
        None => {
            scoped::delete::<alert_preference::Entity>(scope)
                .filter(alert_preference::Column::UserId.eq(user.0))
                .exec(db)
                .await?;
        }
        Some(p) => {
            alert_preference::Entity::insert(alert_preference::ActiveModel {
                tenant_id: Set(scope.tenant_id().0),
                user_id: Set(user.0),
                critical: Set(p.critical.code().into()),
                warning: Set(p.warning.code().into()),
                info: Set(p.info.code().into()),
                last_digest_at: Set(Some(now)),
                updated_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([
                    alert_preference::Column::TenantId,
                    alert_preference::Column::UserId,
                ])
                .update_columns([
                    alert_preference::Column::Critical,
                    alert_preference::Column::Warning,
                    alert_preference::Column::Info,
                    alert_preference::Column::UpdatedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

/// Users due a digest: (tenant, user, email, preferences, last digest).
pub async fn digest_due(
    _scope: &crate::backend::scope::SystemScope,
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<Vec<(TenantId, UserId, String, Preferences, Option<DateTime<Utc>>)>, AppError> {
    let due = alert_preference::Entity::find()
        .filter(
            alert_preference::Column::LastDigestAt
                .is_null()
                .or(alert_preference::Column::LastDigestAt.lte(before)),
        )
        .all(db)
        .await?;
    let mut out = Vec::new();
    for p in due {
        let prefs = prefs_of(&p);
        if ![prefs.critical, prefs.warning, prefs.info].contains(&Delivery::Digest) {
            continue;
        }
        // Members only, as for immediate alerts (`audience`): a removed member hears no more.
        let member = membership::Entity::find()
            .filter(membership::Column::TenantId.eq(p.tenant_id))
            .filter(membership::Column::UserId.eq(p.user_id))
            .one(db)
            .await?
            .is_some();
        if !member {
            continue;
        }
        if let Some(u) = user::Entity::find_by_id(p.user_id)
            .filter(user::Column::Disabled.eq(false))
            .one(db)
            .await?
        {
            out.push((
                TenantId(p.tenant_id),
                UserId(p.user_id),
                u.email,
                prefs,
                p.last_digest_at,
            ));
        }
    }
    Ok(out)
}

/// Marks a digest as sent up to `at`, only if nobody else did meanwhile (`expected`).
pub async fn digest_sent(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    user: UserId,
    expected: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let q = alert_preference::Entity::update_many()
        .col_expr(alert_preference::Column::LastDigestAt, Expr::value(at))
        .filter(scoped::of::<alert_preference::Entity>(scope))
        .filter(alert_preference::Column::UserId.eq(user.0));
    let q = match expected {
        Some(e) => q.filter(alert_preference::Column::LastDigestAt.eq(e)),
        None => q.filter(alert_preference::Column::LastDigestAt.is_null()),
    };
    Ok(q.exec(db).await?.rows_affected == 1)
}

/// Alerts of the tenant opened in `[since, until)` with one of `severities` (consecutive
/// digests neither miss nor repeat an alert).
pub async fn opened_between(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    since: Option<DateTime<Utc>>,
    until: DateTime<Utc>,
    severities: &[Severity],
) -> Result<Vec<AlertRow>, AppError> {
    let mut q = scoped::find::<alert::Entity>(scope)
        .filter(alert::Column::OpenedAt.lt(until))
        .filter(alert::Column::Severity.is_in(severities.iter().map(|s| s.code())));
    if let Some(s) = since {
        q = q.filter(alert::Column::OpenedAt.gte(s));
    }
    rows(db, q, 500).await
}

//! The audit log: append-only.

use super::entities::{audit_log, tenant};
use super::scoped;
use crate::{
    backend::{identity::Actor, scope::TenantScope},
    contract::{AppError, AuditRow},
    domain::ids::TenantId,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor: &Actor,
    tenant: Option<TenantId>,
    action: &str,
    subject: &str,
    before: Option<String>,
    after: Option<String>,
) -> Result<(), AppError> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        at: Set(at),
        actor_id: Set(actor.user_id().map(|u| u.0)),
        actor_label: Set(actor.label()),
        tenant_id: Set(tenant.map(|t| t.0)),
        action: Set(action.to_owned()),
        subject: Set(subject.to_owned()),
        before: Set(before),
        after: Set(after),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn rows(
    db: &impl ConnectionTrait,
    entries: Vec<audit_log::Model>,
) -> Result<Vec<AuditRow>, AppError> {
    let ids: Vec<_> = entries.iter().filter_map(|e| e.tenant_id).collect();
    let names = tenant::Entity::find()
        .filter(tenant::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(entries
        .into_iter()
        .map(|e| AuditRow {
            at: e.at,
            actor: e.actor_label,
            tenant: e.tenant_id.and_then(|t| {
                names
                    .iter()
                    .find(|n| n.id == t)
                    .map(|n| n.display_name.clone())
            }),
            action: e.action,
            subject: e.subject,
            before: e.before,
            after: e.after,
        })
        .collect())
}

pub async fn list_all(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<AuditRow>, AppError> {
    let entries = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows(db, entries).await
}

pub async fn list_for_tenant(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<AuditRow>, AppError> {
    let entries = scoped::find::<audit_log::Entity>(scope)
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows(db, entries).await
}

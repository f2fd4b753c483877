//! Reading the audit log, and writing one entry (called by the other services inside their
//! transaction).

use crate::{
    backend::{
        identity::Actor,
        repo,
        scope::{PlatformScope, TenantScope},
    },
    contract::{AppError, AuditRow},
    domain::ids::TenantId,
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;

const LIMIT: u64 = 200;

/// One audit entry: who (actor), when, which tenant, what, and the state before and after.
pub struct Entry<'a, B: Serialize, A: Serialize> {
    pub actor: &'a Actor,
    pub tenant: Option<TenantId>,
    pub action: &'a str,
    pub subject: &'a str,
    pub before: Option<B>,
    pub after: Option<A>,
}

pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    e: Entry<'_, B, A>,
) -> Result<(), AppError> {
    let before = e.before.and_then(|b| serde_json::to_string(&b).ok());
    let after = e.after.and_then(|a| serde_json::to_string(&a).ok());
    repo::audit::insert(
        db, now, e.actor, e.tenant, e.action, e.subject, before, after,
    )
    .await
}

pub async fn list_all(scope: &PlatformScope) -> Result<Vec<AuditRow>, AppError> {
    repo::audit::list_all(scope.db(), LIMIT).await
}

pub async fn list_for_tenant(scope: &TenantScope) -> Result<Vec<AuditRow>, AppError> {
    repo::audit::list_for_tenant(scope, scope.db(), LIMIT).await
}

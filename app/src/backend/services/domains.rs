//! Link domains: tenants (owners, editors) declare the domains their template links point
//! to; BSP staff who review templates verify them. The lint warns about links elsewhere.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::staff_in_tenant,
        repo,
        scope::{PlatformScope, TenantScope},
        tx::Tx,
    },
    contract::{AppError, DomainRow},
    domain::{
        ids::TenantId,
        tenant::parse_link_domain,
        validation::{FieldCode, FieldErrors},
    },
};
use serde_json::json;

pub async fn list(scope: &TenantScope) -> Result<Vec<DomainRow>, AppError> {
    repo::domains::list(scope, scope.db()).await
}

pub async fn declare(scope: &TenantScope, raw: &str) -> Result<(), AppError> {
    let mut e = FieldErrors::new();
    let Some(domain) = e.take("domain", parse_link_domain(raw)) else {
        return Err(e.into());
    };
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    if repo::domains::exists(scope, &tx, &domain).await? {
        e.add("domain", FieldCode::AlreadyTaken);
        return Err(e.into());
    }
    repo::domains::insert(scope, &tx, &domain, scope.actor().user_id(), now).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "domain.declare",
            subject: &domain,
            before: None,
            after: Some(json!({"verified": false})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(scope: &TenantScope, id: uuid::Uuid) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let domain = repo::domains::delete(scope, &tx, id).await?;
    record(
        &tx,
        now,
        Entry::<_, ()> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "domain.remove",
            subject: &domain,
            before: Some(json!({"domain": domain})),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Staff mark a declared domain verified (`true`) or withdraw the verification.
pub async fn verify(
    scope: &PlatformScope,
    tenant: TenantId,
    id: uuid::Uuid,
    verified: bool,
) -> Result<(), AppError> {
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let by = match (verified, scope.actor().user_id()) {
        (true, Some(u)) => Some((u, now)),
        (true, None) => return Err(AppError::Forbidden),
        (false, _) => None,
    };
    let tx = Tx::begin(scope.db()).await?;
    let domain = repo::domains::set_verified(&ts, &tx, id, by).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "domain.verify",
            subject: &domain,
            before: Some(json!({"verified": !verified})),
            after: Some(json!({"verified": verified})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

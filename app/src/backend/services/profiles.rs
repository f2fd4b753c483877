//! Business profiles: read (any member, staff), edit and restore (owners, editors, admins),
//! with optimistic locking and every version kept.

use super::audit::{record, Entry};
use crate::{
    api::{
        types::{ProfileDetail, ProfileVersionView},
        AppError,
    },
    backend::{repo, scope::TenantScope},
    domain::{
        ids::PhoneNumberRowId,
        profile::{Profile, ProfileForm},
        roles::TenantAction,
    },
};
use sea_orm::TransactionTrait;
use serde_json::json;

pub async fn detail(scope: &TenantScope, id: PhoneNumberRowId) -> Result<ProfileDetail, AppError> {
    let phone = repo::profiles::phone(scope, scope.db(), id).await?;
    let current = repo::profiles::current(scope, scope.db(), id).await?;
    let versions = repo::profiles::versions(scope, scope.db(), id).await?;
    let mut history: Vec<ProfileVersionView> = Vec::with_capacity(versions.len());
    let mut before = Profile::default();
    for (version, p, saved_at, saved_by) in &versions {
        history.push(ProfileVersionView { version: *version, saved_at: *saved_at, saved_by: saved_by.clone(), changes: p.changes_from(&before) });
        before = p.clone();
    }
    history.reverse();
    let (version, form, sync_status, sync_error) = match current {
        Some((v, p, s, e)) => (v, p.to_form(), s, e),
        None => (0, ProfileForm::default(), "not_synced".into(), None),
    };
    Ok(ProfileDetail { tenant: scope.tenant_id(), phone: id, number: phone.number, display_name: phone.display_name, version, form, sync_status, sync_error, can_edit: scope.access().can(TenantAction::Edit), history })
}

/// Saves the form as the version after `expected`; refused (nothing written) if invalid or if
/// someone saved meanwhile.
pub async fn save(scope: &TenantScope, id: PhoneNumberRowId, expected: i32, form: &ProfileForm) -> Result<i32, AppError> {
    let profile = form.parse().map_err(|errors| AppError::ProfileInvalid { errors })?;
    store(scope, id, expected, &profile, "profile.save").await
}

/// Makes an earlier version the current one again (as a new version).
pub async fn restore(scope: &TenantScope, id: PhoneNumberRowId, expected: i32, version: i32) -> Result<i32, AppError> {
    let versions = repo::profiles::versions(scope, scope.db(), id).await?;
    let (_, p, _, _) = versions.into_iter().find(|(v, ..)| *v == version).ok_or(AppError::NotFound)?;
    store(scope, id, expected, &p, "profile.restore").await
}

async fn store(scope: &TenantScope, id: PhoneNumberRowId, expected: i32, p: &Profile, action: &str) -> Result<i32, AppError> {
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    let phone = repo::profiles::phone(scope, &tx, id).await?;
    let before = repo::profiles::current(scope, &tx, id).await?;
    let sync_at = scope.state().settings.graph.is_some().then_some(now);
    let v = repo::profiles::save(scope, &tx, id, expected, p, scope.actor().user_id(), now, sync_at).await?;
    let changes = p.changes_from(&before.map(|(_, b, ..)| b).unwrap_or_default());
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(scope.tenant_id()), action, subject: &phone.number, before: Some(json!({"version": expected})), after: Some(json!({"version": v, "changed": changes.iter().map(|c| c.0.clone()).collect::<Vec<_>>()})) }).await?;
    tx.commit().await?;
    Ok(v)
}

/// The messaging-policy checklist: (form, complete).
pub async fn checklist(scope: &TenantScope) -> Result<crate::api::types::ChecklistDetail, AppError> {
    let c = repo::profiles::checklist(scope, scope.db()).await?.unwrap_or_default();
    Ok(crate::api::types::ChecklistDetail { tenant: scope.tenant_id(), complete: c.complete(), form: c.to_form(), can_edit: scope.access().can(TenantAction::Edit) })
}

pub async fn save_checklist(scope: &TenantScope, form: &crate::domain::profile::ChecklistForm) -> Result<(), AppError> {
    let c = form.parse().map_err(|errors| AppError::ProfileInvalid { errors })?;
    let now = scope.state().now();
    let tx = scope.db().begin().await?;
    let before = repo::profiles::checklist(scope, &tx).await?;
    repo::profiles::save_checklist(scope, &tx, &c, scope.actor().user_id(), now).await?;
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(scope.tenant_id()), action: "compliance.save", subject: "messaging policy", before: before.map(|b| json!({"complete": b.complete()})), after: Some(json!({"complete": c.complete(), "escalation": c.escalation})) }).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends saved profiles to the platform (only with a Graph API configured); outages and 5xx
/// are retried with back-off, refusals wait for the next save. Returns how many were accepted.
pub async fn send_due(scope: &crate::backend::scope::SystemScope, api: &crate::backend::graph::GraphApi) -> Result<usize, AppError> {
    let now = scope.state().now();
    let mut sent = 0;
    for d in repo::profiles::lease_due(scope, scope.db(), now, chrono::TimeDelta::minutes(5), 20).await? {
        let ts = crate::backend::auth::system_in_tenant(scope, d.tenant);
        let result = api.update_profile(&d.phone_number_id, &crate::backend::graph::ProfileUpdate::from(&d.profile)).await;
        match &result {
            Ok(()) => {
                repo::profiles::sync_outcome(&ts, ts.db(), d.phone, d.version, None, None).await?;
                sent += 1;
            }
            Err(e) => {
                let next = e.retryable().then(|| now + chrono::TimeDelta::minutes(1i64 << d.attempts.clamp(0, 6)));
                tracing::warn!(phone = %d.phone, attempt = d.attempts + 1, retry = next.is_some(), error = %e, "profile sync failed");
                repo::profiles::sync_outcome(&ts, ts.db(), d.phone, d.version, Some(&e.to_string()), next).await?;
            }
        }
    }
    Ok(sent)
}

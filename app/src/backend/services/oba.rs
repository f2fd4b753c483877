//! Verified-badge (official business account) requests: tenants write and submit them, BSP
//! admins decide them, and the platform's OBA_APPROVED / OBA_REJECTED account alerts decide
//! them too. Every move goes through `domain::profile::oba::step`.

use super::audit::{record, Entry};
use crate::{
    backend::{repo, scope::TenantScope, tx::Tx},
    contract::{AppError, ConflictReason, ObaRequestView, ObaView},
    domain::{
        ids::PhoneNumberRowId,
        profile::oba::{step, ObaForm, ObaOutcome, ObaStatus, ObaStep},
        roles::TenantAction,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;

pub async fn view(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
) -> Result<ObaView, AppError> {
    let rows = repo::oba::history(scope, db, phone).await?;
    let requests = rows
        .into_iter()
        .map(|r| ObaRequestView {
            id: r.id.to_string(),
            status: r.status,
            form: r.request.to_form(),
            reason: r.reason,
            created_at: r.created_at,
            decided_at: r.decided_at,
            decided_by: r.decided_by,
        })
        .collect();
    Ok(ObaView {
        requests,
        can_edit: scope.access().can(TenantAction::Edit),
        can_decide: scope.access().can(TenantAction::DecideRequests),
    })
}

/// Saves the form into the number's draft (a new draft when there is none or the last one
/// was rejected); refused while a request is with the BSP or approved.
pub async fn save(
    scope: &TenantScope,
    phone: PhoneNumberRowId,
    form: &ObaForm,
) -> Result<(), AppError> {
    let req = form
        .parse()
        .map_err(|errors| AppError::ProfileInvalid { errors })?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let number = repo::profiles::phone(scope, &tx, phone).await?.number;
    let latest = repo::oba::history(scope, &tx, phone)
        .await?
        .into_iter()
        .next();
    match step(latest.as_ref().map(|r| r.status), ObaStep::Save) {
        ObaOutcome::New(_) => {
            repo::oba::insert(scope, &tx, phone, &req, scope.actor().user_id(), now).await?;
        }
        ObaOutcome::Update(to) => {
            let l = latest.ok_or(AppError::conflict(ConflictReason::ChangedMeanwhile))?;
            repo::oba::set_status(scope, &tx, l.id, l.status, to, Some(&req), None, None, now)
                .await?;
        }
        ObaOutcome::Refused => return Err(AppError::conflict(ConflictReason::NotAllowedNow)),
    }
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "oba.save",
            subject: &number,
            before: None::<()>,
            after: Some(json!({"links": req.links.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `Submit`, `Approve` or `Reject` the newest request, which must be `request` (the one the
/// page showed): a request that moved meanwhile is a `Conflict`.
pub async fn advance(
    scope: &TenantScope,
    phone: PhoneNumberRowId,
    request: &str,
    s: ObaStep,
    reason: &str,
) -> Result<(), AppError> {
    let needed = if s == ObaStep::Submit {
        TenantAction::Edit
    } else {
        TenantAction::DecideRequests
    };
    if !scope.access().can(needed) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if s == ObaStep::Reject && reason.is_empty() {
        return Err(AppError::ProfileInvalid {
            errors: vec![crate::domain::profile::ProfileError {
                field: "reason".into(),
                rule: crate::domain::profile::ProfileRule::Required,
            }],
        });
    }
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let number = repo::profiles::phone(scope, &tx, phone).await?.number;
    let latest = repo::oba::history(scope, &tx, phone)
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    if latest.id.to_string() != request.trim() {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    let ObaOutcome::Update(to) = step(Some(latest.status), s) else {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    };
    let by = scope.actor().label();
    repo::oba::set_status(
        scope,
        &tx,
        latest.id,
        latest.status,
        to,
        None,
        (!reason.is_empty()).then_some(reason),
        Some(&by),
        now,
    )
    .await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "oba.status",
            subject: &number,
            before: Some(json!({"status": latest.status.code()})),
            after: Some(json!({"status": to.code(), "reason": reason})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The platform decided (an `account_alerts` OBA_APPROVED / OBA_REJECTED): the submitted
/// requests of the named number (or of every number, when the platform names the business)
/// are decided with its description as the reason. Returns how many moved; inside the
/// event's transaction, so a replay finds nothing submitted and moves nothing.
pub async fn apply_platform(
    ts: &TenantScope,
    db: &impl ConnectionTrait,
    phone_number_id: Option<&str>,
    approved: bool,
    description: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let s = if approved {
        ObaStep::Approve
    } else {
        ObaStep::Reject
    };
    let mut moved = 0;
    for (_, id) in repo::oba::submitted_for(ts, db, phone_number_id).await? {
        let ObaOutcome::Update(to) = step(Some(ObaStatus::Submitted), s) else {
            continue;
        };
        repo::oba::set_status(
            ts,
            db,
            id,
            ObaStatus::Submitted,
            to,
            None,
            description,
            Some("WhatsApp"),
            now,
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}

//! Business profiles: read (any member, staff), edit and restore (owners, editors, admins),
//! with optimistic locking and every version kept.

use super::audit::{record, Entry};
use crate::{
    backend::{repo, scope::TenantScope, tx::Tx},
    contract::{AppError, ProfileDetail, ProfileVersionView},
    domain::{
        ids::PhoneNumberRowId,
        profile::{Profile, ProfileForm, ProfileRule},
        roles::TenantAction,
    },
};
use serde_json::json;

pub async fn detail(scope: &TenantScope, id: PhoneNumberRowId) -> Result<ProfileDetail, AppError> {
    let phone = repo::profiles::phone(scope, scope.db(), id).await?;
    let current = repo::profiles::current(scope, scope.db(), id).await?;
    let versions = repo::profiles::versions(scope, scope.db(), id).await?;
    let mut history: Vec<ProfileVersionView> = Vec::with_capacity(versions.len());
    let mut before = Profile::default();
    for (version, p, saved_at, saved_by) in &versions {
        history.push(ProfileVersionView {
            version: *version,
            saved_at: *saved_at,
            saved_by: saved_by.clone(),
            changes: p.changes_from(&before),
        });
        before = p.clone();
    }
    history.reverse();
    let (version, form, sync_status, sync_error) = match current {
        Some((v, p, s, e)) => (v, p.to_form(), s, e),
        None => (0, ProfileForm::default(), "not_synced".into(), None),
    };
    Ok(ProfileDetail {
        tenant: scope.tenant_id(),
        phone: id,
        number: phone.number,
        display_name: phone.display_name,
        version,
        form,
        sync_status,
        sync_error,
        can_edit: scope.access().can(TenantAction::Edit),
        history,
        oba: super::oba::view(scope, scope.db(), id).await?,
    })
}

/// Saves the form as the version after `expected`; refused (nothing written) if invalid or if
/// someone saved meanwhile.
pub async fn save(
    scope: &TenantScope,
    id: PhoneNumberRowId,
    expected: i32,
    form: &ProfileForm,
) -> Result<i32, AppError> {
    let profile = form
        .parse()
        .map_err(|errors| AppError::ProfileInvalid { errors })?;
    if let Some(p) = &profile.photo {
        // Only a photo this tenant uploaded: the form's hidden field is not trusted.
        if !repo::profiles::has_photo(scope, scope.db(), p).await? {
            return Err(photo_error(ProfileRule::PhotoUnknown));
        }
    }
    store(scope, id, expected, &profile, "profile.save").await
}

fn photo_error(rule: ProfileRule) -> AppError {
    AppError::ProfileInvalid {
        errors: vec![crate::domain::profile::ProfileError {
            field: "photo".into(),
            rule,
        }],
    }
}

/// Checks and processes an uploaded photo for the phone number `id` and keeps it; returns
/// its id, which the next save of the profile applies. Nothing is kept when it is refused.
pub async fn upload_photo(
    scope: &TenantScope,
    id: PhoneNumberRowId,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    if !scope.access().can(TenantAction::Edit) {
        return Err(AppError::Forbidden);
    }
    let phone = repo::profiles::phone(scope, scope.db(), id).await?;
    let started = std::time::Instant::now();
    let processed = crate::backend::photo::process_bounded(bytes).await?;
    let p = processed.map_err(photo_error)?;
    tracing::info!(phone = %id, side = p.side, bytes = p.jpeg.len(), ms = started.elapsed().as_millis() as u64, "profile photo processed");
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    repo::profiles::insert_photo(scope, &tx, &p, scope.actor().user_id(), now).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "profile.photo_upload",
            subject: &phone.number,
            before: None::<()>,
            after: Some(
                json!({"photo": p.id, "side": p.side, "original": [p.original.0, p.original.1]}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(p.id)
}

/// The JPEG of one of the tenant's photos (any member, staff).
pub async fn photo(scope: &TenantScope, photo_id: &str) -> Result<Vec<u8>, AppError> {
    if !crate::domain::profile::is_photo_id(photo_id) {
        return Err(AppError::NotFound);
    }
    repo::profiles::photo(scope, scope.db(), photo_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Makes an earlier version the current one again (as a new version).
pub async fn restore(
    scope: &TenantScope,
    id: PhoneNumberRowId,
    expected: i32,
    version: i32,
) -> Result<i32, AppError> {
    let versions = repo::profiles::versions(scope, scope.db(), id).await?;
    let (_, p, _, _) = versions
        .into_iter()
        .find(|(v, ..)| *v == version)
        .ok_or(AppError::NotFound)?;
    store(scope, id, expected, &p, "profile.restore").await
}

async fn store(
    scope: &TenantScope,
    id: PhoneNumberRowId,
    expected: i32,
    p: &Profile,
    action: &str,
) -> Result<i32, AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let phone = repo::profiles::phone(scope, &tx, id).await?;
    let before = repo::profiles::current(scope, &tx, id).await?;
    let sync_at = scope.state().settings.graph.is_some().then_some(now);
    let v = repo::profiles::save(
        scope,
        &tx,
        id,
        expected,
        p,
        scope.actor().user_id(),
        now,
        sync_at,
    )
    .await?;
    let changes = p.changes_from(&before.map(|(_, b, ..)| b).unwrap_or_default());
    record(&tx, now, Entry { actor: scope.actor(), tenant: Some(scope.tenant_id()), action, subject: &phone.number, before: Some(json!({"version": expected})), after: Some(json!({"version": v, "changed": changes.iter().map(|c| c.0.clone()).collect::<Vec<_>>()})) }).await?;
    tx.commit().await?;
    Ok(v)
}

/// The messaging-policy checklist: (form, complete).
pub async fn checklist(scope: &TenantScope) -> Result<crate::contract::ChecklistDetail, AppError> {
    let c = repo::profiles::checklist(scope, scope.db())
        .await?
        .unwrap_or_default();
    Ok(crate::contract::ChecklistDetail {
        tenant: scope.tenant_id(),
        complete: c.complete(),
        form: c.to_form(),
        can_edit: scope.access().can(TenantAction::Edit),
    })
}

pub async fn save_checklist(
    scope: &TenantScope,
    form: &crate::domain::profile::ChecklistForm,
) -> Result<(), AppError> {
    let c = form
        .parse()
        .map_err(|errors| AppError::ProfileInvalid { errors })?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let before = repo::profiles::checklist(scope, &tx).await?;
    repo::profiles::save_checklist(scope, &tx, &c, scope.actor().user_id(), now).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "compliance.save",
            subject: "messaging policy",
            before: before.map(|b| json!({"complete": b.complete()})),
            after: Some(json!({"complete": c.complete(), "escalation": c.escalation})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends saved profiles to the platform (only with a Graph API configured); outages and 5xx
/// are retried with back-off, refusals wait for the next save. Returns how many were accepted.
pub async fn send_due(
    scope: &crate::backend::scope::SystemScope,
    api: &crate::backend::graph::GraphApi,
) -> Result<usize, AppError> {
    let now = scope.state().now();
    let mut sent = 0;
    for d in
        repo::profiles::lease_due(scope, scope.db(), now, chrono::TimeDelta::minutes(5), 20).await?
    {
        let ts = crate::backend::auth::system_in_tenant(scope, d.tenant);
        let api = api.with_token(repo::tenants::graph_token(&ts, ts.db()).await?);
        let result = send_one(&ts, &api, &d).await;
        match &result {
            Ok(()) => {
                repo::profiles::sync_outcome(&ts, ts.db(), d.phone, d.version, None, None).await?;
                sent += 1;
            }
            Err(e) => {
                let next = e
                    .retryable()
                    .then(|| now + chrono::TimeDelta::minutes(1i64 << d.attempts.clamp(0, 6)));
                tracing::warn!(phone = %d.phone, attempt = d.attempts + 1, retry = next.is_some(), error = %e, "profile sync failed");
                repo::profiles::sync_outcome(
                    &ts,
                    ts.db(),
                    d.phone,
                    d.version,
                    Some(&e.to_string()),
                    next,
                )
                .await?;
            }
        }
    }
    Ok(sent)
}

/// One profile to the platform: its photo first (when it has one and uploads are configured),
/// then the fields with the photo's handle.
async fn send_one(
    ts: &TenantScope,
    api: &crate::backend::graph::GraphApi,
    d: &repo::profiles::DueProfile,
) -> Result<(), crate::backend::graph::GraphError> {
    let mut update = crate::backend::graph::ProfileUpdate::from(&d.profile);
    if let (Some(photo), true) = (&d.profile.photo, api.uploads()) {
        let bytes = repo::profiles::photo(ts, ts.db(), photo)
            .await
            .map_err(|e| crate::backend::graph::GraphError::Unavailable(e.to_string()))?;
        if let Some(bytes) = bytes {
            update.profile_picture_handle = Some(api.upload(&bytes, "image/jpeg").await?);
        }
    }
    api.update_profile(&d.phone_number_id, &update).await
}

/// Rows of the staff overview per page.
pub const OVERVIEW_PAGE: usize = 100;

/// Profiles across tenants; `filter`: empty (all), `attention` (any reason), or one reason's
/// code. `page` starts at 1.
pub async fn overview(
    scope: &crate::backend::scope::PlatformScope,
    filter: &str,
    page: usize,
) -> Result<crate::contract::ProfileOverview, AppError> {
    use crate::domain::profile::attention::{reasons, Attention};
    let wanted = match filter.trim() {
        "" => None,
        "attention" => Some(None),
        f => Some(Some(Attention::parse(f).ok_or(AppError::Request {
            message: "unknown filter".into(),
        })?)),
    };
    let oba = repo::oba::latest_statuses(scope, scope.db()).await?;
    let all: Vec<crate::contract::ProfileOverviewRow> = repo::profiles::overview(scope, scope.db())
        .await?
        .into_iter()
        .map(|r| crate::contract::ProfileOverviewRow {
            reasons: reasons(r.profile.as_ref(), &r.sync_status, r.compliance_complete),
            photo: r.profile.as_ref().and_then(|p| p.photo.clone()),
            oba: oba.get(&r.phone.0).copied(),
            tenant: r.tenant,
            tenant_name: r.tenant_name,
            phone: r.phone,
            number: r.number,
            display_name: r.display_name,
            version: r.version,
            sync_status: r.sync_status,
        })
        .collect();
    let needing_attention = all.iter().filter(|r| !r.reasons.is_empty()).count();
    let counts = Attention::ALL
        .iter()
        .map(|a| (*a, all.iter().filter(|r| r.reasons.contains(a)).count()))
        .collect();
    let matching: Vec<_> = all
        .into_iter()
        .filter(|r| match wanted {
            None => true,
            Some(None) => !r.reasons.is_empty(),
            Some(Some(a)) => r.reasons.contains(&a),
        })
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(OVERVIEW_PAGE).max(1);
    let page = page.clamp(1, pages);
    let rows = matching
        .into_iter()
        .skip((page - 1) * OVERVIEW_PAGE)
        .take(OVERVIEW_PAGE)
        .collect();
    Ok(crate::contract::ProfileOverview {
        rows,
        total,
        page,
        pages,
        needing_attention,
        counts,
    })
}

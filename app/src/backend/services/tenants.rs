//! Tenant onboarding: list, create (with its first WhatsApp Business Account), detail,
//! suspend / reactivate, phone numbers.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth::staff_in_tenant,
        identity::Access,
        repo,
        scope::{PlatformScope, TenantScope},
        tx::Tx,
    },
    contract::{AppError, *},
    domain::{
        ids::{PhoneNumberRowId, TenantId, WabaRowId},
        roles::{PlatformAction, TenantAction},
        tenant::{NewTenant, PhoneNumberForm, TenantDetails, TenantForm, TenantStatus},
        validation::{FieldCode, FieldErrors},
    },
};
use serde_json::json;

pub const PER_PAGE: u64 = 25;

pub async fn list(
    scope: &PlatformScope,
    q: &str,
    status: Option<&str>,
    page: u64,
) -> Result<TenantPage, AppError> {
    let status = status
        .filter(|s| !s.is_empty())
        .and_then(TenantStatus::parse);
    let page = page.clamp(1, 1_000_000);
    let (mut rows, total) = repo::tenants::search(scope.db(), q, status, page, PER_PAGE).await?;
    let complete = repo::profiles::complete_among(
        scope.db(),
        &rows.iter().map(|r| r.id.0).collect::<Vec<_>>(),
    )
    .await?;
    for r in &mut rows {
        r.compliance_complete = complete.contains(&r.id.0);
    }
    Ok(TenantPage {
        rows,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        total,
    })
}

pub async fn staff_options(scope: &PlatformScope) -> Result<Vec<StaffOption>, AppError> {
    repo::users::list_staff(scope.db()).await
}

pub async fn create(scope: &PlatformScope, form: &TenantForm) -> Result<TenantId, AppError> {
    let NewTenant {
        details: t,
        waba_id,
    } = form.parse()?;
    let st = scope.state();
    let now = st.now();
    let tx = Tx::begin(scope.db()).await?;
    let mut errs = FieldErrors::new();
    if let Some(m) = t.account_manager {
        if !repo::tenants::account_manager_valid(&tx, m).await? {
            errs.add("account_manager", FieldCode::UnknownStaffUser);
        }
    }
    if repo::tenants::waba_taken(&tx, &waba_id).await? {
        errs.add("waba_id", FieldCode::AlreadyTaken);
    }
    errs.into_result()?;
    let id = repo::tenants::insert(&tx, &t, now).await?;
    let ts = staff_in_tenant_tx(scope, id);
    repo::tenants::insert_waba(&ts, &tx, &waba_id, now).await?;
    let mut after = details_json(&t);
    after["waba_id"] = json!(waba_id);
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(id),
            action: "tenant.create",
            subject: &t.display_name,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(tenant = %id, "tenant created");
    Ok(id)
}

fn details_json(t: &TenantDetails) -> serde_json::Value {
    json!({
        "legal_name": t.legal_name, "display_name": t.display_name, "country": t.country, "locale": t.locale,
        "billing_email": t.billing_email, "alert_emails": t.alert_emails, "currency": t.currency, "account_manager": t.account_manager,
    })
}

/// Staff edit a tenant's details (the WhatsApp assets have their own forms).
pub async fn update(
    scope: &PlatformScope,
    tenant: TenantId,
    form: &TenantForm,
) -> Result<(), AppError> {
    let ts = staff_in_tenant(scope, tenant).await?;
    let t = form.parse_details()?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    if let Some(m) = t.account_manager {
        if !repo::tenants::account_manager_valid(&tx, m).await? {
            let mut e = FieldErrors::new();
            e.add("account_manager", FieldCode::UnknownStaffUser);
            return Err(e.into());
        }
    }
    let b = repo::tenants::load(&ts, &tx).await?;
    let before = json!({
        "legal_name": b.legal_name, "display_name": b.display_name, "country": b.country, "locale": b.locale,
        "billing_email": b.billing_email, "alert_emails": b.alert_emails, "currency": b.currency, "account_manager": b.account_manager_id,
    });
    repo::tenants::update_details(&ts, &tx, &t, now).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "tenant.update",
            subject: &t.display_name,
            before: Some(before),
            after: Some(details_json(&t)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Inside `create`, the tenant exists only in the open transaction.
fn staff_in_tenant_tx(scope: &PlatformScope, id: TenantId) -> TenantScope {
    scope.as_tenant(id)
}

pub async fn detail(scope: &TenantScope) -> Result<TenantDetail, AppError> {
    let db = scope.db();
    let t = repo::tenants::load(scope, db).await?;
    let can_manage_tenant = matches!(scope.access(), Access::Staff(r) if r.can(PlatformAction::ManageTenants))
        || scope.access() == Access::Operator;
    let manage_users = scope.access().can(TenantAction::ManageUsers);
    Ok(TenantDetail {
        id: scope.tenant_id(),
        legal_name: t.legal_name,
        display_name: t.display_name,
        country: t.country,
        locale: t.locale,
        billing_email: t.billing_email,
        alert_emails: t.alert_emails,
        currency: t.currency,
        account_manager: t.account_manager,
        account_manager_id: t.account_manager_id,
        status: t.status,
        created_at: t.created_at,
        wabas: repo::tenants::list_wabas(scope, db).await?,
        phone_numbers: repo::tenants::list_phone_numbers(scope, db).await?,
        members: repo::users::list_members(scope, db).await?,
        invitations: if manage_users {
            repo::invitations::list_pending(scope, db).await?
        } else {
            Vec::new()
        },
        can: TenantPermissions {
            manage_tenant: can_manage_tenant,
            manage_users,
            invite_owner: can_manage_tenant,
        },
        graph_token_set: repo::tenants::graph_token(scope, db).await?.is_some(),
    })
}

/// Sets the tenant's own Graph API token (`clear`: removes it). The token is audited as
/// "set" or "removed", never written anywhere else.
pub async fn set_graph_token(
    scope: &PlatformScope,
    tenant: TenantId,
    raw: &str,
    clear: bool,
) -> Result<(), AppError> {
    let token = if clear {
        None
    } else {
        Some(
            crate::domain::tenant::parse_graph_token(raw).map_err(|code| {
                let mut e = FieldErrors::new();
                e.add("token", code);
                AppError::from(e)
            })?,
        )
    };
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let t = repo::tenants::load(&ts, &tx).await?;
    repo::tenants::set_graph_token(scope, &tx, tenant, token.as_deref()).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "tenant.graph_token",
            subject: &t.display_name,
            before: None::<()>,
            after: Some(json!({"token": if clear { "removed" } else { "set" }})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Staff: a WABA's time zone (future messages are dated in it; rated ones keep their day).
pub async fn set_waba_time_zone(
    scope: &PlatformScope,
    tenant: TenantId,
    waba: &str,
    raw: &str,
) -> Result<(), AppError> {
    let time_zone = crate::domain::tenant::parse_time_zone(raw).map_err(|code| {
        let mut e = FieldErrors::new();
        e.add("time_zone", code);
        AppError::from(e)
    })?;
    let waba: crate::domain::ids::WabaRowId =
        waba.trim().parse().map_err(|_| AppError::NotFound)?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let before = repo::tenants::list_wabas(&ts, &tx)
        .await?
        .into_iter()
        .find(|w| w.id == waba)
        .ok_or(AppError::NotFound)?;
    repo::tenants::set_waba_time_zone(&ts, &tx, waba, &time_zone).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "waba.time_zone",
            subject: &before.waba_id,
            before: Some(json!({"time_zone": before.time_zone})),
            after: Some(json!({"time_zone": time_zone})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_status(
    scope: &PlatformScope,
    tenant: TenantId,
    raw: &str,
) -> Result<(), AppError> {
    let status = TenantStatus::parse(raw).ok_or_else(|| AppError::Request {
        message: "status must be active or suspended".into(),
    })?;
    let ts = staff_in_tenant(scope, tenant).await?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let before = repo::tenants::load(&ts, &tx).await?;
    repo::tenants::update_status(&ts, &tx, status, now).await?;
    let action = match status {
        TenantStatus::Active => "tenant.reactivate",
        TenantStatus::Suspended => "tenant.suspend",
    };
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: Some(tenant),
            action,
            subject: &before.display_name,
            before: Some(json!({"status": before.status})),
            after: Some(json!({"status": status})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_phone_number(
    scope: &PlatformScope,
    tenant: TenantId,
    waba: &str,
    form: &PhoneNumberForm,
) -> Result<PhoneNumberRowId, AppError> {
    let ts = staff_in_tenant(scope, tenant).await?;
    let parsed = form.parse();
    let wabas = repo::tenants::list_wabas(&ts, ts.db()).await?;
    // The only account is the default; otherwise the form must name one of the tenant's.
    let waba_row: Option<WabaRowId> = match waba.trim() {
        "" if wabas.len() == 1 => wabas.first().map(|w| w.id),
        s => s
            .parse::<WabaRowId>()
            .ok()
            .filter(|id| wabas.iter().any(|w| w.id == *id)),
    };
    let mut errs = parsed.as_ref().err().cloned().unwrap_or_default();
    if waba_row.is_none() {
        errs.add("waba", FieldCode::UnknownWaba);
    }
    let (Ok(p), Some(waba_row)) = (parsed, waba_row) else {
        return Err(errs.into());
    };
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let (number_taken, id_taken) = repo::tenants::phone_taken(&tx, &p).await?;
    if number_taken || id_taken {
        let mut e = FieldErrors::new();
        if number_taken {
            e.add("number", FieldCode::AlreadyTaken);
        }
        if id_taken {
            e.add("phone_number_id", FieldCode::AlreadyTaken);
        }
        return Err(e.into());
    }
    let id = repo::tenants::insert_phone_number(&ts, &tx, waba_row, &p, now).await?;
    let after = json!({"number": p.number.number, "country": p.number.country, "phone_number_id": p.phone_number_id, "display_name": p.display_name});
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(tenant),
            action: "phone_number.add",
            subject: &p.number.number,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

//! Platform events as the console shows them: template and number health, alerts and alert
//! preferences, the event log and replay.

use crate::contract::{
    AlertPrefs, AlertView, AppError, EventPage, NumbersOverview, TemplateAtPlatform,
};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::roles::{PlatformAction, TenantAction},
    },
};

#[server(endpoint = "template_health")]
pub async fn template_health(tenant: String, id: String) -> Result<TemplateAtPlatform, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::health::template(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

#[server(endpoint = "number_health")]
pub async fn number_health(tenant: String) -> Result<NumbersOverview, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::health::numbers(&scope).await
    })
    .await
}

/// The tenant's alerts; `status` empty for all, or `open`, `acknowledged`, `resolved`.
#[server(endpoint = "list_alerts")]
pub async fn list_alerts(tenant: String, status: String) -> Result<Vec<AlertView>, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::health::alerts(&scope, &status).await
    })
    .await
}

/// Every tenant's alerts (staff).
#[server(endpoint = "list_all_alerts")]
pub async fn list_all_alerts(status: String) -> Result<Vec<AlertView>, AppError> {
    respond(async move {
        let scope = auth::platform_scope(&RequestCtx::load().await?, PlatformAction::ViewTenants)?;
        services::health::all_alerts(&scope, &status).await
    })
    .await
}

/// Acknowledges an alert (`resolve` empty) or resolves it (`resolve` = `1`).
#[server(endpoint = "set_alert_status")]
pub async fn set_alert_status(
    tenant: String,
    id: String,
    #[server(default)] resolve: String,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::Edit).await?;
        services::alerts::set_status(
            &scope,
            id.parse().map_err(|_| AppError::NotFound)?,
            !resolve.is_empty(),
        )
        .await
    })
    .await
}

#[server(endpoint = "get_alert_prefs")]
pub async fn get_alert_prefs(tenant: String) -> Result<AlertPrefs, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::health::my_prefs(&scope).await
    })
    .await
}

/// Subscribes the signed-in user to the tenant's alerts (`subscribed` = `1`) with a delivery
/// per severity (`immediate`, `digest`, `off`; critical cannot be off), or unsubscribes.
#[server(endpoint = "set_alert_prefs")]
pub async fn set_alert_prefs(
    tenant: String,
    #[server(default)] subscribed: String,
    critical: String,
    warning: String,
    info: String,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::health::set_my_prefs(&scope, !subscribed.is_empty(), &critical, &warning, &info)
            .await
    })
    .await
}

/// The tenant's platform events, newest first (staff).
#[server(endpoint = "event_log")]
pub async fn event_log(
    tenant: String,
    field: String,
    status: String,
    search: String,
    page: String,
) -> Result<EventPage, AppError> {
    respond(async move {
        let scope = auth::platform_scope(&RequestCtx::load().await?, PlatformAction::ViewTenants)?;
        services::health::event_log(
            &scope,
            Some(tenant.parse().map_err(|_| AppError::NotFound)?),
            &field,
            &status,
            &search,
            &page,
        )
        .await
    })
    .await
}

/// Events no tenant, template or number matched (staff).
#[server(endpoint = "unmatched_events")]
pub async fn unmatched_events(
    field: String,
    status: String,
    search: String,
    page: String,
) -> Result<EventPage, AppError> {
    respond(async move {
        let scope = auth::platform_scope(&RequestCtx::load().await?, PlatformAction::ViewTenants)?;
        services::health::event_log(&scope, None, &field, &status, &search, &page).await
    })
    .await
}

/// Processes an event again (admins): its effects are idempotent, its alerts are not repeated.
#[server(endpoint = "replay_event")]
pub async fn replay_event(#[server(default)] tenant: String, id: String) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::platform_scope(&RequestCtx::load().await?, PlatformAction::ManageTenants)?;
        let tenant = if tenant.is_empty() {
            None
        } else {
            Some(tenant.parse().map_err(|_| AppError::NotFound)?)
        };
        services::health::replay(&scope, tenant, id.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

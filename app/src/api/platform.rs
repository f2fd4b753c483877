//! Platform events as the console shows them: template and number health, alerts and alert
//! preferences, the event log and replay.

use super::AppError;
use crate::domain::{messaging_tier::UpgradeProgress, template::status::TemplateStatus};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::backend::{auth, context::RequestCtx, services},
    crate::domain::roles::{PlatformAction, TenantAction},
};

/// A template as the platform sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateAtPlatform {
    pub name: String,
    pub language: String,
    pub category: String,
    /// The revision at the platform and its status (`None`: never sent).
    pub revision: Option<i32>,
    pub status: Option<TemplateStatus>,
    pub status_at: Option<DateTime<Utc>>,
    pub quality: Option<String>,
    pub pause_count: i32,
    pub paused_until: Option<DateTime<Utc>>,
    /// `first_pause`, `second_pause`, `rate_limited` or `disabled`.
    pub outlook: Option<String>,
    pub disable_date: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub rejection_detail: Option<String>,
    pub recommendation: Option<String>,
    pub description: Option<String>,
    pub pending_category: Option<String>,
    pub category_change_at: Option<DateTime<Utc>>,
    pub history: Vec<HealthLine>,
    /// The server's clock when this was read (countdowns are relative to it).
    pub as_of: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HealthLine {
    /// `status`, `quality` or `category`.
    pub kind: String,
    pub value: String,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

/// The tenant's numbers and accounts as the platform sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumbersOverview {
    pub numbers: Vec<NumberView>,
    pub accounts: Vec<AccountView>,
    /// Unique users messaged outside a service window in the last 7 days.
    pub unique_users_7d: u64,
    pub open_windows: Vec<WindowView>,
    pub as_of: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberView {
    pub id: String,
    pub number: String,
    pub display_name: String,
    pub quality: Option<String>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub tier_label: Option<String>,
    pub flagged_at: Option<DateTime<Utc>>,
    /// When a flagged number returns to CONNECTED, or is moved one tier down.
    pub flag_deadline: Option<DateTime<Utc>>,
    pub name_decision: Option<String>,
    pub name_rejection: Option<String>,
    pub throughput: Option<String>,
    pub upgrade: Option<UpgradeProgress>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub waba_id: String,
    pub portfolio_limit: Option<String>,
    pub ban_state: Option<String>,
    pub ban_date: Option<String>,
    pub restrictions: Vec<(String, Option<DateTime<Utc>>)>,
    pub violation: Option<String>,
    pub last_event: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowView {
    pub number: String,
    /// The first characters of the user's keyed hash (numbers are not kept).
    pub user: String,
    pub csw_closes: Option<DateTime<Utc>>,
    pub fep_closes: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: String,
    pub tenant: String,
    pub tenant_name: Option<String>,
    pub kind: String,
    pub severity: String,
    pub subject_type: String,
    pub subject: String,
    pub link: String,
    pub status: String,
    pub detail: String,
    pub opened_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// What resolved it, when the platform did (a later event).
    pub resolution: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertPrefs {
    pub subscribed: bool,
    pub critical: String,
    pub warning: String,
    pub info: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: String,
    pub tenant: Option<String>,
    pub field: String,
    pub waba_id: String,
    pub payload: String,
    pub status: String,
    pub result: Option<String>,
    pub attempts: i32,
    pub time: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub rows: Vec<EventRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

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

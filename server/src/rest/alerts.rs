//! The tenant's alerts (a template or number flagged, paused, disabled; a profile that failed
//! to sync…): the newest 200 with a status filter, and acknowledging or resolving one.

use super::{caller::Caller, idempotency, problem::ApiError, ApiPath, ApiQuery, Errors};
use app::{
    backend::{services, state::AppState},
    contract::AlertView,
    domain::roles::TenantAction,
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Alert {
    pub id: String,
    /// What happened (`template_paused`, `number_flagged`, …).
    pub kind: String,
    /// `critical`, `warning` or `info`.
    pub severity: String,
    /// What it is about: `template`, `phone_number`, `account`, `profile`.
    pub subject_type: String,
    pub subject: String,
    /// `open`, `acknowledged` or `resolved`.
    pub status: String,
    pub detail: String,
    pub opened_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// What resolved it, when the platform did.
    pub resolution: Option<String>,
}

impl From<AlertView> for Alert {
    fn from(a: AlertView) -> Self {
        Self {
            id: a.id,
            kind: a.kind,
            severity: a.severity,
            subject_type: a.subject_type,
            subject: a.subject,
            status: a.status,
            detail: a.detail,
            opened_at: a.opened_at,
            acknowledged_by: a.acknowledged_by,
            acknowledged_at: a.acknowledged_at,
            resolved_at: a.resolved_at,
            resolution: a.resolution,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Alerts {
    /// Newest first, at most 200.
    pub data: Vec<Alert>,
}

/// A status to list.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Resolved,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertQuery {
    /// Only alerts in this status (default: all).
    pub status: Option<AlertStatus>,
}

/// The tenant's alerts, newest first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", operation_id = "listAlerts",
    params(AlertQuery),
    responses((status = 200, description = "The newest 200 alerts", body = Alerts), Errors),
    security(("api_key" = [])))]
pub async fn list_alerts(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> Result<Json<Alerts>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let status = match q.status {
        None => "",
        Some(AlertStatus::Open) => "open",
        Some(AlertStatus::Acknowledged) => "acknowledged",
        Some(AlertStatus::Resolved) => "resolved",
    };
    let rows = services::health::alerts(&scope, status).await?;
    Ok(Json(Alerts {
        data: rows.into_iter().map(Alert::from).collect(),
    }))
}

/// Acknowledges an alert: someone is on it (the owners' digest stops repeating it).
#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = "alerts", operation_id = "acknowledgeAlert",
    params(("id" = uuid::Uuid, Path, description = "The alert's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    responses((status = 204, description = "Acknowledged"), Errors),
    security(("api_key" = [])))]
pub async fn acknowledge_alert(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    set(st, caller, id, headers, false).await
}

/// Resolves an alert.
#[utoipa::path(post, path = "/alerts/{id}/resolve", tag = "alerts", operation_id = "resolveAlert",
    params(("id" = uuid::Uuid, Path, description = "The alert's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    responses((status = 204, description = "Resolved"), Errors),
    security(("api_key" = [])))]
pub async fn resolve_alert(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    set(st, caller, id, headers, true).await
}

async fn set(
    st: AppState,
    caller: app::backend::auth::ApiCaller,
    id: uuid::Uuid,
    headers: HeaderMap,
    resolve: bool,
) -> Response {
    let scope = match caller.tenant_scope(&st, TenantAction::Edit) {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let what = format!("POST /alerts/{id}/{resolve}");
    idempotency::once(&st, &caller, &headers, &what, b"", || async {
        match services::alerts::set_status(&scope, id, resolve).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => ApiError::from(e).into_response(),
        }
    })
    .await
}

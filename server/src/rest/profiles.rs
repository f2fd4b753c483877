//! A phone number's business profile: read with its version as the `ETag`, and replaced with
//! `If-Match` naming that version (optimistic locking: a profile saved by someone else since is
//! `412 Precondition Failed`, nothing written).

use super::{caller::Caller, json_body, problem::ApiError, ApiBytes, ApiPath, Errors};
use app::{
    backend::{services, state::AppState},
    contract::AppError,
    domain::{
        ids::PhoneNumberRowId,
        profile::{ProfileError, ProfileForm, ProfileRule},
        roles::TenantAction,
    },
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A business profile as the platform shows it on the number.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BusinessProfile {
    #[schema(max_length = 139)]
    pub about: String,
    #[serde(default)]
    #[schema(max_length = 256)]
    pub address: String,
    #[serde(default)]
    #[schema(max_length = 512)]
    pub description: String,
    #[serde(default)]
    #[schema(max_length = 128)]
    pub email: String,
    /// At most two, https or http.
    #[serde(default)]
    #[schema(max_items = 2)]
    pub websites: Vec<String>,
    /// The platform's vertical (`RETAIL`, `HEALTH`, …), or empty.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub vertical: String,
    /// Opening hours, Monday first: `closed`, `open` (all day) or ranges
    /// `09:00-12:30, 14:00-18:00`.
    #[serde(default)]
    #[schema(min_items = 7, max_items = 7)]
    pub hours: [String; 7],
    /// A photo uploaded in the console (its id), or empty for none.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub photo: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileAnswer {
    /// The saved version (0: never saved); also the `ETag`, `"v<version>"`.
    pub version: i32,
    pub profile: BusinessProfile,
    /// `not_synced` (no Graph API configured), `pending`, `synced` or `failed`.
    pub sync_status: String,
    /// The platform's answer to the last failed attempt.
    pub sync_error: Option<String>,
}

fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

async fn answer(
    scope: &app::backend::scope::TenantScope,
    id: PhoneNumberRowId,
) -> Result<Response, ApiError> {
    let d = services::profiles::detail(scope, id).await?;
    let f = d.form;
    let body = ProfileAnswer {
        version: d.version,
        profile: BusinessProfile {
            about: f.about,
            address: f.address,
            description: f.description,
            email: f.email,
            websites: f.websites,
            vertical: f.vertical,
            hours: f.hours,
            photo: f.photo,
        },
        sync_status: d.sync_status,
        sync_error: d.sync_error,
    };
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(d.version)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    Ok(r)
}

fn number_id(raw: uuid::Uuid) -> PhoneNumberRowId {
    PhoneNumberRowId(raw)
}

/// A phone number's business profile.
#[utoipa::path(get, path = "/phone-numbers/{id}/profile", tag = "profiles", operation_id = "getProfile",
    params(("id" = uuid::Uuid, Path, description = "The phone number's id")),
    responses((status = 200, description = "The profile", body = ProfileAnswer,
               headers(("ETag" = String, description = "The version, for If-Match"))), Errors),
    security(("api_key" = [])))]
pub async fn get_profile(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Response, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    answer(&scope, number_id(id)).await
}

/// Replaces the profile. `If-Match` must name the version read (`"v3"`); another one means
/// someone saved since: 412, nothing written.
#[utoipa::path(put, path = "/phone-numbers/{id}/profile", tag = "profiles", operation_id = "putProfile",
    params(("id" = uuid::Uuid, Path, description = "The phone number's id"),
           ("If-Match" = Option<String>, Header, description = "The ETag of the version read (`\"v3\"`); without it, 428")),
    request_body(content = BusinessProfile, content_type = "application/json"),
    responses((status = 200, description = "The profile, saved", body = ProfileAnswer),
              (status = 412, description = "Saved by someone else since that version", body = super::Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match is required", body = super::Problem, content_type = "application/problem+json"),
              Errors),
    security(("api_key" = [])))]
pub async fn put_profile(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<Response, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::Edit)?;
    // Another tenant's number is not found, whatever else is wrong with the request.
    let current = services::profiles::detail(&scope, number_id(id))
        .await?
        .version;
    let p = json_body::<BusinessProfile>(&headers, &body)?;
    let form = ProfileForm {
        about: p.about,
        address: p.address,
        description: p.description,
        email: p.email,
        websites: p.websites,
        vertical: p.vertical,
        hours: p.hours,
        photo: p.photo,
    };
    // What the rules refuse is refused whatever the version (and before it is compared).
    form.parse()
        .map_err(|errors| AppError::ProfileInvalid { errors })?;
    if !form.photo.is_empty() && !app::domain::is_content_id(&form.photo) {
        return Err(AppError::ProfileInvalid {
            errors: vec![ProfileError {
                field: "photo".into(),
                rule: ProfileRule::PhotoUnknown,
            }],
        }
        .into());
    }
    let expected = if_match(&headers)?;
    if current != expected {
        return Err(stale());
    }
    match services::profiles::save(&scope, number_id(id), expected, &form).await {
        Err(AppError::Conflict { .. }) => return Err(stale()),
        r => r?,
    };
    answer(&scope, number_id(id)).await
}

fn stale() -> ApiError {
    ApiError::Http {
        status: StatusCode::PRECONDITION_FAILED,
        code: "stale_version",
        detail: "the profile was saved by someone else since this version: read it again".into(),
    }
}

/// The version `If-Match` names (`"v3"`, or `W/"v3"`).
fn if_match(headers: &HeaderMap) -> Result<i32, ApiError> {
    let raw = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Http {
            status: StatusCode::PRECONDITION_REQUIRED,
            code: "if_match_required",
            detail: "send If-Match with the ETag of the profile you read".into(),
        })?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .ok_or_else(stale)
}

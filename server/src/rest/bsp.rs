//! The BSP's own operations, with a BSP key (a staff role's rights): tenants listed, created,
//! suspended and reactivated, and their phone numbers added: the same services as the staff
//! pages.

use super::{
    caller::Caller, idempotency, json_body, page, problem::ApiError, ApiBytes, ApiPath, ApiQuery,
    Errors,
};
use app::{
    backend::{auth::ApiCaller, scope::PlatformScope, services, state::AppState},
    contract::TenantRow,
    domain::{
        ids::TenantId,
        roles::PlatformAction,
        tenant::{PhoneNumberForm, TenantForm},
    },
};
use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct TenantSummary {
    pub id: uuid::Uuid,
    pub display_name: String,
    pub legal_name: String,
    pub country: String,
    /// `active` or `suspended`.
    pub status: String,
    pub phone_numbers: u64,
    pub created_at: DateTime<Utc>,
    /// The messaging-policy checklist is complete.
    pub compliance_complete: bool,
}

impl From<TenantRow> for TenantSummary {
    fn from(r: TenantRow) -> Self {
        Self {
            id: r.id.0,
            display_name: r.display_name,
            legal_name: r.legal_name,
            country: r.country,
            status: r.status.code().to_owned(),
            phone_numbers: r.phone_numbers,
            created_at: r.created_at,
            compliance_complete: r.compliance_complete,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatusName {
    Active,
    Suspended,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantQuery {
    /// Names containing this.
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub status: Option<TenantStatusName>,
    /// The previous page's `next_cursor` (pages of 25, by name).
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

fn platform(st: &AppState, c: &ApiCaller, a: PlatformAction) -> Result<PlatformScope, ApiError> {
    Ok(c.platform_scope(st, a)?)
}

/// Every tenant, 25 a page, by name.
#[utoipa::path(get, path = "/tenants", tag = "bsp", operation_id = "listTenants",
    params(TenantQuery),
    responses((status = 200, description = "A page of tenants", body = page::Page<TenantSummary>), Errors),
    security(("api_key" = [])))]
pub async fn list_tenants(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiQuery(q): ApiQuery<TenantQuery>,
) -> Result<Json<page::Page<TenantSummary>>, ApiError> {
    let scope = platform(&st, &caller, PlatformAction::ViewTenants)?;
    let search = q.q.unwrap_or_default();
    if search.chars().count() > 100 {
        return Err(ApiError::bad_request("q is longer than 100 characters"));
    }
    let status = q.status.map(|s| match s {
        TenantStatusName::Active => "active",
        TenantStatusName::Suspended => "suspended",
    });
    let at = page::decode::<u64>(q.cursor.as_deref())?.unwrap_or(1);
    let p = services::tenants::list(&scope, &search, status, at).await?;
    let next_cursor = (p.page < p.pages).then(|| page::encode(&(p.page + 1)));
    let next = next_cursor.as_deref().map(|c| {
        page::next_url(
            "/api/v1/tenants",
            &[
                ("q", Some(search.clone()).filter(|s| !s.is_empty())),
                ("status", status.map(str::to_owned)),
            ],
            c,
        )
    });
    Ok(Json(page::Page {
        data: p.rows.into_iter().map(TenantSummary::from).collect(),
        next_cursor,
        next,
    }))
}

/// A new tenant.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(max_length = 100)]
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(max_length = 2)]
    pub country: String,
    /// `en` or `fr`: the language of its emails.
    #[schema(max_length = 8)]
    pub locale: String,
    #[schema(max_length = 254)]
    pub billing_email: String,
    /// Where alerts are sent (besides subscribed users).
    #[serde(default)]
    #[schema(max_items = 10)]
    pub alert_emails: Vec<String>,
    /// ISO 4217.
    #[schema(max_length = 3)]
    pub currency: String,
    /// A staff member's user id.
    #[serde(default)]
    pub account_manager: Option<uuid::Uuid>,
    /// Its WhatsApp Business Account id.
    #[schema(max_length = 32)]
    pub waba_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: uuid::Uuid,
}

fn created(location: Option<String>, id: uuid::Uuid) -> Response {
    let mut r = (StatusCode::CREATED, Json(Created { id })).into_response();
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Creates a tenant (and its WhatsApp Business Account).
#[utoipa::path(post, path = "/tenants", tag = "bsp", operation_id = "createTenant",
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    request_body(content = NewTenant, content_type = "application/json"),
    responses((status = 201, description = "Created", body = Created), Errors),
    security(("api_key" = [])))]
pub async fn create_tenant(
    State(st): State<AppState>,
    Caller(caller): Caller,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Response {
    let scope = match platform(&st, &caller, PlatformAction::ManageTenants) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    idempotency::once(&st, &caller, &headers, "POST /tenants", &body, || async {
        let run = async {
            let t = json_body::<NewTenant>(&headers, &body)?;
            let form = TenantForm {
                legal_name: t.legal_name,
                display_name: t.display_name,
                country: t.country,
                locale: t.locale,
                billing_email: t.billing_email,
                alert_emails: t.alert_emails.join(","),
                currency: t.currency,
                account_manager: t.account_manager.map(|u| u.to_string()).unwrap_or_default(),
                waba_id: t.waba_id,
            };
            let id = services::tenants::create(&scope, &form).await?;
            Ok::<_, ApiError>(created(
                Some(format!(
                    "/api/v1/tenants?q={}",
                    urlencode(&form.display_name)
                )),
                id.0,
            ))
        };
        run.await.unwrap_or_else(IntoResponse::into_response)
    })
    .await
}

async fn set_status(
    st: AppState,
    caller: ApiCaller,
    id: uuid::Uuid,
    headers: HeaderMap,
    to: &'static str,
) -> Response {
    let scope = match platform(&st, &caller, PlatformAction::ManageTenants) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let what = format!("POST /tenants/{id}/{to}");
    idempotency::once(&st, &caller, &headers, &what, b"", || async {
        match services::tenants::set_status(&scope, TenantId(id), to).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => ApiError::from(e).into_response(),
        }
    })
    .await
}

/// Suspends a tenant: its users are signed out and its keys refused until it is reactivated.
#[utoipa::path(post, path = "/tenants/{id}/suspend", tag = "bsp", operation_id = "suspendTenant",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    responses((status = 204, description = "Suspended"), Errors),
    security(("api_key" = [])))]
pub async fn suspend_tenant(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    set_status(st, caller, id, headers, "suspended").await
}

/// Reactivates a suspended tenant.
#[utoipa::path(post, path = "/tenants/{id}/reactivate", tag = "bsp", operation_id = "reactivateTenant",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    responses((status = 204, description = "Active again"), Errors),
    security(("api_key" = [])))]
pub async fn reactivate_tenant(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    set_status(st, caller, id, headers, "active").await
}

/// A business phone number to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPhoneNumber {
    /// E.164 or as written (`+44 7400 123456`).
    #[schema(max_length = 32)]
    pub number: String,
    /// The platform's phone number id.
    #[schema(max_length = 32)]
    pub phone_number_id: String,
    #[schema(max_length = 100)]
    pub display_name: String,
    /// Which of the tenant's WhatsApp Business Account ids (optional when it has one).
    #[serde(default)]
    #[schema(max_length = 32)]
    pub waba_id: String,
}

/// Adds a phone number to a tenant.
#[utoipa::path(post, path = "/tenants/{id}/phone-numbers", tag = "bsp", operation_id = "addPhoneNumber",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id"),
           ("Idempotency-Key" = Option<String>, Header, max_length = 255, description = "Makes a retry safe")),
    request_body(content = NewPhoneNumber, content_type = "application/json"),
    responses((status = 201, description = "Added", body = Created), Errors),
    security(("api_key" = [])))]
pub async fn add_phone_number(
    State(st): State<AppState>,
    Caller(caller): Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Response {
    let scope = match platform(&st, &caller, PlatformAction::ManageTenants) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let what = format!("POST /tenants/{id}/phone-numbers");
    idempotency::once(&st, &caller, &headers, &what, &body, || async {
        let run = async {
            let n = json_body::<NewPhoneNumber>(&headers, &body)?;
            let form = PhoneNumberForm {
                number: n.number,
                phone_number_id: n.phone_number_id,
                display_name: n.display_name,
            };
            let row = services::tenants::add_phone_number(&scope, TenantId(id), &n.waba_id, &form)
                .await?;
            Ok::<_, ApiError>(created(None, row.0))
        };
        run.await.unwrap_or_else(IntoResponse::into_response)
    })
    .await
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

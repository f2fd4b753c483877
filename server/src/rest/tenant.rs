//! The key's tenant: its details and its phone numbers as the platform sees them.

use super::{caller::Caller, problem::ApiError, Errors};
use app::{
    backend::{services, state::AppState},
    domain::roles::TenantAction,
};
use axum::{extract::State, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Tenant {
    pub id: uuid::Uuid,
    pub legal_name: String,
    pub display_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The language of its emails (`en`, `fr`).
    pub locale: String,
    /// ISO 4217: the currency it is invoiced in.
    pub currency: String,
    /// `active` or `suspended`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// The WhatsApp Business Account ids registered for it.
    pub waba_ids: Vec<String>,
}

/// The key's tenant.
#[utoipa::path(get, path = "/tenant", tag = "tenant", operation_id = "getTenant",
    responses((status = 200, description = "The key's tenant", body = Tenant), Errors),
    security(("api_key" = [])))]
pub async fn get_tenant(
    State(st): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Tenant>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let d = services::tenants::detail(&scope).await?;
    Ok(Json(Tenant {
        id: d.id.0,
        legal_name: d.legal_name,
        display_name: d.display_name,
        country: d.country,
        locale: d.locale.code().to_owned(),
        currency: d.currency,
        status: d.status.code().to_owned(),
        created_at: d.created_at,
        waba_ids: d.wabas.into_iter().map(|w| w.waba_id).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PhoneNumber {
    /// The console's id of the number.
    pub id: String,
    /// E.164.
    pub number: String,
    pub display_name: String,
    /// The platform's status (`CONNECTED`, `FLAGGED`, …), once known.
    pub status: Option<String>,
    /// `GREEN`, `YELLOW`, `RED`, once known.
    pub quality: Option<String>,
    /// The messaging limit (`TIER_250`, `TIER_1K`, … `TIER_UNLIMITED`), once known.
    pub messaging_limit: Option<String>,
    pub flagged_at: Option<DateTime<Utc>>,
    /// When a flagged number returns to CONNECTED or is moved one limit down.
    pub flag_deadline: Option<DateTime<Utc>>,
    /// Progress towards the next messaging limit.
    pub upgrade: Option<Upgrade>,
}

#[derive(Serialize, ToSchema)]
pub struct Upgrade {
    /// Unique users messaged outside a service window in the last 7 days.
    pub unique_users_7d: u32,
    /// How many it takes to move up; absent where there is no automatic upgrade.
    pub needed: Option<u32>,
    pub next_limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PhoneNumbers {
    pub data: Vec<PhoneNumber>,
}

/// The tenant's phone numbers with status, quality, messaging limit and upgrade progress.
#[utoipa::path(get, path = "/phone-numbers", tag = "tenant", operation_id = "listPhoneNumbers",
    responses(
        (status = 200, description = "Every phone number of the tenant", body = PhoneNumbers,
         links(("GetProfile" = (operation_id = "getProfile", parameters(("id" = "$response.body#/data/0/id")))))),
        Errors),
    security(("api_key" = [])))]
pub async fn list_phone_numbers(
    State(st): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<PhoneNumbers>, ApiError> {
    let scope = caller.tenant_scope(&st, TenantAction::View)?;
    let o = services::health::numbers(&scope).await?;
    Ok(Json(PhoneNumbers {
        data: o
            .numbers
            .into_iter()
            .map(|n| PhoneNumber {
                id: n.id,
                number: n.number,
                display_name: n.display_name,
                status: n.status,
                quality: n.quality,
                messaging_limit: n.tier,
                flagged_at: n.flagged_at,
                flag_deadline: n.flag_deadline,
                upgrade: n.upgrade.map(|u| Upgrade {
                    unique_users_7d: u.unique_users_7d,
                    needed: u.needed,
                    next_limit: u.next.map(|t| t.code().to_owned()),
                }),
            })
            .collect(),
    }))
}

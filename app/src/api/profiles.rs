//! Business profiles of a tenant's phone numbers.
// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::contract::{AppError, *};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::{profile::ProfileForm, roles::TenantAction},
    },
};

#[server(endpoint = "get_profile")]
pub async fn get_profile(tenant: String, number: String) -> Result<ProfileDetail, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::profiles::detail(&scope, number.parse().map_err(|_| AppError::NotFound)?).await
    })
    .await
}

/// Saves the profile; `version` is the one the form was loaded with (0 for the first save).
#[server(endpoint = "save_profile")]
pub async fn save_profile(
    tenant: String,
    number: String,
    version: String,
    about: String,
    address: String,
    description: String,
    email: String,
    website1: String,
    website2: String,
    vertical: String,
    #[server(default)] hours: Vec<String>,
    #[server(default)] photo: String,
    #[server(default)] remove_photo: String,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::Edit).await?;
        let id = number.parse().map_err(|_| AppError::NotFound)?;
        let version = version.trim().parse().map_err(|_| AppError::Request {
            message: "version".into(),
        })?;
        let form = ProfileForm {
            about,
            address,
            description,
            email,
            websites: vec![website1, website2],
            vertical,
            hours: std::array::from_fn(|i| hours.get(i).cloned().unwrap_or_default()),
            photo: if remove_photo.is_empty() {
                photo
            } else {
                String::new()
            },
        };
        services::profiles::save(&scope, id, version, &form)
            .await
            .map(|_| ())
    })
    .await
}

/// Makes version `restore` current again (as a new version after `version`).
#[server(endpoint = "restore_profile")]
pub async fn restore_profile(
    tenant: String,
    number: String,
    version: String,
    restore: String,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::Edit).await?;
        let id = number.parse().map_err(|_| AppError::NotFound)?;
        let parse = |s: &str| {
            s.trim().parse::<i32>().map_err(|_| AppError::Request {
                message: "version".into(),
            })
        };
        services::profiles::restore(&scope, id, parse(&version)?, parse(&restore)?)
            .await
            .map(|_| ())
    })
    .await
}

#[server(endpoint = "get_checklist")]
pub async fn get_checklist(tenant: String) -> Result<ChecklistDetail, AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::View).await?;
        services::profiles::checklist(&scope).await
    })
    .await
}

/// The checklist's checkboxes come as `opt_in[i]` and `escalation[i]` (codes).
#[server(endpoint = "save_checklist")]
pub async fn save_checklist(
    tenant: String,
    other: String,
    consent_record: String,
    #[server(default)] opt_in: Vec<String>,
    #[server(default)] escalation: Vec<String>,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::Edit).await?;
        services::profiles::save_checklist(
            &scope,
            &crate::domain::profile::ChecklistForm {
                opt_in,
                other,
                consent_record,
                escalation,
            },
        )
        .await
    })
    .await
}

/// Saves the number's verified-badge request as a draft (`links[0]`…`links[4]`).
#[server(endpoint = "save_oba_request")]
pub async fn save_oba_request(
    tenant: String,
    number: String,
    #[server(default)] links: Vec<String>,
    parent: String,
    notes: String,
) -> Result<(), AppError> {
    respond(async move {
        let scope =
            auth::tenant_scope(&RequestCtx::load().await?, &tenant, TenantAction::Edit).await?;
        let id = number.parse().map_err(|_| AppError::NotFound)?;
        services::oba::save(
            &scope,
            id,
            &crate::domain::profile::oba::ObaForm {
                links,
                parent,
                notes,
            },
        )
        .await
    })
    .await
}

/// Moves the newest request `request`: `submit` (the tenant hands it to the BSP), `approve`
/// or `reject` (BSP admins; a rejection needs a reason).
#[server(endpoint = "advance_oba_request")]
pub async fn advance_oba_request(
    tenant: String,
    number: String,
    request: String,
    step: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::profile::oba::ObaStep;
    respond(async move {
        let s = match step.as_str() {
            "submit" => ObaStep::Submit,
            "approve" => ObaStep::Approve,
            "reject" => ObaStep::Reject,
            _ => {
                return Err(AppError::Request {
                    message: "step".into(),
                })
            }
        };
        let needed = if s == ObaStep::Submit {
            TenantAction::Edit
        } else {
            TenantAction::DecideRequests
        };
        let scope = auth::tenant_scope(&RequestCtx::load().await?, &tenant, needed).await?;
        let id = number.parse().map_err(|_| AppError::NotFound)?;
        services::oba::advance(&scope, id, &request, s, &reason).await
    })
    .await
}

/// Staff: business profiles across tenants, with a "needs attention" filter.
#[server(endpoint = "list_profiles")]
pub async fn list_profiles(
    #[server(default)] filter: String,
    #[server(default)] page: String,
) -> Result<ProfileOverview, AppError> {
    respond(async move {
        let scope = auth::platform_scope(
            &RequestCtx::load().await?,
            crate::domain::roles::PlatformAction::ViewTenants,
        )?;
        services::profiles::overview(&scope, &filter, page.trim().parse().unwrap_or(1)).await
    })
    .await
}

//! API keys: a tenant's (its owners, BSP admins) and the BSP's own (admins). `owner` is the
//! tenant's id, or `bsp` for the BSP's keys.

use crate::contract::{ApiKeyView, AppError, CreatedKey};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{
            auth,
            context::RequestCtx,
            scope::{PlatformScope, TenantScope},
            services::{self, api_keys::Keys},
        },
        contract::RotationOverlap,
        domain::{
            api_keys::KeyForm,
            roles::{PlatformAction, TenantAction},
            validation::{FieldCode, FieldErrors},
        },
    },
};

/// The scope that manages `owner`'s keys.
#[cfg(feature = "ssr")]
enum Held {
    Tenant(TenantScope),
    Bsp(PlatformScope),
}

#[cfg(feature = "ssr")]
impl Held {
    async fn of(ctx: &RequestCtx, owner: &str) -> Result<Self, AppError> {
        if owner == "bsp" {
            Ok(Held::Bsp(auth::platform_scope(
                ctx,
                PlatformAction::ManageApiKeys,
            )?))
        } else {
            Ok(Held::Tenant(
                auth::tenant_scope(ctx, owner, TenantAction::ManageUsers).await?,
            ))
        }
    }
    fn keys(&self) -> Keys<'_> {
        match self {
            Held::Tenant(s) => Keys::Tenant(s),
            Held::Bsp(s) => Keys::Bsp(s),
        }
    }
}

#[cfg(feature = "ssr")]
fn key_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

#[server(endpoint = "list_api_keys")]
pub async fn list_api_keys(owner: String) -> Result<Vec<ApiKeyView>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::api_keys::list(Held::of(&ctx, &owner).await?.keys()).await
    })
    .await
}

#[server(endpoint = "create_api_key")]
pub async fn create_api_key(
    owner: String,
    name: String,
    read: Option<String>,
    write: Option<String>,
    billing: Option<String>,
    role: Option<String>,
    expires_on: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let held = Held::of(&ctx, &owner).await?;
        let form = KeyForm {
            name,
            read,
            write,
            billing,
            role,
            expires_on,
        };
        let created = services::api_keys::create(held.keys(), &form).await?;
        services::api_keys::keep_fresh(&ctx, held.keys(), &created).await
    })
    .await
}

#[server(endpoint = "rotate_api_key")]
pub async fn rotate_api_key(owner: String, id: String, overlap: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let held = Held::of(&ctx, &owner).await?;
        let Some(overlap) = RotationOverlap::parse(&overlap) else {
            let mut e = FieldErrors::new();
            e.add("overlap", FieldCode::InvalidChoice);
            return Err(e.into());
        };
        let created = services::api_keys::rotate(held.keys(), key_id(&id)?, overlap).await?;
        services::api_keys::keep_fresh(&ctx, held.keys(), &created).await
    })
    .await
}

#[server(endpoint = "revoke_api_key")]
pub async fn revoke_api_key(owner: String, id: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let held = Held::of(&ctx, &owner).await?;
        services::api_keys::revoke(held.keys(), key_id(&id)?).await
    })
    .await
}

/// The key just made or rotated on this page, once (its secret is never shown again).
#[server(endpoint = "take_new_api_key")]
pub async fn take_new_api_key(owner: String) -> Result<Option<CreatedKey>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let held = Held::of(&ctx, &owner).await?;
        services::api_keys::take_fresh(&ctx, held.keys()).await
    })
    .await
}

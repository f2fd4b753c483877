//! Finance (rate cards, price lists; finance and admins) and tenant billing (tenant users
//! read their own; staff read any).
#![allow(clippy::too_many_arguments)]

use crate::contract::{finance::*, AppError};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::error::respond,
    crate::{
        backend::{auth, context::RequestCtx, services},
        domain::roles::{PlatformAction, TenantAction},
    },
};

#[cfg(feature = "ssr")]
fn id(raw: &str) -> Result<uuid::Uuid, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

#[server(endpoint = "get_pricing")]
pub async fn get_pricing() -> Result<PricingOverview, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::price_lists(&auth::platform_scope(&ctx, PlatformAction::ManagePricing)?)
            .await
    })
    .await
}

#[server(endpoint = "get_rate_card")]
pub async fn get_rate_card(card: String) -> Result<CardDetail, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::card(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&card)?,
        )
        .await
    })
    .await
}

/// Reads a card file and stages it (`card` set: replaces that draft), then shows it.
#[server(endpoint = "stage_rate_card")]
pub async fn stage_rate_card(
    card: Option<String>,
    csv: String,
    effective_from: String,
    note: String,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManagePricing)?;
        let existing = match card.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(id(c)?),
        };
        let id =
            services::pricing::stage_card(&scope, existing, &csv, &effective_from, &note).await?;
        leptos_axum::redirect(&format!("/finance/rates/{id}"));
        Ok(())
    })
    .await
}

#[server(endpoint = "publish_rate_card")]
pub async fn publish_rate_card(card: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::publish_card(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&card)?,
        )
        .await
    })
    .await
}

#[server(endpoint = "discard_rate_card")]
pub async fn discard_rate_card(card: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::discard_card(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&card)?,
        )
        .await?;
        leptos_axum::redirect("/finance/pricing");
        Ok(())
    })
    .await
}

/// The rule rows of the price-list form, `rule_market[i]` …
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RuleFields {
    pub rule_market: Option<Vec<String>>,
    pub rule_category: Option<Vec<String>>,
    pub rule_method: Option<Vec<String>>,
    pub rule_value: Option<Vec<String>>,
    pub rule_floor: Option<Vec<String>>,
    pub rule_cap: Option<Vec<String>>,
}

#[cfg(feature = "ssr")]
impl RuleFields {
    fn forms(self) -> Vec<crate::domain::pricing::prices::RuleForm> {
        let cols = [
            self.rule_market,
            self.rule_category,
            self.rule_method,
            self.rule_value,
            self.rule_floor,
            self.rule_cap,
        ]
        .map(Option::unwrap_or_default);
        let n = cols.iter().map(Vec::len).max().unwrap_or(0).min(200);
        let at = |c: usize, i: usize| {
            cols.get(c)
                .and_then(|v| v.get(i))
                .cloned()
                .unwrap_or_default()
        };
        (0..n)
            .map(|i| crate::domain::pricing::prices::RuleForm {
                market: at(0, i),
                category: at(1, i),
                method: at(2, i),
                value: at(3, i),
                floor: at(4, i),
                cap: at(5, i),
            })
            .collect()
    }
}

#[server(endpoint = "stage_price_list")]
pub async fn stage_price_list(
    tenant: String,
    currency: String,
    list_effective_from: String,
    list_note: String,
    #[server(flatten)] rules: RuleFields,
) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManagePricing)?;
        let id = services::pricing::stage_price_list(
            &scope,
            &tenant,
            &currency,
            &list_effective_from,
            &list_note,
            &rules.forms(),
        )
        .await?;
        leptos_axum::redirect(&format!("/finance/prices/{id}"));
        Ok(())
    })
    .await
}

#[server(endpoint = "get_price_list")]
pub async fn get_price_list(list: String) -> Result<PriceListDetail, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::price_list(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&list)?,
        )
        .await
    })
    .await
}

#[server(endpoint = "publish_price_list")]
pub async fn publish_price_list(list: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::pricing::publish_price_list(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&list)?,
        )
        .await
    })
    .await
}

/// A tenant's billing page for a month (`YYYY-MM`, default the current one).
#[server(endpoint = "get_billing")]
pub async fn get_billing(tenant: String, month: Option<String>) -> Result<BillingPage, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::billing::page(
            &auth::tenant_scope(&ctx, &tenant, TenantAction::ViewBilling).await?,
            month.as_deref(),
        )
        .await
    })
    .await
}

/// One invoice of a tenant, with its lines.
#[server(endpoint = "get_invoice")]
pub async fn get_invoice(tenant: String, invoice: String) -> Result<InvoiceDetail, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::invoicing::detail(
            &auth::tenant_scope(&ctx, &tenant, TenantAction::ViewBilling).await?,
            id(&invoice)?,
        )
        .await
    })
    .await
}

/// Finance's dashboard for a month (`YYYY-MM`), sorted by `price` (default), `margin`,
/// `cost`, `messages` or `country`.
#[server(endpoint = "finance_usage")]
pub async fn finance_usage(
    month: Option<String>,
    sort: Option<String>,
) -> Result<FinanceDashboard, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::usage::dashboard(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            month.as_deref(),
            sort.as_deref(),
        )
        .await
    })
    .await
}

#[server(endpoint = "list_cost_imports")]
pub async fn list_cost_imports() -> Result<Vec<CostImportSummary>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::reconcile::list(&auth::platform_scope(&ctx, PlatformAction::ManagePricing)?).await
    })
    .await
}

/// Imports the platform's cost figures (`pricing_analytics` shape), then shows the variance.
#[server(endpoint = "import_costs")]
pub async fn import_costs(csv: String, note: String) -> Result<(), AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let id = services::reconcile::import(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            &csv,
            &note,
        )
        .await?;
        leptos_axum::redirect(&format!("/finance/reconciliation/{id}"));
        Ok(())
    })
    .await
}

#[server(endpoint = "get_reconciliation")]
pub async fn get_reconciliation(import: String) -> Result<Reconciliation, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::reconcile::detail(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            id(&import)?,
        )
        .await
    })
    .await
}

/// The difference a re-rating of `month` (`YYYY-MM`) in `currency` would make (`None` when
/// no month is chosen yet: the page's form).
#[server(endpoint = "rerate_preview")]
pub async fn rerate_preview(
    month: String,
    currency: String,
) -> Result<Option<RerateReport>, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManagePricing)?;
        if month.trim().is_empty() {
            return Ok(None);
        }
        services::rerate::preview(&scope, &month, &currency)
            .await
            .map(Some)
    })
    .await
}

/// Re-rates `month` in `currency`; issued invoices get an adjustment.
#[server(endpoint = "apply_rerate")]
pub async fn apply_rerate(month: String, currency: String) -> Result<RerateReport, AppError> {
    respond(async move {
        let ctx = RequestCtx::load().await?;
        services::rerate::apply(
            &auth::platform_scope(&ctx, PlatformAction::ManagePricing)?,
            &month,
            &currency,
        )
        .await
    })
    .await
}

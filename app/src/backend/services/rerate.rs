//! Re-rating a month after a corrected rate card or price list: every confirmed, charged
//! message of the currency is priced again with the versions in force for its day (its band
//! position kept). The preview is a difference report per tenant × market × category; applying
//! it updates the records and, where the tenant's month was already invoiced, adds an
//! adjustment (a credit note when negative) to that invoice instead of changing it.

use crate::{
    backend::{repo, scope::PlatformScope, services::audit},
    contract::{
        finance::{RerateLine, RerateReport},
        AppError,
    },
    domain::pricing::{
        category::{Category, PricingType},
        market::{Market, OTHER},
        money::{format_minor, to_minor},
    },
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseTransaction, TransactionTrait};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(Default, Clone, Copy)]
struct Sums {
    messages: i64,
    changed: i64,
    old_cost: i64,
    new_cost: i64,
    old_price: i64,
    new_price: i64,
}

async fn run(
    scope: &PlatformScope,
    month: &str,
    currency: &str,
    apply: bool,
) -> Result<RerateReport, AppError> {
    let from = super::invoicing::period_start(month).ok_or_else(|| {
        AppError::from(crate::domain::validation::FieldErrors(vec![
            crate::domain::validation::FieldError {
                field: "month".into(),
                code: crate::domain::validation::FieldCode::InvalidDate,
            },
        ]))
    })?;
    let until = from
        .checked_add_months(chrono::Months::new(1))
        .ok_or(AppError::NotFound)?;
    let currency = currency.trim().to_ascii_uppercase();
    let db = scope.db();
    let now = scope.state().now();
    let tx = db.begin().await?;
    let sums = reprice(scope, &tx, &currency, (from, until), apply, now).await?;
    let (lines, per_tenant) = report_lines(scope, &tx, &sums, &currency).await?;
    let month = from.format("%Y-%m").to_string();
    let issued = repo::invoices::issued_in(scope, &tx, &month).await?;
    let invoiced = issued
        .iter()
        .filter(|i| i.currency == currency && per_tenant.contains_key(&i.tenant_id))
        .count();
    // Issued invoices follow through the one true-up (a conditional update: a second apply
    // running at the same time finds nothing left to adjust).
    let adjusted = if apply {
        super::invoicing::true_up_period(
            scope,
            &tx,
            &month,
            &format!("Re-rating of {month} after corrected prices"),
            scope.actor().user_id().map(|u| u.0),
        )
        .await?
    } else {
        0
    };
    let changed: i64 = sums.values().map(|s| s.changed).sum();
    if apply {
        audit::record(
            &tx,
            now,
            audit::Entry {
                actor: scope.actor(),
                tenant: None,
                action: "usage.rerated",
                subject: &format!("{} {currency}", from.format("%Y-%m")),
                before: None::<()>,
                after: Some(
                    serde_json::json!({ "changed": changed, "adjusted_invoices": adjusted }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(RerateReport {
        month,
        currency,
        changed,
        invoiced_tenants: invoiced,
        adjusted_invoices: adjusted,
        lines,
    })
}

/// The difference report, nothing changed.
pub async fn preview(
    scope: &PlatformScope,
    month: &str,
    currency: &str,
) -> Result<RerateReport, AppError> {
    run(scope, month, currency, false).await
}

/// Re-rates and adjusts issued invoices; the report of what changed.
pub async fn apply(
    scope: &PlatformScope,
    month: &str,
    currency: &str,
) -> Result<RerateReport, AppError> {
    run(scope, month, currency, true).await
}

/// Prices every rated message of the period again with the versions in force on its day;
/// with `apply`, stores what changed. Sums per (tenant, market, category).
async fn reprice(
    scope: &PlatformScope,
    tx: &DatabaseTransaction,
    currency: &str,
    (from, until): (NaiveDate, NaiveDate),
    apply: bool,
    now: DateTime<Utc>,
) -> Result<BTreeMap<(Uuid, String, String), Sums>, AppError> {
    let mut versions = crate::backend::cache::PricingVersions::default();
    let mut sums: BTreeMap<(Uuid, String, String), Sums> = BTreeMap::new();
    let mut after = None;
    loop {
        let batch =
            repo::pricing::rated_between(scope, tx, currency, from, until, after, 1_000).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        for r in batch {
            let Some(day) = r.delivered_on else { continue };
            let market = Market::parse(&r.market).unwrap_or(OTHER);
            let category = r.category.as_deref().and_then(Category::parse);
            let p = versions
                .price(
                    tx,
                    r.tenant_id,
                    currency,
                    day,
                    market,
                    category,
                    PricingType::Regular,
                    r.tier_prior.unwrap_or(0),
                )
                .await?;
            let rated = p.rated;
            let s = sums
                .entry((
                    r.tenant_id,
                    r.market.clone(),
                    r.category.clone().unwrap_or_default(),
                ))
                .or_default();
            s.messages += 1;
            s.old_cost += r.cost_micros.unwrap_or(0);
            s.old_price += r.price_micros.unwrap_or(0);
            s.new_cost += rated.cost.unwrap_or(0);
            s.new_price += rated.price.unwrap_or(0);
            if rated.cost != r.cost_micros || rated.price != r.price_micros {
                s.changed += 1;
                if apply {
                    let new = repo::pricing::NewRating {
                        cost: rated.cost,
                        price: rated.price,
                        card: p.card,
                        list: p.list,
                    };
                    repo::pricing::set_rating(scope, tx, r.id, &new, false, now).await?;
                }
            }
        }
    }
    Ok(sums)
}

/// The report's lines (old and new cost and price, the difference as invoice lines would
/// round it per market × category) and the difference per tenant.
async fn report_lines(
    scope: &PlatformScope,
    tx: &DatabaseTransaction,
    sums: &BTreeMap<(Uuid, String, String), Sums>,
    currency: &str,
) -> Result<(Vec<RerateLine>, BTreeMap<Uuid, i64>), AppError> {
    let names: HashMap<Uuid, String> = repo::pricing::tenant_choices(scope, tx)
        .await?
        .into_iter()
        .map(|(id, n, _)| (id, n))
        .collect();
    let mut per_tenant: BTreeMap<Uuid, i64> = BTreeMap::new();
    let mut lines = Vec::new();
    for ((tenant, market, category), s) in sums {
        let diff = to_minor(s.new_price, currency) - to_minor(s.old_price, currency);
        *per_tenant.entry(*tenant).or_default() += diff;
        lines.push(RerateLine {
            tenant: tenant.to_string(),
            tenant_name: names.get(tenant).cloned().unwrap_or_default(),
            market: Market::parse(market).map_or(market.clone(), |m| m.name().to_owned()),
            category: category.clone(),
            messages: s.messages,
            changed: s.changed,
            old_cost: format_minor(to_minor(s.old_cost, currency), currency),
            new_cost: format_minor(to_minor(s.new_cost, currency), currency),
            old_price: format_minor(to_minor(s.old_price, currency), currency),
            new_price: format_minor(to_minor(s.new_price, currency), currency),
            difference: format_minor(diff, currency),
        });
    }
    Ok((lines, per_tenant))
}

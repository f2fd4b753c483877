//! Finance's per-country usage export: confirmed usage grouped by tenant × country ×
//! market × category × pricing type over a period, streamed as CSV in chunks (memory stays
//! flat whatever the number of records: the database groups, rows are written as they come).

use crate::{
    backend::{
        repo::{self, pricing::UsageFilter},
        scope::PlatformScope,
    },
    contract::AppError,
    domain::pricing::{export, money::to_minor},
};
use chrono::NaiveDate;
use std::collections::HashMap;
use tokio::sync::mpsc;

/// What finance asked for: an inclusive period and optional filters.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub tenant: Option<uuid::Uuid>,
    pub country: Option<String>,
    pub category: Option<String>,
}

const CHUNK: usize = 64 * 1024;

/// Starts the export; CSV bytes arrive on the receiver, an error ends it.
pub async fn export(
    scope: &PlatformScope,
    req: ExportRequest,
) -> Result<mpsc::Receiver<Result<Vec<u8>, AppError>>, AppError> {
    let names: HashMap<uuid::Uuid, String> = repo::pricing::tenant_choices(scope, scope.db())
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    // Exports read a lot: two at a time per process, the next one is asked to come back.
    static EXPORTS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::LazyLock::new(|| std::sync::Arc::new(tokio::sync::Semaphore::new(2)));
    let turn = EXPORTS
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::Busy {
            retry_after_secs: 30,
        })?;
    let (tx, rx) = mpsc::channel(4);
    let scope = scope.clone();
    tokio::spawn(async move {
        let _turn = turn;
        if let Err(e) = write(&scope, &req, &names, &tx).await {
            let _ = tx.send(Err(e)).await;
        }
    });
    Ok(rx)
}

async fn write(
    scope: &PlatformScope,
    req: &ExportRequest,
    names: &HashMap<uuid::Uuid, String>,
    tx: &mpsc::Sender<Result<Vec<u8>, AppError>>,
) -> Result<(), AppError> {
    let filter = UsageFilter {
        from: Some(req.from),
        until: req.to.succ_opt(),
        tenant: req.tenant,
        country: req.country.clone(),
        market: None,
        category: req.category.clone(),
    };
    let (start, end) = (req.from.to_string(), req.to.to_string());
    let mut w = csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024));
    w.write_record(export::HEADER)
        .map_err(|e| crate::backend::error::internal(&e))?;
    let db = scope.db();
    // Tenant by tenant, each read whole: no connection is held while the client reads (on
    // SQLite the pool's one connection would freeze the app at the client's pace).
    for tenant in repo::pricing::usage_tenants(scope, db, &filter).await? {
        for g in repo::pricing::usage_of_tenant(scope, db, &filter, tenant).await? {
            let cost = to_minor(g.cost.unwrap_or(0), &g.currency);
            let price = to_minor(g.price.unwrap_or(0), &g.currency);
            let billable = if g.pricing_type == "regular" {
                g.messages
            } else {
                0
            };
            let tenant = g.tenant_id.to_string();
            let name = names.get(&g.tenant_id).map(String::as_str).unwrap_or("");
            let (card, list) = (
                g.cost_card_id.map(|i| i.to_string()).unwrap_or_default(),
                g.price_list_id.map(|i| i.to_string()).unwrap_or_default(),
            );
            export::row(
                &mut w,
                &[
                    &start,
                    &end,
                    &tenant,
                    name,
                    g.country.as_deref().unwrap_or(""),
                    &g.market,
                    g.category.as_deref().unwrap_or(""),
                    &g.pricing_type,
                ],
                &[g.messages, billable, cost, price, price - cost],
                &[&g.currency, &card, &list],
            )
            .map_err(|e| crate::backend::error::internal(&e))?;
            if w.get_ref().len() >= CHUNK {
                let buf = std::mem::replace(
                    &mut w,
                    csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024)),
                )
                .into_inner()
                .map_err(|e| crate::backend::error::internal(&e.error()))?;
                if tx.send(Ok(buf)).await.is_err() {
                    return Ok(()); // the client went away
                }
            }
        }
    }
    let buf = w
        .into_inner()
        .map_err(|e| crate::backend::error::internal(&e.error()))?;
    if !buf.is_empty() {
        let _ = tx.send(Ok(buf)).await;
    }
    Ok(())
}

/// Finance's dashboard: a month's confirmed usage across tenants by country × market ×
/// category, with cost, price and margin, sortable, totals per currency, and amounts per
/// market for the chart.
pub async fn dashboard(
    scope: &PlatformScope,
    month: Option<&str>,
    sort: Option<&str>,
) -> Result<crate::contract::finance::FinanceDashboard, AppError> {
    use crate::contract::finance::FinanceDashboard;
    let today = scope.state().now().date_naive();
    let from = super::billing::month_start(month, today);
    let until = from
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(from);
    let filter = UsageFilter {
        from: Some(from),
        until: Some(until),
        ..UsageFilter::default()
    };
    let groups = repo::pricing::usage_groups(scope, scope.db(), &filter).await?;
    let mut rows = dash_rows(&groups);
    let sort = sort.unwrap_or("price");
    match sort {
        "country" => rows.sort_by(|a, b| a.country_name.cmp(&b.country_name)),
        "messages" => rows.sort_by_key(|r| std::cmp::Reverse(r.messages)),
        "cost" => rows.sort_by_key(|r| std::cmp::Reverse(r.cost_minor)),
        "margin" => rows.sort_by_key(|r| std::cmp::Reverse(r.price_minor - r.cost_minor)),
        _ => rows.sort_by_key(|r| std::cmp::Reverse(r.price_minor)),
    }
    let (totals, by_market) = dash_totals(&rows);
    Ok(FinanceDashboard {
        month: from.format("%Y-%m").to_string(),
        from,
        to: until.pred_opt().unwrap_or(from),
        previous: from
            .checked_sub_months(chrono::Months::new(1))
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default(),
        next: (until <= today).then(|| until.format("%Y-%m").to_string()),
        sort: sort.to_owned(),
        rows,
        totals,
        by_market,
        tenants: repo::pricing::tenant_choices(scope, scope.db())
            .await?
            .into_iter()
            .map(|(id, name, _)| (id.to_string(), name))
            .collect(),
    })
}

/// Tenants, pricing types and versions folded into country × market × category × currency:
/// messages, billable messages, cost, price.
fn dash_rows(groups: &[repo::pricing::UsageGroup]) -> Vec<crate::contract::finance::DashRow> {
    use crate::contract::finance::DashRow;
    use crate::domain::pricing::{market::Market, money::format_minor};
    // Fold tenants, pricing types and versions into country × market × category × currency.
    // country, market, category, currency → messages, billable, cost, price
    type Key = (String, String, String, String);
    let mut acc: std::collections::BTreeMap<Key, (i64, i64, i64, i64)> =
        std::collections::BTreeMap::new();
    for g in groups {
        let e = acc
            .entry((
                g.country.clone().unwrap_or_default(),
                g.market.clone(),
                g.category.clone().unwrap_or_default(),
                g.currency.clone(),
            ))
            .or_default();
        e.0 += g.messages;
        if g.pricing_type == "regular" {
            e.1 += g.messages;
        }
        e.2 += g.cost.unwrap_or(0);
        e.3 += g.price.unwrap_or(0);
    }
    acc.into_iter()
        .map(
            |((country, market, category, currency), (messages, billable, cost, price))| {
                let (cost, price) = (to_minor(cost, &currency), to_minor(price, &currency));
                DashRow {
                    country_name: crate::domain::tenant::country_name(&country),
                    country,
                    market: Market::parse(&market).map_or(market.clone(), |m| m.name().to_owned()),
                    category,
                    messages,
                    billable,
                    cost_minor: cost,
                    price_minor: price,
                    cost: format_minor(cost, &currency),
                    price: format_minor(price, &currency),
                    margin: format_minor(price - cost, &currency),
                    currency,
                }
            },
        )
        .collect()
}

/// Totals per currency, and the price per market for the chart (the twelve largest).
#[allow(clippy::type_complexity)]
fn dash_totals(
    rows: &[crate::contract::finance::DashRow],
) -> (
    Vec<crate::contract::finance::DashTotal>,
    Vec<(String, String, i64)>,
) {
    use crate::contract::finance::DashTotal;
    use crate::domain::pricing::money::format_minor;
    let mut totals: Vec<DashTotal> = Vec::new();
    for r in rows {
        match totals.iter_mut().find(|t| t.currency == r.currency) {
            Some(t) => {
                t.messages += r.messages;
                t.cost_minor += r.cost_minor;
                t.price_minor += r.price_minor;
            }
            None => totals.push(DashTotal {
                currency: r.currency.clone(),
                messages: r.messages,
                cost_minor: r.cost_minor,
                price_minor: r.price_minor,
                cost: String::new(),
                price: String::new(),
                margin: String::new(),
            }),
        }
    }
    for t in &mut totals {
        t.cost = format_minor(t.cost_minor, &t.currency);
        t.price = format_minor(t.price_minor, &t.currency);
        t.margin = format_minor(t.price_minor - t.cost_minor, &t.currency);
    }
    let mut by_market: Vec<(String, String, i64)> = Vec::new();
    for r in rows {
        match by_market
            .iter_mut()
            .find(|(m, c, _)| *m == r.market && *c == r.currency)
        {
            Some(e) => e.2 += r.price_minor,
            None => by_market.push((r.market.clone(), r.currency.clone(), r.price_minor)),
        }
    }
    by_market.sort_by_key(|e| std::cmp::Reverse(e.2));
    by_market.truncate(12);
    (totals, by_market)
}

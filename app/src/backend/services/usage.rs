//! Finance's per-country usage export: confirmed usage grouped by tenant × country ×
//! market × category × pricing type over a period, streamed as CSV in chunks (memory stays
//! flat whatever the number of records: the database groups, rows are written as they come).

use crate::{
    api::AppError,
    backend::{repo, repo::pricing::UsageFilter, scope::PlatformScope},
    domain::pricing::{export, money::to_minor},
};
use chrono::NaiveDate;
use futures_util::StreamExt;
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
pub async fn export(scope: &PlatformScope, req: ExportRequest) -> Result<mpsc::Receiver<Result<Vec<u8>, AppError>>, AppError> {
    let names: HashMap<uuid::Uuid, String> = repo::pricing::tenant_choices(scope, scope.db()).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let (tx, rx) = mpsc::channel(4);
    let scope = scope.clone();
    tokio::spawn(async move {
        if let Err(e) = write(&scope, &req, &names, &tx).await {
            let _ = tx.send(Err(e)).await;
        }
    });
    Ok(rx)
}

async fn write(scope: &PlatformScope, req: &ExportRequest, names: &HashMap<uuid::Uuid, String>, tx: &mpsc::Sender<Result<Vec<u8>, AppError>>) -> Result<(), AppError> {
    let filter = UsageFilter { from: Some(req.from), until: req.to.succ_opt(), tenant: req.tenant, country: req.country.clone(), market: None, category: req.category.clone() };
    let (start, end) = (req.from.to_string(), req.to.to_string());
    let mut w = csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024));
    w.write_record(export::HEADER).map_err(|e| crate::backend::error::internal(&e))?;
    let db = scope.db();
    let mut rows = repo::pricing::usage_stream(scope, db, &filter).await?;
    while let Some(g) = rows.next().await {
        let g = g?;
        let cost = to_minor(g.cost.unwrap_or(0), &g.currency);
        let price = to_minor(g.price.unwrap_or(0), &g.currency);
        let billable = if g.pricing_type == "regular" { g.messages } else { 0 };
        let tenant = g.tenant_id.to_string();
        let name = names.get(&g.tenant_id).map(String::as_str).unwrap_or("");
        let (card, list) = (g.cost_card_id.map(|i| i.to_string()).unwrap_or_default(), g.price_list_id.map(|i| i.to_string()).unwrap_or_default());
        export::row(
            &mut w,
            &[&start, &end, &tenant, name, g.country.as_deref().unwrap_or(""), &g.market, g.category.as_deref().unwrap_or(""), &g.pricing_type],
            &[g.messages, billable, cost, price, price - cost],
            &[&g.currency, &card, &list],
        )
        .map_err(|e| crate::backend::error::internal(&e))?;
        if w.get_ref().len() >= CHUNK {
            let buf = std::mem::replace(&mut w, csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024))).into_inner().map_err(|e| crate::backend::error::internal(&e.error()))?;
            if tx.send(Ok(buf)).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    let buf = w.into_inner().map_err(|e| crate::backend::error::internal(&e.error()))?;
    if !buf.is_empty() {
        let _ = tx.send(Ok(buf)).await;
    }
    Ok(())
}


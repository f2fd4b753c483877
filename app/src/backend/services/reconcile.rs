//! Reconciliation: finance imports the platform's per-country cost figures for a period and
//! sees, per tenant × country × category × pricing type, the platform's volume and cost next
//! to what we rated, with the differences.

use crate::{
    backend::{
        repo::{self, pricing::UsageFilter},
        scope::PlatformScope,
        tx::Tx,
    },
    contract::{
        finance::{CostImportSummary, Reconciliation, VarianceRow},
        AppError,
    },
    domain::{
        pricing::{
            money::{format_minor, to_minor},
            reconcile::{read_analytics, AnalyticsError, AnalyticsProblem},
        },
        validation::{FieldCode, FieldErrors},
    },
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// tenant, country, category, pricing type.
type VarianceKey = (Uuid, String, String, String);

/// Reads and keeps an import (good rows, and the error of every bad one).
pub async fn import(scope: &PlatformScope, csv: &str, note: &str) -> Result<Uuid, AppError> {
    let mut e = FieldErrors::new();
    if csv.len() > 8 * 1024 * 1024 {
        e.add("csv", FieldCode::TooLong);
    }
    if note.chars().count() > 200 {
        e.add("note", FieldCode::TooLong);
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let (rows, mut errors) = read_analytics(csv).map_err(|p| {
        AppError::from(FieldErrors(vec![crate::domain::validation::FieldError {
            field: "csv".into(),
            code: super::pricing::file_error(&p),
        }]))
    })?;
    let mut tenants: HashMap<String, Option<Uuid>> = HashMap::new();
    let mut costs = Vec::new();
    for r in rows {
        if !tenants.contains_key(&r.waba_id) {
            let t = repo::platform::waba_by_platform_id(scope, scope.db(), &r.waba_id)
                .await?
                .map(|(t, _)| t.0);
            tenants.insert(r.waba_id.clone(), t);
        }
        match tenants.get(&r.waba_id).copied().flatten() {
            Some(tenant) => costs.push(repo::reconcile::NewCost {
                line: i32::try_from(r.line).unwrap_or(i32::MAX),
                tenant,
                waba_id: r.waba_id,
                start: r.start,
                end: r.end,
                country: r.country,
                pricing_type: r.pricing_type,
                category: r.category,
                volume: r.volume,
                cost_micros: r.cost_micros,
            }),
            None => errors.push(AnalyticsError {
                line: r.line,
                column: "waba_id".into(),
                problem: AnalyticsProblem::UnknownWaba,
            }),
        }
    }
    errors.sort_by_key(|e| e.line);
    let (Some(start), Some(end)) = (
        costs.iter().map(|c| c.start).min(),
        costs.iter().map(|c| c.end).max(),
    ) else {
        // Nothing usable: say why next to the file.
        return Err(FieldErrors(vec![crate::domain::validation::FieldError {
            field: "csv".into(),
            code: FieldCode::CsvEmpty,
        }])
        .into());
    };
    let tx = Tx::begin(scope.db()).await?;
    let id = repo::reconcile::insert(
        scope,
        &tx,
        (start, end),
        &costs,
        &errors,
        note.trim(),
        scope.state().now(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn summary(i: &repo::reconcile::ImportRow) -> CostImportSummary {
    CostImportSummary {
        id: i.id.to_string(),
        period_start: i.period_start,
        period_end: i.period_end,
        rows: i.rows,
        errors: i.errors.len(),
        note: i.note.clone(),
        created_at: i.created_at,
    }
}

pub async fn list(scope: &PlatformScope) -> Result<Vec<CostImportSummary>, AppError> {
    Ok(repo::reconcile::list(scope, scope.db())
        .await?
        .iter()
        .map(summary)
        .collect())
}

/// The variance of an import against our rated usage over the same days.
pub async fn detail(scope: &PlatformScope, id: Uuid) -> Result<Reconciliation, AppError> {
    let db = scope.db();
    let imp = repo::reconcile::get(scope, db, id).await?;
    let theirs = repo::reconcile::groups(scope, db, id).await?;
    let tenants: Vec<Uuid> = {
        let mut t: Vec<Uuid> = theirs.iter().map(|g| g.tenant_id).collect();
        t.sort_unstable();
        t.dedup();
        t
    };
    let names: HashMap<Uuid, (String, String)> = repo::pricing::tenant_choices(scope, db)
        .await?
        .into_iter()
        .map(|(id, name, cur)| (id, (name, cur)))
        .collect();
    // key: tenant, country, category, pricing type → (their volume, their cost, our volume, our cost)
    let mut acc: BTreeMap<VarianceKey, (i64, i64, i64, i64)> = BTreeMap::new();
    for g in &theirs {
        let e = acc
            .entry((
                g.tenant_id,
                g.country.clone(),
                g.category.clone(),
                g.pricing_type.clone(),
            ))
            .or_default();
        e.0 += g.volume;
        e.1 += g.cost;
    }
    for t in tenants {
        let filter = UsageFilter {
            from: Some(imp.period_start),
            until: imp.period_end.succ_opt(),
            tenant: Some(t),
            ..UsageFilter::default()
        };
        for g in repo::pricing::usage_groups(scope, db, &filter).await? {
            let e = acc
                .entry((
                    t,
                    g.country.clone().unwrap_or_default(),
                    g.category.clone().unwrap_or_default(),
                    g.pricing_type.clone(),
                ))
                .or_default();
            e.2 += g.messages;
            e.3 += g.cost.unwrap_or(0);
        }
    }
    let rows: Vec<VarianceRow> = acc
        .into_iter()
        .map(
            |((tenant, country, category, pricing_type), (tv, tc, ov, oc))| {
                let (name, currency) = names.get(&tenant).cloned().unwrap_or_default();
                let (tc, oc) = (to_minor(tc, &currency), to_minor(oc, &currency));
                VarianceRow {
                    tenant: tenant.to_string(),
                    tenant_name: name,
                    country,
                    category,
                    pricing_type,
                    platform_volume: tv,
                    our_volume: ov,
                    volume_difference: ov - tv,
                    platform_cost: format_minor(tc, &currency),
                    our_cost: format_minor(oc, &currency),
                    cost_difference: format_minor(oc - tc, &currency),
                    matches: ov == tv && oc == tc,
                    currency,
                }
            },
        )
        .collect();
    Ok(Reconciliation {
        summary: summary(&imp),
        errors: imp.errors.clone(),
        mismatches: rows.iter().filter(|r| !r.matches).count(),
        rows,
    })
}

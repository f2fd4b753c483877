//! Finance: platform cost rate cards (read, staged with every row error, published), sell
//! price lists (default per currency, per-tenant overrides; staged with a cost / price /
//! margin preview, published for today or later). Each use case is one transaction.

use crate::{
    backend::{auth, repo, scope::PlatformScope, services::audit, tx::Tx},
    contract::{finance::*, AppError},
    domain::{
        ids::TenantId,
        pricing::{
            card::{read_card, write_card, FileProblem},
            category::Category,
            market::Market,
            money::format_micros,
            prices::{preview, read_rules, Method, RuleForm},
        },
        validation::{FieldCode, FieldErrors},
    },
};
use chrono::NaiveDate;
use uuid::Uuid;

/// At most this much CSV text in one card (the platform's cards are a few kB).
pub const MAX_CARD_BYTES: usize = 512 * 1024;

pub fn parse_date(raw: &str) -> Result<NaiveDate, FieldCode> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldCode::Required);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| FieldCode::InvalidDate)
}

/// The field error of a CSV that is no usable file (cards, platform cost figures).
pub(crate) fn file_error(p: &FileProblem) -> FieldCode {
    match p {
        FileProblem::Empty => FieldCode::CsvEmpty,
        FileProblem::NotCsv => FieldCode::CsvUnreadable,
        FileProblem::MissingColumn(_) => FieldCode::CsvMissingColumn,
        FileProblem::UnknownColumn(_) => FieldCode::CsvUnknownColumn,
        FileProblem::TooManyRows => FieldCode::CsvTooManyRows,
    }
}

/// Reads a card file and stages it (a new draft, or replacing draft `id`): the good rows'
/// rates and every bad row's error are kept for the preview; nothing is in force yet.
pub async fn stage_card(
    scope: &PlatformScope,
    id: Option<Uuid>,
    csv: &str,
    effective_from: &str,
    note: &str,
) -> Result<Uuid, AppError> {
    let mut e = FieldErrors::new();
    let day = e.take("effective_from", parse_date(effective_from));
    if csv.len() > MAX_CARD_BYTES {
        e.add("csv", FieldCode::TooLong);
    }
    if note.chars().count() > 200 {
        e.add("note", FieldCode::TooLong);
    }
    let card = match day {
        Some(day) if e.is_empty() => match read_card(csv, day) {
            Ok(c) => Some((day, c)),
            Err(p) => {
                e.add("csv", file_error(&p));
                None
            }
        },
        _ => None,
    };
    let (Some((day, card)), true) = (card, e.is_empty()) else {
        return Err(e.into());
    };
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let id = repo::pricing::save_card_draft(
        scope,
        &tx,
        id,
        &repo::pricing::CardDraft {
            effective_from: day,
            source: csv,
            note: note.trim(),
            card: &card,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Publishes a staged card without row errors; messages confirmed before it existed and
/// left without a cost are rated now.
pub async fn publish_card(scope: &PlatformScope, id: Uuid) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let (card, _) = repo::pricing::card(scope, &tx, id).await?;
    repo::pricing::publish_card(scope, &tx, id, now).await?;
    audit::record(&tx, now, audit::Entry { actor: scope.actor(), tenant: None, action: "rate_card.published", subject: &id.to_string(), before: None::<()>, after: Some(serde_json::json!({ "currency": card.currency, "effective_from": card.effective_from, "rows": card.rows })) }).await?;
    tx.commit().await?;
    if let Some(currency) = &card.currency {
        let n = super::rating::price_unpriced(scope, currency).await?;
        if n > 0 {
            tracing::info!(priced = n, "messages priced by the new card");
        }
    }
    Ok(())
}

pub async fn discard_card(scope: &PlatformScope, id: Uuid) -> Result<(), AppError> {
    repo::pricing::discard_card(scope, scope.db(), id).await
}

fn summary(c: &repo::pricing::CardRow) -> CardSummary {
    CardSummary {
        id: c.id.to_string(),
        currency: c.currency.clone(),
        effective_from: c.effective_from,
        status: c.status.clone(),
        note: c.note.clone(),
        rows: c.rows,
        errors: c.errors.len(),
        created_at: c.created_at,
        published_at: c.published_at,
    }
}

pub async fn cards(scope: &PlatformScope) -> Result<Vec<CardSummary>, AppError> {
    Ok(repo::pricing::cards(scope, scope.db())
        .await?
        .iter()
        .map(summary)
        .collect())
}

pub async fn card(scope: &PlatformScope, id: Uuid) -> Result<CardDetail, AppError> {
    let (c, rates) = repo::pricing::card(scope, scope.db(), id).await?;
    let mut markets = rates.markets();
    markets.sort_by_key(|m| {
        crate::domain::pricing::market::MARKETS
            .iter()
            .position(|(code, _)| *code == m.code())
    });
    let mut lines = Vec::new();
    for m in markets {
        let mut tiers: Vec<_> = rates
            .0
            .iter()
            .filter(|r| r.market == m)
            .map(|r| r.tier)
            .collect();
        tiers.sort_unstable();
        tiers.dedup();
        for t in tiers {
            let cells = Category::ALL
                .iter()
                .map(|cat| {
                    rates
                        .0
                        .iter()
                        .find(|r| r.market == m && r.tier == t && r.category == *cat)
                        .map(|r| format_micros(r.micros))
                })
                .collect();
            lines.push(CardLine {
                market: m.name().to_owned(),
                tier: t.label(),
                cells,
            });
        }
    }
    let missing = Market::all_on(c.effective_from)
        .into_iter()
        .filter(|m| !rates.0.iter().any(|r| r.market == *m))
        .map(|m| m.name().to_owned())
        .collect();
    Ok(CardDetail {
        summary: summary(&c),
        source: c.source.clone(),
        errors: c.errors.clone(),
        missing_markets: missing,
        lines,
    })
}

/// The card in the platform's CSV shape.
pub async fn export_card(scope: &PlatformScope, id: Uuid) -> Result<(String, String), AppError> {
    let (c, rates) = repo::pricing::card(scope, scope.db(), id).await?;
    let currency = c.currency.unwrap_or_default();
    Ok((
        format!("rate-card-{currency}-{}.csv", c.effective_from),
        write_card(&currency, &rates),
    ))
}

/// The card of `currency` in force on `day`, as CSV (the command line's `rates export`).
pub async fn export_in_force(
    scope: &PlatformScope,
    currency: &str,
    day: NaiveDate,
) -> Result<String, AppError> {
    let (_, _, rates) = repo::pricing::card_in_force(scope.db(), currency, day)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(write_card(currency, &rates))
}

// ---------------------------------------------------------------- price lists

/// Stages a price list: the default of a currency (`tenant` empty) or a tenant's override
/// (in the tenant's currency). Every bad field is reported as `rule-N-field`.
pub async fn stage_price_list(
    scope: &PlatformScope,
    tenant: &str,
    currency: &str,
    effective_from: &str,
    note: &str,
    rules: &[RuleForm],
) -> Result<Uuid, AppError> {
    let mut e = FieldErrors::new();
    let today = scope.state().now().date_naive();
    let day = e.take(
        "list_effective_from",
        parse_date(effective_from).and_then(|d| {
            if d < today {
                Err(FieldCode::DateInPast)
            } else {
                Ok(d)
            }
        }),
    );
    let tenant = match tenant.trim() {
        "" => None,
        t => Some(TenantId(t.parse().map_err(|_| AppError::NotFound)?)),
    };
    let currency = match tenant {
        Some(t) => Some(
            repo::pricing::tenant_currency(&auth::staff_in_tenant(scope, t).await?, scope.db())
                .await?,
        ),
        None => e.take("currency", crate::domain::tenant::parse_currency(currency)),
    };
    if note.chars().count() > 200 {
        e.add("list_note", FieldCode::TooLong);
    }
    let filled: Vec<RuleForm> = rules
        .iter()
        .filter(|r| {
            !(r.value.trim().is_empty()
                && r.market.trim().is_empty()
                && r.category.trim().is_empty())
        })
        .cloned()
        .collect();
    let parsed = match read_rules(&filled) {
        Ok(r) => Some(r),
        Err(errors) => {
            for (i, field, problem) in errors {
                use crate::domain::pricing::prices::RuleProblem as P;
                let code = match problem {
                    P::UnknownMarket | P::UnknownCategory | P::UnknownMethod => {
                        FieldCode::InvalidChoice
                    }
                    P::InvalidAmount(_) | P::BelowZero | P::FloorAboveCap => {
                        FieldCode::InvalidAmount
                    }
                    P::Duplicate => FieldCode::AlreadyTaken,
                };
                e.add(&format!("rule-{i}-{field}"), code);
            }
            None
        }
    };
    let (Some(day), Some(currency), Some(rules), true) = (day, currency, parsed, e.is_empty())
    else {
        return Err(e.into());
    };
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let id = repo::pricing::insert_price_list(
        scope,
        &tx,
        &repo::pricing::NewPriceList {
            tenant,
            currency: &currency,
            effective_from: day,
            rules: &rules,
            note: note.trim(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn publish_price_list(scope: &PlatformScope, id: Uuid) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let list = repo::pricing::price_list(scope, &tx, id).await?;
    repo::pricing::publish_price_list(scope, &tx, id, now.date_naive(), now).await?;
    audit::record(&tx, now, audit::Entry { actor: scope.actor(), tenant: list.tenant, action: "price_list.published", subject: &id.to_string(), before: None::<()>, after: Some(serde_json::json!({ "currency": list.currency, "effective_from": list.effective_from, "rules": list.rules })) }).await?;
    tx.commit().await?;
    Ok(())
}

fn list_summary(l: &repo::pricing::ListRow) -> PriceListSummary {
    PriceListSummary {
        id: l.id.to_string(),
        tenant: l.tenant.map(|t| t.0.to_string()),
        tenant_name: l.tenant_name.clone(),
        currency: l.currency.clone(),
        effective_from: l.effective_from,
        status: l.status.clone(),
        rules: l.rules.len(),
        note: l.note.clone(),
        created_at: l.created_at,
        published_at: l.published_at,
    }
}

pub async fn price_lists(scope: &PlatformScope) -> Result<PricingOverview, AppError> {
    let lists = repo::pricing::price_lists(scope, scope.db())
        .await?
        .iter()
        .map(list_summary)
        .collect();
    let cards = cards(scope).await?;
    let tenants = repo::pricing::tenant_choices(scope, scope.db())
        .await?
        .into_iter()
        .map(|(id, name, currency)| (id.to_string(), name, currency))
        .collect();
    Ok(PricingOverview {
        cards,
        lists,
        tenants,
        today: scope.state().now().date_naive(),
    })
}

pub fn rule_view(r: &crate::domain::pricing::prices::PriceRule) -> RuleView {
    let (method, value) = match r.method {
        Method::Percent(bp) => (
            "percent",
            crate::domain::pricing::money::format_minor(bp, "EUR"),
        ),
        Method::Fixed(m) => ("fixed", format_micros(m)),
        Method::Price(m) => ("price", format_micros(m)),
    };
    RuleView {
        market: r.market.map(|m| m.name().to_owned()),
        category: r.category.map(|c| c.code().to_owned()),
        method: method.into(),
        value,
        floor: r.floor.map(format_micros),
        cap: r.cap.map(format_micros),
    }
}

/// A price list with its preview against the cost card in force on its effective date.
pub async fn price_list(scope: &PlatformScope, id: Uuid) -> Result<PriceListDetail, AppError> {
    let l = repo::pricing::price_list(scope, scope.db(), id).await?;
    let card = repo::pricing::card_in_force(scope.db(), &l.currency, l.effective_from).await?;
    let cells = match &card {
        Some((_, _, rates)) => preview(rates, &l.rules, &Market::all_on(l.effective_from)),
        None => Vec::new(),
    };
    Ok(PriceListDetail {
        summary: list_summary(&l),
        rules: l.rules.iter().map(rule_view).collect(),
        card: card.map(|(id, day, _)| (id.to_string(), day)),
        preview: cells
            .into_iter()
            .map(|c| PreviewLine {
                market: c.market.name().to_owned(),
                category: c.category.code().to_owned(),
                cost: c.cost.map(format_micros),
                price: c.price.map(format_micros),
                margin: c.margin().map(format_micros),
                below_cost: c.margin().is_some_and(|m| m < 0),
            })
            .collect(),
    })
}

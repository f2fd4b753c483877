//! Invoices and their lines (tenant-owned), the Stripe calls made for them, the tenant's
//! Stripe customer. An invoice is unique per tenant and month: inserting it twice (two
//! processes, a restart, a second run) inserts nothing.

use super::entities::{invoice, invoice_adjustment, invoice_line, usage_record};
use super::scoped;
use crate::{
    backend::scope::{CrossTenant, SystemScope, TenantScope},
    contract::AppError,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// An invoice as the services see it.
#[derive(Clone, Debug)]
pub struct InvoiceRow {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub period: String,
    pub number: String,
    pub currency: String,
    pub status: String,
    pub total_minor: i64,
    pub billed_minor: i64,
    pub messages: i64,
    pub issued_at: DateTime<Utc>,
    pub due_on: NaiveDate,
    pub stripe_invoice_id: Option<String>,
    pub stripe_url: Option<String>,
}

impl From<invoice::Model> for InvoiceRow {
    fn from(m: invoice::Model) -> Self {
        Self {
            id: m.id,
            tenant_id: m.tenant_id,
            period: m.period,
            number: m.number,
            currency: m.currency,
            status: m.status,
            total_minor: m.total_minor,
            billed_minor: m.billed_minor,
            messages: m.messages,
            issued_at: m.issued_at,
            due_on: m.due_on,
            stripe_invoice_id: m.stripe_invoice_id,
            stripe_url: m.stripe_url,
        }
    }
}

/// An invoice line.
#[derive(Clone, Debug)]
pub struct LineRow {
    pub position: i32,
    pub market: String,
    pub category: String,
    pub messages: i64,
    pub amount_minor: i64,
}

impl From<invoice_line::Model> for LineRow {
    fn from(m: invoice_line::Model) -> Self {
        Self {
            position: m.position,
            market: m.market,
            category: m.category,
            messages: m.messages,
            amount_minor: m.amount_minor,
        }
    }
}

/// Tenants with charged, confirmed usage in [from, until).
pub async fn tenants_with_usage(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<Uuid>, AppError> {
    use usage_record::Column as C;
    Ok(usage_record::Entity::find()
        .select_only()
        .column(C::TenantId)
        .distinct()
        .filter(C::State.eq("confirmed"))
        .filter(C::PricingType.eq("regular"))
        .filter(C::DeliveredOn.gte(from))
        .filter(C::DeliveredOn.lt(until))
        .into_tuple()
        .all(db)
        .await?)
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct LineSum {
    pub market: String,
    pub category: Option<String>,
    pub currency: String,
    pub messages: i64,
    pub price: Option<i64>,
    pub cost: Option<i64>,
}

/// A tenant's charged usage in [from, until) per market × category.
pub async fn line_sums(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<LineSum>, AppError> {
    use usage_record::Column as C;
    Ok(usage_record::Entity::find()
        .select_only()
        .columns([C::Market, C::Category, C::Currency])
        .column_as(Expr::col(C::Id).count(), "messages")
        .column_as(Expr::cust("CAST(SUM(price_micros) AS BIGINT)"), "price")
        .column_as(Expr::cust("CAST(SUM(cost_micros) AS BIGINT)"), "cost")
        .filter(scoped::of::<usage_record::Entity>(scope))
        .filter(C::State.eq("confirmed"))
        .filter(C::PricingType.eq("regular"))
        .filter(C::DeliveredOn.gte(from))
        .filter(C::DeliveredOn.lt(until))
        .group_by(C::Market)
        .group_by(C::Category)
        .group_by(C::Currency)
        .order_by_asc(C::Market)
        .order_by_asc(C::Category)
        .into_model::<LineSum>()
        .all(db)
        .await?)
}

pub struct NewLine {
    pub market: String,
    pub category: String,
    pub messages: i64,
    pub amount_minor: i64,
    pub cost_minor: i64,
}

pub struct NewInvoice<'a> {
    pub period: &'a str,
    pub number: &'a str,
    pub currency: &'a str,
    pub status: &'a str,
    pub lines: &'a [NewLine],
    pub due_on: NaiveDate,
}

/// Inserts the invoice of `period` with its lines; `None` when the tenant already has one.
pub async fn insert(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    new: &NewInvoice<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    let NewInvoice {
        period,
        number,
        currency,
        status,
        lines,
        due_on,
    } = *new;
    let id = Uuid::now_v7();
    let total: i64 = lines.iter().map(|l| l.amount_minor).sum();
    let messages: i64 = lines.iter().map(|l| l.messages).sum();
    let inserted = invoice::Entity::insert(invoice::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id().0),
        period: Set(period.to_owned()),
        number: Set(number.to_owned()),
        currency: Set(currency.to_owned()),
        status: Set(status.to_owned()),
        total_minor: Set(total),
        billed_minor: Set(total),
        messages: Set(messages),
        issued_at: Set(now),
        due_on: Set(due_on),
        stripe_invoice_id: Set(None),
        stripe_url: Set(None),
        status_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            invoice::Column::TenantId,
            invoice::Column::Period,
            invoice::Column::Currency,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    if !lines.is_empty() {
        invoice_line::Entity::insert_many(lines.iter().enumerate().map(|(i, l)| {
            invoice_line::ActiveModel {
                invoice_id: Set(id),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                market: Set(l.market.clone()),
                category: Set(l.category.clone()),
                messages: Set(l.messages),
                amount_minor: Set(l.amount_minor),
                cost_minor: Set(l.cost_minor),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(Some(id))
}

pub async fn list(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<InvoiceRow>, AppError> {
    Ok(scoped::find::<invoice::Entity>(scope)
        .order_by_desc(invoice::Column::Period)
        .limit(120)
        .all(db)
        .await?
        .into_iter()
        .map(InvoiceRow::from)
        .collect())
}

pub async fn get(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<(InvoiceRow, Vec<LineRow>), AppError> {
    let inv = invoice::Entity::find_by_id(id)
        .filter(scoped::of::<invoice::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(inv.id))
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await?;
    Ok((inv.into(), lines.into_iter().map(LineRow::from).collect()))
}

/// Invoices waiting to be sent to Stripe.
pub async fn awaiting_stripe(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<InvoiceRow>, AppError> {
    Ok(invoice::Entity::find()
        .filter(invoice::Column::Status.eq("awaiting_stripe"))
        .order_by_asc(invoice::Column::IssuedAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(InvoiceRow::from)
        .collect())
}

pub async fn lines_of(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Vec<LineRow>, AppError> {
    Ok(invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(id))
        .order_by_asc(invoice_line::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(LineRow::from)
        .collect())
}

pub async fn by_stripe_id(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    stripe_id: &str,
) -> Result<Option<InvoiceRow>, AppError> {
    Ok(invoice::Entity::find()
        .filter(invoice::Column::StripeInvoiceId.eq(stripe_id))
        .one(db)
        .await?
        .map(InvoiceRow::from))
}

/// Records what Stripe said: its invoice id, hosted URL, and our progress in sending it. The
/// status moves only while Stripe has not reported one of its own (paid, void, payment
/// failed): its webhook may arrive while the invoice is being finalized, and is the later
/// truth. Checked in the update itself: no race.
pub async fn set_stripe(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    stripe_id: Option<&str>,
    url: Option<&str>,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if stripe_id.is_some() || url.is_some() {
        let mut q = invoice::Entity::update_many();
        if let Some(s) = stripe_id {
            q = q.col_expr(invoice::Column::StripeInvoiceId, Expr::value(s));
        }
        if let Some(u) = url {
            q = q.col_expr(invoice::Column::StripeUrl, Expr::value(u));
        }
        q.filter(invoice::Column::Id.eq(id)).exec(db).await?;
    }
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(status))
        .col_expr(invoice::Column::StatusAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(id))
        .filter(invoice::Column::Status.is_not_in(["paid", "void", "payment_failed"]))
        .exec(db)
        .await?;
    Ok(())
}

/// Issued (not void) invoices of `period`, every tenant and currency.
pub async fn issued_in(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    period: &str,
) -> Result<Vec<InvoiceRow>, AppError> {
    Ok(invoice::Entity::find()
        .filter(invoice::Column::Period.eq(period))
        .filter(invoice::Column::Status.ne("void"))
        .all(db)
        .await?
        .into_iter()
        .map(InvoiceRow::from)
        .collect())
}

/// Moves what an invoice has billed from `old` to `new` and records the difference as an
/// adjustment — only if nobody moved it meanwhile (two processes never adjust twice).
pub async fn true_up(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    inv: &InvoiceRow,
    new_billed: i64,
    reason: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let r = invoice::Entity::update_many()
        .col_expr(invoice::Column::BilledMinor, Expr::value(new_billed))
        .filter(invoice::Column::Id.eq(inv.id))
        .filter(invoice::Column::BilledMinor.eq(inv.billed_minor))
        .exec(db)
        .await?;
    if r.rows_affected != 1 {
        return Ok(false);
    }
    add_adjustment(db, inv, new_billed - inv.billed_minor, reason, by, now).await?;
    Ok(true)
}

/// A provider's status, unless the invoice is already final (paid or void).
pub async fn set_status_unless_final(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(status))
        .col_expr(invoice::Column::StatusAt, Expr::value(now))
        .filter(invoice::Column::Id.eq(id))
        .filter(invoice::Column::Status.is_not_in(["paid", "void"]))
        .exec(db)
        .await?;
    Ok(())
}

async fn add_adjustment(
    db: &impl ConnectionTrait,
    inv: &InvoiceRow,
    amount_minor: i64,
    reason: &str,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    invoice_adjustment::Entity::insert(invoice_adjustment::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(inv.id),
        tenant_id: Set(inv.tenant_id),
        amount_minor: Set(amount_minor),
        reason: Set(reason.chars().take(200).collect()),
        created_by: Set(by),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// An invoice's adjustments: (amount in minor units, reason, when).
pub async fn adjustments(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    invoice: Uuid,
) -> Result<Vec<(i64, String, DateTime<Utc>)>, AppError> {
    Ok(scoped::find::<invoice_adjustment::Entity>(scope)
        .filter(invoice_adjustment::Column::InvoiceId.eq(invoice))
        .order_by_asc(invoice_adjustment::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.amount_minor, a.reason, a.created_at))
        .collect())
}

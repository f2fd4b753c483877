//! The Stripe side of billing: each call recorded with its idempotency key before it is made
//! and completed after (so a retry sends the same request), and the tenant's customer.

use super::entities::{stripe_call, tenant};
use crate::{backend::scope::SystemScope, contract::AppError};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// The key of a Stripe call, stored before the call is made (`None` if it is new).
pub async fn call(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<stripe_call::Model>, AppError> {
    Ok(stripe_call::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?)
}

pub async fn record_call(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    key: &str,
    invoice: Uuid,
    step: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    stripe_call::Entity::insert(stripe_call::ActiveModel {
        idempotency_key: Set(key.to_owned()),
        invoice_id: Set(invoice),
        step: Set(step.to_owned()),
        stripe_id: Set(None),
        created_at: Set(now),
        completed_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(stripe_call::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn complete_call(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    key: &str,
    stripe_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    stripe_call::Entity::update_many()
        .col_expr(stripe_call::Column::StripeId, Expr::value(stripe_id))
        .col_expr(stripe_call::Column::CompletedAt, Expr::value(now))
        .filter(stripe_call::Column::IdempotencyKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// (name, billing email, currency, Stripe customer) of a tenant.
pub async fn billing_party(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
) -> Result<(String, String, String, Option<String>), AppError> {
    let t = tenant::Entity::find_by_id(tenant_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        t.legal_name,
        t.billing_email,
        t.currency,
        t.stripe_customer_id,
    ))
}

pub async fn set_customer(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    customer: &str,
) -> Result<(), AppError> {
    tenant::Entity::update_many()
        .col_expr(tenant::Column::StripeCustomerId, Expr::value(customer))
        .filter(tenant::Column::Id.eq(tenant_id))
        .exec(db)
        .await?;
    Ok(())
}

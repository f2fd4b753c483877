//! Phone numbers and accounts at the platform: matching, health, limits, scheduled disables.

use super::super::scoped;
use super::common::*;

/// A phone number's platform-facing state.
#[derive(Clone, Debug)]
pub struct NumberHealthRow {
    pub id: PhoneNumberRowId,
    pub waba: WabaRowId,
    pub number: String,
    pub display_name: String,
    pub quality: Option<String>,
    pub status: Option<String>,
    pub tier: Option<String>,
    pub flagged_at: Option<DateTime<Utc>>,
    pub name_decision: Option<String>,
    pub name_rejection: Option<String>,
    pub throughput: Option<String>,
    pub health_at: Option<DateTime<Utc>>,
}

impl From<phone_number::Model> for NumberHealthRow {
    fn from(p: phone_number::Model) -> Self {
        Self {
            id: PhoneNumberRowId(p.id),
            waba: WabaRowId(p.waba_row_id),
            number: p.number,
            display_name: p.display_name,
            quality: p.quality_rating,
            status: p.number_status,
            tier: p.messaging_tier,
            flagged_at: p.flagged_at,
            name_decision: p.name_decision,
            name_rejection: p.name_rejection,
            throughput: p.throughput,
            health_at: p.health_at,
        }
    }
}

pub async fn numbers(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<NumberHealthRow>, AppError> {
    Ok(scoped::find::<phone_number::Entity>(scope)
        .order_by_asc(phone_number::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(NumberHealthRow::from)
        .collect())
}

/// The number of a WABA whose digits are `display` (the platform sends `15550199921` for `+15550199921`).
pub async fn number_by_display(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    display: &str,
) -> Result<Option<NumberHealthRow>, AppError> {
    let digits: String = display.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    Ok(scoped::find::<phone_number::Entity>(scope)
        .filter(phone_number::Column::WabaRowId.eq(waba.0))
        .filter(phone_number::Column::Number.eq(format!("+{digits}")))
        .one(db)
        .await?
        .map(NumberHealthRow::from))
}

/// A number the health poll asks the platform about.
#[derive(Clone, Debug)]
pub struct PolledNumber {
    pub tenant: TenantId,
    pub waba_id: String,
    pub phone_number_id: String,
    pub health: NumberHealthRow,
}

/// Every number with a platform id, with its account's platform id (the health poll).
pub async fn pollable_numbers(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<PolledNumber>, AppError> {
    let numbers = phone_number::Entity::find()
        .filter(phone_number::Column::PhoneNumberId.ne(""))
        .order_by_asc(phone_number::Column::Id)
        .all(db)
        .await?;
    let wabas: std::collections::HashMap<Uuid, String> = waba::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.waba_id))
        .collect();
    Ok(numbers
        .into_iter()
        .filter_map(|p| {
            let waba_id = wabas.get(&p.waba_row_id)?.clone();
            Some(PolledNumber {
                tenant: TenantId(p.tenant_id),
                waba_id,
                phone_number_id: p.phone_number_id.clone(),
                health: NumberHealthRow::from(p),
            })
        })
        .collect())
}

/// Writes a number's health (every field as given).
pub async fn set_number_health(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    n: &NumberHealthRow,
) -> Result<(), AppError> {
    let r = phone_number::Entity::update_many()
        .col_expr(
            phone_number::Column::QualityRating,
            Expr::value(n.quality.clone()),
        )
        .col_expr(
            phone_number::Column::NumberStatus,
            Expr::value(n.status.clone()),
        )
        .col_expr(
            phone_number::Column::MessagingTier,
            Expr::value(n.tier.clone()),
        )
        .col_expr(phone_number::Column::FlaggedAt, Expr::value(n.flagged_at))
        .col_expr(
            phone_number::Column::NameDecision,
            Expr::value(n.name_decision.clone()),
        )
        .col_expr(
            phone_number::Column::NameRejection,
            Expr::value(n.name_rejection.clone()),
        )
        .col_expr(
            phone_number::Column::Throughput,
            Expr::value(n.throughput.clone()),
        )
        .col_expr(phone_number::Column::HealthAt, Expr::value(n.health_at))
        .filter(phone_number::Column::Id.eq(n.id.0))
        .filter(scoped::of::<phone_number::Entity>(scope))
        .exec(db)
        .await?;
    super::super::one_row(r)
}

/// Sets the per-number tier of every number of a WABA.
pub async fn set_waba_numbers_tier(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    tier: &str,
) -> Result<(), AppError> {
    phone_number::Entity::update_many()
        .col_expr(phone_number::Column::MessagingTier, Expr::value(tier))
        .filter(phone_number::Column::WabaRowId.eq(waba.0))
        .filter(scoped::of::<phone_number::Entity>(scope))
        .exec(db)
        .await?;
    Ok(())
}

/// A WhatsApp business account's platform-facing state.
#[derive(Clone, Debug)]
pub struct AccountHealthRow {
    pub id: WabaRowId,
    pub waba_id: String,
    pub portfolio_limit: Option<String>,
    pub ban_state: Option<String>,
    pub ban_date: Option<String>,
    /// JSON list of `[restriction, expiration]`.
    pub restrictions: Option<String>,
    pub violation: Option<String>,
    pub account_event: Option<String>,
    pub health_at: Option<DateTime<Utc>>,
}

impl From<waba::Model> for AccountHealthRow {
    fn from(w: waba::Model) -> Self {
        Self {
            id: WabaRowId(w.id),
            waba_id: w.waba_id,
            portfolio_limit: w.portfolio_limit,
            ban_state: w.ban_state,
            ban_date: w.ban_date,
            restrictions: w.restrictions,
            violation: w.violation,
            account_event: w.account_event,
            health_at: w.health_at,
        }
    }
}

pub async fn accounts(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<AccountHealthRow>, AppError> {
    Ok(scoped::find::<waba::Entity>(scope)
        .order_by_asc(waba::Column::WabaId)
        .all(db)
        .await?
        .into_iter()
        .map(AccountHealthRow::from)
        .collect())
}

pub async fn account(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: WabaRowId,
) -> Result<AccountHealthRow, AppError> {
    waba::Entity::find_by_id(id.0)
        .filter(scoped::of::<waba::Entity>(scope))
        .one(db)
        .await?
        .map(AccountHealthRow::from)
        .ok_or(AppError::NotFound)
}

pub async fn set_account_health(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    a: &AccountHealthRow,
) -> Result<(), AppError> {
    let r = waba::Entity::update_many()
        .col_expr(
            waba::Column::PortfolioLimit,
            Expr::value(a.portfolio_limit.clone()),
        )
        .col_expr(waba::Column::BanState, Expr::value(a.ban_state.clone()))
        .col_expr(waba::Column::BanDate, Expr::value(a.ban_date.clone()))
        .col_expr(
            waba::Column::Restrictions,
            Expr::value(a.restrictions.clone()),
        )
        .col_expr(waba::Column::Violation, Expr::value(a.violation.clone()))
        .col_expr(
            waba::Column::AccountEvent,
            Expr::value(a.account_event.clone()),
        )
        .col_expr(waba::Column::HealthAt, Expr::value(a.health_at))
        .filter(waba::Column::Id.eq(a.id.0))
        .filter(scoped::of::<waba::Entity>(scope))
        .exec(db)
        .await?;
    super::super::one_row(r)
}

/// Accounts the platform scheduled for disabling: (tenant, account row, WABA id, ban date as sent).
pub async fn scheduled_disables(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<(TenantId, WabaRowId, String, String)>, AppError> {
    Ok(waba::Entity::find()
        .filter(waba::Column::BanState.eq("SCHEDULE_FOR_DISABLE"))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|w| {
            Some((
                TenantId(w.tenant_id),
                WabaRowId(w.id),
                w.waba_id,
                w.ban_date?,
            ))
        })
        .collect())
}

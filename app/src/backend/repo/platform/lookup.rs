//! Which tenant a change is about (by account or number id), and a subject's history of
//! changes of one field.

use super::common::*;

/// The tenant and WABA row of a platform WABA id.
pub async fn waba_by_platform_id(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    waba_id: &str,
) -> Result<Option<(TenantId, WabaRowId)>, AppError> {
    Ok(waba::Entity::find()
        .filter(waba::Column::WabaId.eq(waba_id))
        .one(db)
        .await?
        .map(|w| (TenantId(w.tenant_id), WabaRowId(w.id))))
}

/// The tenant, number row and WABA row of a platform phone number id.
pub async fn phone_by_platform_id(
    _scope: &impl CrossTenant,
    db: &impl ConnectionTrait,
    phone_number_id: &str,
) -> Result<Option<(TenantId, PhoneNumberRowId, WabaRowId)>, AppError> {
    Ok(phone_number::Entity::find()
        .filter(phone_number::Column::PhoneNumberId.eq(phone_number_id))
        .one(db)
        .await?
        .map(|p| {
            (
                TenantId(p.tenant_id),
                PhoneNumberRowId(p.id),
                WabaRowId(p.waba_row_id),
            )
        }))
}

/// Every stored change of `field` for a WABA (time or receipt time, key, payload), at most 5,000.
pub async fn events_for(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    waba_id: &str,
    field: &str,
) -> Result<Vec<(DateTime<Utc>, String, String)>, AppError> {
    let rows = platform_event::Entity::find()
        .filter(platform_event::Column::WabaId.eq(waba_id))
        .filter(platform_event::Column::Field.eq(field))
        .order_by_desc(platform_event::Column::EventTime)
        .limit(5_000)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.event_time.unwrap_or(r.received_at),
                r.dedupe_key,
                r.payload,
            )
        })
        .collect())
}

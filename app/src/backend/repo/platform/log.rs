//! The event log as staff and tenants search it.

use super::super::scoped;
use super::common::*;

/// One row of the event log.
#[derive(Clone, Debug)]
pub struct LogRow {
    pub id: Uuid,
    pub tenant: Option<TenantId>,
    pub field: String,
    pub waba_id: String,
    pub payload: String,
    pub status: String,
    pub result: Option<String>,
    pub attempts: i32,
    pub time: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
}

impl From<platform_event::Model> for LogRow {
    fn from(m: platform_event::Model) -> Self {
        Self {
            id: m.id,
            tenant: m.tenant_id.map(TenantId),
            field: m.field,
            waba_id: m.waba_id,
            payload: m.payload,
            status: m.status,
            result: m.result,
            attempts: m.attempts,
            time: m.event_time,
            received_at: m.received_at,
        }
    }
}

/// Filters of the event log.
#[derive(Clone, Debug, Default)]
pub struct LogFilter {
    pub field: Option<String>,
    pub status: Option<String>,
    /// Matched against the payload's text (a template name, a wamid, an event …) where
    /// `search_payload`, else against the processing result only.
    pub search: Option<String>,
    pub search_payload: bool,
}

/// The payload of an event whose raw body was purged after the retention period.
pub const PURGED: &str = "";

fn filtered(
    mut q: sea_orm::Select<platform_event::Entity>,
    f: &LogFilter,
) -> sea_orm::Select<platform_event::Entity> {
    if let Some(field) = &f.field {
        q = q.filter(platform_event::Column::Field.eq(field.as_str()));
    }
    if let Some(status) = &f.status {
        q = q.filter(platform_event::Column::Status.eq(status.as_str()));
    }
    if let Some(s) = &f.search {
        q = if f.search_payload {
            q.filter(
                sea_orm::Condition::any()
                    .add(platform_event::Column::Payload.contains(s.as_str()))
                    .add(platform_event::Column::Result.contains(s.as_str())),
            )
        } else {
            q.filter(platform_event::Column::Result.contains(s.as_str()))
        };
    }
    q
}

/// A page of the tenant's events, newest first, and the total.
pub async fn log(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    f: &LogFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<LogRow>, u64), AppError> {
    let q = filtered(scoped::find::<platform_event::Entity>(scope), f);
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(platform_event::Column::ReceivedAt)
        .order_by_desc(platform_event::Column::Seq)
        .offset(page * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(LogRow::from).collect(), total))
}

/// A page of the events no tenant matched (staff only), newest first, and the total.
pub async fn unmatched(
    _scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
    f: &LogFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<LogRow>, u64), AppError> {
    let f = LogFilter {
        status: None,
        ..f.clone()
    };
    let q = filtered(
        platform_event::Entity::find().filter(platform_event::Column::Status.eq(UNMATCHED)),
        &f,
    );
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(platform_event::Column::ReceivedAt)
        .order_by_desc(platform_event::Column::Seq)
        .offset(page * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(LogRow::from).collect(), total))
}

/// Puts an event back in the queue (staff replay). `tenant`: the event must be that tenant's
/// (`None`: any event, e.g. an unmatched one after the WABA was registered).
pub async fn replay(
    _scope: &crate::backend::scope::PlatformScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    tenant: Option<TenantId>,
) -> Result<(), AppError> {
    let mut q = platform_event::Entity::update_many()
        .col_expr(platform_event::Column::Status, Expr::value(PENDING))
        .col_expr(
            platform_event::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(platform_event::Column::Attempts, Expr::value(0))
        .filter(platform_event::Column::Id.eq(id))
        .filter(platform_event::Column::Status.ne(PENDING))
        .filter(platform_event::Column::Payload.ne(PURGED));
    if let Some(t) = tenant {
        q = q.filter(platform_event::Column::TenantId.eq(t.0));
    }
    super::super::one_row(q.exec(db).await?)
}

/// Counts by status (for the operations view and tests).
pub async fn counts(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<(String, i64)>, AppError> {
    Ok(platform_event::Entity::find()
        .select_only()
        .column(platform_event::Column::Status)
        .column_as(platform_event::Column::Id.count(), "n")
        .group_by(platform_event::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

/// The fields whose changes carry end customers' numbers, names and messages
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). The other
/// fields' changes stay: an account's or a number's state is folded from its whole history.
pub const CUSTOMER_FIELDS: [&str; 5] = [
    "messages",
    "smb_message_echoes",
    "user_preferences",
    "history",
    "smb_app_state_sync",
];

/// Empties the raw bodies received before `before`: deliveries already split, and the
/// changes of [`CUSTOMER_FIELDS`] no longer waiting to be applied. What the platform sent about
/// end customers is kept for `RAW_RETENTION_DAYS` only. Returns (deliveries, events) emptied.
pub async fn purge_raw(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<(u64, u64), AppError> {
    let deliveries = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Body, Expr::value(PURGED))
        .filter(webhook_delivery::Column::ReceivedAt.lt(before))
        .filter(webhook_delivery::Column::ProcessedAt.is_not_null())
        .filter(webhook_delivery::Column::Body.ne(PURGED))
        .exec(db)
        .await?
        .rows_affected;
    let events = platform_event::Entity::update_many()
        .col_expr(platform_event::Column::Payload, Expr::value(PURGED))
        .filter(platform_event::Column::ReceivedAt.lt(before))
        .filter(platform_event::Column::Field.is_in(CUSTOMER_FIELDS))
        .filter(platform_event::Column::Status.ne(PENDING))
        .filter(platform_event::Column::Payload.ne(PURGED))
        .exec(db)
        .await?
        .rows_affected;
    Ok((deliveries, events))
}

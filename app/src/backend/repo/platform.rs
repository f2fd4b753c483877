//! Platform events (webhook deliveries split into changes) and what they keep current: the
//! health of templates, phone numbers and accounts, message statuses, conversation windows.

use super::entities::{
    conversation_window, message_status, phone_number, platform_event, template, template_health,
    template_revision, waba, webhook_delivery,
};
use crate::{
    backend::scope::{SystemScope, TenantScope},
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TemplateId, TenantId, WabaRowId},
        platform::RawChange,
        session_window::Window,
        template::status::TemplateStatus,
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

pub const PENDING: &str = "pending";
pub const APPLIED: &str = "applied";
pub const UNMATCHED: &str = "unmatched";
pub const IGNORED: &str = "ignored";
pub const FAILED: &str = "failed";

/// A change ready to store: what `split` read plus its de-duplication key.
pub struct NewChange<'a> {
    pub change: &'a RawChange,
    pub dedupe_key: String,
}

/// Stores a delivery already split and its changes in one transaction (the caller's); a change
/// already stored (same key: a redelivery) is skipped. Returns the delivery id and the number of
/// new changes. (Webhook deliveries are stored whole, `store_unsplit`, and split when processed.)
pub async fn store_delivery(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    body: String,
    changes: &[NewChange<'_>],
    now: DateTime<Utc>,
) -> Result<(Uuid, u64), AppError> {
    let delivery = insert_delivery(db, body, changes.len(), Some(now), now).await?;
    let rows: Vec<ChangeRow<'_>> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| ChangeRow {
            id: Uuid::now_v7(),
            delivery,
            seq: i32::try_from(i).unwrap_or(i32::MAX),
            dedupe_key: &c.dedupe_key,
            change: c.change,
            tenant: None,
            received_at: now,
        })
        .collect();
    let new = insert_changes(scope, db, &rows, PENDING, None, now)
        .await?
        .len();
    Ok((delivery, u64::try_from(new).unwrap_or(u64::MAX)))
}

/// One delivery row; `processed_at` is set when its changes are stored with it.
async fn insert_delivery(
    db: &impl ConnectionTrait,
    body: String,
    changes: usize,
    processed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    webhook_delivery::Entity::insert(webhook_delivery::ActiveModel {
        id: Set(id),
        received_at: Set(now),
        body: Set(body),
        changes: Set(i32::try_from(changes).unwrap_or(i32::MAX)),
        processed_at: Set(processed_at),
        lease_until: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Stores a webhook delivery as received (one row: the raw body), to be split into its
/// `changes` changes by the processor. Returns its id.
pub async fn store_unsplit(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    body: String,
    changes: usize,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    insert_delivery(db, body, changes, None, now).await
}

/// A delivery still to split, claimed by one processor.
#[derive(Clone, Debug)]
pub struct UnsplitDelivery {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
    pub body: String,
    pub changes: i32,
}

impl From<webhook_delivery::Model> for UnsplitDelivery {
    fn from(m: webhook_delivery::Model) -> Self {
        Self {
            id: m.id,
            received_at: m.received_at,
            body: m.body,
            changes: m.changes,
        }
    }
}

/// At most this many deliveries per claim (single-change deliveries come in bursts).
const MAX_DELIVERIES_PER_CLAIM: usize = 200;

/// Claims unsplit deliveries in arrival order until they hold `max_changes` changes (the first
/// one whatever its size; after it only deliveries that still fit). PostgreSQL: locked for the
/// caller's transaction, skipping those another worker holds; a process that dies releases
/// them with its connection.
pub async fn claim_unsplit(
    _scope: &SystemScope,
    tx: &sea_orm::DatabaseTransaction,
    max_changes: u64,
) -> Result<Vec<UnsplitDelivery>, AppError> {
    let mut out: Vec<UnsplitDelivery> = Vec::new();
    let mut room = i64::try_from(max_changes).unwrap_or(i64::MAX);
    while room > 0 && out.len() < MAX_DELIVERIES_PER_CLAIM {
        // After the last one taken: a row this transaction locked is not skipped.
        let stmt = match out.last() {
            None => sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Postgres, "SELECT * FROM webhook_deliveries WHERE processed_at IS NULL ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"),
            Some(last) => sea_orm::Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT * FROM webhook_deliveries WHERE processed_at IS NULL AND changes <= $1 AND (received_at, id) > ($2, $3) ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                [room.into(), last.received_at.into(), last.id.into()],
            ),
        };
        let Some(row) = tx.query_one_raw(stmt).await? else {
            break;
        };
        let d = UnsplitDelivery::from(webhook_delivery::Model::from_query_result(&row, "")?);
        room -= i64::from(Ord::max(d.changes, 1));
        out.push(d);
    }
    Ok(out)
}

/// `claim_unsplit` on SQLite (one writer, one worker per process): each delivery is leased to
/// this caller until `now + lease`; a process that dies leaves it to the next after that.
pub async fn lease_unsplit(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: TimeDelta,
    max_changes: u64,
) -> Result<Vec<UnsplitDelivery>, AppError> {
    use webhook_delivery::Column as C;
    let mut out: Vec<UnsplitDelivery> = Vec::new();
    let mut room = i64::try_from(max_changes).unwrap_or(i64::MAX);
    let token = lease_token(now, lease);
    while room > 0 && out.len() < MAX_DELIVERIES_PER_CLAIM {
        let fits = if out.is_empty() { i64::MAX } else { room };
        let due = || {
            Expr::col(C::ProcessedAt).is_null().and(
                Expr::col(C::LeaseUntil)
                    .is_null()
                    .or(Expr::col(C::LeaseUntil).lte(now)),
            )
        };
        let next = Query::select()
            .column(C::Id)
            .from(webhook_delivery::Entity)
            .cond_where(due().and(Expr::col(C::Changes).lte(fits)))
            .order_by(C::ReceivedAt, sea_orm::Order::Asc)
            .limit(1)
            .to_owned();
        let mut q = webhook_delivery::Entity::update_many()
            .col_expr(C::LeaseUntil, Expr::value(token))
            .filter(Expr::col(C::Id).in_subquery(next))
            .filter(due())
            .into_query();
        q.returning_all();
        let Some(row) = db.query_one(&q).await? else {
            break;
        };
        let d = UnsplitDelivery::from(webhook_delivery::Model::from_query_result(&row, "")?);
        room -= i64::from(Ord::max(d.changes, 1));
        out.push(d);
    }
    Ok(out)
}

/// PostgreSQL: this transaction's commit returns before its WAL reaches the disk
/// (`synchronous_commit = off`, for this transaction only), or, `without = false`, as the
/// database is configured again. For work that can be done again from what is durable;
/// SQLite: nothing changes.
pub async fn commit_without_waiting_for_disk(
    tx: &sea_orm::DatabaseTransaction,
    without: bool,
) -> Result<(), AppError> {
    if tx.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        tx.execute_unprepared(if without {
            "SET LOCAL synchronous_commit = off"
        } else {
            "SET LOCAL synchronous_commit TO DEFAULT"
        })
        .await?;
    }
    Ok(())
}

/// Marks deliveries split (their changes are stored in the same transaction).
pub async fn mark_split(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::ProcessedAt, Expr::value(now))
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_delivery::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await?;
    Ok(())
}

/// A change split from a delivery, to store once.
pub struct ChangeRow<'a> {
    pub id: Uuid,
    pub delivery: Uuid,
    pub seq: i32,
    pub dedupe_key: &'a str,
    pub change: &'a RawChange,
    pub tenant: Option<TenantId>,
    pub received_at: DateTime<Utc>,
}

/// Stores split changes with `status` (`PENDING`, or `APPLIED` with `result` for changes
/// applied in the same transaction); a change already stored (same key: a redelivery, or twice
/// in the batch) is skipped. Returns the ids of the rows written.
pub async fn insert_changes(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    rows: &[ChangeRow<'_>],
    status: &str,
    result: Option<&str>,
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<Uuid>, AppError> {
    use platform_event::Column as C;
    let mut written = std::collections::HashSet::with_capacity(rows.len());
    let processed = (status != PENDING).then_some(now);
    for chunk in rows.chunks(500) {
        let q = if super::columnar::columnar(db) {
            use super::columnar::Column;
            let c = |width| Column::with_capacity(chunk.len(), width);
            let (mut id, mut delivery, mut seq, mut key, mut field, mut waba) =
                (c(36), c(36), c(3), c(64), c(8), c(15));
            let (mut phone, mut tenant, mut payload, mut time, mut only, mut received) =
                (c(15), c(36), c(300), c(27), c(1), c(27));
            for r in chunk {
                id.uuid(r.id);
                delivery.uuid(r.delivery);
                seq.int(i64::from(r.seq));
                key.text(r.dedupe_key);
                field.text(&r.change.field.chars().take(64).collect::<String>());
                waba.text(&r.change.waba_id.chars().take(64).collect::<String>());
                phone.opt_text(
                    r.change
                        .phone_number_id
                        .as_ref()
                        .map(|p| p.chars().take(64).collect::<String>())
                        .as_deref(),
                );
                tenant.opt_uuid(r.tenant.map(|t| t.0));
                payload.text(&r.change.value);
                time.opt_time(r.change.time);
                only.opt_bool(Some(r.change.statuses_only()));
                received.time(r.received_at);
            }
            super::columnar::statement(
                "INSERT INTO platform_events (id, delivery_id, seq, dedupe_key, field, waba_id, phone_number_id, tenant_id, payload, event_time, statuses_only, received_at, status, result, attempts, processed_at) \
                 SELECT u.*, $13, $14, 0, $15::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[], $10::timestamptz[], $11::bool[], $12::timestamptz[]) AS u \
                 ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                vec![id, delivery, seq, key, field, waba, phone, tenant, payload, time, only, received],
                [status.into(), result.map(str::to_owned).into(), processed.into()],
            )
        } else {
            let models = chunk.iter().map(|r| platform_event::ActiveModel {
                id: Set(r.id),
                delivery_id: Set(r.delivery),
                seq: Set(r.seq),
                dedupe_key: Set(r.dedupe_key.to_owned()),
                field: Set(r.change.field.chars().take(64).collect()),
                waba_id: Set(r.change.waba_id.chars().take(64).collect()),
                phone_number_id: Set(r
                    .change
                    .phone_number_id
                    .as_ref()
                    .map(|p| p.chars().take(64).collect())),
                tenant_id: Set(r.tenant.map(|t| t.0)),
                payload: Set(r.change.value.clone()),
                event_time: Set(r.change.time),
                status: Set(status.to_owned()),
                result: Set(result.map(str::to_owned)),
                attempts: Set(0),
                next_attempt_at: Set(None),
                received_at: Set(r.received_at),
                processed_at: Set(processed),
                statuses_only: Set(r.change.statuses_only()),
            });
            let mut q = platform_event::Entity::insert_many(models)
                .on_conflict(OnConflict::column(C::DedupeKey).do_nothing().to_owned())
                .into_query();
            q.returning_col(C::Id);
            db.get_database_backend().build(&q)
        };
        for row in db.query_all_raw(q).await? {
            written.insert(row.try_get_by_index::<Uuid>(0)?);
        }
    }
    Ok(written)
}

/// A stored change, leased for processing.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub id: Uuid,
    pub dedupe_key: String,
    pub seq: i32,
    pub field: String,
    pub waba_id: String,
    pub phone_number_id: Option<String>,
    pub payload: String,
    pub time: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub attempts: i32,
}

impl From<platform_event::Model> for StoredEvent {
    fn from(m: platform_event::Model) -> Self {
        Self {
            id: m.id,
            dedupe_key: m.dedupe_key,
            seq: m.seq,
            field: m.field,
            waba_id: m.waba_id,
            phone_number_id: m.phone_number_id,
            payload: m.payload,
            time: m.event_time,
            received_at: m.received_at,
            attempts: m.attempts,
        }
    }
}

/// A lease instant this caller's own: `now + lease` plus microseconds of randomness.
fn lease_token(now: DateTime<Utc>, lease: TimeDelta) -> DateTime<Utc> {
    now + lease + TimeDelta::microseconds(i64::from(rand::random::<u32>() % 1_000_000))
}

/// Leases up to `limit` due changes to this caller: their `next_attempt_at` is set to a
/// lease instant unique to this call and the rows so marked are returned, in one statement.
/// Two processes never take the same change: a row the other took meanwhile is no longer due
/// when the update re-reads it.
pub async fn lease_due(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: TimeDelta,
    limit: u64,
) -> Result<Vec<StoredEvent>, AppError> {
    use platform_event::Column as C;
    let due = || {
        Expr::col(C::Status).eq(PENDING).and(
            Expr::col(C::NextAttemptAt)
                .is_null()
                .or(Expr::col(C::NextAttemptAt).lte(now)),
        )
    };
    let ids = Query::select()
        .column(C::Id)
        .from(platform_event::Entity)
        .cond_where(due())
        .order_by(C::ReceivedAt, sea_orm::Order::Asc)
        .order_by(C::Seq, sea_orm::Order::Asc)
        .limit(limit)
        .to_owned();
    let token = lease_token(now, lease);
    let mut q = platform_event::Entity::update_many()
        .col_expr(C::NextAttemptAt, Expr::value(token))
        .filter(Expr::col(C::Id).in_subquery(ids))
        .filter(due())
        .into_query();
    q.returning_all();
    let mut rows = Vec::new();
    for row in db.query_all(&q).await? {
        rows.push(StoredEvent::from(platform_event::Model::from_query_result(
            &row, "",
        )?));
    }
    Ok(rows)
}

/// Whether this database claims changes with row locks (`claim_due`, PostgreSQL: several
/// workers may run) rather than leases (`lease_due`, SQLite: one writer, one worker).
pub fn claims_with_locks(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == sea_orm::DatabaseBackend::Postgres
}

/// On PostgreSQL: locks up to `limit` due changes for the caller's transaction, skipping any
/// another worker holds (`FOR UPDATE SKIP LOCKED`), in arrival order. No lease is written: the
/// rows stay locked until the transaction ends, and a process that dies releases them with its
/// connection. `statuses_only`: only changes that merge in any order (a second worker's share).
pub async fn claim_due(
    _scope: &SystemScope,
    tx: &sea_orm::DatabaseTransaction,
    now: DateTime<Utc>,
    limit: u64,
    statuses_only: bool,
) -> Result<Vec<StoredEvent>, AppError> {
    let sql = format!(
        "SELECT * FROM platform_events WHERE status = $1 AND (next_attempt_at IS NULL OR next_attempt_at <= $2){} ORDER BY received_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED",
        if statuses_only { " AND statuses_only" } else { "" }
    );
    let stmt = sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        sql,
        [
            PENDING.into(),
            now.into(),
            i64::try_from(limit).unwrap_or(i64::MAX).into(),
        ],
    );
    let mut rows = Vec::new();
    for row in tx.query_all_raw(stmt).await? {
        rows.push(StoredEvent::from(platform_event::Model::from_query_result(
            &row, "",
        )?));
    }
    Ok(rows)
}

/// Records the outcome of one change.
pub async fn finish(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    status: &str,
    tenant: Option<TenantId>,
    result: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    platform_event::Entity::update_many()
        .col_expr(platform_event::Column::Status, Expr::value(status))
        .col_expr(
            platform_event::Column::TenantId,
            Expr::value(tenant.map(|t| t.0)),
        )
        .col_expr(
            platform_event::Column::Result,
            Expr::value(result.chars().take(2000).collect::<String>()),
        )
        .col_expr(platform_event::Column::ProcessedAt, Expr::value(now))
        .col_expr(
            platform_event::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(platform_event::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A processing step failed: try again at `next`, or give up (`None`: status `failed`).
pub async fn attempt_failed(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    id: Uuid,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    platform_event::Entity::update_many()
        .col_expr(
            platform_event::Column::Status,
            Expr::value(if next.is_some() { PENDING } else { FAILED }),
        )
        .col_expr(
            platform_event::Column::Result,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .col_expr(
            platform_event::Column::Attempts,
            Expr::col(platform_event::Column::Attempts).add(1),
        )
        .col_expr(platform_event::Column::NextAttemptAt, Expr::value(next))
        .filter(platform_event::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The tenant and WABA row of a platform WABA id.
pub async fn waba_by_platform_id(
    _scope: &SystemScope,
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
    _scope: &SystemScope,
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

// ---- the event log ----

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
    /// Matched against the payload's text (a template name, a wamid, an event …).
    pub search: Option<String>,
}

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
        q = q.filter(platform_event::Column::Payload.contains(s.as_str()));
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
    let q = filtered(
        platform_event::Entity::find()
            .filter(platform_event::Column::TenantId.eq(scope.tenant_id().0)),
        f,
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
        .filter(platform_event::Column::Status.ne(PENDING));
    if let Some(t) = tenant {
        q = q.filter(platform_event::Column::TenantId.eq(t.0));
    }
    super::one_row(q.exec(db).await?)
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

// ---- templates ----

/// The template a change names: by the platform's id, else by WABA + name + language.
pub async fn find_template(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    waba: WabaRowId,
    platform_id: Option<&str>,
    name: Option<&str>,
    language: Option<&str>,
) -> Result<Option<TemplateId>, AppError> {
    if let Some(pid) = platform_id {
        let hit: Option<Uuid> = template_revision::Entity::find()
            .select_only()
            .column(template_revision::Column::TemplateId)
            .filter(template_revision::Column::TenantId.eq(scope.tenant_id().0))
            .filter(template_revision::Column::PlatformId.eq(pid))
            .into_tuple()
            .one(db)
            .await?;
        if let Some(t) = hit {
            return Ok(Some(TemplateId(t)));
        }
    }
    let (Some(name), Some(language)) = (name, language) else {
        return Ok(None);
    };
    let language = crate::domain::template::language::normalise(language)
        .map(str::to_owned)
        .unwrap_or_else(|| language.replace('-', "_"));
    super::templates::by_name(scope, db, waba, name, &language).await
}

/// A template's platform-facing state.
#[derive(Clone, Debug)]
pub struct TemplateHealthRow {
    pub id: TemplateId,
    pub name: String,
    pub language: String,
    pub category: String,
    /// The revision at the platform (the latest past BSP review) and its status.
    pub revision: Option<(Uuid, i32, TemplateStatus)>,
    pub status_at: Option<DateTime<Utc>>,
    pub quality: Option<String>,
    pub quality_at: Option<DateTime<Utc>>,
    pub pause_count: i32,
    pub paused_until: Option<DateTime<Utc>>,
    pub pause_title: Option<String>,
    pub disable_date: Option<DateTime<Utc>>,
    pub platform_reason: Option<String>,
    pub pending_category: Option<String>,
    pub category_change_at: Option<DateTime<Utc>>,
}

fn at_platform(s: TemplateStatus) -> bool {
    use TemplateStatus::*;
    !matches!(s, Draft | InBspReview | ChangesRequested | BspRejected)
}

pub async fn template_health(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
) -> Result<TemplateHealthRow, AppError> {
    let t = template::Entity::find_by_id(id.0)
        .filter(template::Column::TenantId.eq(scope.tenant_id().0))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let revisions = template_revision::Entity::find()
        .filter(template_revision::Column::TemplateId.eq(id.0))
        .filter(template_revision::Column::TenantId.eq(scope.tenant_id().0))
        .order_by_desc(template_revision::Column::Number)
        .all(db)
        .await?;
    let revision = revisions
        .into_iter()
        .map(|r| (r.id, r.number, super::templates::status_of(&r.status)))
        .find(|(_, _, s)| at_platform(*s));
    Ok(TemplateHealthRow {
        id,
        name: t.name,
        language: t.language,
        category: t.category,
        revision,
        status_at: t.platform_status_at,
        quality: t.quality,
        quality_at: t.quality_at,
        pause_count: t.pause_count,
        paused_until: t.paused_until,
        pause_title: t.pause_title,
        disable_date: t.disable_date,
        platform_reason: t.platform_reason,
        pending_category: t.pending_category,
        category_change_at: t.category_change_at,
    })
}

/// What a status event changes on the template row.
#[derive(Clone, Debug, Default)]
pub struct TemplateStatusUpdate {
    pub status_at: Option<DateTime<Utc>>,
    pub pause_count: i32,
    pub paused_until: Option<DateTime<Utc>>,
    pub pause_title: Option<String>,
    pub disable_date: Option<DateTime<Utc>>,
    pub platform_reason: Option<String>,
}

/// Writes the template's platform fields, and the revision's status when `revision` is given.
pub async fn set_template_status(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    revision: Option<(Uuid, TemplateStatus)>,
    u: &TemplateStatusUpdate,
) -> Result<(), AppError> {
    if let Some((revision, status)) = revision {
        template_revision::Entity::update_many()
            .col_expr(
                template_revision::Column::Status,
                Expr::value(super::templates::status_code(status)),
            )
            .filter(template_revision::Column::Id.eq(revision))
            .filter(template_revision::Column::TenantId.eq(scope.tenant_id().0))
            .exec(db)
            .await?;
    }
    let r = template::Entity::update_many()
        .col_expr(template::Column::PlatformStatusAt, Expr::value(u.status_at))
        .col_expr(template::Column::PauseCount, Expr::value(u.pause_count))
        .col_expr(template::Column::PausedUntil, Expr::value(u.paused_until))
        .col_expr(
            template::Column::PauseTitle,
            Expr::value(u.pause_title.clone()),
        )
        .col_expr(template::Column::DisableDate, Expr::value(u.disable_date))
        .col_expr(
            template::Column::PlatformReason,
            Expr::value(u.platform_reason.clone()),
        )
        .filter(template::Column::Id.eq(id.0))
        .filter(template::Column::TenantId.eq(scope.tenant_id().0))
        .exec(db)
        .await?;
    super::one_row(r)
}

pub async fn set_template_quality(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    quality: &str,
    at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let r = template::Entity::update_many()
        .col_expr(template::Column::Quality, Expr::value(quality))
        .col_expr(template::Column::QualityAt, Expr::value(at))
        .filter(template::Column::Id.eq(id.0))
        .filter(template::Column::TenantId.eq(scope.tenant_id().0))
        .exec(db)
        .await?;
    super::one_row(r)
}

/// A category change: announced (`pending` set) or done (`category` set, `pending` cleared).
pub async fn set_template_category(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    category: Option<&str>,
    pending: Option<&str>,
    change_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let mut q = template::Entity::update_many()
        .col_expr(
            template::Column::PendingCategory,
            Expr::value(pending.map(str::to_owned)),
        )
        .col_expr(template::Column::CategoryChangeAt, Expr::value(change_at))
        .filter(template::Column::Id.eq(id.0))
        .filter(template::Column::TenantId.eq(scope.tenant_id().0));
    if let Some(c) = category {
        q = q.col_expr(template::Column::Category, Expr::value(c));
    }
    super::one_row(q.exec(db).await?)
}

/// One line of a template's platform history.
#[derive(Clone, Debug)]
pub struct HealthEntry {
    pub kind: String,
    pub value: String,
    pub detail: Option<String>,
    pub at: DateTime<Utc>,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_template_history(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    kind: &str,
    value: &str,
    detail: Option<String>,
    at: DateTime<Utc>,
    event: Option<Uuid>,
) -> Result<(), AppError> {
    template_health::Entity::insert(template_health::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id().0),
        template_id: Set(id.0),
        kind: Set(kind.into()),
        value: Set(value.chars().take(32).collect()),
        detail: Set(detail),
        at: Set(at),
        event_id: Set(event),
    })
    .on_conflict(
        OnConflict::columns([
            template_health::Column::EventId,
            template_health::Column::Kind,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// How many times the platform paused the template up to `until` (the pause ladder counts
/// them; counting the history makes the count independent of delivery order).
pub async fn pauses_until(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    until: DateTime<Utc>,
) -> Result<u32, AppError> {
    let n = template_health::Entity::find()
        .filter(template_health::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template_health::Column::TemplateId.eq(id.0))
        .filter(template_health::Column::Kind.eq("status"))
        .filter(template_health::Column::Value.eq("PAUSED"))
        .filter(template_health::Column::At.lte(until))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A template's status events as its history keeps them, each with its change's dedupe key:
/// (time, key, the platform's event), in no particular order. The input of the template's
/// incident rule (`domain::platform::incidents`).
pub async fn template_status_events(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
) -> Result<Vec<(DateTime<Utc>, String, String)>, AppError> {
    let rows: Vec<(DateTime<Utc>, Option<Uuid>, String)> = template_health::Entity::find()
        .select_only()
        .column(template_health::Column::At)
        .column(template_health::Column::EventId)
        .column(template_health::Column::Value)
        .filter(template_health::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template_health::Column::TemplateId.eq(id.0))
        .filter(template_health::Column::Kind.eq("status"))
        .filter(template_health::Column::EventId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.1).collect();
    let mut keys = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let found: Vec<(Uuid, String)> = platform_event::Entity::find()
            .select_only()
            .column(platform_event::Column::Id)
            .column(platform_event::Column::DedupeKey)
            .filter(platform_event::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        keys.extend(found);
    }
    Ok(rows
        .into_iter()
        .filter_map(|(at, event, value)| Some((at, keys.get(&event?)?.clone(), value)))
        .collect())
}

pub async fn template_history(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
) -> Result<Vec<HealthEntry>, AppError> {
    Ok(template_health::Entity::find()
        .filter(template_health::Column::TenantId.eq(scope.tenant_id().0))
        .filter(template_health::Column::TemplateId.eq(id.0))
        .order_by_desc(template_health::Column::At)
        .order_by_desc(template_health::Column::Id)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .map(|h| HealthEntry {
            kind: h.kind,
            value: h.value,
            detail: h.detail,
            at: h.at,
        })
        .collect())
}

// ---- numbers and accounts ----

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
    Ok(phone_number::Entity::find()
        .filter(phone_number::Column::TenantId.eq(scope.tenant_id().0))
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
    Ok(phone_number::Entity::find()
        .filter(phone_number::Column::TenantId.eq(scope.tenant_id().0))
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
        .filter(phone_number::Column::TenantId.eq(scope.tenant_id().0))
        .exec(db)
        .await?;
    super::one_row(r)
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
        .filter(phone_number::Column::TenantId.eq(scope.tenant_id().0))
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
    Ok(waba::Entity::find()
        .filter(waba::Column::TenantId.eq(scope.tenant_id().0))
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
        .filter(waba::Column::TenantId.eq(scope.tenant_id().0))
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
        .filter(waba::Column::TenantId.eq(scope.tenant_id().0))
        .exec(db)
        .await?;
    super::one_row(r)
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

// ---- messages ----

/// A message to write: its merged state and whom it went to (a keyed hash and a country).
#[derive(Clone, Debug)]
pub struct StatusRow {
    pub tenant: TenantId,
    pub phone: PhoneNumberRowId,
    pub recipient_hash: String,
    pub recipient_country: Option<String>,
    pub state: crate::domain::platform::MessageState,
}

/// Writes messages: new ones inserted, known ones moved forward only — the higher status, the
/// earlier time of each step, the first pricing seen: the merge of `MessageState::add`, done
/// again in SQL so two processes and any order agree. Idempotent. Returns the merged rows of
/// the messages that carry pricing (what rating reads), from the same statement. Rows are
/// written in key order, so two batches lock the same messages in the same order.
pub async fn upsert_statuses(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    rows: &[StatusRow],
    now: DateTime<Utc>,
) -> Result<Vec<super::pricing::Message>, AppError> {
    use message_status::Column as C;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<&StatusRow> = rows.iter().collect();
    rows.sort_by(|a, b| (a.phone.0, &a.state.wamid).cmp(&(b.phone.0, &b.state.wamid)));
    if super::columnar::columnar(db) {
        return upsert_statuses_columnar(db, &rows, now).await;
    }
    let models = rows.iter().map(|r| {
        let m = &r.state;
        message_status::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(r.tenant.0),
            phone_row_id: Set(r.phone.0),
            wamid: Set(m.wamid.chars().take(160).collect()),
            status: Set(m.status.code().into()),
            rank: Set(i32::from(m.status.rank())),
            recipient_hash: Set(r.recipient_hash.clone()),
            recipient_country: Set(r.recipient_country.clone()),
            category: Set(m.pricing.as_ref().and_then(|p| p.category.clone())),
            pricing_type: Set(m.pricing.as_ref().and_then(|p| p.kind.clone())),
            pricing_model: Set(m.pricing.as_ref().and_then(|p| p.model.clone())),
            billable: Set(m.pricing.as_ref().and_then(|p| p.billable)),
            sent_at: Set(m.sent_at),
            delivered_at: Set(m.delivered_at),
            read_at: Set(m.read_at),
            failed_at: Set(m.failed_at),
            error_code: Set(m.error_code),
            updated_at: Set(now),
            conversation_id: Set(m.pricing.as_ref().and_then(|p| p.conversation.clone())),
            usage_before: Set(None),
        }
    });
    let mut on = OnConflict::columns([C::PhoneRowId, C::Wamid]);
    on.values(
        STATUS_MERGE
            .iter()
            .map(|(c, name, m)| (*c, Expr::cust(m.sql(name)))),
    );
    on.value(C::UsageBefore, Expr::cust(USAGE_BEFORE));
    let mut q = message_status::Entity::insert_many(models)
        .on_conflict(on.to_owned())
        .into_query();
    q.returning(Query::returning().columns([
        C::TenantId,
        C::PhoneRowId,
        C::Wamid,
        C::RecipientCountry,
        C::Category,
        C::PricingType,
        C::PricingModel,
        C::Billable,
        C::ConversationId,
        C::SentAt,
        C::DeliveredAt,
        C::ReadAt,
        C::FailedAt,
        C::UsageBefore,
    ]));
    let mut priced = Vec::new();
    for row in db.query_all(&q).await? {
        let m = super::pricing::Message::from_query_result(&row, "")?;
        if m.pricing_type.is_some() || m.billable.is_some() {
            priced.push(m);
        }
    }
    Ok(priced)
}

/// How a stored status and an incoming one merge, per column: the furthest status wins, the
/// earliest time of each step, the first pricing seen; commutative, so order never matters.
#[derive(Clone, Copy)]
enum Merge {
    KeepHigher,
    Earlier,
    First,
    Latest,
}

impl Merge {
    fn sql(self, col: &str) -> String {
        match self {
            Self::KeepHigher => format!("CASE WHEN excluded.rank > message_statuses.rank THEN excluded.{col} ELSE message_statuses.{col} END"),
            Self::Earlier => format!("CASE WHEN message_statuses.{col} IS NULL THEN excluded.{col} WHEN excluded.{col} IS NULL THEN message_statuses.{col} WHEN excluded.{col} < message_statuses.{col} THEN excluded.{col} ELSE message_statuses.{col} END"),
            Self::First => format!("COALESCE(message_statuses.{col}, excluded.{col})"),
            Self::Latest => format!("excluded.{col}"),
        }
    }
}

const STATUS_MERGE: [(message_status::Column, &str, Merge); 13] = {
    use message_status::Column as C;
    [
        (C::Status, "status", Merge::KeepHigher),
        (C::Rank, "rank", Merge::KeepHigher),
        (C::SentAt, "sent_at", Merge::Earlier),
        (C::DeliveredAt, "delivered_at", Merge::Earlier),
        (C::ReadAt, "read_at", Merge::Earlier),
        (C::FailedAt, "failed_at", Merge::Earlier),
        (C::Category, "category", Merge::First),
        (C::PricingType, "pricing_type", Merge::First),
        (C::PricingModel, "pricing_model", Merge::First),
        (C::Billable, "billable", Merge::First),
        (C::ConversationId, "conversation_id", Merge::First),
        (C::ErrorCode, "error_code", Merge::First),
        (C::UpdatedAt, "updated_at", Merge::Latest),
    ]
};

/// What the status upsert returns: the merged message, for rating.
const STATUS_RETURNING: &str = "tenant_id, phone_row_id, wamid, recipient_country, category, pricing_type, pricing_model, billable, conversation_id, sent_at, delivered_at, read_at, failed_at, usage_before";

/// `usage_before` of a row the upsert updates: the usage state of the stored (old) row, as
/// rating left it in the same transaction as that row's upsert — none unless priced (the rows
/// the upsert hands to rating), confirmed once delivered or read, void if failed, else pending
/// (`UsageState::of`). A new row keeps NULL: no record yet. This is what lets rating skip the
/// read of `usage_records`.
const USAGE_BEFORE: &str = "CASE WHEN message_statuses.pricing_type IS NULL AND message_statuses.billable IS NULL THEN NULL \
     WHEN message_statuses.delivered_at IS NOT NULL OR message_statuses.read_at IS NOT NULL THEN 'confirmed' \
     WHEN message_statuses.failed_at IS NOT NULL THEN 'void' ELSE 'pending' END";

/// `upsert_statuses` on PostgreSQL: the batch as columns, one prepared statement.
async fn upsert_statuses_columnar(
    db: &impl ConnectionTrait,
    rows: &[&StatusRow],
    now: DateTime<Utc>,
) -> Result<Vec<super::pricing::Message>, AppError> {
    use super::columnar::Column;
    let c = |width| Column::with_capacity(rows.len(), width);
    let (mut id, mut tenant, mut phone, mut wamid, mut status, mut rank) =
        (c(36), c(36), c(36), c(40), c(9), c(1));
    let (mut hash, mut country, mut category, mut kind, mut model, mut billable) =
        (c(64), c(2), c(12), c(12), c(3), c(1));
    let (mut sent, mut delivered, mut read, mut failed, mut error, mut conversation) =
        (c(27), c(27), c(27), c(27), c(6), c(0));
    for r in rows {
        let m = &r.state;
        let p = m.pricing.as_ref();
        id.uuid(Uuid::now_v7());
        tenant.uuid(r.tenant.0);
        phone.uuid(r.phone.0);
        wamid.text(&m.wamid.chars().take(160).collect::<String>());
        status.text(m.status.code());
        rank.int(i64::from(m.status.rank()));
        hash.text(&r.recipient_hash);
        country.opt_text(r.recipient_country.as_deref());
        category.opt_text(p.and_then(|p| p.category.as_deref()));
        kind.opt_text(p.and_then(|p| p.kind.as_deref()));
        model.opt_text(p.and_then(|p| p.model.as_deref()));
        billable.opt_bool(p.and_then(|p| p.billable));
        sent.opt_time(m.sent_at);
        delivered.opt_time(m.delivered_at);
        read.opt_time(m.read_at);
        failed.opt_time(m.failed_at);
        error.opt_int(m.error_code);
        conversation.opt_text(p.and_then(|p| p.conversation.as_deref()));
    }
    let cols = vec![
        id,
        tenant,
        phone,
        wamid,
        status,
        rank,
        hash,
        country,
        category,
        kind,
        model,
        billable,
        sent,
        delivered,
        read,
        failed,
        error,
        conversation,
    ];
    let sets = STATUS_MERGE
        .iter()
        .map(|(_, name, m)| format!("{name} = {}", m.sql(name)))
        .chain([format!("usage_before = {USAGE_BEFORE}")])
        .collect::<Vec<_>>()
        .join(", ");
    // Only the rows rating has to look at come back: priced, and not confirmed before (a
    // status after delivery, the usual `read`, changes nothing billable).
    let sql = format!(
        "WITH up AS (INSERT INTO message_statuses (id, tenant_id, phone_row_id, wamid, status, rank, recipient_hash, recipient_country, category, pricing_type, pricing_model, billable, sent_at, delivered_at, read_at, failed_at, error_code, conversation_id, updated_at) \
         SELECT u.*, $19::timestamptz FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int4[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bool[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::int8[], $18::text[]) AS u \
         ON CONFLICT (phone_row_id, wamid) DO UPDATE SET {sets} RETURNING {STATUS_RETURNING}) \
         SELECT * FROM up WHERE (pricing_type IS NOT NULL OR billable IS NOT NULL) AND usage_before IS DISTINCT FROM 'confirmed'"
    );
    let mut priced = Vec::new();
    for row in db
        .query_all_raw(super::columnar::statement(&sql, cols, [now.into()]))
        .await?
    {
        let m = super::pricing::Message::from_query_result(&row, "")?;
        if m.pricing_type.is_some() || m.billable.is_some() {
            priced.push(m);
        }
    }
    Ok(priced)
}

/// Marks changes applied at once.
pub async fn finish_many(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    result: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    platform_event::Entity::update_many()
        .col_expr(platform_event::Column::Status, Expr::value(APPLIED))
        .col_expr(platform_event::Column::Result, Expr::value(result))
        .col_expr(platform_event::Column::ProcessedAt, Expr::value(now))
        .col_expr(
            platform_event::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(platform_event::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await?;
    Ok(())
}

/// A recorded message (tests and the billing side read these).
#[derive(Clone, Debug, PartialEq)]
pub struct MessageRow {
    pub wamid: String,
    pub status: String,
    pub recipient_hash: String,
    pub recipient_country: Option<String>,
    pub category: Option<String>,
    pub pricing_type: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
}

pub async fn messages(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
) -> Result<Vec<MessageRow>, AppError> {
    Ok(message_status::Entity::find()
        .filter(message_status::Column::TenantId.eq(scope.tenant_id().0))
        .order_by_asc(message_status::Column::Wamid)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MessageRow {
            wamid: m.wamid,
            status: m.status,
            recipient_hash: m.recipient_hash,
            recipient_country: m.recipient_country,
            category: m.category,
            pricing_type: m.pricing_type,
            sent_at: m.sent_at,
            delivered_at: m.delivered_at,
            read_at: m.read_at,
            failed_at: m.failed_at,
        })
        .collect())
}

/// Unique recipients of business-initiated (non-free) messages of the tenant since `since`.
pub async fn unique_recipients_since(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
) -> Result<u64, AppError> {
    let hashes: Vec<String> = message_status::Entity::find()
        .select_only()
        .column(message_status::Column::RecipientHash)
        .distinct()
        .filter(message_status::Column::TenantId.eq(scope.tenant_id().0))
        .filter(message_status::Column::SentAt.gte(since))
        .filter(
            message_status::Column::PricingType
                .eq("regular")
                .or(message_status::Column::Billable.eq(true)),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(hashes.len() as u64)
}

pub async fn window(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    user_hash: &str,
) -> Result<Window, AppError> {
    Ok(
        conversation_window::Entity::find_by_id((phone.0, user_hash.to_owned()))
            .filter(conversation_window::Column::TenantId.eq(scope.tenant_id().0))
            .one(db)
            .await?
            .map(|w| Window {
                last_inbound: w.last_inbound,
                last_referral: w.last_referral,
                fep_reply: w.fep_reply,
            })
            .unwrap_or_default(),
    )
}

pub async fn save_window(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    user_hash: &str,
    w: &Window,
) -> Result<(), AppError> {
    conversation_window::Entity::insert(conversation_window::ActiveModel {
        phone_row_id: Set(phone.0),
        user_hash: Set(user_hash.to_owned()),
        tenant_id: Set(scope.tenant_id().0),
        last_inbound: Set(w.last_inbound),
        last_referral: Set(w.last_referral),
        fep_reply: Set(w.fep_reply),
    })
    .on_conflict(
        OnConflict::columns([
            conversation_window::Column::PhoneRowId,
            conversation_window::Column::UserHash,
        ])
        .update_columns([
            conversation_window::Column::LastInbound,
            conversation_window::Column::LastReferral,
            conversation_window::Column::FepReply,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Of these (number, user) pairs, those with an ad referral after `since`: the only ones a
/// business message can open a free entry point window for (one read for a whole batch).
pub async fn referred_since(
    _scope: &SystemScope,
    db: &impl ConnectionTrait,
    pairs: &[(PhoneNumberRowId, &str)],
    since: DateTime<Utc>,
) -> Result<std::collections::HashSet<(Uuid, String)>, AppError> {
    use conversation_window::Column as C;
    if pairs.is_empty() {
        return Ok(Default::default());
    }
    let mut phones: Vec<Uuid> = pairs.iter().map(|(p, _)| p.0).collect();
    phones.sort_unstable();
    phones.dedup();
    let mut hashes: Vec<&str> = pairs.iter().map(|(_, h)| *h).collect();
    hashes.sort_unstable();
    hashes.dedup();
    let mut found = std::collections::HashSet::new();
    for chunk in hashes.chunks(1_000) {
        let rows: Vec<(Uuid, String)> = conversation_window::Entity::find()
            .select_only()
            .columns([C::PhoneRowId, C::UserHash])
            .filter(C::PhoneRowId.is_in(phones.clone()))
            .filter(C::UserHash.is_in(chunk.iter().map(|h| (*h).to_owned())))
            .filter(C::LastReferral.gt(since))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The business wrote to a user at `at`: if that answers an ad referral within 24 hours, the
/// 72-hour free entry point window opens (one conditional statement, no read).
pub async fn business_replied(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    user_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let earliest = at - TimeDelta::hours(crate::domain::session_window::FEP_REPLY_HOURS);
    conversation_window::Entity::update_many()
        .col_expr(conversation_window::Column::FepReply, Expr::value(at))
        .filter(conversation_window::Column::TenantId.eq(scope.tenant_id().0))
        .filter(conversation_window::Column::PhoneRowId.eq(phone.0))
        .filter(conversation_window::Column::UserHash.eq(user_hash))
        .filter(conversation_window::Column::LastReferral.lte(at))
        .filter(conversation_window::Column::LastReferral.gt(earliest))
        .filter(
            conversation_window::Column::FepReply
                .is_null()
                .or(conversation_window::Column::FepReply.gt(at)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Open customer-service windows of the tenant at `now` (number, user hash, closes at).
pub async fn open_windows(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(PhoneNumberRowId, String, Window)>, AppError> {
    let since = now
        - TimeDelta::hours(
            crate::domain::session_window::FEP_HOURS
                + crate::domain::session_window::FEP_REPLY_HOURS,
        );
    Ok(conversation_window::Entity::find()
        .filter(conversation_window::Column::TenantId.eq(scope.tenant_id().0))
        .filter(conversation_window::Column::LastInbound.gte(since))
        .order_by_desc(conversation_window::Column::LastInbound)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(|w| {
            (
                PhoneNumberRowId(w.phone_row_id),
                w.user_hash,
                Window {
                    last_inbound: w.last_inbound,
                    last_referral: w.last_referral,
                    fep_reply: w.fep_reply,
                },
            )
        })
        .filter(|(_, _, w)| w.csw_open(now) || w.fep_open(now))
        .collect())
}

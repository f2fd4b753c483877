//! Deliveries and their changes: storing, splitting, claiming (row locks or leases), finishing, retrying and replaying.

use super::common::*;

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
        let q = if super::super::columnar::columnar(db) {
            use super::super::columnar::Column;
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
            super::super::columnar::statement(
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
pub(super) fn lease_token(now: DateTime<Utc>, lease: TimeDelta) -> DateTime<Utc> {
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

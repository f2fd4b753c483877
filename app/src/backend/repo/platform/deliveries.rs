//! Webhook deliveries: stored as received (before the 200), claimed or leased to be split
//! into changes.

use super::{
    changes::{insert_changes, lease_token, ChangeRow},
    common::*,
};

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

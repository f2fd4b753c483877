//! The event processor's batch: claims (PostgreSQL) or leases (SQLite) what is due, splits
//! deliveries into changes, applies status-only changes in bulk and the rest one by one in
//! event-time order, and records failures for a retry.

use super::{
    bulk::{bulk_statuses, one_by_one, status_only, Bulk},
    common::{Fresh, Matcher},
    receive::{dedupe_key, retry_at},
};
use crate::{
    backend::{
        repo::{self, platform::StoredEvent},
        scope::SystemScope,
    },
    contract::AppError,
    domain::platform::{self},
};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, TransactionTrait};

/// Which changes a worker takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    /// Every change, in event order: the one worker that applies order-sensitive changes.
    All,
    /// Only status-only `messages` changes (PostgreSQL): they merge in any order, so extra
    /// workers take them beside the first.
    Statuses,
}

/// What one `process_due` call did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Processed {
    /// Changes applied, or attempted and left to retry (a redelivered change is not counted).
    pub changes: usize,
    /// Changes taken: stored ones claimed plus every change of the deliveries split; 0 when
    /// nothing was due.
    pub taken: usize,
}

/// The changes of claimed deliveries, in delivery order. A body that no longer splits (it was
/// checked on receipt) is logged and has nothing to apply.
fn split_deliveries(deliveries: &[repo::platform::UnsplitDelivery]) -> Vec<Fresh> {
    let mut out = Vec::new();
    for d in deliveries {
        match platform::split_parsed(d.body.as_bytes()) {
            Ok(changes) => out.extend(changes.into_iter().enumerate().map(
                |(i, (change, value))| Fresh {
                    id: uuid::Uuid::now_v7(),
                    delivery: d.id,
                    seq: i32::try_from(i).unwrap_or(i32::MAX),
                    key: dedupe_key(&change),
                    change,
                    value,
                    received_at: d.received_at,
                },
            )),
            Err(e) => {
                tracing::warn!(delivery = %d.id, error = %e, "a stored delivery does not split")
            }
        }
    }
    out
}

/// Processes up to about `limit` changes in one transaction: pending change rows first (retries,
/// replays, order-sensitive changes another worker split), then deliveries still to split. Each
/// change not applied in bulk gets its own savepoint: one failing change is retried later and
/// does not undo the others. A split change is written once: a status-only change straight as
/// applied with its statuses, any other pending, then applied by the first worker (`Lane::All`)
/// in event order. On PostgreSQL deliveries and changes are claimed inside the transaction (`SKIP
/// LOCKED`: workers and processes take disjoint sets, nothing is written to claim them); on
/// SQLite, which has one writer, they are leased first (`EVENT_LEASE_SECONDS`).
pub async fn process_due(
    scope: &SystemScope,
    limit: u64,
    lane: Lane,
) -> Result<Processed, AppError> {
    let now = scope.state().now();
    let Some((tx, mut events, deliveries)) = take(scope, limit, lane, now).await? else {
        return Ok(Processed::default());
    };
    let fresh = split_deliveries(&deliveries);
    let taken = events.len() + fresh.len();
    let (fresh_bulk, fresh_single): (Vec<Fresh>, Vec<Fresh>) =
        fresh.into_iter().partition(|f| f.change.statuses_only());
    // Order-sensitive changes are stored pending (a redelivery is skipped); the first worker
    // applies them in this batch with the others, another worker leaves them to it.
    let singles: Vec<&Fresh> = fresh_single.iter().collect();
    let pending = store_pending(scope, &tx, &singles, now).await?;
    if lane == Lane::All {
        events.extend(pending);
    }
    let split: Vec<uuid::Uuid> = deliveries.iter().map(|d| d.id).collect();
    repo::platform::mark_split(scope, &tx, &split, now).await?;
    // Event time order (the platform does not guarantee delivery order).
    events.sort_by_key(|e| (e.time.unwrap_or(e.received_at), e.received_at, e.seq));
    let mut m = Matcher::default();
    let mut failed = Vec::new();
    // Status-only `messages` changes (most of the traffic) are applied in bulk, after the others
    // (an inbound message opens the window a reply in the same batch answers); what the bulk
    // step does not take, or all of it if it fails, goes one by one like every other change.
    let (bulk, single): (Vec<&StoredEvent>, Vec<&StoredEvent>) =
        events.iter().partition(|e| status_only(e));
    one_by_one(scope, &tx, &single, &mut m, now, &mut failed).await?;
    // Only statuses applied in bulk (no alert, no email, nothing outside the database): the
    // commit need not wait for the disk. A database crash can lose it only whole, and then the
    // deliveries are still unsplit and the changes pending: they are applied again. Said before
    // the bulk step, which holds its band counters locked until the commit (no round trip in
    // between), and taken back below if anything else turned up.
    let quick = single.is_empty();
    if quick {
        repo::platform::commit_without_waiting_for_disk(&tx, true).await?;
    }
    let outcome = in_bulk(scope, &tx, &bulk, &fresh_bulk, &mut m, now).await?;
    // Split changes the bulk step did not take are stored pending and go one by one too.
    let left: Vec<&Fresh> = outcome.fresh_left.iter().map(|i| &fresh_bulk[*i]).collect();
    let late = store_pending(scope, &tx, &left, now).await?;
    let rest: Vec<&StoredEvent> = bulk
        .into_iter()
        .filter(|e| !outcome.stored.contains(&e.id))
        .chain(late.iter())
        .collect();
    one_by_one(scope, &tx, &rest, &mut m, now, &mut failed).await?;
    record_failures(scope, &tx, &failed, now).await?;
    if quick && !(rest.is_empty() && failed.is_empty()) {
        repo::platform::commit_without_waiting_for_disk(&tx, false).await?;
    }
    tx.commit().await?;
    Ok(Processed {
        changes: events.len() + outcome.fresh_applied + late.len(),
        taken,
    })
}

/// Takes what is due in a transaction: claimed inside it (PostgreSQL, `SKIP LOCKED`) or leased
/// before it (SQLite). `None` when nothing is due (the statuses lane has nothing to do without
/// row locks).
async fn take(
    scope: &SystemScope,
    limit: u64,
    lane: Lane,
    now: DateTime<Utc>,
) -> Result<Option<Taken>, AppError> {
    let db = scope.db();
    let locks = repo::platform::claims_with_locks(db);
    if !locks && lane == Lane::Statuses {
        return Ok(None);
    }
    let room = |events: &[StoredEvent]| limit.saturating_sub(events.len() as u64);
    let (tx, events, deliveries) = if locks {
        let tx = db.begin().await?;
        let events =
            repo::platform::claim_due(scope, &tx, now, limit, lane == Lane::Statuses).await?;
        let deliveries = if room(&events) > 0 {
            repo::platform::claim_unsplit(scope, &tx, room(&events)).await?
        } else {
            Vec::new()
        };
        (tx, events, deliveries)
    } else {
        let lease = scope.state().settings.event_lease;
        let events = repo::platform::lease_due(scope, db, now, lease, limit).await?;
        let deliveries = if room(&events) > 0 {
            repo::platform::lease_unsplit(scope, db, now, lease, room(&events)).await?
        } else {
            Vec::new()
        };
        (db.begin().await?, events, deliveries)
    };
    if events.is_empty() && deliveries.is_empty() {
        tx.commit().await?;
        return Ok(None);
    }
    Ok(Some((tx, events, deliveries)))
}

/// A batch's transaction with the stored changes and the deliveries it took.
type Taken = (
    DatabaseTransaction,
    Vec<StoredEvent>,
    Vec<repo::platform::UnsplitDelivery>,
);

/// Stores split changes as pending (a redelivery is skipped); returns the ones written, as
/// stored changes to apply.
async fn store_pending(
    scope: &SystemScope,
    tx: &DatabaseTransaction,
    fresh: &[&Fresh],
    now: DateTime<Utc>,
) -> Result<Vec<StoredEvent>, AppError> {
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = fresh.iter().map(|f| f.row(None)).collect();
    let written =
        repo::platform::insert_changes(scope, tx, &rows, repo::platform::PENDING, None, now)
            .await?;
    Ok(fresh
        .iter()
        .filter(|f| written.contains(&f.id))
        .map(|f| f.stored())
        .collect())
}

/// The bulk step in its own savepoint: if it fails, nothing of it stays and every change goes
/// one by one instead.
async fn in_bulk(
    scope: &SystemScope,
    tx: &DatabaseTransaction,
    bulk: &[&StoredEvent],
    fresh: &[Fresh],
    m: &mut Matcher,
    now: DateTime<Utc>,
) -> Result<Bulk, AppError> {
    let sp = tx.begin().await?;
    match bulk_statuses(scope, &sp, bulk, fresh, m, now).await {
        Ok(outcome) => {
            sp.commit().await?;
            Ok(outcome)
        }
        Err(e) => {
            tracing::warn!(error = %e, "bulk status processing failed, one by one instead");
            sp.rollback().await?;
            Ok(Bulk {
                stored: std::collections::HashSet::new(),
                fresh_applied: 0,
                fresh_left: (0..fresh.len()).collect(),
            })
        }
    }
}

/// Records the failed changes for a retry (30 s doubling, up to 10 attempts).
async fn record_failures(
    scope: &SystemScope,
    tx: &DatabaseTransaction,
    failed: &[(&StoredEvent, AppError)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (e, err) in failed {
        tracing::warn!(event = %e.id, attempt = e.attempts + 1, error = %err, "platform event failed");
        repo::platform::attempt_failed(
            scope,
            tx,
            e.id,
            &err.to_string(),
            retry_at(now, e.attempts),
        )
        .await?;
    }
    Ok(())
}

/// Processes everything due (tests and the CLI): loops until nothing is left.
pub async fn process_all(scope: &SystemScope) -> Result<usize, AppError> {
    let mut total = 0;
    loop {
        let p = process_due(scope, 500, Lane::All).await?;
        if p.taken == 0 {
            return Ok(total);
        }
        total += p.changes;
    }
}

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
use sea_orm::TransactionTrait;

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
    let db = scope.db();
    let locks = repo::platform::claims_with_locks(db);
    if !locks && lane == Lane::Statuses {
        return Ok(Processed::default());
    }
    let room = |events: &[StoredEvent]| limit.saturating_sub(events.len() as u64);
    let (tx, mut events, deliveries) = if locks {
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
        return Ok(Processed::default());
    }
    let fresh = split_deliveries(&deliveries);
    let taken = events.len() + fresh.len();
    let (fresh_bulk, fresh_single): (Vec<Fresh>, Vec<Fresh>) =
        fresh.into_iter().partition(|f| f.change.statuses_only());
    // Order-sensitive changes are stored pending (a redelivery is skipped); the first worker
    // applies them in this batch with the others, another worker leaves them to it.
    if !fresh_single.is_empty() {
        let rows: Vec<_> = fresh_single.iter().map(|f| f.row(None)).collect();
        let written =
            repo::platform::insert_changes(scope, &tx, &rows, repo::platform::PENDING, None, now)
                .await?;
        if lane == Lane::All {
            events.extend(
                fresh_single
                    .iter()
                    .filter(|f| written.contains(&f.id))
                    .map(Fresh::stored),
            );
        }
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
    let sp = tx.begin().await?;
    let outcome = match bulk_statuses(scope, &sp, &bulk, &fresh_bulk, &mut m, now).await {
        Ok(outcome) => {
            sp.commit().await?;
            outcome
        }
        Err(e) => {
            tracing::warn!(error = %e, "bulk status processing failed, one by one instead");
            sp.rollback().await?;
            Bulk {
                stored: std::collections::HashSet::new(),
                fresh_applied: 0,
                fresh_left: (0..fresh_bulk.len()).collect(),
            }
        }
    };
    // Split changes the bulk step did not take are stored pending and go one by one too.
    let late: Vec<StoredEvent> = if outcome.fresh_left.is_empty() {
        Vec::new()
    } else {
        let rows: Vec<_> = outcome
            .fresh_left
            .iter()
            .map(|i| fresh_bulk[*i].row(None))
            .collect();
        let written =
            repo::platform::insert_changes(scope, &tx, &rows, repo::platform::PENDING, None, now)
                .await?;
        outcome
            .fresh_left
            .iter()
            .map(|i| &fresh_bulk[*i])
            .filter(|f| written.contains(&f.id))
            .map(Fresh::stored)
            .collect()
    };
    let rest: Vec<&StoredEvent> = bulk
        .into_iter()
        .filter(|e| !outcome.stored.contains(&e.id))
        .chain(late.iter())
        .collect();
    one_by_one(scope, &tx, &rest, &mut m, now, &mut failed).await?;
    for (e, err) in &failed {
        tracing::warn!(event = %e.id, attempt = e.attempts + 1, error = %err, "platform event failed");
        repo::platform::attempt_failed(
            scope,
            &tx,
            e.id,
            &err.to_string(),
            retry_at(now, e.attempts),
        )
        .await?;
    }
    if quick && !(rest.is_empty() && failed.is_empty()) {
        repo::platform::commit_without_waiting_for_disk(&tx, false).await?;
    }
    tx.commit().await?;
    Ok(Processed {
        changes: events.len() + outcome.fresh_applied + late.len(),
        taken,
    })
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

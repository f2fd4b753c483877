//! The two paths of a batch's changes: status-only `messages` changes of known numbers applied
//! in bulk, every other change one by one in its own savepoint.

use super::{
    apply::apply,
    common::{Fresh, Matcher},
    statuses::Statuses,
};
use crate::domain::platform::MessagesChange;
use crate::{
    backend::{
        repo::{
            self,
            platform::{StoredEvent, APPLIED},
        },
        scope::SystemScope,
    },
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TenantId},
        platform::{self, Change},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::Value;

/// Applies changes one at a time, each in its own savepoint; failures are collected.
pub(super) async fn one_by_one<'a>(
    scope: &SystemScope,
    tx: &sea_orm::DatabaseTransaction,
    events: &[&'a StoredEvent],
    m: &mut Matcher,
    now: DateTime<Utc>,
    failed: &mut Vec<(&'a StoredEvent, AppError)>,
) -> Result<(), AppError> {
    for e in events {
        let sp = tx.begin().await?;
        match apply(scope, &sp, e, m, now).await {
            Ok(o) => {
                repo::platform::finish(scope, &sp, e.id, o.status, o.tenant, &o.result, now)
                    .await?;
                sp.commit().await?;
            }
            Err(err) => {
                sp.rollback().await?;
                failed.push((*e, err));
            }
        }
    }
    Ok(())
}

/// A `messages` change that carries statuses and nothing else.
pub(super) fn status_only(e: &StoredEvent) -> bool {
    platform::statuses_only(&e.field, e.phone_number_id.as_deref(), &e.payload)
}

/// What the bulk step took.
pub(super) struct Bulk {
    /// Stored changes applied.
    pub(super) stored: std::collections::HashSet<uuid::Uuid>,
    /// Split changes stored as applied (redeliveries skipped are not counted).
    pub(super) fresh_applied: usize,
    /// Split changes it did not take (indices): unknown numbers, say.
    pub(super) fresh_left: Vec<usize>,
}

/// The statuses of a status-only `messages` change of a known number, with its tenant and number.
async fn statuses_of(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    m: &mut Matcher,
    field: &str,
    pnid: Option<&str>,
    value: &Value,
) -> Result<Option<(TenantId, PhoneNumberRowId, Vec<platform::StatusUpdate>)>, AppError> {
    let (Some(pnid), "messages") = (pnid, field) else {
        return Ok(None);
    };
    let Change::Messages(MessagesChange { statuses, inbound }) = platform::interpret(field, value)
    else {
        return Ok(None);
    };
    if !inbound.is_empty() || statuses.is_empty() {
        return Ok(None);
    }
    if !m.phones.contains_key(pnid) {
        let hit = repo::platform::phone_by_platform_id(scope, db, pnid).await?;
        m.phones.insert(pnid.to_owned(), hit);
    }
    Ok(m.phones
        .get(pnid)
        .copied()
        .flatten()
        .map(|(tenant, phone, _)| (tenant, phone, statuses)))
}

/// Applies the status-only `messages` changes of a batch whose number is known: stored ones
/// (`events`) and ones split in this batch (`fresh`, written here as applied; a redelivery is
/// skipped). Their statuses are merged per message, written with one upsert per 500 messages
/// that keeps the highest status and the earliest time of each (so any order gives the same
/// rows); the stored changes are marked applied at once.
pub(super) async fn bulk_statuses(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    events: &[&StoredEvent],
    fresh: &[Fresh],
    m: &mut Matcher,
    now: DateTime<Utc>,
) -> Result<Bulk, AppError> {
    let mut stored = std::collections::HashSet::new();
    let mut batch = Statuses::new(scope);
    for e in events {
        if let Some((tenant, phone, statuses)) = statuses_of(
            scope,
            db,
            m,
            &e.field,
            e.phone_number_id.as_deref(),
            &serde_json::from_str(&e.payload).unwrap_or(Value::Null),
        )
        .await?
        {
            batch.add(tenant, phone, &statuses);
            stored.insert(e.id);
        }
    }
    let mut taken = Vec::new();
    let mut fresh_left = Vec::new();
    for (i, f) in fresh.iter().enumerate() {
        match statuses_of(
            scope,
            db,
            m,
            &f.change.field,
            f.change.phone_number_id.as_deref(),
            &f.value,
        )
        .await?
        {
            Some(hit) => taken.push((i, hit)),
            None => fresh_left.push(i),
        }
    }
    // The changes are written or marked first and the band counters bumped last (in `write`):
    // two workers rating the same month's messages wait for each other only from the bump to
    // the commit.
    let rows: Vec<_> = taken
        .iter()
        .map(|(i, (tenant, _, _))| fresh[*i].row(Some(*tenant)))
        .collect();
    let written = if rows.is_empty() {
        std::collections::HashSet::new()
    } else {
        repo::platform::insert_changes(scope, db, &rows, APPLIED, Some(STATUSES_RECORDED), now)
            .await?
    };
    let mut fresh_applied = 0;
    for (i, (tenant, phone, statuses)) in &taken {
        if written.contains(&fresh[*i].id) {
            batch.add(*tenant, *phone, statuses);
            fresh_applied += 1;
        }
    }
    let ids: Vec<uuid::Uuid> = stored.iter().copied().collect();
    for chunk in ids.chunks(500) {
        repo::platform::finish_many(scope, db, chunk, STATUSES_RECORDED, now).await?;
    }
    if !stored.is_empty() || fresh_applied > 0 {
        batch.write(scope, db, now).await?;
    }
    Ok(Bulk {
        stored,
        fresh_applied,
        fresh_left,
    })
}

/// The result recorded on a status-only change applied in bulk.
const STATUSES_RECORDED: &str = "statuses recorded";

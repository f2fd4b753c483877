//! Platform events: receiving webhook deliveries (signature checked, stored before the 200)
//! and processing their changes in a job (batched, idempotent, in event-time order, retried),
//! keeping templates, numbers and accounts current and raising alerts.

use super::alerts;
use crate::{
    backend::{
        auth::system_in_tenant,
        repo::{
            self,
            alerts::NewAlert,
            platform::{StoredEvent, TemplateStatusUpdate, APPLIED, IGNORED, UNMATCHED},
        },
        scope::{SystemScope, TenantScope},
    },
    contract::AppError,
    domain::{
        alert::{AlertKind, Severity},
        ids::{PhoneNumberRowId, TenantId, WabaRowId},
        messaging_tier::{flag_deadline, Quality},
        platform::{self, incidents, pause_outlook, CategoryChange, Change, RawChange},
        template::status::{transition, Event, TemplateStatus},
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{KeyInit, Mac};
use sea_orm::{ConnectionTrait, TransactionTrait};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use std::collections::HashMap;

type HmacSha256 = hmac::Hmac<sha2_next::Sha256>;

/// Checks `X-Hub-Signature-256: sha256=<hex>` against the raw body, in constant time.
pub fn signature_valid(app_secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(app_secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The `X-Hub-Signature-256` value for `body` (tests, the benchmark's load process).
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = match HmacSha256::new_from_slice(app_secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A keyed hash of a user's number: counts unique users without storing who they are.
pub fn recipient_hash(key: &[u8], who: &str) -> String {
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(who.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The same change delivered again (a retry, a second subscribed app) has the same key.
pub fn dedupe_key(c: &RawChange) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(c.waba_id.as_bytes());
    h.update([0]);
    h.update(
        c.time
            .map(|t| t.timestamp())
            .unwrap_or_default()
            .to_le_bytes(),
    );
    h.update(c.field.as_bytes());
    h.update([0]);
    h.update(c.value.as_bytes());
    hex::encode(h.finalize())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub changes: usize,
}

/// Stores a verified delivery (the caller checked the signature) as received: one row, the raw
/// body, committed before the 200; the processor splits it into its changes (a redelivered
/// change is skipped then). Malformed bodies are a `Request` error (400) and nothing is stored.
pub async fn receive(scope: &SystemScope, body: &[u8]) -> Result<Received, AppError> {
    let _receiving = crate::backend::state::Receiving::start(scope.state());
    let changes = platform::split(body)
        .map_err(|e| AppError::Request {
            message: e.to_string(),
        })?
        .len();
    let text = String::from_utf8_lossy(body).into_owned();
    repo::platform::store_unsplit(scope, scope.db(), text, changes, scope.state().now()).await?;
    Ok(Received { changes })
}

/// Retry delays of a change whose processing failed: 30 s doubling, up to 10 attempts.
pub fn retry_at(now: DateTime<Utc>, attempts_before: i32) -> Option<DateTime<Utc>> {
    let n = attempts_before + 1;
    (n < 10).then(|| now + TimeDelta::seconds(30 * (1i64 << (n - 1).clamp(0, 12))))
}

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

/// A change of a delivery split in this batch: not stored yet.
struct Fresh {
    id: uuid::Uuid,
    delivery: uuid::Uuid,
    seq: i32,
    key: String,
    change: RawChange,
    value: Value,
    received_at: DateTime<Utc>,
}

impl Fresh {
    fn row(&self, tenant: Option<TenantId>) -> repo::platform::ChangeRow<'_> {
        repo::platform::ChangeRow {
            id: self.id,
            delivery: self.delivery,
            seq: self.seq,
            dedupe_key: &self.key,
            change: &self.change,
            tenant,
            received_at: self.received_at,
        }
    }

    fn stored(&self) -> StoredEvent {
        let c = &self.change;
        StoredEvent {
            id: self.id,
            dedupe_key: self.key.clone(),
            seq: self.seq,
            field: c.field.clone(),
            waba_id: c.waba_id.clone(),
            phone_number_id: c.phone_number_id.clone(),
            payload: c.value.clone(),
            time: c.time,
            received_at: self.received_at,
            attempts: 0,
        }
    }
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

/// Message statuses gathered from one or many changes: merged per message (the domain's
/// `MessageState`), then written with one upsert per 500 messages; replies are checked against
/// ad referrals (the free entry point window).
struct Statuses {
    key: Vec<u8>,
    rows: HashMap<(uuid::Uuid, String), repo::platform::StatusRow>,
    sent: Vec<(TenantId, PhoneNumberRowId, String, DateTime<Utc>)>,
    /// Each recipient's hash and country, worked out once (a user gets several messages and
    /// statuses, across batches; parsing the number is the costly part): `AppState::recipients`.
    recipients: std::sync::Arc<crate::backend::state::RecipientCache>,
}

impl Statuses {
    fn new(scope: &SystemScope) -> Self {
        Self {
            key: scope
                .state()
                .settings
                .webhook
                .recipient_key
                .expose_secret()
                .as_bytes()
                .to_vec(),
            rows: HashMap::new(),
            sent: Vec::new(),
            recipients: scope.state().recipients.clone(),
        }
    }

    fn add(
        &mut self,
        tenant: TenantId,
        phone: PhoneNumberRowId,
        statuses: &[platform::StatusUpdate],
    ) {
        for s in statuses {
            let key = &self.key;
            let (hash, country) = self.recipients.get_or(&s.recipient, || {
                (
                    recipient_hash(key, &s.recipient),
                    crate::domain::phone::country_of(&s.recipient),
                )
            });
            if let (platform::DeliveryStatus::Sent, Some(at)) = (s.status, s.at) {
                self.sent.push((tenant, phone, hash.clone(), at));
            }
            match self.rows.entry((phone.0, s.wamid.clone())) {
                std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().state.add(s),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(repo::platform::StatusRow {
                        tenant,
                        phone,
                        recipient_hash: hash,
                        recipient_country: country,
                        state: platform::MessageState::of(s),
                    });
                }
            }
        }
    }

    async fn write(
        self,
        scope: &SystemScope,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        // Only users who came from an ad shortly before can get a free entry point window:
        // one read finds them, then only their windows are written.
        if let Some(first) = self.sent.iter().map(|s| s.3).min() {
            let pairs: Vec<(PhoneNumberRowId, &str)> = self
                .sent
                .iter()
                .map(|(_, p, h, _)| (*p, h.as_str()))
                .collect();
            let since = first - TimeDelta::hours(crate::domain::session_window::FEP_REPLY_HOURS);
            let referred = repo::platform::referred_since(scope, db, &pairs, since).await?;
            for (tenant, phone, hash, at) in &self.sent {
                if referred.contains(&(phone.0, hash.clone())) {
                    repo::platform::business_replied(
                        &system_in_tenant(scope, *tenant),
                        db,
                        *phone,
                        hash,
                        *at,
                    )
                    .await?;
                }
            }
        }
        // In key order across chunks too: workers applying statuses at once lock the same
        // messages in the same order.
        let mut rows: Vec<_> = self.rows.into_values().collect();
        rows.sort_by(|a, b| (a.phone.0, &a.state.wamid).cmp(&(b.phone.0, &b.state.wamid)));
        for chunk in rows.chunks(500) {
            let priced = repo::platform::upsert_statuses(scope, db, chunk, now).await?;
            super::rating::rate_messages(scope, db, priced, now).await?;
        }
        Ok(())
    }
}

/// Applies changes one at a time, each in its own savepoint; failures are collected.
async fn one_by_one<'a>(
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
fn status_only(e: &StoredEvent) -> bool {
    platform::statuses_only(&e.field, e.phone_number_id.as_deref(), &e.payload)
}

/// What the bulk step took.
struct Bulk {
    /// Stored changes applied.
    stored: std::collections::HashSet<uuid::Uuid>,
    /// Split changes stored as applied (redeliveries skipped are not counted).
    fresh_applied: usize,
    /// Split changes it did not take (indices): unknown numbers, say.
    fresh_left: Vec<usize>,
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
    let Change::Messages { statuses, inbound } = platform::interpret(field, value) else {
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
async fn bulk_statuses(
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

#[derive(Default)]
struct Matcher {
    wabas: HashMap<String, Option<(TenantId, WabaRowId)>>,
    phones: HashMap<String, Option<(TenantId, PhoneNumberRowId, WabaRowId)>>,
}

struct Outcome {
    status: &'static str,
    tenant: Option<TenantId>,
    result: String,
}

fn outcome(
    status: &'static str,
    tenant: Option<TenantId>,
    result: impl Into<String>,
) -> Result<Outcome, AppError> {
    Ok(Outcome {
        status,
        tenant,
        result: result.into(),
    })
}

async fn apply(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    e: &StoredEvent,
    m: &mut Matcher,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let value: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let change = platform::interpret(&e.field, &value);
    let at = e.time.unwrap_or(e.received_at);
    if let Change::Messages { statuses, inbound } = &change {
        let Some(pnid) = &e.phone_number_id else {
            return outcome(
                UNMATCHED,
                None,
                "a messages change without metadata.phone_number_id",
            );
        };
        if !m.phones.contains_key(pnid) {
            let hit = repo::platform::phone_by_platform_id(scope, db, pnid).await?;
            m.phones.insert(pnid.clone(), hit);
        }
        let Some(Some((tenant, phone, _))) = m.phones.get(pnid).copied() else {
            return outcome(
                UNMATCHED,
                None,
                format!("no tenant has phone number id {pnid}"),
            );
        };
        let ts = system_in_tenant(scope, tenant);
        return messages(scope, &ts, db, phone, statuses, inbound, now).await;
    }
    if !m.wabas.contains_key(&e.waba_id) {
        let hit = repo::platform::waba_by_platform_id(scope, db, &e.waba_id).await?;
        m.wabas.insert(e.waba_id.clone(), hit);
    }
    let Some(Some((tenant, waba))) = m.wabas.get(&e.waba_id).copied() else {
        return outcome(
            UNMATCHED,
            None,
            format!("no tenant has WhatsApp business account {}", e.waba_id),
        );
    };
    let ts = system_in_tenant(scope, tenant);
    let t = Some(tenant);
    let ctx = Ctx {
        ts: &ts,
        event: e,
        now,
    };
    match change {
        Change::Unknown => outcome(
            UNMATCHED,
            t,
            format!("the field {} is not handled", e.field),
        ),
        Change::TemplateStatus {
            template,
            event,
            raw_event,
            reason,
            rejection,
            pause_title,
            description,
            disable_date,
        } => {
            let Some(ev) = event else {
                return outcome(IGNORED, t, format!("unknown template event {raw_event:?}"));
            };
            let Some(id) = repo::platform::find_template(
                &ts,
                db,
                waba,
                template.platform_id.as_deref(),
                template.name.as_deref(),
                template.language.as_deref(),
            )
            .await?
            else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!(
                        "no template {} ({}) with id {}",
                        template.name.unwrap_or_default(),
                        template.language.unwrap_or_default(),
                        template.platform_id.unwrap_or_default()
                    ),
                );
            };
            let h = repo::platform::template_health(&ts, db, id).await?;
            let Some((revision, number, current)) = h.revision else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!("template {} was never sent to the platform", h.name),
                );
            };
            let to = ev.target();
            let reason_json = json!({"event": raw_event, "reason": reason, "rejection": rejection, "title": pause_title, "description": description}).to_string();
            // The history keeps everything the platform said (once per event), late or not.
            repo::platform::add_template_history(
                &ts,
                db,
                id,
                "status",
                &raw_event,
                Some(reason_json.clone()),
                at,
                Some(e.id),
            )
            .await?;
            let stale = h
                .status_at
                .is_some_and(|last| platform::is_stale(at, to, last, current));
            let mut u = TemplateStatusUpdate {
                status_at: h.status_at,
                pause_count: h.pause_count,
                paused_until: h.paused_until,
                pause_title: h.pause_title.clone(),
                disable_date: h.disable_date,
                platform_reason: h.platform_reason.clone(),
            };
            let (status_now, mut what) = if stale {
                (current, format!("{raw_event} at {at} is older than the current status {current:?}: kept in the history only"))
            } else {
                u.status_at = Some(at);
                u.platform_reason = Some(reason_json);
                match to {
                    TemplateStatus::Paused => u.pause_title = pause_title.clone(),
                    TemplateStatus::Disabled => u.disable_date = disable_date.or(Some(at)),
                    TemplateStatus::Approved => {
                        u.disable_date = None;
                        u.pause_title = pause_title.clone();
                    }
                    _ => {}
                }
                let expected = current == TemplateStatus::BspApproved
                    || transition(current, Event::Platform(ev)).is_ok();
                let mut what = format!("revision {number}: {current:?} → {to:?}");
                if !expected {
                    what.push_str(" (not an expected step; the platform's word is kept)");
                }
                (to, what)
            };
            // The pause ladder counts the pauses up to the current status, whatever the order they came in.
            let pauses = match u.status_at {
                Some(s) => repo::platform::pauses_until(&ts, db, id, s).await?,
                None => 0,
            };
            u.pause_count = i32::try_from(pauses).unwrap_or(i32::MAX);
            u.paused_until = match (status_now, u.status_at) {
                (TemplateStatus::Paused, Some(s)) => {
                    pause_outlook(u.pause_title.as_deref(), pauses, s).until()
                }
                _ => None,
            };
            if let (false, Some(until)) = (stale, u.paused_until) {
                what.push_str(&format!(
                    ", paused until {}",
                    until.format("%Y-%m-%d %H:%M UTC")
                ));
            }
            repo::platform::set_template_status(
                &ts,
                db,
                id,
                (!stale).then_some((revision, to)),
                &u,
            )
            .await?;
            // Alerts follow the template's whole status history (this row's, whatever revision or
            // platform id each event named), late events included.
            let mine: History = repo::platform::template_status_events(&ts, db, id)
                .await?
                .into_iter()
                .map(|(at, key, raw)| {
                    (
                        at,
                        key,
                        platform::Change::of_template_event(&template, &raw),
                    )
                })
                .collect();
            let plan = incidents::template_incidents(&facts(&mine));
            let subject = Subject {
                kind: "template",
                id: id.0,
                label: format!("{} ({})", h.name, h.language),
                link: format!("/tenants/{}/templates/{}", tenant.0, id.0),
            };
            let paused_until = if stale { None } else { u.paused_until };
            let detail = [
                rejection.as_ref().map(|r| format!("{} {}", r.0, r.1)),
                reason.clone(),
                description.clone(),
                paused_until.map(|p| format!("until {}", p.format("%Y-%m-%d %H:%M UTC"))),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ");
            let said = ctx
                .incidents(db, &plan, &subject, |_, _| {
                    if detail.is_empty() {
                        raw_event.clone()
                    } else {
                        detail.clone()
                    }
                })
                .await?;
            what.push_str(&said);
            outcome(
                if stale && said.is_empty() {
                    IGNORED
                } else {
                    APPLIED
                },
                t,
                what,
            )
        }
        Change::TemplateQuality {
            template,
            previous,
            new,
        } => {
            let Some(id) = repo::platform::find_template(
                &ts,
                db,
                waba,
                template.platform_id.as_deref(),
                template.name.as_deref(),
                template.language.as_deref(),
            )
            .await?
            else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!(
                        "no template {} with id {}",
                        template.name.unwrap_or_default(),
                        template.platform_id.unwrap_or_default()
                    ),
                );
            };
            let h = repo::platform::template_health(&ts, db, id).await?;
            repo::platform::add_template_history(
                &ts,
                db,
                id,
                "quality",
                new.code(),
                previous.map(|p| p.code().to_owned()),
                at,
                Some(e.id),
            )
            .await?;
            if h.quality_at.is_some_and(|q| at < q) {
                return outcome(IGNORED, t, format!("quality {} at {at} is older than the current one: kept in the history only", new.code()));
            }
            repo::platform::set_template_quality(&ts, db, id, new.code(), Some(at)).await?;
            outcome(
                APPLIED,
                t,
                format!(
                    "quality {} → {}",
                    previous.map(Quality::code).unwrap_or("?"),
                    new.code()
                ),
            )
        }
        Change::TemplateCategory { template, change } => {
            let Some(id) = repo::platform::find_template(
                &ts,
                db,
                waba,
                template.platform_id.as_deref(),
                template.name.as_deref(),
                template.language.as_deref(),
            )
            .await?
            else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!(
                        "no template {} with id {}",
                        template.name.unwrap_or_default(),
                        template.platform_id.unwrap_or_default()
                    ),
                );
            };
            let h = repo::platform::template_health(&ts, db, id).await?;
            let label = format!("{} ({})", h.name, h.language);
            let link = format!("/tenants/{}/templates/{}", tenant.0, id.0);
            match change {
                CategoryChange::Impending { correct, at: when } => {
                    repo::platform::set_template_category(&ts, db, id, None, Some(&correct), when)
                        .await?;
                    repo::platform::add_template_history(
                        &ts,
                        db,
                        id,
                        "category",
                        &format!("→{correct}"),
                        when.map(|w| w.to_rfc3339()),
                        at,
                        Some(e.id),
                    )
                    .await?;
                    let cost =
                        super::rating::category_change_cost(&ts, db, &h.category, &correct, now)
                            .await?
                            .map(|c| format!("; {}", c.sentence(&h.category)))
                            .unwrap_or_default();
                    let detail = format!(
                        "{} → {correct}{}{cost}",
                        h.category,
                        when.map(|w| format!(" on {}", w.format("%Y-%m-%d %H:%M UTC")))
                            .unwrap_or_default()
                    );
                    ctx.alert(
                        db,
                        AlertKind::TemplateCategoryChanging,
                        None,
                        "template",
                        Some(id.0),
                        &label,
                        &link,
                        detail.clone(),
                    )
                    .await?;
                    outcome(APPLIED, t, format!("category change announced: {detail}"))
                }
                CategoryChange::Completed { previous, new } => {
                    let new = new.to_ascii_uppercase();
                    repo::platform::set_template_category(&ts, db, id, Some(&new), None, None)
                        .await?;
                    repo::platform::add_template_history(
                        &ts,
                        db,
                        id,
                        "category",
                        &new,
                        previous.clone(),
                        at,
                        Some(e.id),
                    )
                    .await?;
                    let from = previous.unwrap_or(h.category);
                    let cost = super::rating::category_change_cost(&ts, db, &from, &new, now)
                        .await?
                        .map(|c| format!("; {}", c.sentence(&from)))
                        .unwrap_or_default();
                    let detail = format!("{from} → {new}{cost}");
                    ctx.alert(
                        db,
                        AlertKind::TemplateCategoryChanged,
                        None,
                        "template",
                        Some(id.0),
                        &label,
                        &link,
                        detail.clone(),
                    )
                    .await?;
                    repo::alerts::resolve_for(
                        &ts,
                        db,
                        id.0,
                        &[AlertKind::TemplateCategoryChanging],
                        now,
                    )
                    .await?;
                    outcome(APPLIED, t, format!("category changed: {detail}"))
                }
            }
        }
        Change::NumberQuality {
            display_phone_number,
            event,
            current_limit,
            old_limit,
            portfolio_limit,
        } => {
            // The number's state is the fold of all its quality events in time order: the
            // same events give the same state in any delivery order.
            let digits = |d: &str| d.chars().filter(char::is_ascii_digit).collect::<String>();
            let mine = digits(&display_phone_number);
            let history = with_own(
                number_history(scope, db, &e.waba_id, &mine).await?,
                e,
                at,
                &value,
            );
            let state = platform::fold_number(history.iter().map(|(t, _, c)| (*t, c)));
            let latest = state.at == Some(at);
            let mut done = Vec::new();
            if let (Some(p), true) = (portfolio_limit, latest) {
                let mut a = repo::platform::account(&ts, db, waba).await?;
                a.portfolio_limit = Some(p.code().into());
                repo::platform::set_account_health(&ts, db, &a).await?;
                done.push(format!("portfolio limit {}", p.code()));
            }
            let Some(mut n) =
                repo::platform::number_by_display(&ts, db, waba, &display_phone_number).await?
            else {
                if done.is_empty() {
                    return outcome(
                        UNMATCHED,
                        t,
                        format!("no number {display_phone_number} in account {}", e.waba_id),
                    );
                }
                return outcome(APPLIED, t, done.join(", "));
            };
            set_state(&mut n, &state);
            repo::platform::set_number_health(&ts, db, &n).await?;
            let subject = Subject {
                kind: "number",
                id: n.id.0,
                label: n.number.clone(),
                link: format!("/tenants/{}/numbers", tenant.0),
            };
            let plan = incidents::number_incidents(&facts(&history));
            let flagged_since = n.flagged_at;
            let said = ctx
                .incidents(db, &plan, &subject, |kind, resolved| match kind {
                    // While the flag lasts its deadline counts from the start of the period.
                    AlertKind::NumberFlagged => {
                        let since = if resolved {
                            at
                        } else {
                            flagged_since.unwrap_or(at)
                        };
                        format!(
                            "back to CONNECTED if quality recovers, else one tier lower on {}",
                            flag_deadline(since).format("%Y-%m-%d %H:%M UTC")
                        )
                    }
                    AlertKind::NumberDowngraded => format!(
                        "{} → {}",
                        old_limit.map(|l| l.label()).unwrap_or_else(|| "?".into()),
                        current_limit
                            .map(|l| l.label())
                            .unwrap_or_else(|| "?".into())
                    ),
                    other => health_detail(other).to_owned(),
                })
                .await?;
            let older = if latest {
                ""
            } else {
                " (older than the number's latest event: folded into its history)"
            };
            done.insert(
                0,
                format!(
                    "{}: {event}{}{older}{said}",
                    subject.label,
                    current_limit
                        .map(|l| format!(", limit {}", l.code()))
                        .unwrap_or_default()
                ),
            );
            outcome(APPLIED, t, done.join(", "))
        }
        Change::NumberHealth {
            display_phone_number,
            ..
        } => {
            let Some(mut n) =
                repo::platform::number_by_display(&ts, db, waba, &display_phone_number).await?
            else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!("no number {display_phone_number} in account {}", e.waba_id),
                );
            };
            let digits: String = display_phone_number
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let history = with_own(
                number_history(scope, db, &e.waba_id, &digits).await?,
                e,
                at,
                &value,
            );
            let state = platform::fold_number(history.iter().map(|(t, _, c)| (*t, c)));
            set_state(&mut n, &state);
            repo::platform::set_number_health(&ts, db, &n).await?;
            let subject = Subject {
                kind: "number",
                id: n.id.0,
                label: n.number.clone(),
                link: format!("/tenants/{}/numbers", tenant.0),
            };
            let plan = incidents::number_incidents(&facts(&history));
            let said = ctx
                .incidents(db, &plan, &subject, |kind, _| {
                    health_detail(kind).to_owned()
                })
                .await?;
            let older = if state.at == Some(at) {
                ""
            } else {
                " (older than the number's latest event: folded into its history)"
            };
            outcome(
                APPLIED,
                t,
                format!(
                    "{}: status {}, quality {}{older}{said}",
                    subject.label,
                    n.status.as_deref().unwrap_or("?"),
                    n.quality.as_deref().unwrap_or("?")
                ),
            )
        }
        Change::NumberName {
            display_phone_number,
            decision,
            requested_name,
            rejection_reason,
        } => {
            let Some(mut n) =
                repo::platform::number_by_display(&ts, db, waba, &display_phone_number).await?
            else {
                return outcome(
                    UNMATCHED,
                    t,
                    format!("no number {display_phone_number} in account {}", e.waba_id),
                );
            };
            n.name_decision = Some(decision.chars().take(16).collect());
            n.name_rejection = rejection_reason
                .clone()
                .map(|r| r.chars().take(64).collect());
            repo::platform::set_number_health(&ts, db, &n).await?;
            let label = format!(
                "{} — {}",
                n.number,
                requested_name
                    .clone()
                    .unwrap_or_else(|| n.display_name.clone())
            );
            if decision == "REJECTED" {
                ctx.alert(
                    db,
                    AlertKind::NumberNameRejected,
                    None,
                    "number",
                    Some(n.id.0),
                    &label,
                    &format!("/tenants/{}/numbers", tenant.0),
                    rejection_reason.unwrap_or_else(|| "REJECTED".into()),
                )
                .await?;
            } else if decision == "APPROVED" {
                repo::alerts::resolve_for(&ts, db, n.id.0, &[AlertKind::NumberNameRejected], now)
                    .await?;
            }
            outcome(
                APPLIED,
                t,
                format!("display name of {}: {decision}", n.number),
            )
        }
        Change::Capability {
            portfolio_limit,
            per_phone_limit,
            max_phone_numbers,
        } => {
            let mut a = repo::platform::account(&ts, db, waba).await?;
            if let Some(p) = portfolio_limit {
                a.portfolio_limit = Some(p.code().into());
            }
            a.health_at = Some(at);
            repo::platform::set_account_health(&ts, db, &a).await?;
            if let Some(p) = per_phone_limit {
                repo::platform::set_waba_numbers_tier(&ts, db, waba, p.code()).await?;
            }
            outcome(
                APPLIED,
                t,
                format!(
                    "limits: portfolio {}, per number {}, numbers {}",
                    portfolio_limit.map(|l| l.code()).unwrap_or("-"),
                    per_phone_limit.map(|l| l.code()).unwrap_or("-"),
                    max_phone_numbers
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "-".into())
                ),
            )
        }
        Change::Account {
            event,
            ban_state,
            ban_date,
            violation,
            restrictions,
        } => {
            let history = with_own(
                history_of(scope, db, &e.waba_id, &e.field).await?,
                e,
                at,
                &value,
            );
            let state = platform::fold_account(history.iter().map(|(t, _, c)| (*t, c)));
            let mut a = repo::platform::account(&ts, db, waba).await?;
            a.account_event = state.last_event.map(|v| v.chars().take(64).collect());
            a.violation = state.violation.map(|v| v.chars().take(64).collect());
            a.restrictions =
                (!state.restrictions.is_empty()).then(|| json!(state.restrictions).to_string());
            a.ban_state = state.ban_state;
            a.ban_date = state.ban_date;
            a.health_at = state.at;
            repo::platform::set_account_health(&ts, db, &a).await?;
            let subject = Subject {
                kind: "account",
                id: waba.0,
                label: format!("WhatsApp business account {}", a.waba_id),
                link: format!("/tenants/{}/alerts", tenant.0),
            };
            let plan = incidents::account_incidents(&facts(&history));
            let said = ctx
                .incidents(db, &plan, &subject, |kind, _| match kind {
                    AlertKind::AccountViolation => {
                        violation.clone().unwrap_or_else(|| event.to_string())
                    }
                    AlertKind::AccountRestriction => restrictions
                        .iter()
                        .map(|(r, until)| {
                            format!(
                                "{r}{}",
                                until
                                    .map(|u| format!(" until {}", u.format("%Y-%m-%d %H:%M UTC")))
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    AlertKind::AccountDisableScheduled | AlertKind::AccountDisabled => format!(
                        "{}{}",
                        ban_state
                            .as_ref()
                            .map(|b| b.to_string())
                            .unwrap_or_default(),
                        ban_date
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    ),
                    _ => event.to_string(),
                })
                .await?;
            let older = if state.at == Some(at) {
                ""
            } else {
                " (older than the account's latest event: folded into its history)"
            };
            outcome(APPLIED, t, format!("account: {event}{older}{said}"))
        }
        Change::AccountAlert {
            entity_type,
            entity_id,
            severity,
            status,
            alert_type,
            description,
        } => {
            let sev = match severity.as_str() {
                "CRITICAL" => Severity::Critical,
                "WARNING" => Severity::Warning,
                _ => Severity::Info,
            };
            let mut decided = 0;
            if status == "ACTIVE" && matches!(alert_type.as_str(), "OBA_APPROVED" | "OBA_REJECTED")
            {
                let phone = (entity_type == "PHONE_NUMBER").then_some(entity_id.as_str());
                decided = super::oba::apply_platform(
                    &ts,
                    db,
                    phone,
                    alert_type == "OBA_APPROVED",
                    description.as_deref(),
                    now,
                )
                .await?;
            }
            if status == "ACTIVE"
                && alert_type == "PROFILE_PICTURE_LOST"
                && entity_type == "PHONE_NUMBER"
            {
                let sys = crate::backend::scope::SystemScope::new(ts.state().clone());
                if let Some((owner, phone, _)) =
                    repo::platform::phone_by_platform_id(&sys, db, &entity_id).await?
                {
                    if owner == ts.tenant_id() {
                        let why = format!("WhatsApp lost the profile picture{}; save the profile to send it again", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default());
                        repo::profiles::mark_picture_lost(&ts, db, phone, &why).await?;
                    }
                }
            }
            if status == "ACTIVE" {
                let label = format!("{} {entity_id}", entity_type.to_ascii_lowercase());
                let detail = format!(
                    "{alert_type}{}",
                    description.map(|d| format!(": {d}")).unwrap_or_default()
                );
                ctx.alert(
                    db,
                    AlertKind::PlatformNotice,
                    Some(sev),
                    "account",
                    Some(waba.0),
                    &label,
                    &format!("/tenants/{}/alerts", tenant.0),
                    detail,
                )
                .await?;
            }
            let note = if decided > 0 {
                format!("; {decided} badge request(s) decided")
            } else {
                String::new()
            };
            outcome(
                APPLIED,
                t,
                format!("{alert_type} ({severity}, {status}){note}"),
            )
        }
        Change::Security {
            display_phone_number,
            event,
        } => outcome(
            APPLIED,
            t,
            format!("security: {event} on {display_phone_number}"),
        ),
        Change::Messages { .. } => outcome(IGNORED, t, "unreachable"),
    }
}

/// A number's history: its quality webhooks and the console's health reads in time order
/// (each field's in (time, key) order; at the same instant a webhook before a health read),
/// the input of its fold and of its incidents. `digits`: the number's digits.
async fn number_history(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    waba_id: &str,
    digits: &str,
) -> Result<History, AppError> {
    let only = |d: &str| d.chars().filter(char::is_ascii_digit).collect::<String>() == digits;
    let mut history = history_of(scope, db, waba_id, "phone_number_quality_update").await?;
    history.extend(history_of(scope, db, waba_id, platform::NUMBER_HEALTH).await?);
    history.sort_by_key(|(t, _, _)| *t);
    history.retain(|(_, _, c)| matches!(c, Change::NumberQuality { display_phone_number: d, .. } | Change::NumberHealth { display_phone_number: d, .. } if only(d)));
    Ok(history)
}

/// The history with the change being applied in it: a history read is bounded (the latest
/// 5,000 changes of a field), and a late change older than those must still count.
fn with_own(mut history: History, e: &StoredEvent, at: DateTime<Utc>, value: &Value) -> History {
    if !history.iter().any(|(_, key, _)| *key == e.dedupe_key) {
        history.push((
            at,
            e.dedupe_key.clone(),
            platform::interpret(&e.field, value),
        ));
        history.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    }
    history
}

/// A subject's history as the incident rules read it.
fn facts(history: &History) -> Vec<incidents::Fact<'_>> {
    history
        .iter()
        .map(|(at, key, change)| incidents::Fact {
            at: *at,
            key: key.as_str(),
            change,
        })
        .collect()
}

/// What a health reading's alert says.
fn health_detail(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::NumberRestricted => "no template messages until the messaging limit's 24-hour window rolls over; replies to users are still allowed",
        AlertKind::NumberQualityRed => "quality Low: the number can be flagged and its messaging limit lowered; check the quality of its templates",
        _ => "",
    }
}

/// Writes a folded state into the number's row (what the fold does not know is kept).
fn set_state(n: &mut repo::platform::NumberHealthRow, state: &platform::NumberState) {
    n.status = state.status.clone().or(n.status.take());
    n.quality = state
        .quality
        .map(|q| q.code().to_owned())
        .or(n.quality.take());
    n.tier = state.tier.map(|t| t.code().to_owned()).or(n.tier.take());
    n.flagged_at = state.flagged_at;
    n.throughput = state
        .throughput_high
        .then(|| "HIGH".to_owned())
        .or(n.throughput.take());
    n.health_at = state.at;
}

/// Asks the platform for every number's health (`GET /{phone-number-id}`, with the tenant's
/// token where it has one) and stores what changed as a change of the console's own field
/// `number_health`, processed like a webhook: folded into the number's state, alerting on
/// RESTRICTED and quality RED, in the event log. A number the platform does not answer for is
/// logged and asked again next time. Returns how many changes were stored.
pub async fn poll_numbers(
    scope: &SystemScope,
    api: &crate::backend::graph::GraphApi,
) -> Result<usize, AppError> {
    let now = scope.state().now();
    let mut stored = 0;
    for n in repo::platform::pollable_numbers(scope, scope.db()).await? {
        let ts = system_in_tenant(scope, n.tenant);
        let api = api.with_token(repo::tenants::graph_token(&ts, ts.db()).await?);
        let mut v = match api.number_health(&n.phone_number_id).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(phone_number_id = %n.phone_number_id, error = %e, "number health poll failed");
                continue;
            }
        };
        if let Some(o) = v.as_object_mut() {
            o.entry("display_phone_number")
                .or_insert_with(|| Value::String(n.health.number.clone()));
        }
        let Change::NumberHealth {
            status,
            quality,
            tier,
            ..
        } = platform::interpret(platform::NUMBER_HEALTH, &v)
        else {
            continue;
        };
        let differs = |new: Option<&str>, old: &Option<String>| {
            new.is_some_and(|x| old.as_deref() != Some(x))
        };
        if !(differs(status.as_deref(), &n.health.status)
            || differs(quality.map(Quality::code), &n.health.quality)
            || differs(tier.map(|t| t.code()), &n.health.tier))
        {
            continue;
        }
        let change = platform::RawChange {
            waba_id: n.waba_id.clone(),
            field: platform::NUMBER_HEALTH.into(),
            phone_number_id: Some(n.phone_number_id.clone()),
            time: Some(now),
            value: v.to_string(),
        };
        let key = dedupe_key(&change);
        let body = json!({"source": "number health poll", "phone_number_id": n.phone_number_id, "value": v}).to_string();
        let tx = scope.db().begin().await?;
        let (_, new) = repo::platform::store_delivery(
            scope,
            &tx,
            body,
            &[repo::platform::NewChange {
                change: &change,
                dedupe_key: key,
            }],
            now,
        )
        .await?;
        tx.commit().await?;
        stored += usize::try_from(new).unwrap_or(0);
    }
    Ok(stored)
}

/// Changes with their time and dedupe key, in (time, key) order.
type History = Vec<(DateTime<Utc>, String, Change)>;

/// Every change of `field` for a WABA, read and sorted by (time, key): the input of a fold
/// and of the incident rules.
async fn history_of(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    waba_id: &str,
    field: &str,
) -> Result<History, AppError> {
    let rows = repo::platform::events_for(scope, db, waba_id, field).await?;
    let mut out: History = rows
        .into_iter()
        .map(|(time, key, payload)| {
            (
                time,
                key,
                platform::interpret(
                    field,
                    &serde_json::from_str(&payload).unwrap_or(Value::Null),
                ),
            )
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    Ok(out)
}

struct Ctx<'a> {
    ts: &'a TenantScope,
    event: &'a StoredEvent,
    now: DateTime<Utc>,
}

/// What an incident's alert is about.
struct Subject {
    kind: &'static str,
    id: uuid::Uuid,
    label: String,
    link: String,
}

impl Ctx<'_> {
    /// Announces the incidents the applied event raises (resolved already when a later event
    /// ended them) and resolves the ones it ends, as the subject's plan says
    /// (`incidents::reconcile`). `detail(kind, resolved)` words a raised alert. Returns what
    /// was done, for the event log.
    async fn incidents(
        &self,
        db: &impl ConnectionTrait,
        plan: &[incidents::Incident],
        subject: &Subject,
        detail: impl Fn(AlertKind, bool) -> String,
    ) -> Result<String, AppError> {
        let (raise, resolve) = incidents::reconcile(plan, &self.event.dedupe_key);
        let mut said = Vec::new();
        for i in raise {
            let resolution = i.resolved_by.as_ref().map(resolution_text);
            let new = self
                .raise(
                    db,
                    i.kind,
                    None,
                    subject.kind,
                    Some(subject.id),
                    &subject.label,
                    &subject.link,
                    detail(i.kind, resolution.is_some()),
                    resolution.clone(),
                )
                .await?;
            if new {
                said.push(match &resolution {
                    Some(r) => format!("alert {} (already resolved by {r})", i.kind.code()),
                    None => format!("alert {}", i.kind.code()),
                });
            }
        }
        for i in resolve {
            if let Some(r) = &i.resolved_by {
                if repo::alerts::resolve_key(
                    self.ts,
                    db,
                    &i.alert_key(),
                    &resolution_text(r),
                    self.now,
                )
                .await?
                {
                    said.push(format!("resolved {}", i.kind.code()));
                }
            }
        }
        Ok(if said.is_empty() {
            String::new()
        } else {
            format!("; {}", said.join(", "))
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn alert(
        &self,
        db: &impl ConnectionTrait,
        kind: AlertKind,
        severity: Option<Severity>,
        subject_type: &'static str,
        subject_id: Option<uuid::Uuid>,
        label: &str,
        link: &str,
        detail: String,
    ) -> Result<(), AppError> {
        self.raise(
            db,
            kind,
            severity,
            subject_type,
            subject_id,
            label,
            link,
            detail,
            None,
        )
        .await
        .map(|_| ())
    }

    /// Raises one alert of this event (once: its key is the event's). Returns whether it was new.
    #[allow(clippy::too_many_arguments)]
    async fn raise(
        &self,
        db: &impl ConnectionTrait,
        kind: AlertKind,
        severity: Option<Severity>,
        subject_type: &'static str,
        subject_id: Option<uuid::Uuid>,
        label: &str,
        link: &str,
        detail: String,
        resolution: Option<String>,
    ) -> Result<bool, AppError> {
        let a = NewAlert {
            kind,
            severity: severity.unwrap_or(kind.severity()),
            subject_type,
            subject_id,
            subject_label: label.to_owned(),
            link: link.to_owned(),
            // The same event (redelivered or replayed) raises one alert of a kind.
            dedupe_key: incidents::alert_key(kind, &self.event.dedupe_key),
            detail,
            event: Some(self.event.id),
            resolution,
        };
        alerts::raise(self.ts, db, &a, self.now).await
    }
}

/// How an alert names the event that resolved it.
fn resolution_text(r: &incidents::Resolution) -> String {
    format!("{} at {}", r.what, r.at.format("%Y-%m-%d %H:%M UTC"))
}

async fn messages(
    scope: &SystemScope,
    ts: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    statuses: &[platform::StatusUpdate],
    inbound: &[platform::Inbound],
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let key = scope
        .state()
        .settings
        .webhook
        .recipient_key
        .expose_secret()
        .as_bytes()
        .to_vec();
    // Inbound first: a reply in the same change answers the window it opens.
    for i in inbound {
        let user = recipient_hash(&key, &i.user);
        let w = repo::platform::window(ts, db, phone, &user)
            .await?
            .inbound(i.at, i.referral);
        repo::platform::save_window(ts, db, phone, &user, &w).await?;
    }
    let mut batch = Statuses::new(scope);
    batch.add(ts.tenant_id(), phone, statuses);
    batch.write(scope, db, now).await?;
    outcome(
        APPLIED,
        Some(ts.tenant_id()),
        format!(
            "{} statuses, {} inbound messages",
            statuses.len(),
            inbound.len()
        ),
    )
}

//! Message statuses (merged per message, written in bulk) and conversation windows.

use super::super::scoped;
use super::common::*;

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
) -> Result<Vec<super::super::pricing::Message>, AppError> {
    use message_status::Column as C;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<&StatusRow> = rows.iter().collect();
    rows.sort_by(|a, b| (a.phone.0, &a.state.wamid).cmp(&(b.phone.0, &b.state.wamid)));
    if super::super::columnar::columnar(db) {
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
        let m = super::super::pricing::Message::from_query_result(&row, "")?;
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
) -> Result<Vec<super::super::pricing::Message>, AppError> {
    use super::super::columnar::Column;
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
        .query_all_raw(super::super::columnar::statement(&sql, cols, [now.into()]))
        .await?
    {
        let m = super::super::pricing::Message::from_query_result(&row, "")?;
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
    Ok(scoped::find::<message_status::Entity>(scope)
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
        .filter(scoped::of::<message_status::Entity>(scope))
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
            .filter(scoped::of::<conversation_window::Entity>(scope))
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
        .filter(scoped::of::<conversation_window::Entity>(scope))
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
    Ok(scoped::find::<conversation_window::Entity>(scope)
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

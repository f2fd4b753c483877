//! Templates at the platform: matching a change to a template, its health, status, quality, category and history.

use super::super::scoped;
use super::common::*;

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
            .filter(scoped::of::<template_revision::Entity>(scope))
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
    super::super::templates::by_name(scope, db, waba, name, &language).await
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
        .filter(scoped::of::<template::Entity>(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let revisions = template_revision::Entity::find()
        .filter(template_revision::Column::TemplateId.eq(id.0))
        .filter(scoped::of::<template_revision::Entity>(scope))
        .order_by_desc(template_revision::Column::Number)
        .all(db)
        .await?;
    let mut revision = None;
    for r in revisions {
        let status = super::super::revisions::status_of(&r.status, r.id)?;
        if at_platform(status) {
            revision = Some((r.id, r.number, status));
            break;
        }
    }
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
                Expr::value(super::super::revisions::status_code(status)),
            )
            .filter(template_revision::Column::Id.eq(revision))
            .filter(scoped::of::<template_revision::Entity>(scope))
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
        .filter(scoped::of::<template::Entity>(scope))
        .exec(db)
        .await?;
    super::super::one_row(r)
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
        .filter(scoped::of::<template::Entity>(scope))
        .exec(db)
        .await?;
    super::super::one_row(r)
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
        .filter(scoped::of::<template::Entity>(scope));
    if let Some(c) = category {
        q = q.col_expr(template::Column::Category, Expr::value(c));
    }
    super::super::one_row(q.exec(db).await?)
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
    let n = scoped::find::<template_health::Entity>(scope)
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
        .filter(scoped::of::<template_health::Entity>(scope))
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
    Ok(scoped::find::<template_health::Entity>(scope)
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

//! Template changes: status events, quality scores, category changes.

use super::{
    common::{outcome, Applying, Outcome},
    incidents::{facts, History, Subject},
};
use crate::domain::{
    ids::TemplateId,
    platform::{TemplateCategoryChange, TemplateQualityChange, TemplateRef, TemplateStatusChange},
    template::status::PlatformEvent,
};
use crate::{
    backend::repo::{
        self,
        platform::{TemplateStatusUpdate, APPLIED, IGNORED, UNMATCHED},
    },
    contract::AppError,
    domain::{
        alert::AlertKind,
        messaging_tier::Quality,
        platform::{self, incidents, pause_outlook, CategoryChange},
        template::status::{transition, Event, TemplateStatus},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// The console's template a change names (by the platform's id, else name and language), or
/// the outcome saying none matched.
async fn matched(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    template: &TemplateRef,
) -> Result<Result<TemplateId, Outcome>, AppError> {
    let found = repo::platform::find_template(
        cx.ts,
        db,
        cx.waba,
        template.platform_id.as_deref(),
        template.name.as_deref(),
        template.language.as_deref(),
    )
    .await?;
    Ok(found.ok_or_else(|| Outcome {
        status: UNMATCHED,
        tenant: Some(cx.ts.tenant_id()),
        result: format!(
            "no template {} ({}) with id {}",
            template.name.as_deref().unwrap_or_default(),
            template.language.as_deref().unwrap_or_default(),
            template.platform_id.as_deref().unwrap_or_default()
        ),
    }))
}

/// The template's health fields as stored (a stale event changes none of them).
fn update_of(h: &repo::platform::TemplateHealthRow) -> TemplateStatusUpdate {
    TemplateStatusUpdate {
        status_at: h.status_at,
        pause_count: h.pause_count,
        paused_until: h.paused_until,
        pause_title: h.pause_title.clone(),
        disable_date: h.disable_date,
        platform_reason: h.platform_reason.clone(),
    }
}

/// The fields an applied status event sets, the status it leads to, and what the event log
/// says (an unexpected step is applied all the same: the platform's word is kept).
fn applied(
    h: &repo::platform::TemplateHealthRow,
    ev: PlatformEvent,
    at: DateTime<Utc>,
    reason_json: String,
    (pause_title, disable_date): (&Option<String>, Option<DateTime<Utc>>),
    (number, current): (i32, TemplateStatus),
) -> (TemplateStatusUpdate, TemplateStatus, String) {
    let to = ev.target();
    let mut u = update_of(h);
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
    let expected =
        current == TemplateStatus::BspApproved || transition(current, Event::Platform(ev)).is_ok();
    let mut what = format!("revision {number}: {current:?} → {to:?}");
    if !expected {
        what.push_str(" (not an expected step; the platform's word is kept)");
    }
    (u, to, what)
}

/// Announces the incidents of the template's whole status history (this row's, whatever
/// revision or platform id each event named, late events included); `detail` words an alert.
async fn announce(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    id: TemplateId,
    h: &repo::platform::TemplateHealthRow,
    template: &TemplateRef,
    detail: String,
) -> Result<String, AppError> {
    let mine: History = repo::platform::template_status_events(cx.ts, db, id)
        .await?
        .into_iter()
        .map(|(at, key, raw)| (at, key, platform::Change::of_template_event(template, &raw)))
        .collect();
    let plan = incidents::template_incidents(&facts(&mine));
    let subject = Subject {
        kind: "template",
        id: id.0,
        label: format!("{} ({})", h.name, h.language),
        link: format!("/tenants/{}/templates/{}", cx.ts.tenant_id().0, id.0),
    };
    cx.incidents(db, &plan, &subject, |_, _| detail.clone())
        .await
}

/// A template's status event: kept in its history, applied unless older than the current
/// status, and its incidents announced.
pub(super) async fn status(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: TemplateStatusChange,
) -> Result<Outcome, AppError> {
    let (_, ts, e, _, at, _, _) = cx.parts();
    let t = Some(ts.tenant_id());
    let Some(ev) = c.event else {
        let raw = &c.raw_event;
        return outcome(IGNORED, t, format!("unknown template event {raw:?}"));
    };
    let id = match matched(cx, db, &c.template).await? {
        Ok(id) => id,
        Err(unmatched) => return Ok(unmatched),
    };
    let h = repo::platform::template_health(ts, db, id).await?;
    let Some((revision, number, current)) = h.revision else {
        let name = &h.name;
        return outcome(
            UNMATCHED,
            t,
            format!("template {name} was never sent to the platform"),
        );
    };
    let to = ev.target();
    let reason_json = json!({"event": c.raw_event, "reason": c.reason, "rejection": c.rejection, "title": c.pause_title, "description": c.description}).to_string();
    // The history keeps everything the platform said (once per event), late or not.
    let said = Some(reason_json.clone());
    repo::platform::add_template_history(ts, db, id, "status", &c.raw_event, said, at, Some(e.id))
        .await?;
    let stale = h
        .status_at
        .is_some_and(|last| platform::is_stale(at, to, last, current));
    let (mut u, status_now, mut what) = if stale {
        let raw = &c.raw_event;
        let what = format!(
            "{raw} at {at} is older than the current status {current:?}: kept in the history only"
        );
        (update_of(&h), current, what)
    } else {
        let pause = (&c.pause_title, c.disable_date);
        applied(&h, ev, at, reason_json, pause, (number, current))
    };
    pause_ladder(ts, db, id, &mut u, status_now).await?;
    if let (false, Some(until)) = (stale, u.paused_until) {
        what.push_str(&format!(
            ", paused until {}",
            until.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    repo::platform::set_template_status(ts, db, id, (!stale).then_some((revision, to)), &u).await?;
    let detail = alert_detail(&c, if stale { None } else { u.paused_until });
    let said = announce(cx, db, id, &h, &c.template, detail).await?;
    what.push_str(&said);
    let status = if stale && said.is_empty() {
        IGNORED
    } else {
        APPLIED
    };
    outcome(status, t, what)
}

/// The pause ladder: the pauses up to the current status (whatever the order they came in),
/// and how long a pause lasts.
async fn pause_ladder(
    ts: &crate::backend::scope::TenantScope,
    db: &impl ConnectionTrait,
    id: TemplateId,
    u: &mut TemplateStatusUpdate,
    status_now: TemplateStatus,
) -> Result<(), AppError> {
    let pauses = match u.status_at {
        Some(s) => repo::platform::pauses_until(ts, db, id, s).await?,
        None => 0,
    };
    u.pause_count = i32::try_from(pauses).unwrap_or(i32::MAX);
    u.paused_until = match (status_now, u.status_at) {
        (TemplateStatus::Paused, Some(s)) => {
            pause_outlook(u.pause_title.as_deref(), pauses, s).until()
        }
        _ => None,
    };
    Ok(())
}

/// What a status event's alert says: the rejection, reason and description the platform gave,
/// and how long a pause lasts; else the event itself.
fn alert_detail(c: &TemplateStatusChange, paused_until: Option<DateTime<Utc>>) -> String {
    let detail = [
        c.rejection.as_ref().map(|r| format!("{} {}", r.0, r.1)),
        c.reason.clone(),
        c.description.clone(),
        paused_until.map(|p| format!("until {}", p.format("%Y-%m-%d %H:%M UTC"))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" — ");
    if detail.is_empty() {
        c.raw_event.clone()
    } else {
        detail
    }
}

/// A template's quality score.
pub(super) async fn quality(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: TemplateQualityChange,
) -> Result<Outcome, AppError> {
    let (_, ts, e, _, at, _, _) = cx.parts();
    let t = Some(ts.tenant_id());
    let TemplateQualityChange {
        template,
        previous,
        new,
    } = c;
    let id = match matched(cx, db, &template).await? {
        Ok(id) => id,
        Err(unmatched) => return Ok(unmatched),
    };
    let h = repo::platform::template_health(ts, db, id).await?;
    repo::platform::add_template_history(
        ts,
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
        return outcome(
            IGNORED,
            t,
            format!(
                "quality {} at {at} is older than the current one: kept in the history only",
                new.code()
            ),
        );
    }
    repo::platform::set_template_quality(ts, db, id, new.code(), Some(at)).await?;
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

/// Raises an alert about template `id` (its name and language, a link to it).
async fn template_alert(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    kind: AlertKind,
    id: TemplateId,
    h: &repo::platform::TemplateHealthRow,
    detail: String,
) -> Result<(), AppError> {
    let label = format!("{} ({})", h.name, h.language);
    let link = format!("/tenants/{}/templates/{}", cx.ts.tenant_id().0, id.0);
    cx.alert(
        db,
        kind,
        None,
        "template",
        Some(id.0),
        &label,
        &link,
        detail,
    )
    .await
}

/// A template's category: a change announced, or made.
pub(super) async fn category(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: TemplateCategoryChange,
) -> Result<Outcome, AppError> {
    let (_, ts, e, _, at, now, _) = cx.parts();
    let t = Some(ts.tenant_id());
    let TemplateCategoryChange { template, change } = c;
    let id = match matched(cx, db, &template).await? {
        Ok(id) => id,
        Err(unmatched) => return Ok(unmatched),
    };
    let h = repo::platform::template_health(ts, db, id).await?;
    match change {
        CategoryChange::Impending { correct, at: when } => {
            repo::platform::set_template_category(ts, db, id, None, Some(&correct), when).await?;
            repo::platform::add_template_history(
                ts,
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
                super::super::rating::category_change_cost(ts, db, &h.category, &correct, now)
                    .await?
                    .map(|c| format!("; {}", c.sentence(&h.category)))
                    .unwrap_or_default();
            let detail = format!(
                "{} → {correct}{}{cost}",
                h.category,
                when.map(|w| format!(" on {}", w.format("%Y-%m-%d %H:%M UTC")))
                    .unwrap_or_default()
            );
            template_alert(
                cx,
                db,
                AlertKind::TemplateCategoryChanging,
                id,
                &h,
                detail.clone(),
            )
            .await?;
            outcome(APPLIED, t, format!("category change announced: {detail}"))
        }
        CategoryChange::Completed { previous, new } => {
            let new = new.to_ascii_uppercase();
            repo::platform::set_template_category(ts, db, id, Some(&new), None, None).await?;
            repo::platform::add_template_history(
                ts,
                db,
                id,
                "category",
                &new,
                previous.clone(),
                at,
                Some(e.id),
            )
            .await?;
            let from = previous.unwrap_or_else(|| h.category.clone());
            let cost = super::super::rating::category_change_cost(ts, db, &from, &new, now)
                .await?
                .map(|c| format!("; {}", c.sentence(&from)))
                .unwrap_or_default();
            let detail = format!("{from} → {new}{cost}");
            template_alert(
                cx,
                db,
                AlertKind::TemplateCategoryChanged,
                id,
                &h,
                detail.clone(),
            )
            .await?;
            repo::alerts::resolve_for(ts, db, id.0, &[AlertKind::TemplateCategoryChanging], now)
                .await?;
            outcome(APPLIED, t, format!("category changed: {detail}"))
        }
    }
}

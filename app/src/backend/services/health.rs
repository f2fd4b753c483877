//! Views of what the platform reported: template and number health, alerts, the event log.

use crate::{
    backend::{
        auth::staff_in_tenant,
        repo::{self, alerts::AlertRow, platform::LogFilter},
        scope::{PlatformScope, TenantScope},
    },
    contract::{
        AccountView, AlertPrefs, AlertView, AppError, EventPage, EventRow, HealthLine, NumberView,
        NumbersOverview, TemplateAtPlatform, WindowView,
    },
    domain::{
        alert::{Delivery, Preferences},
        ids::{TemplateId, TenantId},
        messaging_tier::{flag_deadline, Tier, UpgradeProgress},
        platform::{pause_outlook, PauseOutlook},
        template::status::TemplateStatus,
        validation::{FieldCode, FieldErrors},
    },
};
use chrono::TimeDelta;
use serde_json::Value;

/// A business account's standing, its restrictions read strictly.
fn account_view(a: repo::platform::AccountHealthRow) -> Result<AccountView, AppError> {
    let restrictions = match a.restrictions.as_deref() {
        Some(r) => crate::backend::error::stored_json(r, "wabas", a.id.0)?,
        None => Vec::new(),
    };
    Ok(AccountView {
        waba_id: a.waba_id,
        portfolio_limit: a.portfolio_limit,
        ban_state: a.ban_state,
        ban_date: a.ban_date,
        restrictions,
        violation: a.violation,
        last_event: a.account_event,
    })
}

pub async fn template(scope: &TenantScope, id: TemplateId) -> Result<TemplateAtPlatform, AppError> {
    let h = repo::platform::template_health(scope, scope.db(), id).await?;
    let history = repo::platform::template_history(scope, scope.db(), id).await?;
    let reason: Value = h
        .platform_reason
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    let str_at = |p: &str| {
        reason
            .pointer(p)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let status = h.revision.map(|r| r.2);
    let outlook = match (status, h.status_at) {
        (Some(TemplateStatus::Paused), Some(at)) => Some(pause_outlook(
            h.pause_title.as_deref(),
            u32::try_from(h.pause_count).unwrap_or(0),
            at,
        )),
        (Some(TemplateStatus::Disabled), _) => Some(PauseOutlook::Disabled { on: h.disable_date }),
        _ => None,
    };
    Ok(TemplateAtPlatform {
        name: h.name,
        language: h.language,
        category: h.category,
        revision: h.revision.map(|r| r.1),
        status,
        status_at: h.status_at,
        quality: h.quality,
        pause_count: h.pause_count,
        paused_until: h.paused_until,
        outlook: outlook.map(|o| {
            match o {
                PauseOutlook::FirstPause { .. } => "first_pause",
                PauseOutlook::SecondPause { .. } => "second_pause",
                PauseOutlook::RateLimited => "rate_limited",
                PauseOutlook::Disabled { .. } => "disabled",
            }
            .to_owned()
        }),
        disable_date: h.disable_date,
        rejection_reason: str_at("/reason"),
        rejection_detail: str_at("/rejection/0"),
        recommendation: str_at("/rejection/1"),
        description: str_at("/description"),
        pending_category: h.pending_category,
        category_change_at: h.category_change_at,
        history: history
            .into_iter()
            .map(|e| HealthLine {
                kind: e.kind,
                value: e.value,
                detail: e.detail,
                at: e.at,
            })
            .collect(),
        as_of: scope.state().now(),
    })
}

pub async fn numbers(scope: &TenantScope) -> Result<NumbersOverview, AppError> {
    let now = scope.state().now();
    let db = scope.db();
    let unique =
        repo::platform::unique_recipients_since(scope, db, now - TimeDelta::days(7)).await?;
    let accounts = repo::platform::accounts(scope, db).await?;
    let list = repo::platform::numbers(scope, db).await?;
    let label = |id| {
        list.iter()
            .find(|n| n.id == id)
            .map(|n| n.number.clone())
            .unwrap_or_default()
    };
    let windows = repo::platform::open_windows(scope, db, now).await?;
    Ok(NumbersOverview {
        numbers: list
            .iter()
            .map(|n| {
                let tier = n.tier.as_deref().and_then(Tier::parse_str);
                // Since 2025-10 the limit is the portfolio's: progress counts all the tenant's numbers.
                let portfolio = accounts
                    .iter()
                    .find(|a| a.id == n.waba)
                    .and_then(|a| a.portfolio_limit.as_deref())
                    .and_then(Tier::parse_str);
                let effective = portfolio.or(tier);
                NumberView {
                    id: n.id.0.to_string(),
                    number: n.number.clone(),
                    display_name: n.display_name.clone(),
                    quality: n.quality.clone(),
                    status: n.status.clone(),
                    tier: n.tier.clone(),
                    tier_label: tier.map(Tier::label),
                    flagged_at: n.flagged_at,
                    flag_deadline: n
                        .flagged_at
                        .filter(|_| n.status.as_deref() == Some("FLAGGED"))
                        .map(flag_deadline),
                    name_decision: n.name_decision.clone(),
                    name_rejection: n.name_rejection.clone(),
                    throughput: n.throughput.clone(),
                    upgrade: effective.map(|t| {
                        UpgradeProgress::of(
                            t,
                            u32::try_from(unique).unwrap_or(u32::MAX),
                            now.date_naive(),
                        )
                    }),
                }
            })
            .collect(),
        accounts: accounts
            .into_iter()
            .map(account_view)
            .collect::<Result<_, _>>()?,
        unique_users_7d: unique,
        open_windows: windows
            .into_iter()
            .map(|(phone, user, w)| WindowView {
                number: label(phone),
                user: user.chars().take(8).collect(),
                csw_closes: w.csw_closes().filter(|c| *c > now),
                fep_closes: w.fep_closes().filter(|c| *c > now),
            })
            .collect(),
        as_of: now,
    })
}

fn alert_view(a: AlertRow, tenant_name: Option<String>) -> AlertView {
    AlertView {
        id: a.id.to_string(),
        tenant: a.tenant.0.to_string(),
        tenant_name,
        kind: a.kind,
        severity: a.severity,
        subject_type: a.subject_type,
        subject: a.subject_label,
        link: a.link,
        status: a.status,
        detail: a.detail,
        opened_at: a.opened_at,
        acknowledged_by: a.acknowledged_by,
        acknowledged_at: a.acknowledged_at,
        resolved_at: a.resolved_at,
        resolution: a.resolution,
    }
}

fn status_filter(raw: &str) -> Result<Option<&'static str>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        "open" => Ok(Some(repo::alerts::OPEN)),
        "acknowledged" => Ok(Some(repo::alerts::ACKNOWLEDGED)),
        "resolved" => Ok(Some(repo::alerts::RESOLVED)),
        _ => Err(AppError::Request {
            message: "status must be open, acknowledged or resolved".into(),
        }),
    }
}

pub async fn alerts(scope: &TenantScope, status: &str) -> Result<Vec<AlertView>, AppError> {
    Ok(super::alerts::list(scope, status_filter(status)?)
        .await?
        .into_iter()
        .map(|a| alert_view(a, None))
        .collect())
}

pub async fn all_alerts(scope: &PlatformScope, status: &str) -> Result<Vec<AlertView>, AppError> {
    let rows = super::alerts::list_all(scope, status_filter(status)?).await?;
    let names = repo::tenants::names(scope.db()).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let name = names.get(&a.tenant).cloned();
            alert_view(a, name)
        })
        .collect())
}

pub async fn my_prefs(scope: &TenantScope) -> Result<AlertPrefs, AppError> {
    let p = super::alerts::my_preferences(scope).await?;
    let shown = p.unwrap_or_default();
    Ok(AlertPrefs {
        subscribed: p.is_some(),
        critical: shown.critical.code().into(),
        warning: shown.warning.code().into(),
        info: shown.info.code().into(),
    })
}

pub async fn set_my_prefs(
    scope: &TenantScope,
    subscribed: bool,
    critical: &str,
    warning: &str,
    info: &str,
) -> Result<(), AppError> {
    if !subscribed {
        return super::alerts::set_my_preferences(scope, None).await;
    }
    let mut e = FieldErrors::new();
    let mut pick = |field: &'static str, raw: &str| match Delivery::parse(raw.trim()) {
        Some(d) => Some(d),
        None => {
            e.add(field, FieldCode::InvalidChoice);
            None
        }
    };
    let (c, w, i) = (
        pick("critical", critical),
        pick("warning", warning),
        pick("info", info),
    );
    let (Some(c), Some(w), Some(i)) = (c, w, i) else {
        return Err(e.into());
    };
    let Ok(prefs) = Preferences::new(c, w, i) else {
        e.add("critical", FieldCode::CriticalCannotBeMuted);
        return Err(e.into());
    };
    super::alerts::set_my_preferences(scope, Some(prefs)).await
}

pub const EVENTS_PER_PAGE: u64 = 50;

pub async fn event_log(
    scope: &PlatformScope,
    tenant: Option<TenantId>,
    field: &str,
    status: &str,
    search: &str,
    page: &str,
) -> Result<EventPage, AppError> {
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    // Raw payloads carry end customers' messages: admins only, numbers hashed.
    let raw = scope.can(crate::domain::roles::PlatformAction::ViewRawEvents);
    let search: Option<String> = opt(search).map(|s| s.chars().take(100).collect());
    // A phone number is not searched for in payloads: it would find the customer whose
    // number the page shows only as a hash.
    let a_number = search
        .as_deref()
        .is_some_and(crate::domain::phone::looks_like_number);
    let f = LogFilter {
        field: opt(field),
        status: opt(status),
        search,
        search_payload: raw && !a_number,
    };
    let key = scope.state().settings.webhook.recipient_key_bytes();
    let shown = |payload: String| -> Option<String> {
        if !raw || payload == repo::platform::PURGED {
            return None;
        }
        let hash = |n: &str| super::platform_events::recipient_hash(&key, n);
        Some(match serde_json::from_str::<Value>(&payload) {
            Ok(mut v) => {
                crate::domain::platform::redact_people(&mut v, &hash);
                v.to_string()
            }
            // Not JSON (never stored so): nothing of it is shown.
            Err(_) => String::new(),
        })
    };
    let page = page.trim().parse::<u64>().unwrap_or(1).clamp(1, 10_000) - 1;
    let (rows, total) = match tenant {
        Some(t) => {
            let ts = staff_in_tenant(scope, t).await?;
            repo::platform::log(&ts, scope.db(), &f, page, EVENTS_PER_PAGE).await?
        }
        None => repo::platform::unmatched(scope, scope.db(), &f, page, EVENTS_PER_PAGE).await?,
    };
    Ok(EventPage {
        rows: rows
            .into_iter()
            .map(|r| EventRow {
                id: r.id.to_string(),
                tenant: r.tenant.map(|t| t.0.to_string()),
                field: r.field,
                waba_id: r.waba_id,
                purged: r.payload == repo::platform::PURGED,
                payload: shown(r.payload),
                status: r.status,
                result: r.result,
                attempts: r.attempts,
                time: r.time,
                received_at: r.received_at,
            })
            .collect(),
        total,
        page: page + 1,
        per_page: EVENTS_PER_PAGE,
    })
}

pub async fn replay(
    scope: &PlatformScope,
    tenant: Option<TenantId>,
    id: uuid::Uuid,
) -> Result<(), AppError> {
    if let Some(t) = tenant {
        staff_in_tenant(scope, t).await?;
    }
    let now = scope.state().now();
    let tx = sea_orm::TransactionTrait::begin(scope.db()).await?;
    repo::platform::replay(scope, &tx, id, tenant).await?;
    super::audit::record(
        &tx,
        now,
        super::audit::Entry::<(), ()> {
            actor: scope.actor(),
            tenant,
            action: "event.replay",
            subject: &id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

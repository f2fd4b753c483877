//! Phone number changes: quality events and the console's own health readings (folded into
//! the number's state), display name decisions, and the health poll that produces readings.

use super::{
    common::{outcome, Applying, Outcome},
    incidents::{facts, history_of, with_own, History, Subject},
    receive::dedupe_key,
};
use crate::domain::platform::{
    NameDecision, NumberHealthChange, NumberNameChange, NumberQualityChange,
};
use crate::{
    backend::{
        auth::system_in_tenant,
        repo::{
            self,
            platform::{APPLIED, UNMATCHED},
        },
        scope::SystemScope,
    },
    contract::AppError,
    domain::{
        alert::AlertKind,
        messaging_tier::{flag_deadline, Quality, Tier},
        platform::{self, incidents, Change},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{json, Value};

/// The number's history (its quality events and health readings, the one being applied
/// included) and its state: the fold of all of them in time order, so the same events give the
/// same state in any delivery order.
async fn folded(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    display_phone_number: &str,
) -> Result<(History, platform::NumberState), AppError> {
    let (scope, _, e, value, at, _, _) = cx.parts();
    let digits: String = display_phone_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let history = with_own(
        number_history(scope, db, &e.waba_id, &digits).await?,
        e,
        at,
        value,
    );
    let state = platform::fold_number(history.iter().map(|(t, _, c)| (*t, c)));
    Ok((history, state))
}

/// The outcome of a change about a number the account does not have (here).
fn no_number(cx: &Applying<'_>, display_phone_number: &str) -> Outcome {
    Outcome {
        status: UNMATCHED,
        tenant: Some(cx.ts.tenant_id()),
        result: format!(
            "no number {display_phone_number} in account {}",
            cx.event.waba_id
        ),
    }
}

/// What a number's alerts are about.
fn number_subject(
    n: &repo::platform::NumberHealthRow,
    tenant: crate::domain::ids::TenantId,
) -> Subject {
    Subject {
        kind: "number",
        id: n.id.0,
        label: n.number.clone(),
        link: format!("/tenants/{}/numbers", tenant.0),
    }
}

/// What the event log adds when the event applied is older than the number's latest.
fn older(latest: bool) -> &'static str {
    if latest {
        ""
    } else {
        " (older than the number's latest event: folded into its history)"
    }
}

/// A number's quality event (flag, downgrade, upgrade…): folded into the number's state.
pub(super) async fn quality(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: NumberQualityChange,
) -> Result<Outcome, AppError> {
    let (_, ts, _, _, at, _, waba) = cx.parts();
    let t = Some(ts.tenant_id());
    let NumberQualityChange {
        display_phone_number,
        event,
        current_limit,
        old_limit,
        portfolio_limit,
    } = c;
    let (history, state) = folded(cx, db, &display_phone_number).await?;
    let latest = state.at == Some(at);
    let mut done = Vec::new();
    if let (Some(p), true) = (portfolio_limit, latest) {
        let mut a = repo::platform::account(ts, db, waba).await?;
        a.portfolio_limit = Some(p.code().into());
        repo::platform::set_account_health(ts, db, &a).await?;
        done.push(format!("portfolio limit {}", p.code()));
    }
    let Some(mut n) =
        repo::platform::number_by_display(ts, db, waba, &display_phone_number).await?
    else {
        if done.is_empty() {
            return Ok(no_number(cx, &display_phone_number));
        }
        return outcome(APPLIED, t, done.join(", "));
    };
    set_state(&mut n, &state);
    repo::platform::set_number_health(ts, db, &n).await?;
    let subject = number_subject(&n, ts.tenant_id());
    let plan = incidents::number_incidents(&facts(&history));
    let flagged_since = n.flagged_at;
    let limits = (old_limit, current_limit);
    let said = cx
        .incidents(db, &plan, &subject, |kind, resolved| {
            // While the flag lasts its deadline counts from the start of the period.
            let since = if resolved {
                at
            } else {
                flagged_since.unwrap_or(at)
            };
            quality_detail(kind, since, limits)
        })
        .await?;
    let older = older(latest);
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

/// The console's own reading of a number's health: folded like a quality event.
pub(super) async fn health(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: NumberHealthChange,
) -> Result<Outcome, AppError> {
    let (_, ts, _, _, at, _, waba) = cx.parts();
    let t = Some(ts.tenant_id());
    let NumberHealthChange {
        display_phone_number,
        ..
    } = c;
    let Some(mut n) =
        repo::platform::number_by_display(ts, db, waba, &display_phone_number).await?
    else {
        return Ok(no_number(cx, &display_phone_number));
    };
    let (history, state) = folded(cx, db, &display_phone_number).await?;
    set_state(&mut n, &state);
    repo::platform::set_number_health(ts, db, &n).await?;
    let subject = number_subject(&n, ts.tenant_id());
    let plan = incidents::number_incidents(&facts(&history));
    let said = cx
        .incidents(db, &plan, &subject, |kind, _| {
            health_detail(kind).to_owned()
        })
        .await?;
    let older = older(state.at == Some(at));
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

/// The platform's decision on a number's display name.
pub(super) async fn name(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: NumberNameChange,
) -> Result<Outcome, AppError> {
    let (_, ts, _, _, _, now, waba) = cx.parts();
    let (tenant, t) = (ts.tenant_id(), Some(ts.tenant_id()));
    let NumberNameChange {
        display_phone_number,
        decision,
        requested_name,
        rejection_reason,
    } = c;
    let Some(mut n) =
        repo::platform::number_by_display(ts, db, waba, &display_phone_number).await?
    else {
        return Ok(no_number(cx, &display_phone_number));
    };
    n.name_decision = Some(decision.code().chars().take(16).collect());
    n.name_rejection = rejection_reason
        .clone()
        .map(|r| r.chars().take(64).collect());
    repo::platform::set_number_health(ts, db, &n).await?;
    let label = format!(
        "{} — {}",
        n.number,
        requested_name
            .clone()
            .unwrap_or_else(|| n.display_name.clone())
    );
    if decision == NameDecision::Rejected {
        cx.alert(
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
    } else if decision == NameDecision::Approved {
        repo::alerts::resolve_for(ts, db, n.id.0, &[AlertKind::NumberNameRejected], now).await?;
    }
    outcome(
        APPLIED,
        t,
        format!("display name of {}: {decision}", n.number),
    )
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
    history.retain(|(_, _, c)| matches!(c, Change::NumberQuality(NumberQualityChange { display_phone_number: d, .. }) | Change::NumberHealth(NumberHealthChange { display_phone_number: d, .. }) if only(d)));
    Ok(history)
}

/// What a health reading's alert says.
fn health_detail(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::NumberRestricted => "no template messages until the messaging limit's 24-hour window rolls over; replies to users are still allowed",
        AlertKind::NumberQualityRed => "quality Low: the number can be flagged and its messaging limit lowered; check the quality of its templates",
        _ => "",
    }
}

/// What a quality incident's alert says: when a flag ends (counted from `since`), the tiers a
/// downgrade moved between, or what a health reading means.
fn quality_detail(
    kind: AlertKind,
    since: DateTime<Utc>,
    (old, new): (Option<Tier>, Option<Tier>),
) -> String {
    let label = |l: Option<Tier>| l.map(|l| l.label()).unwrap_or_else(|| "?".into());
    match kind {
        AlertKind::NumberFlagged => format!(
            "back to CONNECTED if quality recovers, else one tier lower on {}",
            flag_deadline(since).format("%Y-%m-%d %H:%M UTC")
        ),
        AlertKind::NumberDowngraded => format!("{} → {}", label(old), label(new)),
        other => health_detail(other).to_owned(),
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
        let Change::NumberHealth(NumberHealthChange {
            status,
            quality,
            tier,
            ..
        }) = platform::interpret(platform::NUMBER_HEALTH, &v)
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

//! Account changes: messaging limits, account events (folded into the account's state), the
//! platform's alerts, security events.

use super::{
    common::{outcome, Applying, Outcome},
    incidents::{facts, history_of, with_own, Subject},
};
use crate::domain::platform::{
    AccountAlertChange, AccountChange, AlertEntity, AlertSeverity, AlertStatus, AlertType,
    CapabilityChange, SecurityChange,
};
use crate::{
    backend::repo::{self, platform::APPLIED},
    contract::AppError,
    domain::{
        alert::{AlertKind, Severity},
        platform::{self, incidents},
    },
};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// The account's messaging limits.
pub(super) async fn capability(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: CapabilityChange,
) -> Result<Outcome, AppError> {
    let (_, ts, _e, _, at, _, waba) = cx.parts();
    let t = Some(ts.tenant_id());
    let CapabilityChange {
        portfolio_limit,
        per_phone_limit,
        max_phone_numbers,
    } = c;
    let mut a = repo::platform::account(ts, db, waba).await?;
    if let Some(p) = portfolio_limit {
        a.portfolio_limit = Some(p.code().into());
    }
    a.health_at = Some(at);
    repo::platform::set_account_health(ts, db, &a).await?;
    if let Some(p) = per_phone_limit {
        repo::platform::set_waba_numbers_tier(ts, db, waba, p.code()).await?;
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

/// An account event (violation, restriction, ban…): folded into the account's state.
pub(super) async fn account(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: AccountChange,
) -> Result<Outcome, AppError> {
    let (scope, ts, e, value, at, _, waba) = cx.parts();
    let (tenant, t) = (ts.tenant_id(), Some(ts.tenant_id()));
    let AccountChange {
        event,
        ban_state,
        ban_date,
        violation,
        restrictions,
    } = c;
    let history = with_own(
        history_of(scope, db, &e.waba_id, &e.field).await?,
        e,
        at,
        value,
    );
    let state = platform::fold_account(history.iter().map(|(t, _, c)| (*t, c)));
    let mut a = repo::platform::account(ts, db, waba).await?;
    a.account_event = state.last_event.map(|v| v.chars().take(64).collect());
    a.violation = state.violation.map(|v| v.chars().take(64).collect());
    a.restrictions =
        (!state.restrictions.is_empty()).then(|| json!(state.restrictions).to_string());
    a.ban_state = state.ban_state;
    a.ban_date = state.ban_date;
    a.health_at = state.at;
    repo::platform::set_account_health(ts, db, &a).await?;
    let subject = Subject {
        kind: "account",
        id: waba.0,
        label: format!("WhatsApp business account {}", a.waba_id),
        link: format!("/tenants/{}/alerts", tenant.0),
    };
    let plan = incidents::account_incidents(&facts(&history));
    let said = cx
        .incidents(db, &plan, &subject, |kind, _| match kind {
            AlertKind::AccountViolation => violation.clone().unwrap_or_else(|| event.to_string()),
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

/// An alert the platform raised on the account or one of its numbers.
pub(super) async fn alert(
    cx: &Applying<'_>,
    db: &impl ConnectionTrait,
    c: AccountAlertChange,
) -> Result<Outcome, AppError> {
    let (scope, ts, _e, _, _, now, waba) = cx.parts();
    let (tenant, t) = (ts.tenant_id(), Some(ts.tenant_id()));
    let AccountAlertChange {
        entity_type,
        entity_id,
        severity,
        status,
        alert_type,
        description,
    } = c;
    let sev = match severity {
        AlertSeverity::Critical => Severity::Critical,
        AlertSeverity::Warning => Severity::Warning,
        _ => Severity::Info,
    };
    let active = status == AlertStatus::Active;
    let on_number = entity_type == AlertEntity::PhoneNumber;
    let mut decided = 0;
    if active && matches!(alert_type, AlertType::ObaApproved | AlertType::ObaRejected) {
        let phone = on_number.then_some(entity_id.as_str());
        decided = super::super::oba::apply_platform(
            ts,
            db,
            phone,
            alert_type == AlertType::ObaApproved,
            description.as_deref(),
            now,
        )
        .await?;
    }
    if active && alert_type == AlertType::ProfilePictureLost && on_number {
        if let Some((owner, phone, _)) =
            repo::platform::phone_by_platform_id(scope, db, &entity_id).await?
        {
            if owner == ts.tenant_id() {
                let why = format!(
                    "WhatsApp lost the profile picture{}; save the profile to send it again",
                    description
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                );
                repo::profiles::mark_picture_lost(ts, db, phone, &why).await?;
            }
        }
    }
    if active {
        let label = format!("{} {entity_id}", entity_type.code().to_ascii_lowercase());
        let detail = format!(
            "{alert_type}{}",
            description.map(|d| format!(": {d}")).unwrap_or_default()
        );
        cx.alert(
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

/// A security event on a number (kept in the log).
pub(super) fn security(cx: &Applying<'_>, c: SecurityChange) -> Result<Outcome, AppError> {
    outcome(
        APPLIED,
        Some(cx.ts.tenant_id()),
        format!("security: {} on {}", c.event, c.display_phone_number),
    )
}

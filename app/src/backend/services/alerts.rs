//! Alerts: raised by platform events, emailed through the outbox in the same transaction
//! (once per alert, however often the platform repeats itself), listed, acknowledged and
//! resolved; per-user preferences and the daily digest.

use super::audit::{record, Entry};
use crate::{
    backend::{
        outbox::{DigestItem, EmailMessage, NewEmail},
        repo::{
            self,
            alerts::{AlertRow, NewAlert},
        },
        scope::{PlatformScope, SystemScope, TenantScope},
        tx::Tx,
    },
    contract::AppError,
    domain::alert::{Delivery, Preferences, Severity},
};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;

/// Raises `a` and queues its emails, inside the caller's transaction. Returns whether it was new.
pub async fn raise(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    a: &NewAlert,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if repo::alerts::raise(scope, db, a, now).await?.is_none() {
        return Ok(false);
    }
    let who = repo::alerts::audience(scope, db).await?;
    let mut recipients: Vec<String> = who.alert_emails.clone();
    recipients.extend(who.account_manager.clone());
    recipients.extend(
        who.users
            .iter()
            .filter(|(_, _, p)| p.for_severity(a.severity) == Delivery::Immediate)
            .map(|(_, e, _)| e.clone()),
    );
    let mut seen = std::collections::HashSet::new();
    recipients.retain(|r| seen.insert(r.to_ascii_lowercase()));
    let url = format!("{}{}", scope.state().settings.public_url, a.link);
    for r in recipients {
        let message = EmailMessage::Alert {
            tenant_name: who.tenant_name.clone(),
            alert: a.kind.code().into(),
            severity: a.severity.code().into(),
            subject: a.subject_label.clone(),
            detail: a.detail.clone(),
            url: url.clone(),
            resolved: a.resolution.clone(),
        };
        repo::outbox::insert(
            db,
            &NewEmail {
                tenant: Some(scope.tenant_id()),
                recipient: r,
                locale: who.locale,
                message,
            },
            now,
        )
        .await?;
    }
    Ok(true)
}

pub async fn list(scope: &TenantScope, status: Option<&str>) -> Result<Vec<AlertRow>, AppError> {
    repo::alerts::list(scope, scope.db(), status, 200).await
}

pub async fn list_all(
    scope: &PlatformScope,
    status: Option<&str>,
) -> Result<Vec<AlertRow>, AppError> {
    repo::alerts::list_all(scope, scope.db(), status, 300).await
}

/// Acknowledges (someone is on it) or resolves an alert.
pub async fn set_status(
    scope: &TenantScope,
    id: uuid::Uuid,
    resolve: bool,
) -> Result<(), AppError> {
    let now = scope.state().now();
    let status = if resolve {
        repo::alerts::RESOLVED
    } else {
        repo::alerts::ACKNOWLEDGED
    };
    let tx = Tx::begin(scope.db()).await?;
    repo::alerts::set_status(scope, &tx, id, status, scope.actor().user_id(), now).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "alert.status",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({ "status": status })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in user's preferences for the tenant (`None`: not subscribed).
pub async fn my_preferences(scope: &TenantScope) -> Result<Option<Preferences>, AppError> {
    let user = scope.actor().user_id().ok_or(AppError::Forbidden)?;
    repo::alerts::preferences(scope, scope.db(), user).await
}

pub async fn set_my_preferences(
    scope: &TenantScope,
    prefs: Option<Preferences>,
) -> Result<(), AppError> {
    let user = scope.actor().user_id().ok_or(AppError::Forbidden)?;
    repo::alerts::set_preferences(scope, scope.db(), user, prefs, scope.state().now()).await
}

/// Reminds tenants 7, 3 and 1 days before the platform disables an account (once each).
pub async fn send_disable_reminders(scope: &SystemScope) -> Result<usize, AppError> {
    let now = scope.state().now();
    let mut raised = 0;
    for (tenant, waba, waba_id, raw) in
        repo::platform::scheduled_disables(scope, scope.db()).await?
    {
        let Some(on) = crate::domain::alert::parse_ban_date(&raw) else {
            continue;
        };
        let Some(left) = crate::domain::alert::reminder_due(now.date_naive(), on) else {
            continue;
        };
        let ts = crate::backend::auth::system_in_tenant(scope, tenant);
        let a = NewAlert {
            kind: crate::domain::alert::AlertKind::DisableReminder,
            severity: Severity::Critical,
            subject_type: "account",
            subject_id: Some(waba.0),
            subject_label: format!("WhatsApp business account {waba_id}"),
            link: format!("/tenants/{}/numbers", tenant.0),
            dedupe_key: format!("disable_reminder:{}:{on}:{left}", waba.0),
            detail: format!("disabled in {left} day(s), on {on}"),
            event: None,
            resolution: None,
        };
        let tx = Tx::begin(scope.db()).await?;
        if raise(&ts, &tx, &a, now).await? {
            raised += 1;
        }
        tx.commit().await?;
    }
    Ok(raised)
}

/// Sends the daily digests that are due; returns how many were queued.
pub async fn send_digests(scope: &SystemScope) -> Result<usize, AppError> {
    let now = scope.state().now();
    let due = repo::alerts::digest_due(scope, scope.db(), now - TimeDelta::hours(24)).await?;
    let mut queued = 0;
    for (tenant, user, email, prefs, last) in due {
        let ts = crate::backend::auth::system_in_tenant(scope, tenant);
        let severities: Vec<Severity> = Severity::ALL
            .into_iter()
            .filter(|s| prefs.for_severity(*s) == Delivery::Digest)
            .collect();
        let tx = Tx::begin(scope.db()).await?;
        // Only one process sends a given digest: the conditional update decides.
        if !repo::alerts::digest_sent(&ts, &tx, user, last, now).await? {
            continue;
        }
        let alerts = repo::alerts::opened_between(&ts, &tx, last, now, &severities).await?;
        if !alerts.is_empty() {
            let who = repo::alerts::audience(&ts, &tx).await?;
            let base = &scope.state().settings.public_url;
            let items = alerts
                .iter()
                .map(|a| DigestItem {
                    kind: a.kind.clone(),
                    severity: a.severity.clone(),
                    subject: a.subject_label.clone(),
                    url: format!("{base}{}", a.link),
                    resolved: a.resolution.clone(),
                })
                .collect();
            let message = EmailMessage::AlertDigest {
                tenant_name: who.tenant_name,
                items,
                url: format!("{base}/tenants/{}/alerts", tenant.0),
            };
            repo::outbox::insert(
                &tx,
                &NewEmail {
                    tenant: Some(tenant),
                    recipient: email,
                    locale: who.locale,
                    message,
                },
                now,
            )
            .await?;
            queued += 1;
        }
        tx.commit().await?;
    }
    Ok(queued)
}

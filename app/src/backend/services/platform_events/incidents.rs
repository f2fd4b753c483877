//! A subject's history (account, number, template) and the alerts its incidents raise or
//! resolve (`domain::platform::incidents` decides; this announces).

use super::{super::alerts, common::Applying};
use crate::{
    backend::{
        repo::{self, alerts::NewAlert, platform::StoredEvent},
        scope::SystemScope,
    },
    contract::AppError,
    domain::{
        alert::{AlertKind, Severity},
        platform::{self, incidents, Change},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::Value;

/// The history with the change being applied in it: a history read is bounded (the latest
/// 5,000 changes of a field), and a late change older than those must still count.
pub(super) fn with_own(
    mut history: History,
    e: &StoredEvent,
    at: DateTime<Utc>,
    value: &Value,
) -> History {
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
pub(super) fn facts(history: &History) -> Vec<incidents::Fact<'_>> {
    history
        .iter()
        .map(|(at, key, change)| incidents::Fact {
            at: *at,
            key: key.as_str(),
            change,
        })
        .collect()
}

/// Changes with their time and dedupe key, in (time, key) order.
pub(super) type History = Vec<(DateTime<Utc>, String, Change)>;

/// Every change of `field` for a WABA, read and sorted by (time, key): the input of a fold
/// and of the incident rules.
pub(super) async fn history_of(
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

/// What an incident's alert is about.
pub(super) struct Subject {
    pub kind: &'static str,
    pub id: uuid::Uuid,
    pub label: String,
    pub link: String,
}

impl Applying<'_> {
    /// Announces the incidents the applied event raises (resolved already when a later event
    /// ended them) and resolves the ones it ends, as the subject's plan says
    /// (`incidents::reconcile`). `detail(kind, resolved)` words a raised alert. Returns what
    /// was done, for the event log.
    pub(super) async fn incidents(
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
    pub(super) async fn alert(
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

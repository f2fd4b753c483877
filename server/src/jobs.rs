//! Background jobs: the email sender and housekeeping. Each has a public `run_once` (used by
//! tests with a fixed clock) and a loop that stops on shutdown after its current item.

use crate::email::{render, Transport};
use app::backend::{repo, services::outbox, session_store::DbSessionStore, state::AppState};
use chrono::TimeDelta;
use std::time::Duration;
use tokio::sync::watch;

/// Claims due emails and sends them; returns how many were sent.
pub async fn send_emails_once(
    state: &AppState,
    transport: &Transport,
) -> Result<usize, app::contract::AppError> {
    if !transport.sends() {
        return Ok(0);
    }
    let scope = app::backend::auth::system_scope(state);
    let claimed = outbox::claim(&scope, TimeDelta::minutes(2), 20).await?;
    let mut sent = 0;
    for email in claimed {
        let Some(msg) = &email.message else {
            outbox::failed(&scope, &email, "unreadable payload", true).await?;
            continue;
        };
        match transport
            .send(&email.recipient, &render(msg, email.locale))
            .await
        {
            Ok(()) => {
                outbox::sent(&scope, &email).await?;
                tracing::info!(email = %email.id, "email sent");
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(email = %email.id, attempt = email.attempts + 1, permanent = e.permanent, "email failed");
                outbox::failed(&scope, &email, &e.message, e.permanent).await?;
            }
        }
    }
    Ok(sent)
}

pub fn spawn_email_sender(
    state: AppState,
    transport: Transport,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = send_emails_once(&state, &transport).await {
                tracing::error!(error = %e, "email sender failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

/// Deletes expired sessions, old sign-in counters and devices unseen for a year, API answers
/// kept for idempotency keys after a day, sent emails
/// past their retention, raw webhook bodies past `RAW_RETENTION_DAYS` and header samples no
/// template uses; sends the daily digests and reminders.
pub async fn housekeeping_once(
    state: &AppState,
    sessions: &DbSessionStore,
) -> Result<(), app::contract::AppError> {
    sessions.delete_expired().await?;
    repo::throttle::prune(&state.db, state.now() - TimeDelta::days(1)).await?;
    repo::throttle::prune_devices(&state.db, state.now() - TimeDelta::days(365)).await?;
    repo::resets::prune(&state.db, state.now() - TimeDelta::days(1)).await?;
    // Idempotency keys are honoured for 24 hours (README: REST API).
    repo::idempotency::purge(&state.db, state.now() - TimeDelta::days(1)).await?;
    app::backend::services::outbox::prune_sent(&app::backend::auth::system_scope(state)).await?;
    let system = app::backend::auth::system_scope(state);
    repo::platform::purge_raw(
        &system,
        &state.db,
        state.now() - state.settings.raw_retention,
    )
    .await?;
    // A sample replaced or never used is kept a day (an upload and its edit are two steps).
    repo::submissions::prune_unreferenced_media(&state.db, state.now() - TimeDelta::days(1))
        .await?;
    app::backend::services::alerts::send_digests(&app::backend::auth::system_scope(state)).await?;
    app::backend::services::alerts::send_disable_reminders(&app::backend::auth::system_scope(
        state,
    ))
    .await?;
    Ok(())
}

pub fn spawn_housekeeping(
    state: AppState,
    sessions: DbSessionStore,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = housekeeping_once(&state, &sessions).await {
                tracing::error!(error = %e, "housekeeping failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(600)) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

/// Changes per processing transaction.
const EVENT_BATCH: u64 = 1_000;

/// Processes platform events as they arrive: a full batch is followed at once by the next.
/// `lane`: the first worker takes every change in event order; on PostgreSQL further workers
/// (`EVENT_WORKERS`) take status-only changes beside it.
pub fn spawn_event_processor(
    state: AppState,
    lane: app::backend::services::platform_events::Lane,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let scope = app::backend::auth::system_scope(&state);
        loop {
            // Extra workers give way while deliveries are being stored: acknowledging the
            // platform comes first, the first worker keeps processing meanwhile.
            if lane == app::backend::services::platform_events::Lane::Statuses
                && scope.state().receiving()
            {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(20)) => continue,
                    _ = stop.changed() => break,
                }
            }
            let pause = match app::backend::services::platform_events::process_due(
                &scope,
                EVENT_BATCH,
                lane,
            )
            .await
            {
                // Something was due: there may be more.
                Ok(p) if p.taken > 0 => Duration::ZERO,
                Ok(_) => Duration::from_millis(250),
                Err(e) => {
                    tracing::error!(error = %e, "event processor failed");
                    Duration::from_secs(2)
                }
            };
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

/// Sends BSP-approved templates and saved business profiles to the platform (only when the
/// Graph API is configured).
pub fn spawn_template_sender(
    state: AppState,
    api: app::backend::graph::GraphApi,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = app::backend::services::submission::send_due(
                &app::backend::auth::system_scope(&state),
                &api,
            )
            .await
            {
                tracing::error!(error = %e, "template sender failed");
            }
            if let Err(e) = app::backend::services::profiles::send_due(
                &app::backend::auth::system_scope(&state),
                &api,
            )
            .await
            {
                tracing::error!(error = %e, "profile sender failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

/// Asks the platform for every number's health every `every` (statuses like RESTRICTED and
/// quality RED are not sent as webhooks); what changed is processed like a webhook.
pub fn spawn_number_poll(
    state: AppState,
    api: app::backend::graph::GraphApi,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match app::backend::services::platform_events::poll_numbers(
                &app::backend::auth::system_scope(&state),
                &api,
            )
            .await
            {
                Ok(n) if n > 0 => tracing::info!(changed = n, "number health changed"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "number health poll failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

/// The previous month, invoiced from the 2nd of the month (a day's grace for late statuses);
/// then waiting invoices are sent to Stripe. Safe to run in every process, any number of times.
pub async fn invoicing_once(
    state: &AppState,
    payments: Option<&dyn app::backend::payments::Payments>,
) -> Result<(), app::contract::AppError> {
    use chrono::Datelike;
    let scope = app::backend::auth::system_scope(state);
    let today = state.now().date_naive();
    let month = |back: u32| {
        today
            .with_day(1)
            .and_then(|d| d.checked_sub_months(chrono::Months::new(back)))
            .map(|d| d.format("%Y-%m").to_string())
    };
    if today.day() >= 2 {
        if let Some(period) = month(1) {
            match app::backend::services::invoicing::run_period(&scope, &period, payments.is_some())
                .await
            {
                Ok(r) if r.created > 0 => {
                    tracing::info!(period = %period, created = r.created, "invoices issued")
                }
                Ok(_) => {}
                Err(e) => tracing::error!(period = %period, error = %e, "invoicing failed"),
            }
        }
    }
    // Late deliveries and late prices of the last two invoiced months: adjustments.
    for period in [month(1), month(2)].into_iter().flatten() {
        match app::backend::services::invoicing::true_up_period(
            &scope,
            scope.db(),
            &period,
            "Messages confirmed or priced after the invoice",
            None,
        )
        .await
        {
            Ok(n) if n > 0 => tracing::info!(period = %period, adjusted = n, "invoices adjusted"),
            Ok(_) => {}
            Err(e) => tracing::error!(period = %period, error = %e, "invoice true-up failed"),
        }
    }
    if let Some(p) = payments {
        app::backend::services::invoicing::sync(&scope, p).await?;
    }
    Ok(())
}

pub fn spawn_invoicing(
    state: AppState,
    payments: Option<std::sync::Arc<dyn app::backend::payments::Payments>>,
    mut stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = invoicing_once(&state, payments.as_deref()).await {
                tracing::error!(error = %e, "invoicing failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(300)) => {}
                _ = stop.changed() => break,
            }
        }
    })
}

//! The outbox seen by admins, and the sender's side (claim, sent, failed with backoff).

use super::audit::{record, Entry};
use crate::{
    backend::{
        error::internal,
        outbox::{ClaimedEmail, EmailMessage},
        repo,
        scope::{PlatformScope, SystemScope},
    },
    contract::{AppError, ConflictReason, OutboxRow},
    domain::ids::EmailId,
};
use chrono::TimeDelta;

/// After this many permanent failures (the server refused the message) an email is
/// dead-lettered (visible to admins). Transient failures (server down, 4xx) are retried until
/// the server is back: nothing is lost.
pub const MAX_ATTEMPTS: i32 = 6;
/// The longest wait between two attempts while the mail server is unreachable.
pub const MAX_TRANSIENT_DELAY_SECS: i64 = 600;

pub async fn list(scope: &PlatformScope) -> Result<Vec<OutboxRow>, AppError> {
    repo::outbox::list(scope.db(), 200).await
}

/// How long sent emails are kept (for the admins' outbox view).
pub const SENT_RETENTION_DAYS: i64 = 30;

pub async fn requeue(scope: &PlatformScope, id: EmailId) -> Result<(), AppError> {
    let now = scope.state().now();
    let (kind, status) = repo::outbox::kind_and_status(scope.db(), id).await?;
    if status == repo::outbox::SENT && EmailMessage::kind_carries_a_secret(&kind) {
        // Its link was dropped once sent: resend the invitation instead (a new link).
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    repo::outbox::requeue(scope.db(), id, now).await?;
    record(
        scope.db(),
        now,
        Entry::<(), ()> {
            actor: scope.actor(),
            tenant: None,
            action: "email.resend",
            subject: &id.to_string(),
            before: None,
            after: None,
        },
    )
    .await
}

/// Claims due emails for `lease` (several senders never take the same row).
pub async fn claim(
    scope: &SystemScope,
    lease: TimeDelta,
    limit: u64,
) -> Result<Vec<ClaimedEmail>, AppError> {
    let now = scope.state().now();
    repo::outbox::claim_due(scope.db(), now, now + lease, limit).await
}

/// Marks an email sent, keeping it without its secrets (`EmailMessage::as_kept`).
pub async fn sent(scope: &SystemScope, email: &ClaimedEmail) -> Result<(), AppError> {
    let kept = match email.message.as_ref().and_then(EmailMessage::as_kept) {
        Some(m) => Some(serde_json::to_string(&m).map_err(|e| internal(&e))?),
        None => None,
    };
    repo::outbox::mark_sent(scope.db(), email.id, kept, scope.state().now()).await
}

/// Deletes sent emails older than the retention period (housekeeping).
pub async fn prune_sent(scope: &SystemScope) -> Result<u64, AppError> {
    let before = scope.state().now() - TimeDelta::days(SENT_RETENTION_DAYS);
    repo::outbox::prune_sent(scope.db(), before).await
}

/// Exponential backoff: 30 s, 1 min, 2 min, 4 min … For a permanent failure, a dead letter
/// after `MAX_ATTEMPTS`; for a transient one, every 10 minutes at most, for ever.
pub fn retry_delay(attempts_before: i32, permanent: bool) -> Option<TimeDelta> {
    let n = attempts_before + 1;
    let delay =
        TimeDelta::seconds((30 * (1i64 << (n - 1).clamp(0, 20))).min(MAX_TRANSIENT_DELAY_SECS));
    if permanent {
        (n < MAX_ATTEMPTS).then_some(delay)
    } else {
        Some(delay)
    }
}

pub async fn failed(
    scope: &SystemScope,
    email: &ClaimedEmail,
    error: &str,
    permanent: bool,
) -> Result<(), AppError> {
    let retry_at = retry_delay(email.attempts, permanent).map(|d| scope.state().now() + d);
    repo::outbox::mark_failed(scope.db(), email.id, error, retry_at).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_dead_letters_permanent_failures() {
        let delays: Vec<_> = (0..MAX_ATTEMPTS)
            .map(|a| retry_delay(a, true).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            delays,
            vec![Some(30), Some(60), Some(120), Some(240), Some(480), None]
        );
    }

    #[test]
    fn transient_failures_are_retried_for_ever_at_most_ten_minutes_apart() {
        let delays: Vec<_> = (0..8)
            .map(|a| retry_delay(a, false).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            delays,
            vec![
                Some(30),
                Some(60),
                Some(120),
                Some(240),
                Some(480),
                Some(600),
                Some(600),
                Some(600)
            ]
        );
        assert_eq!(
            retry_delay(10_000, false).map(|d| d.num_seconds()),
            Some(600)
        );
    }
}

//! The outbox seen by admins, and the sender's side (claim, sent, failed with backoff).

use super::audit::{record, Entry};
use crate::{
    api::{types::OutboxRow, AppError},
    backend::{outbox::ClaimedEmail, repo, scope::{PlatformScope, SystemScope}},
    domain::ids::EmailId,
};
use chrono::TimeDelta;

/// After this many failed attempts an email is dead-lettered (visible to admins).
pub const MAX_ATTEMPTS: i32 = 6;

pub async fn list(scope: &PlatformScope) -> Result<Vec<OutboxRow>, AppError> {
    repo::outbox::list(scope.db(), 200).await
}

pub async fn requeue(scope: &PlatformScope, id: EmailId) -> Result<(), AppError> {
    let now = scope.state().now();
    repo::outbox::requeue(scope.db(), id, now).await?;
    record(scope.db(), now, Entry::<(), ()> { actor: scope.actor(), tenant: None, action: "email.resend", subject: &id.to_string(), before: None, after: None }).await
}

/// Claims due emails for `lease` (several senders never take the same row).
pub async fn claim(scope: &SystemScope, lease: TimeDelta, limit: u64) -> Result<Vec<ClaimedEmail>, AppError> {
    let now = scope.state().now();
    repo::outbox::claim_due(scope.db(), now, now + lease, limit).await
}

pub async fn sent(scope: &SystemScope, id: EmailId) -> Result<(), AppError> {
    repo::outbox::mark_sent(scope.db(), id, scope.state().now()).await
}

/// Exponential backoff: 30 s, 1 min, 2 min, 4 min … then dead letter.
pub fn retry_delay(attempts_before: i32) -> Option<TimeDelta> {
    let n = attempts_before + 1;
    (n < MAX_ATTEMPTS).then(|| TimeDelta::seconds(30 * (1i64 << (n - 1).clamp(0, 20))))
}

pub async fn failed(scope: &SystemScope, email: &ClaimedEmail, error: &str) -> Result<(), AppError> {
    let retry_at = retry_delay(email.attempts).map(|d| scope.state().now() + d);
    repo::outbox::mark_failed(scope.db(), email.id, error, retry_at).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_dead_letters() {
        let delays: Vec<_> = (0..MAX_ATTEMPTS).map(|a| retry_delay(a).map(|d| d.num_seconds())).collect();
        assert_eq!(delays, vec![Some(30), Some(60), Some(120), Some(240), Some(480), None]);
    }
}

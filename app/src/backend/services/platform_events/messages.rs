//! `messages` changes of a number: inbound messages open the customer-service window, and
//! statuses are recorded (and rated) with the batch's other statuses.

use super::{
    common::{outcome, Outcome},
    receive::recipient_hash,
    statuses::Statuses,
};
use crate::{
    backend::{
        repo::{self, platform::APPLIED},
        scope::{SystemScope, TenantScope},
    },
    contract::AppError,
    domain::{
        ids::PhoneNumberRowId,
        platform::{self},
    },
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

pub(super) async fn messages(
    scope: &SystemScope,
    ts: &TenantScope,
    db: &impl ConnectionTrait,
    phone: PhoneNumberRowId,
    statuses: &[platform::StatusUpdate],
    inbound: &[platform::Inbound],
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let key = scope.state().settings.webhook.recipient_key_bytes();
    // Inbound first: a reply in the same change answers the window it opens.
    for i in inbound {
        let user = recipient_hash(&key, &i.user);
        let w = repo::platform::window(ts, db, phone, &user)
            .await?
            .inbound(i.at, i.referral);
        repo::platform::save_window(ts, db, phone, &user, &w).await?;
    }
    let mut batch = Statuses::new(scope);
    batch.add(ts.tenant_id(), phone, statuses);
    batch.write(scope, db, now).await?;
    outcome(
        APPLIED,
        Some(ts.tenant_id()),
        format!(
            "{} statuses, {} inbound messages",
            statuses.len(),
            inbound.len()
        ),
    )
}

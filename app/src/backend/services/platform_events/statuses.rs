//! Message statuses gathered from one or many changes, merged per message and written in
//! bulk (one upsert per 500 messages), rated in the same transaction.

use super::receive::recipient_hash;
use crate::{
    backend::{
        auth::system_in_tenant,
        repo::{self},
        scope::SystemScope,
    },
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TenantId},
        platform::{self},
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;

/// Message statuses gathered from one or many changes: merged per message (the domain's
/// `MessageState`), then written with one upsert per 500 messages; replies are checked against
/// ad referrals (the free entry point window).
pub(super) struct Statuses {
    key: Vec<u8>,
    rows: HashMap<(uuid::Uuid, String), repo::platform::StatusRow>,
    sent: Vec<(TenantId, PhoneNumberRowId, String, DateTime<Utc>)>,
    /// Each recipient's hash and country, worked out once (a user gets several messages and
    /// statuses, across batches; parsing the number is the costly part): `AppState::recipients`.
    recipients: std::sync::Arc<crate::backend::cache::RecipientCache>,
}

impl Statuses {
    pub(super) fn new(scope: &SystemScope) -> Self {
        Self {
            key: scope.state().settings.webhook.recipient_key_bytes(),
            rows: HashMap::new(),
            sent: Vec::new(),
            recipients: scope.state().recipients.clone(),
        }
    }

    pub(super) fn add(
        &mut self,
        tenant: TenantId,
        phone: PhoneNumberRowId,
        statuses: &[platform::StatusUpdate],
    ) {
        for s in statuses {
            let key = &self.key;
            let (hash, country) = self.recipients.get_or(&s.recipient, || {
                (
                    recipient_hash(key, &s.recipient),
                    crate::domain::phone::country_of(&s.recipient),
                )
            });
            if let (platform::DeliveryStatus::Sent, Some(at)) = (s.status, s.at) {
                self.sent.push((tenant, phone, hash.clone(), at));
            }
            match self.rows.entry((phone.0, s.wamid.clone())) {
                std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().state.add(s),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(repo::platform::StatusRow {
                        tenant,
                        phone,
                        recipient_hash: hash,
                        recipient_country: country,
                        state: platform::MessageState::of(s),
                    });
                }
            }
        }
    }

    pub(super) async fn write(
        self,
        scope: &SystemScope,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        // Only users who came from an ad shortly before can get a free entry point window:
        // one read finds them, then only their windows are written.
        if let Some(first) = self.sent.iter().map(|s| s.3).min() {
            let pairs: Vec<(PhoneNumberRowId, &str)> = self
                .sent
                .iter()
                .map(|(_, p, h, _)| (*p, h.as_str()))
                .collect();
            let since = first - TimeDelta::hours(crate::domain::session_window::FEP_REPLY_HOURS);
            let referred = repo::platform::referred_since(scope, db, &pairs, since).await?;
            for (tenant, phone, hash, at) in &self.sent {
                if referred.contains(&(phone.0, hash.clone())) {
                    repo::platform::business_replied(
                        &system_in_tenant(scope, *tenant),
                        db,
                        *phone,
                        hash,
                        *at,
                    )
                    .await?;
                }
            }
        }
        // In key order across chunks too: workers applying statuses at once lock the same
        // messages in the same order.
        let mut rows: Vec<_> = self.rows.into_values().collect();
        rows.sort_by(|a, b| (a.phone.0, &a.state.wamid).cmp(&(b.phone.0, &b.state.wamid)));
        for chunk in rows.chunks(500) {
            let priced = repo::platform::upsert_statuses(scope, db, chunk, now).await?;
            super::super::rating::rate_messages(scope, db, priced, now).await?;
        }
        Ok(())
    }
}

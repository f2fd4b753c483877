//! Applying one change: matched to its tenant (by account, or by number for messages), then
//! handed to the handler of its kind (`templates`, `numbers`, `accounts`, `messages`). Unknown
//! fields and values stay "unmatched" or "ignored" in the event log.

use super::{
    accounts,
    common::{outcome, Applying, Matcher, Outcome},
    messages::messages,
    numbers, templates,
};
use crate::domain::platform::MessagesChange;
use crate::{
    backend::{
        auth::system_in_tenant,
        repo::{
            self,
            platform::{StoredEvent, IGNORED, UNMATCHED},
        },
        scope::SystemScope,
    },
    contract::AppError,
    domain::platform::{self, Change},
};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::Value;

pub(super) async fn apply(
    scope: &SystemScope,
    db: &impl ConnectionTrait,
    e: &StoredEvent,
    m: &mut Matcher,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let value: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let change = platform::interpret(&e.field, &value);
    let at = e.time.unwrap_or(e.received_at);
    if let Change::Messages(MessagesChange { statuses, inbound }) = &change {
        let Some(pnid) = &e.phone_number_id else {
            return outcome(
                UNMATCHED,
                None,
                "a messages change without metadata.phone_number_id",
            );
        };
        if !m.phones.contains_key(pnid) {
            let hit = repo::platform::phone_by_platform_id(scope, db, pnid).await?;
            m.phones.insert(pnid.clone(), hit);
        }
        let Some(Some((tenant, phone, _))) = m.phones.get(pnid).copied() else {
            return outcome(
                UNMATCHED,
                None,
                format!("no tenant has phone number id {pnid}"),
            );
        };
        let ts = system_in_tenant(scope, tenant);
        return messages(scope, &ts, db, phone, statuses, inbound, now).await;
    }
    if !m.wabas.contains_key(&e.waba_id) {
        let hit = repo::platform::waba_by_platform_id(scope, db, &e.waba_id).await?;
        m.wabas.insert(e.waba_id.clone(), hit);
    }
    let Some(Some((tenant, waba))) = m.wabas.get(&e.waba_id).copied() else {
        return outcome(
            UNMATCHED,
            None,
            format!("no tenant has WhatsApp business account {}", e.waba_id),
        );
    };
    let ts = system_in_tenant(scope, tenant);
    let t = Some(tenant);
    let a = Applying {
        scope,
        ts: &ts,
        event: e,
        value: &value,
        at,
        now,
        waba,
    };
    match change {
        Change::Unknown => outcome(
            UNMATCHED,
            t,
            format!("the field {} is not handled", e.field),
        ),
        Change::TemplateStatus(c) => templates::status(&a, db, c).await,
        Change::TemplateQuality(c) => templates::quality(&a, db, c).await,
        Change::TemplateCategory(c) => templates::category(&a, db, c).await,
        Change::NumberQuality(c) => numbers::quality(&a, db, c).await,
        Change::NumberHealth(c) => numbers::health(&a, db, c).await,
        Change::NumberName(c) => numbers::name(&a, db, c).await,
        Change::Capability(c) => accounts::capability(&a, db, c).await,
        Change::Account(c) => accounts::account(&a, db, c).await,
        Change::AccountAlert(c) => accounts::alert(&a, db, c).await,
        Change::Security(c) => accounts::security(&a, c),
        // Handled above, before the account is matched.
        Change::Messages(_) => outcome(IGNORED, t, "unreachable"),
    }
}

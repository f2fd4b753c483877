//! What the parts of the event processor share: a change split in this batch (`Fresh`), the
//! lookups of a batch (`Matcher`), what applying a change needs (`Applying`) and gives
//! (`Outcome`).

use crate::{
    backend::{
        repo::{self, platform::StoredEvent},
        scope::{SystemScope, TenantScope},
    },
    contract::AppError,
    domain::{
        ids::{PhoneNumberRowId, TenantId, WabaRowId},
        platform::RawChange,
    },
};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct Matcher {
    pub wabas: HashMap<String, Option<(TenantId, WabaRowId)>>,
    pub phones: HashMap<String, Option<(TenantId, PhoneNumberRowId, WabaRowId)>>,
}

pub(super) struct Outcome {
    pub status: &'static str,
    pub tenant: Option<TenantId>,
    pub result: String,
}

pub(super) fn outcome(
    status: &'static str,
    tenant: Option<TenantId>,
    result: impl Into<String>,
) -> Result<Outcome, AppError> {
    Ok(Outcome {
        status,
        tenant,
        result: result.into(),
    })
}

/// What every handler of a change needs: the event, its tenant and account, its time.
#[derive(Clone, Copy)]
pub(super) struct Applying<'a> {
    pub scope: &'a SystemScope,
    pub ts: &'a TenantScope,
    pub event: &'a StoredEvent,
    /// The change's payload as parsed.
    pub value: &'a Value,
    /// When the platform says it happened (else when it was received).
    pub at: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub waba: WabaRowId,
}

impl<'a> Applying<'a> {
    /// Everything at once, for a handler to bind what it uses:
    /// (scope, tenant scope, event, payload, event time, now, account).
    #[allow(clippy::type_complexity)]
    pub fn parts(
        &self,
    ) -> (
        &'a SystemScope,
        &'a TenantScope,
        &'a StoredEvent,
        &'a Value,
        DateTime<Utc>,
        DateTime<Utc>,
        WabaRowId,
    ) {
        (
            self.scope, self.ts, self.event, self.value, self.at, self.now, self.waba,
        )
    }
}

/// A change of a delivery split in this batch: not stored yet.
pub(super) struct Fresh {
    pub(super) id: uuid::Uuid,
    pub(super) delivery: uuid::Uuid,
    pub(super) seq: i32,
    pub(super) key: String,
    pub(super) change: RawChange,
    pub(super) value: Value,
    pub(super) received_at: DateTime<Utc>,
}

impl Fresh {
    pub(super) fn row(&self, tenant: Option<TenantId>) -> repo::platform::ChangeRow<'_> {
        repo::platform::ChangeRow {
            id: self.id,
            delivery: self.delivery,
            seq: self.seq,
            dedupe_key: &self.key,
            change: &self.change,
            tenant,
            received_at: self.received_at,
        }
    }

    pub(super) fn stored(&self) -> StoredEvent {
        let c = &self.change;
        StoredEvent {
            id: self.id,
            dedupe_key: self.key.clone(),
            seq: self.seq,
            field: c.field.clone(),
            waba_id: c.waba_id.clone(),
            phone_number_id: c.phone_number_id.clone(),
            payload: c.value.clone(),
            time: c.time,
            received_at: self.received_at,
            attempts: 0,
        }
    }
}

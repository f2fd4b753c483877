//! Receiving the platform's webhook deliveries: the signature check, storing a delivery before
//! the 200, the keys that make a change idempotent, and the retry schedule.

use crate::{
    backend::{
        repo::{self},
        scope::SystemScope,
    },
    contract::AppError,
    domain::platform::{self, RawChange},
};
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_next::Sha256>;

/// Checks `X-Hub-Signature-256: sha256=<hex>` against the raw body, in constant time.
pub fn signature_valid(app_secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(app_secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The `X-Hub-Signature-256` value for `body` (tests, the benchmark's load process).
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = match HmacSha256::new_from_slice(app_secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A keyed hash of a user's number: counts unique users without storing who they are.
pub fn recipient_hash(key: &[u8], who: &str) -> String {
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(who.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The same change delivered again (a retry, a second subscribed app) has the same key.
pub fn dedupe_key(c: &RawChange) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(c.waba_id.as_bytes());
    h.update([0]);
    h.update(
        c.time
            .map(|t| t.timestamp())
            .unwrap_or_default()
            .to_le_bytes(),
    );
    h.update(c.field.as_bytes());
    h.update([0]);
    h.update(c.value.as_bytes());
    hex::encode(h.finalize())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub changes: usize,
}

/// Stores a verified delivery (the caller checked the signature) as received: one row, the raw
/// body, committed before the 200; the processor splits it into its changes (a redelivered
/// change is skipped then). Malformed bodies are a `Request` error (400) and nothing is stored.
pub async fn receive(scope: &SystemScope, body: &[u8]) -> Result<Received, AppError> {
    let _receiving = crate::backend::state::Receiving::start(scope.state());
    let changes = platform::split(body)
        .map_err(|e| AppError::Request {
            message: e.to_string(),
        })?
        .len();
    let text = String::from_utf8_lossy(body).into_owned();
    repo::platform::store_unsplit(scope, scope.db(), text, changes, scope.state().now()).await?;
    Ok(Received { changes })
}

/// Retry delays of a change whose processing failed: 30 s doubling, up to 10 attempts.
pub fn retry_at(now: DateTime<Utc>, attempts_before: i32) -> Option<DateTime<Utc>> {
    let n = attempts_before + 1;
    (n < 10).then(|| now + TimeDelta::seconds(30 * (1i64 << (n - 1).clamp(0, 12))))
}

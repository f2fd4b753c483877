//! The webhook envelope (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications):
//! a delivery split into its changes, each with its account, field, number and time.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// One change of a delivery, as stored before processing.
#[derive(Clone, Debug, PartialEq)]
pub struct RawChange {
    /// `entry[].id`: the WhatsApp business account.
    pub waba_id: String,
    pub field: String,
    /// `value.metadata.phone_number_id` (the `messages` field).
    pub phone_number_id: Option<String>,
    /// `entry[].time`, or the latest status/message timestamp inside `messages`.
    pub time: Option<DateTime<Utc>>,
    /// The change's `value`, re-serialised compactly (the raw delivery is kept as received).
    pub value: String,
}

/// A `messages` change of a known number that carries statuses and nothing else (most of the
/// traffic). Its effects merge in any order (the furthest status, the earliest time of each
/// step, the first pricing), so such changes may be applied by several workers at once; every
/// other change (inbound messages, templates, numbers, accounts) is applied in event order.
pub fn statuses_only(field: &str, phone_number_id: Option<&str>, value: &str) -> bool {
    field == "messages"
        && phone_number_id.is_some()
        && value.contains("\"statuses\"")
        && !value.contains("\"messages\"")
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is not a WhatsApp webhook: {0}")]
    Shape(&'static str),
}

/// Splits a delivery body into its changes.
pub fn split(body: &[u8]) -> Result<Vec<RawChange>, EnvelopeError> {
    Ok(split_parsed(body)?.into_iter().map(|(c, _)| c).collect())
}

/// [`split`], each change with its `value` parsed (the processor reads it at once).
pub fn split_parsed(body: &[u8]) -> Result<Vec<(RawChange, Value)>, EnvelopeError> {
    let doc: Value =
        serde_json::from_slice(body).map_err(|e| EnvelopeError::NotJson(e.to_string()))?;
    let entries = doc
        .get("entry")
        .and_then(Value::as_array)
        .ok_or(EnvelopeError::Shape("no entry list"))?;
    let mut out = Vec::new();
    for entry in entries {
        let waba_id = match entry.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(EnvelopeError::Shape("an entry has no id")),
        };
        let entry_time = entry.get("time").and_then(unix);
        let changes = entry
            .get("changes")
            .and_then(Value::as_array)
            .ok_or(EnvelopeError::Shape("an entry has no changes"))?;
        for c in changes {
            let field = c
                .get("field")
                .and_then(Value::as_str)
                .ok_or(EnvelopeError::Shape("a change has no field"))?
                .to_owned();
            let value = c.get("value").cloned().unwrap_or(Value::Null);
            let phone_number_id = value.pointer("/metadata/phone_number_id").and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            });
            let time = entry_time.or_else(|| latest_inner_time(&value));
            let text = value.to_string();
            out.push((
                RawChange {
                    waba_id: waba_id.clone(),
                    field,
                    phone_number_id,
                    time,
                    value: text,
                },
                value,
            ));
        }
    }
    Ok(out)
}

pub(super) fn latest_inner_time(value: &Value) -> Option<DateTime<Utc>> {
    ["statuses", "messages"]
        .iter()
        .filter_map(|k| value.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|s| s.get("timestamp").and_then(unix))
        .max()
}

/// A unix time given as a number or a numeric string.
pub fn unix(v: &Value) -> Option<DateTime<Utc>> {
    let secs = match v {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    DateTime::from_timestamp(secs, 0)
}

pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl RawChange {
    /// See [`statuses_only`].
    pub fn statuses_only(&self) -> bool {
        statuses_only(&self.field, self.phone_number_id.as_deref(), &self.value)
    }
}

//! Cursor pagination: `limit` (1–200, default 50) and an opaque `cursor` from the previous
//! page's `next_cursor`; `next` is the URL of the next page. A cursor is the position after the
//! last row (base64url JSON), so pages stay stable while rows are added.

use super::problem::ApiError;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{de::DeserializeOwned, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
/// The longest cursor read.
const MAX_CURSOR: usize = 512;

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub data: Vec<T>,
    /// Give it as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The next page's URL (path and query); absent on the last page.
    pub next: Option<String>,
}

/// `limit`, checked.
pub fn limit(raw: Option<u32>) -> Result<u64, ApiError> {
    match raw.unwrap_or(DEFAULT_LIMIT) {
        n @ 1..=MAX_LIMIT => Ok(u64::from(n)),
        _ => Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        ))),
    }
}

pub fn encode<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

/// A cursor read back; anything that is not one of ours is a bad request.
pub fn decode<T: DeserializeOwned>(cursor: Option<&str>) -> Result<Option<T>, ApiError> {
    let Some(c) = cursor.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let invalid = || ApiError::bad_request("cursor is not one this API gave");
    if c.len() > MAX_CURSOR {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(c).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|_| invalid())
}

/// The next page's URL: `path` with the query's other parameters and the new cursor.
pub fn next_url(path: &str, params: &[(&str, Option<String>)], cursor: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v {
            q.append_pair(k, v);
        }
    }
    q.append_pair("cursor", cursor);
    format!("{path}?{}", q.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let c = encode(&("a", 2));
        assert_eq!(
            decode::<(String, i32)>(Some(&c)).ok().flatten(),
            Some(("a".into(), 2))
        );
        assert!(decode::<(String, i32)>(None).is_ok_and(|c| c.is_none()));
        for bad in ["!!", "e30", &"A".repeat(600)] {
            assert!(decode::<(String, i32)>(Some(bad)).is_err(), "{bad}");
        }
        assert!(limit(Some(0)).is_err() && limit(Some(201)).is_err());
        assert_eq!(limit(None).ok(), Some(50));
        assert_eq!(
            next_url(
                "/api/v1/templates",
                &[("limit", Some("5".into())), ("status", None)],
                "xy"
            ),
            "/api/v1/templates?limit=5&cursor=xy"
        );
    }
}

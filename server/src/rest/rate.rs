//! Per-key rate limits: `RATE_LIMIT_PER_MINUTE` requests a minute per API key, in fixed
//! one-minute windows, counted in this process (several processes each allow the limit). Every
//! answer to a known key carries the IETF draft's `RateLimit-Policy` and `RateLimit` headers
//! (<https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/>); over the limit,
//! 429 with `Retry-After` at the window's end.

use super::problem::ApiError;
use app::contract::AppError;
use axum::http::{HeaderMap, HeaderValue};
use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

const WINDOW_SECS: i64 = 60;
/// Windows kept before old ones are dropped.
const MAX_TRACKED: usize = 100_000;

/// (window start, requests in it) per key.
static WINDOWS: LazyLock<Mutex<HashMap<uuid::Uuid, (i64, u32)>>> = LazyLock::new(Default::default);

/// Where a request's limit stands.
#[derive(Clone, Copy, Debug)]
pub struct Standing {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window ends.
    pub reset: i64,
}

/// The slot `finish` gives each request, filled once its key is known.
#[derive(Clone, Default)]
pub struct Slot(pub Arc<Mutex<Option<Standing>>>);

/// Counts a request of `key` at `now` (unix seconds); over the limit, the error to answer.
pub fn count(key: uuid::Uuid, now: i64, limit: u32) -> Result<Standing, (Standing, ApiError)> {
    let start = now - now.rem_euclid(WINDOW_SECS);
    let reset = start + WINDOW_SECS - now;
    let used = match WINDOWS.lock() {
        Ok(mut w) => {
            if w.len() > MAX_TRACKED {
                w.retain(|_, (s, _)| *s == start);
            }
            let e = w.entry(key).or_insert((start, 0));
            if e.0 != start {
                *e = (start, 0);
            }
            e.1 = e.1.saturating_add(1);
            e.1
        }
        // A poisoned lock only loses the count: the request goes through.
        Err(_) => 1,
    };
    let standing = Standing {
        limit,
        remaining: limit.saturating_sub(used),
        reset,
    };
    if used > limit {
        Err((
            standing,
            ApiError::App(AppError::Throttled {
                retry_after_secs: u64::try_from(reset.max(1)).unwrap_or(1),
            }),
        ))
    } else {
        Ok(standing)
    }
}

/// The draft's headers for `s`.
pub fn headers(s: Standing, h: &mut HeaderMap) {
    for (name, value) in [
        (
            "ratelimit-policy",
            format!("\"default\";q={};w={WINDOW_SECS}", s.limit),
        ),
        (
            "ratelimit",
            format!("\"default\";r={};t={}", s.remaining, s.reset),
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_limit_per_minute_and_a_new_window_starts_afresh() {
        let key = uuid::Uuid::now_v7();
        let t = 1_800_000_040; // 40 s into a window
        for i in 0..3 {
            let s = count(key, t, 3).expect("within the limit");
            assert_eq!(s.remaining, 2 - i);
            assert_eq!(s.reset, 20);
        }
        let (s, e) = count(key, t + 5, 3).expect_err("over");
        assert_eq!(s.remaining, 0);
        assert!(matches!(
            e,
            ApiError::App(AppError::Throttled {
                retry_after_secs: 15
            })
        ));
        assert!(count(key, t + 20, 3).is_ok_and(|s| s.remaining == 2));
        assert!(count(uuid::Uuid::now_v7(), t + 5, 3).is_ok());
    }
}

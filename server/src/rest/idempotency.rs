//! `Idempotency-Key` on every POST (draft-ietf-httpapi-idempotency-key-header,
//! <https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/>): a retry of
//! the same request within 24 hours gets the first answer again (`Idempotent-Replayed: true`)
//! and changes nothing; the same key with another request is refused (422); a retry while the
//! first is still running is refused (409). Keys are per API key, so two callers never
//! collide. Only successful answers are kept: a refused request changed nothing (each is one
//! transaction) and may be sent again with the same key.

use super::problem::ApiError;
use app::backend::{auth::ApiCaller, repo::idempotency as repo, state::AppState};
use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::TimeDelta;
use sha2::{Digest, Sha256};
use std::future::Future;

/// How long an answer is kept.
const TTL_HOURS: i64 = 24;
/// A request still "running" after this long died with its process: it may run again.
const LEASE_SECONDS: i64 = 60;
/// The longest key, in bytes (as Stripe allows).
const MAX_KEY: usize = 255;
/// The largest answer kept.
const MAX_ANSWER: usize = 1024 * 1024;

/// The key a request was sent with, if any: a Structured Field string (`"…"`) or bare, up to
/// 255 bytes (an empty one is none). It is kept as its digest, whatever bytes it holds.
fn key_of(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(raw) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bytes = raw.as_bytes().trim_ascii();
    let bytes = bytes
        .strip_prefix(b"\"")
        .and_then(|b| b.strip_suffix(b"\""))
        .unwrap_or(bytes);
    if bytes.len() > MAX_KEY {
        return Err(ApiError::bad_request(format!(
            "Idempotency-Key is longer than {MAX_KEY} bytes"
        )));
    }
    Ok((!bytes.is_empty()).then(|| hex::encode(Sha256::digest(bytes))))
}

/// Runs `work` once per (API key, `Idempotency-Key`): `what` names the request (method and
/// path), `body` is its body; together they are the request's fingerprint.
pub async fn once<Fut>(
    st: &AppState,
    caller: &ApiCaller,
    headers: &HeaderMap,
    what: &str,
    body: &[u8],
    work: impl FnOnce() -> Fut,
) -> Response
where
    Fut: Future<Output = Response>,
{
    let key = match key_of(headers) {
        Ok(Some(k)) => k,
        Ok(None) => return work().await,
        Err(e) => return e.into_response(),
    };
    let mut h = Sha256::new();
    h.update(what.as_bytes());
    h.update(b"\n");
    h.update(body);
    let fingerprint = hex::encode(h.finalize());
    let claim = repo::claim(
        &st.db,
        caller.key,
        &key,
        &fingerprint,
        st.now(),
        TimeDelta::hours(TTL_HOURS),
        TimeDelta::seconds(LEASE_SECONDS),
    )
    .await;
    match claim {
        Err(e) => ApiError::from(e).into_response(),
        Ok(repo::Claim::Running) => ApiError::Http {
            status: StatusCode::CONFLICT,
            code: "idempotency_in_progress",
            detail: "a request with this Idempotency-Key is still running: retry later".into(),
        }
        .into_response(),
        Ok(repo::Claim::Mismatch) => ApiError::Http {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "idempotency_key_reused",
            detail: "this Idempotency-Key was used for another request".into(),
        }
        .into_response(),
        Ok(repo::Claim::Replay(stored)) => replay(stored),
        Ok(repo::Claim::Run) => {
            let answer = work().await;
            keep(st, caller, &key, answer).await
        }
    }
}

/// Keeps a successful answer (and gives it); releases the key after any other.
async fn keep(st: &AppState, caller: &ApiCaller, key: &str, answer: Response) -> Response {
    if !answer.status().is_success() {
        if let Err(e) = repo::release(&st.db, caller.key, key).await {
            tracing::error!(error = %e, "idempotency key not released");
        }
        return answer;
    }
    let (parts, body) = answer.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ANSWER).await {
        Ok(b) => b,
        Err(e) => return ApiError::from(app::backend::error::internal(&e)).into_response(),
    };
    let text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let stored = repo::Stored {
        status: parts.status.as_u16(),
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    };
    if let Err(e) = repo::finish(&st.db, caller.key, key, &stored).await {
        tracing::error!(error = %e, "idempotent answer not kept");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(s: repo::Stored) -> Response {
    let mut r = Response::new(Body::from(s.body));
    *r.status_mut() = StatusCode::from_u16(s.status).unwrap_or(StatusCode::OK);
    let h = r.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, s.content_type),
        (header::LOCATION, s.location),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(name, v);
        }
    }
    h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_quoted_or_bare_bounded_and_kept_as_digests() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert("idempotency-key", HeaderValue::from_str(v).expect("value"));
            key_of(&m)
        };
        let digest = |s: &str| Some(hex::encode(Sha256::digest(s.as_bytes())));
        assert_eq!(
            h("\"8e03978e-40d5\"").ok().flatten(),
            digest("8e03978e-40d5")
        );
        assert_eq!(h("8e03978e-40d5").ok().flatten(), digest("8e03978e-40d5"));
        assert_ne!(h("abc").ok().flatten(), h("abd").ok().flatten());
        assert!(h("\"\"").is_ok_and(|k| k.is_none()));
        assert!(h(&"k".repeat(256)).is_err());
        assert!(h(&"k".repeat(255)).is_ok_and(|k| k.is_some()));
        assert!(key_of(&HeaderMap::new()).is_ok_and(|k| k.is_none()));
    }
}

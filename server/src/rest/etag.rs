//! `ETag` on every successful read (a digest of the answer), and `304 Not Modified` for a
//! client that sends it back in `If-None-Match` (RFC 9110 §13.1.2): a poller that asks again
//! and again gets no body until something changed.

use axum::{
    body::Body,
    http::{header, HeaderMap, StatusCode},
    response::Response,
};
use sha2::{Digest, Sha256};

/// The largest answer tagged (a page of 200 rows is far below).
const MAX_TAGGED: usize = 8 * 1024 * 1024;

/// Tags `r`, the answer to a GET with `request` headers.
pub async fn tag(request: &HeaderMap, r: Response) -> Response {
    if r.status() != StatusCode::OK {
        return r;
    }
    let (mut parts, body) = r.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TAGGED).await else {
        return Response::from_parts(parts, Body::empty());
    };
    // A handler's own tag (a version) stands; else the answer's digest.
    let tag = match parts
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        Some(t) => t.to_owned(),
        None => {
            let t = format!("\"{}\"", &hex::encode(Sha256::digest(&bytes))[..32]);
            if let Ok(v) = t.parse() {
                parts.headers.insert(header::ETAG, v);
            }
            t
        }
    };
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*");
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

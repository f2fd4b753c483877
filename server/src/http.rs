//! Plain HTTP routes and middleware: health, readiness, and the cross-site request guard.

use axum::{
    body::Body,
    extract::State,
    http::{header, Method, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::sync::Arc;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers.
pub async fn readyz(db: DatabaseConnection) -> Response {
    match db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Page renders get the request's session read once, before rendering (`PageSession`), so
/// the page's frame has it synchronously.
pub async fn page_session(State(state): State<app::backend::state::AppState>, req: Request<Body>, next: Next) -> Response {
    if !crate::hedge::is_page(&req) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let session = app::backend::context::PageSession::read(state, &parts).await;
    parts.extensions.insert(session);
    next.run(Request::from_parts(parts, body)).await
}

/// Origins allowed to make state-changing requests.
#[derive(Clone, Debug)]
pub struct AllowedOrigins(pub Arc<Vec<String>>);

/// Refuses state-changing requests from another site: a present `Origin` must be ours;
/// without one, `Sec-Fetch-Site: cross-site` is refused. Clients that send neither
/// (scripts, the CLI's peers) are not browsers and carry no ambient cookie risk.
pub async fn csrf_guard(State(allowed): State<AllowedOrigins>, req: Request<Body>, next: Next) -> Response {
    let m = req.method();
    if m == Method::GET || m == Method::HEAD || m == Method::OPTIONS {
        return next.run(req).await;
    }
    let h = req.headers();
    let host_origin = h.get(header::HOST).and_then(|v| v.to_str().ok()).map(|host| format!("http://{host}"));
    let refused = match h.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        Some(origin) => !(allowed.0.iter().any(|a| a == origin) || host_origin.as_deref() == Some(origin) && !allowed.0.iter().any(|a| a.starts_with("https://"))),
        None => h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site"),
    };
    if refused {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// Server functions answer framework-level failures (missing or malformed arguments) with
/// 500; those are the client's fault, so they become 400. Our own errors already carry their
/// status (see `app::api::error::respond`); a real internal error keeps its 500.
pub async fn server_fn_status(req: Request<Body>, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let code = serde_json::from_slice::<serde_json::Value>(&bytes).ok().and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned));
    if code.as_deref() == Some("request") {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Form fields never echoed back in a URL.
const SECRET_FIELDS: &[&str] = &["password", "confirm", "token"];

/// Without JavaScript, a form whose server function fails is redirected back to its page
/// with the error in the URL (leptos' `__err`), and the typed values would be lost. This adds
/// them as `__form` (secrets left out) so the fields are filled in again; after a success the
/// parameter is dropped.
pub async fn echo_form_on_error(req: Request<Body>, next: Next) -> Response {
    let h = req.headers();
    let is_form_post = req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        && h.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if !is_form_post {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "the form is too large").into_response();
    };
    let mut res = next.run(Request::from_parts(parts, Body::from(bytes.clone()))).await;
    let Some(location) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned) else { return res };
    let (path, query) = location.split_once('?').unwrap_or((location.as_str(), ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "__form").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if pairs.iter().any(|(k, _)| k == "__err") {
        let kept = form_urlencoded::Serializer::new(String::new()).extend_pairs(form_urlencoded::parse(&bytes).filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_ref()))).finish();
        pairs.push(("__form".into(), kept));
    }
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let location = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
    if let Ok(v) = axum::http::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

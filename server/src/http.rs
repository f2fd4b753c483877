//! Plain HTTP routes and middleware: health, readiness, and the cross-site request guard.

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue, Method, Request, StatusCode},
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
pub async fn page_session(
    State(state): State<app::backend::state::AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if !crate::hedge::is_page(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let (mut parts, echo) = take_echoed_form(parts).await;
    let session = app::backend::context::page_session(state, &parts).await;
    let signed_in = session
        .0
        .as_ref()
        .is_ok_and(|s| s.user.is_some() || s.must_enrol);
    parts.extensions.insert(session);
    let mut res = next.run(Request::from_parts(parts, body)).await;
    if signed_in {
        // A signed-in page holds a tenant's data: no cache keeps it (a shared computer's
        // back button after a sign-out included).
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if echo {
        res.headers_mut()
            .append(header::SET_COOKIE, clear_echo_cookie());
    }
    res
}

/// Origins allowed to make state-changing requests.
#[derive(Clone, Debug)]
pub struct AllowedOrigins(pub Arc<Vec<String>>);

/// Refuses state-changing requests from another site: a present `Origin` must be ours;
/// without one, `Sec-Fetch-Site: cross-site` is refused. Clients that send neither
/// (scripts, the CLI's peers) are not browsers and carry no ambient cookie risk.
pub async fn csrf_guard(
    State(allowed): State<AllowedOrigins>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let m = req.method();
    if m == Method::GET || m == Method::HEAD || m == Method::OPTIONS {
        return next.run(req).await;
    }
    let h = req.headers();
    let host_origin = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|host| format!("http://{host}"));
    let refused = match h.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        Some(origin) => {
            !(allowed.0.iter().any(|a| a == origin)
                || host_origin.as_deref() == Some(origin)
                    && !allowed.0.iter().any(|a| a.starts_with("https://")))
        }
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
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let code = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned));
    if code.as_deref() == Some("request") {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Form fields never echoed back.
const SECRET_FIELDS: &[&str] = &["password", "confirm", "token"];

/// The largest form kept for a signed-in user's page (a template with every component in a
/// script written without spaces is far below).
const ECHO_MAX: usize = 32 * 1024;

/// The largest form kept for an anonymous visitor, in the cookie itself (sign-in, accepting
/// an invitation: a few hundred bytes). Nothing is stored on the server for anonymous
/// requests, so they cannot fill its memory or its sessions table.
const ECHO_COOKIE_MAX: usize = 1_500;

/// Cookie saying that a refused form waits: `1` (in the session) or the form itself
/// (hex-encoded, anonymous visitors). HttpOnly, for five minutes.
const ECHO_COOKIE: &str = "bsp_echo";

/// Without JavaScript, a form whose server function fails is redirected back to its page
/// with the error in the URL (leptos' `__err`), and the typed values would be lost. This keeps
/// them (secrets left out) for the page that the redirect opens (`take_echoed_form`), never in
/// the URL (so not in history, logs or referrers): in the session of a signed-in user, in an
/// HttpOnly cookie for an anonymous visitor; the cookie also tells that one is waiting, so
/// other pages never read the session for it.
pub async fn echo_form_on_error(req: Request<Body>, next: Next) -> Response {
    let h = req.headers();
    let is_form_post = req.method() == Method::POST
        && req.uri().path().starts_with("/api/")
        && h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
        && h.get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if !is_form_post {
        return next.run(req).await;
    }
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "the form is too large").into_response();
    };
    let mut res = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let Some(location) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return res;
    };
    let (path, query) = location.split_once('?').unwrap_or((location.as_str(), ""));
    if !form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "__err")
        || bytes.len() > ECHO_MAX
    {
        return res;
    }
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(&bytes).filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_ref())),
        )
        .finish();
    // The page as the browser will ask for it: the redirect's path and query (it may be absolute).
    let page = url::Url::parse(&location)
        .map(|u| format!("{}?{}", u.path(), u.query().unwrap_or("")))
        .unwrap_or_else(|_| format!("{path}?{query}"));
    // A session that exists already (signed in) keeps it; an anonymous visitor's cookie does.
    let value = match session {
        Some(session) if session.id().is_some() => match session
            .insert(app::ui::components::ECHO_SESSION_KEY, (page, kept))
            .await
        {
            Ok(()) => Some("1".to_owned()),
            Err(e) => {
                tracing::warn!(error = %e, "a refused form could not be kept for its page");
                None
            }
        },
        _ => {
            Some(hex::encode(format!("{page}\n{kept}"))).filter(|v| v.len() <= 2 * ECHO_COOKIE_MAX)
        }
    };
    if let Some(v) = value.and_then(|v| {
        HeaderValue::from_str(&format!(
            "{ECHO_COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300"
        ))
        .ok()
    }) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// For a page opened by the redirect after a refused form: takes the form's values (once)
/// when they are for this page (the redirect's path and query), from the cookie or the
/// session, and says the cookie must be dropped. Other requests pass untouched.
pub async fn take_echoed_form(
    mut parts: axum::http::request::Parts,
) -> (axum::http::request::Parts, bool) {
    let prefix = format!("{ECHO_COOKIE}=");
    let Some(value) = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(prefix.as_str()).map(str::to_owned))
    else {
        return (parts, false);
    };
    let echo = if value == "1" {
        match parts.extensions.get::<tower_sessions::Session>().cloned() {
            Some(session) => session
                .remove::<(String, String)>(app::ui::components::ECHO_SESSION_KEY)
                .await
                .ok()
                .flatten(),
            None => None,
        }
    } else {
        hex::decode(&value)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.split_once('\n')
                    .map(|(p, f)| (p.to_owned(), f.to_owned()))
            })
    };
    if let Some((page, form)) = echo {
        if parts
            .uri
            .path_and_query()
            .is_some_and(|pq| page == format!("{}?{}", pq.path(), pq.query().unwrap_or("")))
        {
            parts
                .extensions
                .insert(app::ui::components::EchoedForm(form));
        }
    }
    (parts, true)
}

/// The header that drops the echo cookie.
pub fn clear_echo_cookie() -> HeaderValue {
    HeaderValue::from_static("bsp_echo=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

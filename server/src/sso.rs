//! `GET /auth/oidc/start` and `GET /auth/oidc/callback`: staff sign-in through the
//! organisation's OpenID provider. Both answer with redirects: to the provider, into the
//! console, or back to the sign-in page saying what went wrong (`/sign-in?sso=<code>`).

use app::backend::{
    context::RequestCtx,
    services::sso::{self, Callback},
    state::AppState,
};
use axum::http::request::Parts;
use axum::{
    extract::{Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

/// A 303 to `to`, never cached (each answer belongs to one sign-in).
fn see_other(to: &str) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::response::Redirect::to(to),
    )
        .into_response()
}

fn refused(code: &str) -> Response {
    see_other(&format!("/sign-in?sso={code}"))
}

fn failed(e: app::contract::AppError) -> Response {
    match e {
        // Provider sign-in is not configured: there is nothing here.
        app::contract::AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
        _ => refused("failed"),
    }
}

pub async fn start(State(state): State<AppState>, parts: Parts) -> Response {
    let ctx = match RequestCtx::from_parts(state, &parts).await {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    match sso::begin(&ctx).await {
        Ok(Ok(url)) => see_other(&url),
        Ok(Err(r)) => refused(r.code()),
        Err(e) => failed(e),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    parts: Parts,
    Query(q): Query<CallbackQuery>,
) -> Response {
    // From the request's parts: the device cookie, the client's address and its user agent
    // count as for a password sign-in.
    let ctx = match RequestCtx::from_parts(state, &parts).await {
        Ok(c) => c,
        Err(e) => return failed(e),
    };
    let cb = Callback {
        code: q.code.as_deref(),
        state: q.state.as_deref(),
        error: q.error.as_deref(),
    };
    match sso::callback(&ctx, cb).await {
        Ok(Ok(signed_in)) => {
            let mut r = see_other(signed_in.next.unwrap_or("/"));
            if let Some(cookie) = signed_in
                .device_cookie
                .and_then(|c| HeaderValue::from_str(&c).ok())
            {
                r.headers_mut().append(header::SET_COOKIE, cookie);
            }
            r
        }
        Ok(Err(r)) => refused(r.code()),
        Err(e) => failed(e),
    }
}

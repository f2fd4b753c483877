//! The REST API, `/api/v1`: JSON over the same services as the pages (no second copy of any
//! rule), for the tenants' and the BSP's own systems. A key authenticates each request
//! (`caller`); errors are RFC 9457 problems (`problem`); lists are cursor-paged (`page`). The
//! OpenAPI 3.1 document is generated from the handlers' own types (`utoipa`) and served at
//! `/api/v1/openapi.json`, with a reference page at `/api/docs`.

mod alerts;
mod bsp;
mod caller;
mod etag;
mod idempotency;
mod page;
mod problem;
mod profiles;
mod rate;
mod template_writes;
mod templates;
mod tenant;

use app::{backend::state::AppState, domain::locale::Locale};
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
    Router,
};
pub use problem::{ApiError, Problem};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use utoipa::{
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// A JSON body; unknown fields and malformed JSON are problems, not axum's plain text.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query string, read as problems on error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A body's bytes (bounded by `BODY_LIMIT`), for handlers that fingerprint it before reading it.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(ApiBytes)
            .map_err(ApiError::from)
    }
}

/// A JSON body read from its bytes: not JSON → 415, malformed → 400, not this shape (an
/// unknown field, a wrong type) → 422.
pub(crate) fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError::Http {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            detail: "send the body as application/json".into(),
        });
    }
    serde_json::from_slice(body).map_err(|e| {
        let (status, code) = match e.classify() {
            serde_json::error::Category::Data => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            _ => (StatusCode::BAD_REQUEST, "malformed_body"),
        };
        ApiError::Http {
            status,
            code,
            detail: e.to_string(),
        }
    })
}

/// The largest request body the API reads.
const BODY_LIMIT: usize = 256 * 1024;

/// Path parameters (a malformed id is not found).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The errors any operation may answer, each an RFC 9457 problem.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Errors {
    #[response(
        status = 400,
        description = "The request is malformed (query, cursor, JSON)",
        content_type = "application/problem+json"
    )]
    BadRequest(Problem),
    #[response(
        status = 401,
        description = "No key, or a key that is malformed, unknown, revoked or expired",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 403,
        description = "The key's scope does not allow this, or its tenant is suspended",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
    #[response(
        status = 404,
        description = "No such object for this key (other tenants' ids included)",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
    #[response(
        status = 409,
        description = "The object's state does not allow this now, or a request with the same Idempotency-Key is still running",
        content_type = "application/problem+json"
    )]
    Conflict(Problem),
    #[response(
        status = 413,
        description = "The body is larger than 256 KiB",
        content_type = "application/problem+json"
    )]
    TooLarge(Problem),
    #[response(
        status = 415,
        description = "The body is not application/json",
        content_type = "application/problem+json"
    )]
    NotJson(Problem),
    #[response(
        status = 422,
        description = "The body was refused: the field errors say why",
        content_type = "application/problem+json"
    )]
    Unprocessable(Problem),
    #[response(
        status = 429,
        description = "Too many requests: see Retry-After",
        content_type = "application/problem+json"
    )]
    TooMany(Problem),
    #[response(
        status = 500,
        description = "An internal error (the request id is logged)",
        content_type = "application/problem+json"
    )]
    Internal(Problem),
    #[response(
        status = 503,
        description = "Busy: see Retry-After",
        content_type = "application/problem+json"
    )]
    Busy(Problem),
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BSP Console API",
        description = "The console's REST API for a tenant's systems (a tenant key) and the BSP's own automation (a BSP key). Send the key as `Authorization: Bearer bspc_…`. Errors are RFC 9457 problem details; lists are cursor-paged (`limit` ≤ 200, `next_cursor`); times are RFC 3339 UTC; ids are UUIDs."
    ),
    modifiers(&KeyAuth),
    components(schemas(Problem, problem::ProblemField, templates::StatusName, bsp::TenantStatusName, alerts::AlertStatus)),
    tags(
        (name = "tenant", description = "The key's tenant and its phone numbers"),
        (name = "templates", description = "Message templates"),
        (name = "profiles", description = "The business profiles of the phone numbers"),
        (name = "alerts", description = "What needs someone's attention"),
        (name = "bsp", description = "The BSP's own operations (a BSP key)"),
    )
)]
struct ApiDoc;

struct KeyAuth;

impl Modify for KeyAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("bspc_ API key".into());
        api.components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_key", SecurityScheme::Http(http));
    }
}

/// The API's routes and its document.
pub fn split() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1: OpenApiRouter<AppState> = OpenApiRouter::new()
        .routes(routes!(tenant::get_tenant))
        .routes(routes!(tenant::list_phone_numbers))
        .routes(routes!(
            templates::list_templates,
            template_writes::create_template
        ))
        .routes(routes!(template_writes::lint_template))
        .routes(routes!(
            templates::get_template,
            template_writes::edit_template
        ))
        .routes(routes!(template_writes::submit_template))
        .routes(routes!(template_writes::template_history))
        .routes(routes!(profiles::get_profile, profiles::put_profile))
        .routes(routes!(alerts::list_alerts))
        .routes(routes!(alerts::acknowledge_alert))
        .routes(routes!(alerts::resolve_alert))
        .routes(routes!(bsp::list_tenants, bsp::create_tenant))
        .routes(routes!(bsp::suspend_tenant))
        .routes(routes!(bsp::reactivate_tenant))
        .routes(routes!(bsp::add_phone_number));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts()
}

/// The API as mounted by the server: `/api/v1/…`, the document, the reference page.
pub fn router(state: AppState) -> Router {
    let (api, doc) = split();
    let docs = Router::new()
        .merge(
            utoipa_swagger_ui::SwaggerUi::new("/api/docs")
                .url("/api/v1/openapi.json", doc)
                .config(utoipa_swagger_ui::Config::default().validator_url("none")),
        )
        .layer(axum::middleware::from_fn(docs_policy));
    // A route, not a fallback: the console's pages own the server's fallback.
    api.route("/api/v1/{*rest}", axum::routing::any(not_found))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
        .layer(axum::middleware::from_fn(finish))
        .merge(docs)
}

async fn not_found() -> ApiError {
    ApiError::App(app::contract::AppError::NotFound)
}

/// The reference page's Content-Security-Policy: its scripts and styles are files of this
/// origin (Swagger UI's CSS has `data:` icons and its logo an inline style).
async fn docs_policy(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
             frame-ancestors 'none'",
        ),
    );
    r
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The client's request id if it sent a sane one (letters, digits, `-`, `_`; 64 at most), else
/// a new one.
fn request_id(h: &axum::http::HeaderMap) -> String {
    h.get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
}

/// Every API answer: a request id (the client's, if it sent a sane one, else a new one) in a
/// header and in the log line; errors written as problem documents in the request's language;
/// never cached by a shared cache.
async fn finish(req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    let locale = Locale::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let span = tracing::info_span!("api", request_id = %id, key = tracing::field::Empty);
    let started = std::time::Instant::now();
    let slot = rate::Slot::default();
    let mut req = req;
    req.extensions_mut().insert(slot.clone());
    let conditional = (req.method() == Method::GET).then(|| req.headers().clone());
    let mut r = next.run(req).instrument(span.clone()).await;
    if let Some(h) = &conditional {
        r = etag::tag(h, r).await;
    }
    if let Some(standing) = slot.0.lock().ok().and_then(|s| *s) {
        rate::headers(standing, r.headers_mut());
    }
    let mut r = problem::write(r, locale, &id);
    if let Ok(v) = HeaderValue::from_str(&id) {
        r.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    r.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("private, no-cache"));
    let status = r.status();
    span.in_scope(|| {
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(%method, %path, status = status.as_u16(), ms = started.elapsed().as_millis() as u64, "api request");
        } else {
            tracing::info!(%method, %path, status = status.as_u16(), ms = started.elapsed().as_millis() as u64, "api request");
        }
    });
    r
}

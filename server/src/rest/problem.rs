//! Errors of the API as RFC 9457 problem details (`application/problem+json`,
//! <https://www.rfc-editor.org/rfc/rfc9457>): a stable `type` per error code, the HTTP status,
//! a sentence in the language of `Accept-Language`, the field errors a page would show, and
//! the request's id. A handler returns `ApiError`; `finish` (the API's outer layer) writes the
//! body, in the request's language.

use app::{contract::AppError, domain::locale::Locale};
use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:bsp-console:problem:<code>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    pub status: u16,
    /// What went wrong this time, for people, in the request's language.
    pub detail: String,
    /// The fields that were refused, each with a stable code and a sentence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The id of this request (also the `X-Request-Id` header), to quote to support.
    pub request_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's name in the request body or query.
    pub field: String,
    /// A stable code (`required`, `too_long`, …).
    pub code: String,
    pub message: String,
}

/// An error answer of the API.
#[derive(Debug)]
pub enum ApiError {
    /// An error of the console (the same the pages show).
    App(AppError),
    /// The request itself could not be read (malformed JSON, an unknown field, a bad query).
    Http {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl ApiError {
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::Http {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            detail: detail.into(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let (status, code) = match &r {
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            JsonRejection::BytesRejection(_) => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            _ => (StatusCode::BAD_REQUEST, "malformed_body"),
        };
        ApiError::Http {
            status,
            code,
            detail: r.body_text(),
        }
    }
}

impl From<axum::extract::rejection::BytesRejection> for ApiError {
    fn from(r: axum::extract::rejection::BytesRejection) -> Self {
        ApiError::Http {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "body_too_large",
            detail: r.body_text(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        // A malformed id names nothing: not found, as on the pages.
        ApiError::App(AppError::NotFound)
    }
}

/// The error a response carries until `finish` writes it in the request's language.
#[derive(Clone)]
pub(super) struct Unwritten(pub std::sync::Arc<ApiError>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::App(e) => {
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ApiError::Http { status, .. } => *status,
        };
        let mut r = status.into_response();
        if let ApiError::App(e) = &self {
            if let Some(secs) = e.retry_after() {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
        }
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"bsp-console\""),
            );
        }
        r.extensions_mut()
            .insert(Unwritten(std::sync::Arc::new(self)));
        r
    }
}

/// The problem document of `e`, in `locale`.
pub(super) fn problem(
    e: &ApiError,
    status: StatusCode,
    locale: Locale,
    request_id: &str,
) -> Problem {
    let (code, detail, errors) = match e {
        ApiError::App(e) => {
            let code = serde_json::to_value(e)
                .ok()
                .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
                .unwrap_or_else(|| "error".into());
            let errors = if let AppError::ProfileInvalid { errors } = e {
                errors
                    .iter()
                    .map(|p| ProblemField {
                        field: p.field.clone(),
                        code: serde_json::to_value(&p.rule)
                            .ok()
                            .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_owned))
                            .unwrap_or_default(),
                        message: app::i18n::profile_error_text(p, locale),
                    })
                    .collect()
            } else {
                e.fields()
                    .map(|f| {
                        f.0.iter()
                            .map(|f| ProblemField {
                                field: f.field.clone(),
                                code: serde_json::to_value(f.code)
                                    .ok()
                                    .and_then(|v| v.as_str().map(str::to_owned))
                                    .unwrap_or_default(),
                                message: f.code.text().get(locale).to_owned(),
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            (code, e.message(locale), errors)
        }
        ApiError::Http { code, detail, .. } => ((*code).to_owned(), detail.clone(), Vec::new()),
    };
    Problem {
        kind: format!("urn:bsp-console:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        errors,
        request_id: request_id.to_owned(),
    }
}

/// Writes the problem document of an error answer (in `locale`, with `request_id`); axum's own
/// 405 becomes one too (its `Allow` header stays). Other answers pass unchanged.
pub(super) fn write(mut r: Response, locale: Locale, request_id: &str) -> Response {
    if r.status() == StatusCode::METHOD_NOT_ALLOWED && r.extensions().get::<Unwritten>().is_none() {
        r.extensions_mut()
            .insert(Unwritten(std::sync::Arc::new(ApiError::Http {
                status: StatusCode::METHOD_NOT_ALLOWED,
                code: "method_not_allowed",
                detail: "this path does not take that method: see the Allow header".into(),
            })));
    }
    let Some(Unwritten(e)) = r.extensions_mut().remove::<Unwritten>() else {
        return r;
    };
    let status = r.status();
    let body = problem(&e, status, locale, request_id);
    let mut written = (status, axum::Json(body)).into_response();
    for (k, v) in r.headers() {
        written.headers_mut().insert(k.clone(), v.clone());
    }
    written.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    written.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(locale.code()),
    );
    written
}

//! Downloads that are files, not pages: a rate card as the platform's CSV and the
//! per-country usage export (streamed). Same session, same scopes as the server functions.

use app::{
    backend::{
        auth,
        context::RequestCtx,
        services::{self, usage::ExportRequest},
        state::AppState,
    },
    contract::AppError,
    domain::{locale::Locale, roles::PlatformAction},
};
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

fn error(e: AppError) -> Response {
    let code = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, e.message(Locale::En)).into_response()
}

fn csv_response(filename: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /finance/rates/{id}/csv`
pub async fn rate_card_csv(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    let run = async {
        let ctx = RequestCtx::for_http(state, session).await?;
        let scope = auth::platform_scope(&ctx, PlatformAction::ManagePricing)?;
        services::pricing::export_card(&scope, id.parse().map_err(|_| AppError::NotFound)?).await
    };
    match run.await {
        Ok((name, text)) => csv_response(&name, Body::from(text)),
        Err(e) => error(e),
    }
}

#[derive(Deserialize)]
pub struct UsageQuery {
    from: Option<String>,
    to: Option<String>,
    tenant: Option<String>,
    country: Option<String>,
    category: Option<String>,
}

/// Reads the export's parameters (also the command line's).
pub fn export_request(
    from: &str,
    to: &str,
    tenant: Option<&str>,
    country: Option<&str>,
    category: Option<&str>,
) -> Result<ExportRequest, String> {
    let date = |s: &str, name: &str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{name} must be a date YYYY-MM-DD"))
    };
    let from = date(from, "from")?;
    let to = date(to, "to")?;
    if to < from {
        return Err("to is before from".into());
    }
    let some = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let tenant = match some(tenant) {
        Some(t) => Some(
            t.parse()
                .map_err(|_| "tenant must be a tenant id".to_owned())?,
        ),
        None => None,
    };
    let country = some(country).map(|c| c.to_ascii_uppercase());
    if country
        .as_ref()
        .is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return Err("country must be an ISO 3166-1 alpha-2 code".into());
    }
    let category = some(category).map(|c| c.to_ascii_lowercase());
    Ok(ExportRequest {
        from,
        to,
        tenant,
        country,
        category,
    })
}

/// `GET /finance/usage.csv?from=…&to=…[&tenant=…][&country=…][&category=…]`
pub async fn usage_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<UsageQuery>,
) -> Response {
    let ctx = match RequestCtx::for_http(state, session).await {
        Ok(c) => c,
        Err(e) => return error(e),
    };
    let scope = match auth::platform_scope(&ctx, PlatformAction::ManagePricing) {
        Ok(s) => s,
        Err(e) => return error(e),
    };
    let req = match export_request(
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
        q.tenant.as_deref(),
        q.country.as_deref(),
        q.category.as_deref(),
    ) {
        Ok(r) => r,
        Err(m) => return (StatusCode::BAD_REQUEST, m).into_response(),
    };
    let name = format!("usage-{}-{}.csv", req.from, req.to);
    match services::usage::export(&scope, req).await {
        Ok(rx) => {
            let stream = futures_util::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|chunk| {
                    (
                        chunk.map_err(|e| std::io::Error::other(e.message(Locale::En))),
                        rx,
                    )
                })
            });
            csv_response(&name, Body::from_stream(stream))
        }
        Err(e) => error(e),
    }
}

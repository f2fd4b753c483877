//! The platform's webhook endpoint (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks): the subscription handshake, and signed
//! deliveries stored durably before the 200 (processing happens in a job).

use app::backend::{services::platform_events, state::AppState};
use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// The platform sends at most 3 MB per delivery.
pub const BODY_LIMIT: usize = 3 * 1024 * 1024;

#[derive(Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

fn text(status: StatusCode, body: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body.into(),
    )
        .into_response()
}

/// `GET /webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
pub async fn verify(State(state): State<AppState>, Query(q): Query<Handshake>) -> Response {
    let (Some(mode), Some(token), Some(challenge)) = (q.mode, q.verify_token, q.challenge) else {
        return text(
            StatusCode::BAD_REQUEST,
            "hub.mode, hub.verify_token and hub.challenge are required",
        );
    };
    let expected = state
        .settings
        .webhook
        .verify_token
        .expose_secret()
        .as_bytes();
    if mode != "subscribe" || !bool::from(token.as_bytes().ct_eq(expected)) {
        tracing::warn!("webhook handshake refused");
        return text(StatusCode::FORBIDDEN, "verification failed");
    }
    text(StatusCode::OK, challenge)
}

/// `POST /webhooks/whatsapp`: 401 without a valid signature (nothing stored), 413 over
/// 3 MB, 400 for a body that is not a webhook, 200 once every change is committed.
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "deliveries are limited to 3 MB",
        );
    }
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "deliveries are limited to 3 MB",
        );
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !platform_events::signature_valid(
        state.settings.webhook.app_secret.expose_secret().as_bytes(),
        &bytes,
        signature,
    ) {
        tracing::warn!(
            has_signature = signature.is_some(),
            "webhook delivery with a bad signature refused"
        );
        return text(
            StatusCode::UNAUTHORIZED,
            "missing or invalid X-Hub-Signature-256",
        );
    }
    match platform_events::receive(&app::backend::auth::system_scope(&state), &bytes).await {
        Ok(r) => (
            StatusCode::OK,
            Json(serde_json::json!({ "received": r.changes })),
        )
            .into_response(),
        Err(app::contract::AppError::Request { message }) => text(StatusCode::BAD_REQUEST, message),
        // Not stored: a 5xx makes the platform deliver again later.
        Err(e) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not stored, retry later: {e}"),
        ),
    }
}

/// `POST /webhooks/stripe`: invoice events (paid, payment failed, voided), signed with
/// `STRIPE_WEBHOOK_SECRET` (`Stripe-Signature`, 300 s tolerance). 404 when no secret is set,
/// 400 on a bad signature, 200 otherwise (events we do not use included).
pub async fn stripe(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    use axum::{http::StatusCode, response::IntoResponse};
    let Some(secret) = state.settings.stripe_webhook_secret.clone() else {
        return (StatusCode::NOT_FOUND, "Stripe is not configured").into_response();
    };
    let sig = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    if !app::backend::services::invoicing::stripe_signature_valid(
        secret.expose_secret().as_bytes(),
        sig,
        &body,
        state.now().timestamp(),
    ) {
        return (StatusCode::BAD_REQUEST, "invalid Stripe-Signature").into_response();
    }
    let Some((invoice, status)) = app::backend::services::invoicing::stripe_event(&body) else {
        return (StatusCode::OK, "ignored").into_response();
    };
    match app::backend::services::invoicing::provider_status(
        &app::backend::auth::system_scope(&state),
        &invoice,
        status,
    )
    .await
    {
        Ok(true) => (StatusCode::OK, "applied").into_response(),
        Ok(false) => (StatusCode::OK, "unknown invoice").into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "retry later",
        )
            .into_response(),
    }
}

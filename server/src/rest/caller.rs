//! Who calls the API: the key in `Authorization: Bearer <key>`, checked by `backend::auth` on
//! every request (nothing cached, so a revocation counts at once everywhere). Cookies are never
//! read here: a browser's session cannot call the API, so the API has no cross-site request
//! surface.

use super::problem::ApiError;
use app::backend::{
    auth::{self, ApiCaller},
    context::client_ip_of,
    state::AppState,
};
use app::contract::AppError;
use axum::{extract::FromRequestParts, http::request::Parts};

/// The caller of an API request.
pub struct Caller(pub ApiCaller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let presented = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .ok_or(AppError::Unauthorized)?;
        let client = client_ip_of(state, parts);
        let caller = auth::api_caller(state, presented, client).await?;
        let counted = super::rate::count(
            caller.key,
            state.now().timestamp(),
            state.settings.api_rate_per_minute,
        );
        let standing = match &counted {
            Ok(s) | Err((s, _)) => *s,
        };
        if let Some(slot) = parts.extensions.get::<super::rate::Slot>() {
            if let Ok(mut s) = slot.0.lock() {
                *s = Some(standing);
            }
        }
        counted.map_err(|(_, e)| e)?;
        // The key's id (never its secret) in the request's log line.
        tracing::Span::current().record("key", tracing::field::display(caller.key));
        Ok(Caller(caller))
    }
}

/// The token of a `Bearer` credential (the scheme is case-insensitive, RFC 9110 §11.1).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bearer_scheme_is_case_insensitive_and_nothing_else_is_taken() {
        assert_eq!(super::bearer("Bearer abc"), Some("abc"));
        assert_eq!(super::bearer("bearer  abc "), Some("abc"));
        assert_eq!(super::bearer("Basic abc"), None);
        assert_eq!(super::bearer("Bearer "), None);
        assert_eq!(super::bearer("abc"), None);
    }
}

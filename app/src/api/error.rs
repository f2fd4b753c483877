//! How server functions answer: the status of an `AppError`, forms posted without
//! JavaScript, and redirects after a change of who is signed in.

#[cfg(feature = "ssr")]
use crate::contract::AppError;

/// Runs a server-function body and, on error, sets the response status so that both the
/// server-function endpoint and a server-rendered page answer with the precise code.
///
/// The body is boxed as soon as it is made: its future holds the database driver's (some
/// kilobytes), and a page's resource moves the future it awaits several times before the
/// first poll; boxed, each move is a pointer.
#[cfg(feature = "ssr")]
pub fn respond<O, F>(fut: F) -> impl std::future::Future<Output = Result<O, AppError>>
where
    F: std::future::Future<Output = Result<O, AppError>>,
{
    let fut = Box::pin(fut);
    async move {
        let r = fut.await;
        // A form posted without JavaScript is answered by a redirect back to the page (with the
        // error in the URL); a status here would replace that redirect.
        if let (Err(e), false) = (&r, is_no_js_form_post()) {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = http::StatusCode::from_u16(e.status()) {
                    opts.set_status(code);
                }
                if let Some(secs) = e.retry_after() {
                    opts.insert_header(http::header::RETRY_AFTER, secs.into());
                }
            }
        }
        r
    }
}

/// Whether the current request is a server-function call from a plain HTML form (no
/// JavaScript): it accepts `text/html` and targets `/api/`.
#[cfg(feature = "ssr")]
pub fn is_no_js_form_post() -> bool {
    // Read in place: `use_context` would copy the whole request head.
    leptos::prelude::with_context::<http::request::Parts, _>(|p| {
        p.uri.path().starts_with("/api/")
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"))
    })
    .unwrap_or(false)
}

/// After a change of who is signed in (or how), the browser loads `path` afresh. Without
/// JavaScript that is an HTTP redirect; with it, the page follows the returned path
/// (`ui::components::follow`), so every part of the page sees the new session.
#[cfg(feature = "ssr")]
pub fn go_to(path: &str) -> String {
    if is_no_js_form_post() {
        leptos_axum::redirect(path);
    }
    path.to_owned()
}

/// Adds a `Set-Cookie` header to the answer.
#[cfg(feature = "ssr")]
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let header =
        http::HeaderValue::from_str(value).map_err(|e| crate::backend::error::internal(&e))?;
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        opts.append_header(http::header::SET_COOKIE, header);
    }
    Ok(())
}

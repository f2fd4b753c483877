//! A refused form's values kept by the server (without JavaScript) for the page its redirect
//! opens, so nothing typed or chosen is lost.

use crate::contract::AppError;
use leptos::prelude::*;

/// Session key under which the server keeps a refused form's values (without JavaScript) for
/// the page it redirects to; never in the URL.
pub const ECHO_SESSION_KEY: &str = "echoed_form";

/// A refused form's values (URL-encoded, secrets left out) for this page render (server).
#[derive(Clone, Debug)]
pub struct EchoedForm(pub String);

/// The value a form sent for `name`, as kept after a failed submission without JavaScript
/// (secrets are never kept).
pub fn echoed(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let raw = with_context::<http::request::Parts, _>(|p| {
            p.extensions.get::<EchoedForm>().map(|e| e.0.clone())
        })
        .flatten()?;
        form_urlencoded::parse(raw.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}

/// What the form sent for `name`, when its action failed (the echo is read only then).
pub fn echoed_after_error(name: &str, error: Signal<Option<AppError>>) -> Option<String> {
    error
        .with_untracked(Option::is_some)
        .then(|| echoed(name))
        .flatten()
}

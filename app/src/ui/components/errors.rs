//! The error pages: sign-in redirect, 403, 404, or a message with its reference.

use super::text::use_locale;
use crate::{contract::AppError, i18n::T};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The page for an error: sign-in redirect, 403, 404 or a message with a reference.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let locale = use_locale();
    match error {
        AppError::Unauthorized => view! { <Redirect path="/sign-in" /> }.into_any(),
        AppError::Forbidden => view! {
            <div class="error-page" data-testid="error-403">
                <p class="code">"403"</p>
                <h1>{T::ForbiddenTitle.get(locale)}</h1>
                <p>{T::ForbiddenText.get(locale)}</p>
                <a href="/">{T::BackHome.get(locale)}</a>
            </div>
        }
        .into_any(),
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        e => view! {
            <div class="flash flash-error" role="alert">
                {e.message(locale)}
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="error-page" data-testid="error-404">
            <p class="code">"404"</p>
            <h1>{T::NotFoundTitle.get(locale)}</h1>
            <p>{T::NotFoundText.get(locale)}</p>
            <a href="/">{T::BackHome.get(locale)}</a>
        </div>
    }
}

//! The message shown after a redirect (`?flash=…`).

use super::text::use_locale;
use crate::i18n::T;
use leptos::prelude::*;

/// A flash message chosen by the `flash` query parameter after a redirect.
#[component]
pub fn Flash() -> impl IntoView {
    let q = leptos_router::hooks::use_query_map();
    let locale = use_locale();
    move || {
        let key = match q.read().get("flash").as_deref() {
            Some("tenant_created") => Some(T::FlashTenantCreated),
            Some("saved") => Some(T::FlashSaved),
            Some("invited") => Some(T::FlashInvited),
            Some("welcome") => Some(T::FlashWelcome),
            Some("password_reset") => Some(T::FlashPasswordReset),
            Some("password_changed") => Some(T::PasswordChanged),
            Some("reset_sent") => Some(T::ResetLinkSent),
            Some("two_factor_off") => Some(T::FlashTwoFactorOff),
            _ => None,
        };
        key.map(|k| view! { <div class="flash flash-success" role="status">{k.get(locale)}</div> })
    }
}

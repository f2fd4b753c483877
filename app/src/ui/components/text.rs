//! The current render's language, its texts, and how times are shown.

use crate::{domain::locale::Locale, i18n::T};
use leptos::prelude::*;

/// The interface language of the current render.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A catalogue text in the current language.
pub fn t(key: T) -> &'static str {
    key.get(use_locale())
}

/// Formats a timestamp for tables (UTC, to the minute).
pub fn fmt_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A category as the review pages show it (lowercase; the platform's three without allocating).
pub fn category_text(c: &str) -> std::borrow::Cow<'static, str> {
    match c {
        "UTILITY" => "utility".into(),
        "MARKETING" => "marketing".into(),
        "AUTHENTICATION" => "authentication".into(),
        other => other.to_lowercase().into(),
    }
}

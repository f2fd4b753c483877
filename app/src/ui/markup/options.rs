//! The options of a select, as one string: a fixed list, no view per option.

use super::writer::Markup;
use crate::domain::locale::Locale;

/// `<option>`s for `(value, label)` pairs, `selected` chosen.
pub fn options_markup(options: &[(String, String)], selected: &str) -> String {
    let mut m = Markup::with_capacity(options.len() * 48);
    for (v, l) in options {
        m.option(v, l, v == selected);
    }
    m.into_string()
}

/// The language form's options, the current one selected.
pub fn locale_options(current: Locale) -> String {
    let mut m = Markup::with_capacity(128);
    m.option("en", "English", current == Locale::En).option(
        "fr",
        "Français",
        current == Locale::Fr,
    );
    m.into_string()
}

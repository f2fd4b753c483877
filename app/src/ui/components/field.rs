//! Form fields with their label, hint and error, and a form's general error.

use super::{echo::echoed_after_error, text::use_locale};
use crate::{contract::AppError, i18n::T, ui::markup::options_markup};
use leptos::prelude::*;

/// A labelled input with its hint and its error (from the action's field errors).
#[component]
pub fn Field(
    label: T,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<T>,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let locale = use_locale();
    let code = move || {
        error
            .get()
            .and_then(|e| e.fields().and_then(|f| f.get(name)))
    };
    // After a failed round trip without JavaScript, show what was typed.
    let value = echoed_after_error(name, error).unwrap_or(value);
    view! {
        <div class="field" class:has-error=move || code().is_some()>
            <label for=id.clone()>{label.get(locale)}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                aria-invalid=move || code().is_some().to_string()
                aria-describedby=err_id.clone()
            />
            {hint.map(|h| view! { <p class="hint">{h.get(locale)}</p> })}
            <p class="field-error" id=err_id role="alert">
                {move || code().map(|c| c.text().get(locale))}
            </p>
        </div>
    }
}

/// A labelled select with its error.
#[component]
pub fn SelectField(
    label: T,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    let locale = use_locale();
    let code = move || {
        error
            .get()
            .and_then(|e| e.fields().and_then(|f| f.get(name)))
    };
    let selected = echoed_after_error(name, error).unwrap_or(selected);
    // The options as markup: a fixed list, no view per option.
    let options_markup = options_markup(&options, &selected);
    view! {
        <div class="field" class:has-error=move || code().is_some()>
            <label for=id.clone()>{label.get(locale)}</label>
            <select id=id name=name aria-describedby=err_id.clone() inner_html=options_markup></select>
            <p class="field-error" id=err_id role="alert">
                {move || code().map(|c| c.text().get(locale))}
            </p>
        </div>
    }
}

/// A general (non-field) error of a form, shown above it.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.get().map(|e| {
            view! {
                <div class="form-error" role="alert" data-testid="form-error">
                    {e.message(locale)}
                </div>
            }
        })
    }
}

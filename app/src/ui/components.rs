//! Reusable pieces of the design system (see `style/main.css`).

use crate::{
    contract::{AppError, ConflictReason},
    domain::{locale::Locale, tenant::TenantStatus},
    i18n::T,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::Redirect;

/// The interface language of the current render.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A catalogue text in the current language.
pub fn t(key: T) -> &'static str {
    key.get(use_locale())
}

/// The error of an action's last run, if it failed. (`value()` builds a new mapped signal on
/// every call: taken once here, not on every read.)
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// Whether an action's last run succeeded.
pub fn action_ok<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || matches!(value.get(), Some(Ok(_))))
}

/// Changes each time `action` succeeds, not when it is refused: a page's data keyed on it is
/// fetched again (and its forms drawn afresh) after a success, while a refused form stays as
/// the user left it, every field as typed and chosen. (`version()` counts failures too.) A
/// failure that says the data changed underneath (changed meanwhile, a state that no longer
/// allows it, a newer revision, a claim taken, a row gone) fetches it again too.
pub fn succeeded<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let (version, value) = (action.version(), action.value());
    // The action bumps its version, then sets its value; the memo is read after both.
    Memo::new(move |prev: Option<&usize>| {
        let v = version.get();
        let ok = value.with(|r| {
            matches!(
                r,
                Some(
                    Ok(_)
                        | Err(AppError::Conflict {
                            reason: ConflictReason::ChangedMeanwhile
                                | ConflictReason::NotAllowedNow
                        } | AppError::RevisionChanged { .. }
                            | AppError::ClaimedByOther { .. }
                            | AppError::NotFound)
                )
            )
        });
        match prev {
            Some(p) if !ok => *p,
            _ => v,
        }
    })
}

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
    // The options as markup (`ui::html`): a fixed list, no view per option.
    let mut m = crate::ui::html::Markup::with_capacity(options.len() * 48);
    for (v, l) in &options {
        m.option(v, l, *v == selected);
    }
    let options_markup = m.into_string();
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

#[component]
pub fn StatusBadge(status: TenantStatus) -> impl IntoView {
    let (class, text) = match status {
        TenantStatus::Active => ("badge badge-green", T::Active),
        TenantStatus::Suspended => ("badge badge-red", T::Suspended),
    };
    view! { <span class=class>{t(text)}</span> }
}

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
            _ => None,
        };
        key.map(|k| view! { <div class="flash flash-success" role="status">{k.get(locale)}</div> })
    }
}

/// Formats a timestamp for tables (UTC, to the minute).
pub fn fmt_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// After an action that changes the session succeeds, loads the returned path afresh (an
/// empty path reloads the page), so everything on the page sees the new session.
pub fn follow<S>(action: ServerAction<S>)
where
    S: ServerFn<Error = AppError, Output = String> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            let loc = window().location();
            let _ = if path.is_empty() {
                loc.reload()
            } else {
                loc.assign(&path)
            };
        }
    });
}

/// Clears a form after its action succeeded (with JavaScript the page stays, so the typed
/// values would otherwise linger).
pub fn reset_on_ok<S>(action: ServerAction<S>, form: NodeRef<leptos::html::Form>)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
}

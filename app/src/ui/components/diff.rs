//! What changed between two revisions, component by component.

use super::text::use_locale;
use crate::{
    domain::template::diff::{Change, ComponentDiff},
    i18n::T,
};
use leptos::prelude::*;

/// Changed components with their words added and removed.
#[component]
pub fn DiffList(parts: Vec<ComponentDiff>) -> impl IntoView {
    let l = use_locale();
    if parts.is_empty() {
        return view! { <p class="muted">{T::NoChanges.get(l)}</p> }.into_any();
    }
    view! {
        <dl class="diff">{parts.into_iter().map(|c| view! {
            <dt>{c.component.clone()}</dt>
            <dd class="diff-text">{c.pieces.into_iter().map(|p| match p.change {
                Change::Same => view! { <span>{p.text}</span> }.into_any(),
                Change::Added => view! { <ins>{p.text}</ins> }.into_any(),
                Change::Removed => view! { <del>{p.text}</del> }.into_any(),
            }).collect_view()}</dd>
        }).collect_view()}</dl>
    }
    .into_any()
}

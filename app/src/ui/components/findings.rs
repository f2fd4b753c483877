//! One finding of the pre-check, with its rule, its place and a reviewer's comment.

use super::text::use_locale;
use crate::{
    contract::FindingView,
    domain::template::lint::{Rule, Severity},
    i18n::{lint_text, T},
};
use leptos::prelude::*;

#[component]
pub fn FindingItem(f: FindingView) -> impl IntoView {
    let l = use_locale();
    let mut text = Rule::from_id(&f.rule)
        .map(|r| lint_text(r, l).to_owned())
        .unwrap_or_else(|| f.rule.clone());
    for (i, a) in f.args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    let class = if f.severity == Severity::Error {
        "badge badge-red"
    } else {
        "badge badge-yellow"
    };
    view! {
        <li>
            <span class=class>{if f.severity == Severity::Error { "error" } else { "warning" }}</span>
            " " <span class="mono small">{f.rule.clone()}</span> " · " <span class="muted small">{f.component.clone()}</span>
            <div>{text}</div>
            {f.comment.clone().map(|c| view! { <div class="reviewer-comment" data-testid="finding-comment">{T::ReviewerNote.get(l)} ": " {c}</div> })}
        </li>
    }
}

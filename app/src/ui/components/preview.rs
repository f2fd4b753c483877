//! The template as a user will see it: the message bubble with its header, body, footer and
//! buttons, the samples filled in.

use super::text::t;
use crate::{
    domain::template::{model, preview::render},
    i18n::T,
};
use leptos::prelude::*;

/// The message as a customer would see it, examples in place of the parameters.
#[component]
pub fn PreviewBubble(
    content: model::CreateTemplate,
    #[prop(optional)] tenant: Option<String>,
) -> impl IntoView {
    use crate::domain::template::media::{media_header, stored_id, MediaKind};
    let r = render(&content);
    // An image sample kept by the console is shown as the customer would see it.
    let image = tenant.filter(|t| !t.is_empty()).and_then(|t| {
        let (kind, handle) = media_header(&content)?;
        (kind == MediaKind::Image).then_some(())?;
        stored_id(handle?).map(|id| format!("/tenants/{t}/media/{id}"))
    });
    view! {
        <div class="wa-chat">
            <div class="wa-bubble" data-testid="preview">
                {match (image, r.header_media) {
                    (Some(src), _) => view! { <img class="wa-media-image" src=src alt="" data-testid="preview-sample" /> }.into_any(),
                    (None, Some(m)) => view! { <div class="wa-media">{m.to_lowercase()}</div> }.into_any(),
                    (None, None) => ().into_any(),
                }}
                {r.header.map(|h| view! { <p class="wa-header">{h}</p> })}
                <p class="wa-body">{r.body}</p>
                {r.footer.map(|f| view! { <p class="wa-footer">{f}</p> })}
            </div>
            {(!r.buttons.is_empty()).then(|| view! {
                <div class="wa-buttons">{r.buttons.into_iter().map(|b| view! { <span class="wa-button">{b}</span> }).collect_view()}</div>
            })}
        </div>
    }
}

/// The preview in its card.
#[component]
pub fn Preview(
    content: model::CreateTemplate,
    #[prop(optional)] tenant: Option<String>,
) -> impl IntoView {
    view! {
        <section class="card">
            <div class="card-header"><h2>{t(T::Preview)}</h2></div>
            <div class="card-body"><PreviewBubble content tenant=tenant.unwrap_or_default() /></div>
        </section>
    }
}

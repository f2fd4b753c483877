//! Every revision of a template, with what changed and who decided.

use super::route::{template_route, tenant_param};
use crate::ui::components::{status_badge, DiffList, PreviewBubble};
use crate::{
    api::templates::template_history,
    i18n::T,
    ui::components::{fmt_time, t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Every revision, newest first, with what changed from the one before.
#[component]
pub fn TemplateHistoryPage() -> impl IntoView {
    let data = Resource::new(template_route, |(tenant, id)| template_history(tenant, id));
    view! {
        <Title text=t(T::History) />
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                let (tenant, id) = (tenant_param(), use_params_map().read_untracked().get("template").unwrap_or_default());
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(revs) => {
                        let name = revs.first().map(|r| r.content.name.clone()).unwrap_or_default();
                        view! {
                            <div class="page-header">
                                <div>
                                    <p class="muted small"><a href=format!("/tenants/{tenant}/templates/{id}")>{name.clone()}</a></p>
                                    <h1>{T::History.get(l)} " — " {name}</h1>
                                </div>
                            </div>
                            <ol class="history" reversed=true data-testid="history">{revs.into_iter().rev().map(|r| {
                                let (class, label) = status_badge(r.status);
                                view! {
                                    <li class="card">
                                        <div class="card-header">
                                            <h2>{T::Revision.get(l)} " " {r.number} " " <span class=class>{label}</span></h2>
                                            <p class="muted small">
                                                {fmt_time(r.created_at)} {r.created_by.clone().map(|b| format!(" · {b}"))}
                                                {r.decided_at.map(|at| format!(" · {} {}", T::Decision.get(l), fmt_time(at)))}
                                                {r.decided_by.clone().map(|b| format!(" · {b}"))}
                                            </p>
                                        </div>
                                        <div class="card-body">
                                            {r.reason.clone().map(|x| view! { <p><strong>{T::Reason.get(l)} ": "</strong> {x}</p> })}
                                            {r.note.clone().map(|x| view! { <p><strong>{T::ReviewerNote.get(l)} ": "</strong> {x}</p> })}
                                            {(r.number > 1).then(|| view! { <DiffList parts=r.changes.clone() /> })}
                                            <details><summary>{T::Preview.get(l)}</summary><PreviewBubble content=r.content.clone() /></details>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}</ol>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

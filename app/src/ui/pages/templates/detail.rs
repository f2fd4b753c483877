//! One template: its latest revision, status, findings, samples and standing at the platform.

use super::route::template_route;
use crate::ui::components::succeeded;
use crate::ui::components::{status_badge, FindingItem, Preview, SubmissionPanel};
use crate::{
    api::{
        review::MarkTemplateSubmitted,
        templates::{get_template, SubmitTemplate},
    },
    contract::TemplateDetail,
    i18n::T,
    ui::components::{action_error, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TemplatePage() -> impl IntoView {
    let submit = ServerAction::<SubmitTemplate>::new();
    let mark = ServerAction::<MarkTemplateSubmitted>::new();
    let done = (succeeded(submit), succeeded(mark));
    let data = Resource::new(
        move || {
            let (tenant, id) = template_route();
            (tenant, id, done.0.get(), done.1.get())
        },
        |(tenant, id, _, _)| get_template(tenant, id),
    );
    // The template's state at WhatsApp: its own resource and suspense, beside the page's.
    let health = Resource::new(template_route, |(tenant, id)| {
        crate::api::health::template_health(tenant, id)
    });
    let error = action_error(submit);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <TemplateView d submit error mark /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(h) if h.status.is_some() => view! { <crate::ui::components::HealthCard h /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateView(
    d: TemplateDetail,
    submit: ServerAction<SubmitTemplate>,
    error: Signal<Option<crate::contract::AppError>>,
    mark: ServerAction<MarkTemplateSubmitted>,
) -> impl IntoView {
    let l = use_locale();
    let (class, label) = status_badge(d.status);
    view! {
        <Title text=d.content.name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.content.name.clone()} " " <span class=class>{label}</span></h1>
                <p class="subtitle muted">
                    {d.content.language.clone()} " · " {d.content.category.to_lowercase()} " · " {T::Revision.get(l)} " " {d.revision}
                    {d.previous_category.clone().map(|p| view! { " · " {T::CategoryChangedFrom.fill(l, &[&p.to_lowercase()])} })}
                </p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/tenants/{}/templates/{}/history", d.tenant, d.id)>{T::History.get(l)}</a>
                {d.can_review.then(|| view! { <a class="btn btn-primary" href=format!("/review/{}/{}", d.tenant, d.id)>{T::OpenReview.get(l)}</a> })}
                {d.can_edit.then(|| view! {
                    <a class="btn btn-secondary" href=format!("/tenants/{}/templates/{}/edit", d.tenant, d.id)>{T::Edit.get(l)}</a>
                })}
                {d.can_submit.then(|| view! {
                    <ActionForm action=submit>
                        <input type="hidden" name="tenant" value=d.tenant.to_string() />
                        <input type="hidden" name="id" value=d.id.to_string() />
                        <button type="submit" class="btn btn-primary">{T::SubmitForReview.get(l)}</button>
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error=error />
        {(d.reason.is_some() || d.note.is_some()).then(|| view! {
            <div class="flash flash-info" data-testid="decision">
                {d.reason.clone().map(|r| view! { <strong>{T::Reason.get(l)} ": " {r} " "</strong> })}
                {d.note.clone().map(|n| view! { <span>{T::ReviewerNote.get(l)} ": " {n}</span> })}
            </div>
        })}
        {(!d.comments.is_empty()).then(|| view! {
            <div class="flash flash-info"><ul>{d.comments.iter().map(|c| view! { <li><span class="mono small">{c.finding.clone()}</span> ": " {c.comment.clone()}</li> }).collect_view()}</ul></div>
        })}
        <SubmissionPanel d=d.clone() mark />
        {d.sample.clone().map(|s| view! { <SampleCard s tenant=d.tenant.to_string() template=d.id.to_string() can_edit=d.can_edit /> })}
        <div class="grid-2">
            <Preview content=d.content.clone() tenant=d.tenant.to_string() />
            <section class="card">
                <div class="card-header"><h2>{T::Findings.get(l)}</h2></div>
                <div class="card-body">
                    {if d.findings.is_empty() {
                        view! { <p class="muted">{T::NoFindings.get(l)}</p> }.into_any()
                    } else {
                        view! { <ul class="findings" data-testid="findings">{d.findings.into_iter().map(|f| view! { <FindingItem f /> }).collect_view()}</ul> }.into_any()
                    }}
                </div>
            </section>
        </div>
    }
}

/// A media header's sample file: what is attached, and (for editors) a plain multipart form
/// to attach one, which works without JavaScript and comes back here with the reason if the
/// file is refused.
#[component]
fn SampleCard(
    s: crate::contract::SampleView,
    tenant: String,
    template: String,
    can_edit: bool,
) -> impl IntoView {
    use crate::domain::template::media::{MediaError, MediaKind};
    let l = use_locale();
    let refused: Option<MediaError> = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("sample_error"))
        .and_then(|j| serde_json::from_str(&j).ok());
    let state = match (&s.stored, &s.handle) {
        (Some((id, ct, n)), _) => {
            let url = format!("/tenants/{tenant}/media/{id}");
            let size = format!("{ct}, {} KB", (*n as i64 + 1023) / 1024);
            view! {
                <p data-testid="sample-state">{T::HeaderSampleStored.fill(l, &[&size])} " " <a href=url.clone() target="_blank" rel="noopener">{t(T::Open)}</a></p>
                {(s.kind == MediaKind::Image).then(|| view! { <img class="sample-thumb" src=url alt=t(T::SampleFile) /> })}
            }
            .into_any()
        }
        (None, Some(h)) => view! { <p data-testid="sample-state" class="small">{T::HeaderSampleHandle.fill(l, &[h])}</p> }.into_any(),
        (None, None) => view! { <p data-testid="sample-state" class="muted">{T::HeaderSampleNone.get(l)}</p> }.into_any(),
    };
    view! {
        <section class="card" data-testid="sample-card">
            <div class="card-header"><h2>{T::SampleFile.get(l)}</h2></div>
            <div class="card-body">
                <p class="hint">{T::SampleFileHint.get(l)}</p>
                {state}
                {can_edit.then(|| view! {
                    <form method="post" enctype="multipart/form-data" action=format!("/tenants/{tenant}/templates/{template}/sample") class="photo-upload-form">
                        <input type="file" name="sample" accept=s.kind.accept() aria-label=t(T::SampleFile) required />
                        <button type="submit" class="btn btn-sm">{T::UploadSample.get(l)}</button>
                    </form>
                })}
                <p class="field-error" role="alert" data-testid="sample-error">{refused.map(|e| crate::i18n::media_error_text(&e, l))}</p>
            </div>
        </section>
    }
}

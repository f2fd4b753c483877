//! Tenant templates: the list, the builder (draft), and one template with its pre-check.

use crate::{
    api::{
        templates::{get_template, list_review_queue, list_templates, template_builder, CreateTemplate, DecideTemplate, EditTemplate, SubmitTemplate},
        types::{FindingView, TemplateDetail},
    },
    domain::template::{
        review::REJECTION_REASONS,
        draft::CATEGORIES,
        language::LANGUAGES,
        lint::{Rule, Severity},
        status::TemplateStatus,
    },
    i18n::{lint_text, T},
    ui::components::{action_error, fmt_time, t, use_locale, ErrorView, Field, FormError, SelectField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

fn tenant_param() -> String {
    use_params_map().read_untracked().get("id").unwrap_or_default()
}

pub fn status_badge(s: TemplateStatus) -> (&'static str, String) {
    use TemplateStatus::*;
    let class = match s {
        Approved | BspApproved => "badge badge-green",
        Rejected | BspRejected | Disabled | Deleted => "badge badge-red",
        Paused | Flagged | ChangesRequested | LimitExceeded => "badge badge-yellow",
        InBspReview | Pending | InAppeal => "badge badge-blue",
        _ => "badge badge-gray",
    };
    (class, serde_json::to_value(s).ok().and_then(|v| v.as_str().map(|x| x.replace('_', " ").to_lowercase())).unwrap_or_default())
}

/// Whether the signed-in user may write templates in `tenant` (display only: the server
/// decides, through the same role table).
fn may_edit(tenant: &str) -> bool {
    use crate::domain::roles::TenantAction;
    use_context::<crate::api::types::Me>().is_some_and(|me| {
        me.staff_role.is_some_and(|r| r.in_tenant(TenantAction::Edit))
            || me.memberships.iter().any(|m| m.tenant_id.to_string() == tenant && m.role.can(TenantAction::Edit))
    })
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let tenant = tenant_param();
    let data = Resource::new(move || use_params_map().read().get("id").unwrap_or_default(), list_templates);
    view! {
        <Title text=t(T::Templates) />
        <div class="page-header">
            <h1>{t(T::Templates)}</h1>
            <div class="actions">
                {may_edit(&tenant).then(|| view! { <A href=format!("/tenants/{tenant}/templates/new") attr:class="btn btn-primary">{t(T::NewTemplate)}</A> })}
            </div>
        </div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                let tenant = tenant_param();
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <div class="empty"><h3>{T::NoTemplates.get(l)}</h3><p>{T::NoTemplatesHint.get(l)}</p></div> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="table" data-testid="templates">
                            <thead><tr><th>{T::TemplateName.get(l)}</th><th>{T::Language.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::Status.get(l)}</th><th class="num">{T::Revision.get(l)}</th><th class="num">{T::Findings.get(l)}</th></tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let (class, label) = status_badge(r.status);
                                view! {
                                    <tr>
                                        <td><A href=format!("/tenants/{tenant}/templates/{}", r.id)>{r.name}</A></td>
                                        <td>{r.language}</td>
                                        <td>{r.category.to_lowercase()}</td>
                                        <td><span class=class>{label}</span></td>
                                        <td class="num">{r.revision}</td>
                                        <td class="num">{r.error_count} " / " {r.warning_count}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NewTemplatePage() -> impl IntoView {
    let allowed = Resource::new(|| (), |_| template_builder(tenant_param()));
    view! {
        <Title text=t(T::NewTemplate) />
        <Suspense>
            {move || Suspend::new(async move {
                match allowed.await {
                    Ok(tenant) => view! { <TemplateForm tenant /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateForm(tenant: String) -> impl IntoView {
    let action = ServerAction::<CreateTemplate>::new();
    let error = action_error(action);
    let languages: Vec<(String, String)> = LANGUAGES.iter().map(|(c, n)| ((*c).to_owned(), format!("{n} — {c}"))).collect();
    let categories: Vec<(String, String)> = CATEGORIES.iter().map(|c| ((*c).to_owned(), c.to_lowercase())).collect();
    let echoed_text = move |name: &str| if error.get_untracked().is_some() { crate::ui::components::echoed(name).unwrap_or_default() } else { String::new() };
    view! {
        <div class="page-header"><h1>{t(T::NewTemplate)}</h1></div>
        <div class="card"><div class="card-body">
            <ActionForm action=action attr:class="form" attr:novalidate="">
                <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                <input type="hidden" name="tenant" value=tenant />
                <Field label=T::TemplateName name="name" error=error hint=T::TemplateNameHint required=true />
                <div class="form-grid">
                    <SelectField label=T::Language name="language" error=error options=languages selected="en_US" />
                    <SelectField label=T::Category name="category" error=error options=categories />
                </div>
                <Field label=T::Header name="header" error=error />
                <div class="field">
                    <label for="f-body">{t(T::Body)}</label>
                    <textarea id="f-body" name="body" rows="6" aria-describedby="f-body-error">{echoed_text("body")}</textarea>
                    <p class="hint">{t(T::BodyHint)}</p>
                    <p class="field-error" id="f-body-error" role="alert">{move || error.get().and_then(|e| e.fields().and_then(|f| f.get("body"))).map(|c| c.text().get(use_locale()))}</p>
                </div>
                <div class="field">
                    <label for="f-examples">{t(T::Examples)}</label>
                    <textarea id="f-examples" name="examples" rows="3">{echoed_text("examples")}</textarea>
                    <p class="hint">{t(T::ExamplesHint)}</p>
                </div>
                <Field label=T::Footer name="footer" error=error />
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t(T::SaveDraft)}</button></div>
            </ActionForm>
        </div></div>
    }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let submit = ServerAction::<SubmitTemplate>::new();
    let decide = ServerAction::<DecideTemplate>::new();
    provide_context(decide);
    let data = Resource::new(
        move || {
            let p = use_params_map();
            let p = p.read();
            (p.get("id").unwrap_or_default(), p.get("template").unwrap_or_default(), submit.version().get(), decide.version().get())
        },
        |(tenant, id, _, _)| get_template(tenant, id),
    );
    let error = action_error(submit);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <TemplateView d submit error /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TemplateView(d: TemplateDetail, submit: ServerAction<SubmitTemplate>, error: Signal<Option<crate::api::AppError>>) -> impl IntoView {
    let l = use_locale();
    let (class, label) = status_badge(d.status);
    let text_of = |kind: &str| d.content.components_of(kind).next().and_then(|(_, c)| c.text.clone());
    let examples: Vec<String> = d.content.body().and_then(|b| b.example.clone()).and_then(|e| e.body_text).and_then(|v| v.into_iter().next()).unwrap_or_default();
    // The preview shows the examples in place of the parameters.
    let mut body = text_of("BODY").unwrap_or_default();
    for (i, v) in examples.iter().enumerate() {
        body = body.replace(&format!("{{{{{}}}}}", i + 1), v);
    }
    view! {
        <Title text=d.content.name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.content.name.clone()} " " <span class=class>{label}</span></h1>
                <p class="subtitle muted">{d.content.language.clone()} " · " {d.content.category.to_lowercase()} " · " {T::Revision.get(l)} " " {d.revision}</p>
            </div>
            <div class="actions row">
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
        {d.can_review.then(|| view! { <DecisionPanel tenant=d.tenant.to_string() id=d.id.to_string() /> })}
        <div class="grid-2">
            <section class="card">
                <div class="card-header"><h2>{T::Preview.get(l)}</h2></div>
                <div class="card-body">
                    <div class="wa-bubble" data-testid="preview">
                        {text_of("HEADER").map(|h| view! { <p class="wa-header">{h}</p> })}
                        <p class="wa-body">{body}</p>
                        {text_of("FOOTER").map(|f| view! { <p class="wa-footer">{f}</p> })}
                    </div>
                </div>
            </section>
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

#[component]
fn FindingItem(f: FindingView) -> impl IntoView {
    let l = use_locale();
    let mut text = Rule::from_id(&f.rule).map(|r| lint_text(r, l).to_owned()).unwrap_or_else(|| f.rule.clone());
    for (i, a) in f.args.iter().enumerate() {
        text = text.replace(&format!("{{{i}}}"), a);
    }
    let class = if f.severity == Severity::Error { "badge badge-red" } else { "badge badge-yellow" };
    view! {
        <li>
            <span class=class>{if f.severity == Severity::Error { "error" } else { "warning" }}</span>
            " " <span class="mono small">{f.rule.clone()}</span> " · " <span class="muted small">{f.component.clone()}</span>
            <div>{text}</div>
        </li>
    }
}

/// The reviewer's decision form (approve, reject with a reason, or request changes).
#[component]
fn DecisionPanel(tenant: String, id: String) -> impl IntoView {
    let l = use_locale();
    let action = expect_context::<ServerAction<DecideTemplate>>();
    let error = action_error(action);
    let decisions: Vec<(String, String)> = [("approve", T::Approve), ("request_changes", T::RequestChanges), ("reject", T::Reject)].into_iter().map(|(v, t)| (v.to_owned(), t.get(l).to_owned())).collect();
    let reasons: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned())).chain(REJECTION_REASONS.iter().map(|r| ((*r).to_owned(), r.replace('_', " ").to_lowercase()))).collect();
    view! {
        <section class="card" data-testid="decide">
            <div class="card-header"><h2>{T::Decision.get(l)}</h2></div>
            <div class="card-body">
                <ActionForm action=action attr:class="form" attr:novalidate="">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <input type="hidden" name="tenant" value=tenant />
                    <input type="hidden" name="id" value=id />
                    <SelectField label=T::Decision name="decision" error=error options=decisions />
                    <SelectField label=T::Reason name="reason" error=error options=reasons />
                    <div class="field">
                        <label for="f-note">{T::NoteToTenant.get(l)}</label>
                        <textarea id="f-note" name="note" rows="3"></textarea>
                        <p class="field-error" role="alert">{move || error.get().and_then(|e| e.fields().and_then(|f| f.get("note"))).map(|c| c.text().get(l))}</p>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{T::SaveDecision.get(l)}</button>
                    </div>
                </ActionForm>
            </div>
        </section>
    }
}

/// Staff: every submitted revision across tenants, oldest first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| list_review_queue());
    view! {
        <Title text=t(T::ReviewQueue) />
        <div class="page-header"><h1>{t(T::ReviewQueue)}</h1></div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <div class="empty"><h3>{T::QueueEmpty.get(l)}</h3><p>{T::QueueEmptyHint.get(l)}</p></div> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="table" data-testid="queue">
                            <thead><tr><th>{T::Submitted.get(l)}</th><th>{T::Tenant.get(l)}</th><th>{T::TemplateName.get(l)}</th><th>{T::Language.get(l)}</th><th>{T::Category.get(l)}</th><th class="num">{T::Findings.get(l)}</th></tr></thead>
                            <tbody>{rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="nowrap">{fmt_time(r.submitted_at)}</td>
                                    <td>{r.tenant_name}</td>
                                    <td><A href=format!("/tenants/{}/templates/{}", r.tenant, r.template)>{r.name}</A></td>
                                    <td>{r.language}</td>
                                    <td>{r.category.to_lowercase()}</td>
                                    <td class="num">{r.error_count} " / " {r.warning_count}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Editing a template: a draft in place, otherwise a new revision.
#[component]
pub fn EditTemplatePage() -> impl IntoView {
    let data = Resource::new(
        move || {
            let p = use_params_map();
            let p = p.read();
            (p.get("id").unwrap_or_default(), p.get("template").unwrap_or_default())
        },
        |(tenant, id)| async move {
            // Editors only: viewers and other tenants get 403/404 before any content.
            template_builder(tenant.clone()).await?;
            get_template(tenant, id).await
        },
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <EditForm d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(d: TemplateDetail) -> impl IntoView {
    let l = use_locale();
    let action = ServerAction::<EditTemplate>::new();
    let error = action_error(action);
    let text_of = |kind: &str| d.content.components_of(kind).next().and_then(|(_, c)| c.text.clone()).unwrap_or_default();
    let examples = d.content.body().and_then(|b| b.example.clone()).and_then(|e| e.body_text).and_then(|v| v.into_iter().next()).unwrap_or_default().join("\n");
    let categories: Vec<(String, String)> = CATEGORIES.iter().map(|c| ((*c).to_owned(), c.to_lowercase())).collect();
    let (body, footer, header) = (text_of("BODY"), text_of("FOOTER"), text_of("HEADER"));
    view! {
        <Title text=d.content.name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.content.name.clone()}</h1>
                <p class="subtitle muted">{d.content.language.clone()} " · " {T::Revision.get(l)} " " {d.revision}</p>
            </div>
        </div>
        <div class="card"><div class="card-body">
            <ActionForm action=action attr:class="form" attr:novalidate="">
                <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                <input type="hidden" name="tenant" value=d.tenant.to_string() />
                <input type="hidden" name="id" value=d.id.to_string() />
                <SelectField label=T::Category name="category" error=error options=categories selected=d.content.category.clone() />
                <Field label=T::Header name="header" error=error value=header />
                <div class="field">
                    <label for="f-body">{T::Body.get(l)}</label>
                    <textarea id="f-body" name="body" rows="6">{body}</textarea>
                    <p class="hint">{T::BodyHint.get(l)}</p>
                    <p class="field-error" role="alert">{move || error.get().and_then(|e| e.fields().and_then(|f| f.get("body"))).map(|c| c.text().get(l))}</p>
                </div>
                <div class="field">
                    <label for="f-examples">{T::Examples.get(l)}</label>
                    <textarea id="f-examples" name="examples" rows="3">{examples}</textarea>
                    <p class="hint">{T::ExamplesHint.get(l)}</p>
                </div>
                <Field label=T::Footer name="footer" error=error value=footer />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{T::SaveDraft.get(l)}</button>
                    <a class="btn btn-ghost" href=format!("/tenants/{}/templates/{}", d.tenant, d.id)>{T::Cancel.get(l)}</a>
                </div>
            </ActionForm>
        </div></div>
    }
}

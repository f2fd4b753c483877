//! A tenant's templates, and its declared link domains.

use super::route::{is_reviewer, may_edit, tenant_param};
use crate::ui::components::status_badge;
use crate::ui::components::succeeded;
use crate::{
    api::{
        review::VerifyDomain,
        templates::{list_domains, list_templates, DeclareDomain, RemoveDomain},
    },
    i18n::T,
    ui::components::{action_error, reset_on_ok, t, use_locale, ErrorView, Field},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let tenant = tenant_param();
    let data = Resource::new(
        move || use_params_map().read().get("id").unwrap_or_default(),
        list_templates,
    );
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
        <DomainsCard tenant=tenant.clone() />
    }
}

/// The tenant's link domains: editors declare them, reviewers verify them.
#[component]
fn DomainsCard(tenant: String) -> impl IntoView {
    let declare = ServerAction::<DeclareDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let verify = ServerAction::<VerifyDomain>::new();
    let error = action_error(declare);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_ok(declare, form);
    let t2 = tenant.clone();
    let done = (succeeded(declare), succeeded(remove), succeeded(verify));
    let data = Resource::new(
        move || (t2.clone(), done.0.get(), done.1.get(), done.2.get()),
        |(t, _, _, _)| list_domains(t),
    );
    let (editor, reviewer) = (may_edit(&tenant), is_reviewer());
    view! {
        <section class="card" data-testid="domains">
            <div class="card-header"><h2>{t(T::LinkDomains)}</h2></div>
            <div class="card-body">
                <p class="hint">{t(T::LinkDomainsHint)}</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        let l = use_locale();
                        let tenant = tenant_param();
                        match data.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any(),
                            Ok(rows) => view! {
                                <ul class="plain domains">{rows.into_iter().map(|d| {
                                    let verified = d.verified_at.is_some();
                                    let (t1, t2) = (tenant.clone(), tenant.clone());
                                    view! {
                                        <li>
                                            <span class="mono">{d.domain.clone()}</span> " "
                                            {if verified { view! { <span class="badge badge-green">{T::Verified.get(l)}</span> }.into_any() } else { view! { <span class="badge badge-gray">{T::NotVerified.get(l)}</span> }.into_any() }}
                                            {reviewer.then(|| view! {
                                                <ActionForm action=verify attr:class="inline">
                                                    <input type="hidden" name="tenant" value=t1 />
                                                    <input type="hidden" name="id" value=d.id.to_string() />
                                                    <input type="hidden" name="verified" value=(!verified).to_string() />
                                                    <button type="submit" class="btn btn-ghost btn-sm">{if verified { T::Unverify.get(l) } else { T::Verify.get(l) }}</button>
                                                </ActionForm>
                                            })}
                                            {editor.then(|| view! {
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="tenant" value=t2 />
                                                    <input type="hidden" name="id" value=d.id.to_string() />
                                                    <button type="submit" class="btn btn-ghost btn-sm">{T::Remove.get(l)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}</ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                {editor.then(|| view! {
                    <ActionForm action=declare node_ref=form attr:class="form inline-form" attr:novalidate="">
                        <input type="hidden" name="tenant" value=tenant.clone() />
                        <Field label=T::Domain name="domain" error=error hint=T::DomainHint />
                        <div class="form-actions"><button type="submit" class="btn btn-secondary">{t(T::Declare)}</button></div>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

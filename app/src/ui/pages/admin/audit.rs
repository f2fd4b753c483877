//! The audit log: admins see everything, tenant owners their tenant's entries.

use crate::{
    api::admin::list_audit,
    i18n::T,
    ui::components::{fmt_time, t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(move || query.read().get("tenant"), list_audit);
    view! {
        <Title text=t(T::AuditLog) />
        <div class="page-header"><h1>{t(T::AuditLog)}</h1></div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <div class="empty"><h3>{T::NothingHere.get(l)}</h3></div> }.into_any(),
                    Ok(rows) => view! {
                        <div class="table-wrap"><table class="table" data-testid="audit">
                            <thead><tr><th>{T::When.get(l)}</th><th>{T::Who.get(l)}</th><th>{T::Tenant.get(l)}</th><th>{T::Action.get(l)}</th><th>{T::Details.get(l)}</th></tr></thead>
                            <tbody>{rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="nowrap">{fmt_time(r.at)}</td>
                                    <td>{r.actor}</td>
                                    <td>{r.tenant.unwrap_or_default()}</td>
                                    <td class="mono">{r.action}</td>
                                    <td class="small mono">{r.before.map(|b| format!("{b} → ")).unwrap_or_default()}{r.after.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

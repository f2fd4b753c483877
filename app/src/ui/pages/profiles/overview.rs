//! Staff: every phone number's business profile across tenants, with the reasons one needs
//! attention (missing about, missing photo, sync failed, compliance incomplete) as filter tabs.

use crate::i18n::oba_text;
use crate::{
    api::profiles::list_profiles,
    contract::ProfileOverview,
    domain::profile::attention::Attention,
    i18n::T,
    ui::components::{t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn attention_text(a: Attention) -> T {
    match a {
        Attention::MissingAbout => T::AttMissingAbout,
        Attention::MissingPhoto => T::AttMissingPhoto,
        Attention::SyncFailed => T::AttSyncFailed,
        Attention::ComplianceIncomplete => T::AttComplianceIncomplete,
    }
}

#[component]
pub fn ProfilesPage() -> impl IntoView {
    let q = move |k: &str| use_query_map().read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || (q("filter"), q("page")),
        |(filter, page)| list_profiles(filter, page),
    );
    view! {
        <Title text=t(T::ProfilesAllTenants) />
        <div class="page-header"><div><h1>{t(T::ProfilesAllTenants)}</h1><p class="subtitle muted">{t(T::ProfilesAllTenantsHint)}</p></div></div>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Overview p filter=q("filter") /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(p: ProfileOverview, filter: String) -> impl IntoView {
    let l = use_locale();
    let mut tabs: Vec<(String, String)> = vec![
        (String::new(), T::All.get(l).to_owned()),
        (
            "attention".into(),
            format!("{} ({})", T::NeedsAttention.get(l), p.needing_attention),
        ),
    ];
    tabs.extend(p.counts.iter().map(|(a, n)| {
        (
            a.code().to_owned(),
            format!("{} ({n})", attention_text(*a).get(l)),
        )
    }));
    let rows = p.rows.clone();
    view! {
        <nav class="tabs" data-testid="attention-tabs">
            {tabs.into_iter().map(|(code, label)| {
                let current = code == filter;
                view! { <a href=format!("/profiles?filter={code}") aria-current=current.then_some("page")>{label}</a> }
            }).collect_view()}
        </nav>
        {if rows.is_empty() {
            view! { <div class="empty"><h3>{T::NothingHere.get(l)}</h3></div> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="table" data-testid="profiles">
                    <thead><tr><th>{T::Tenant.get(l)}</th><th>{T::PhoneNumber.get(l)}</th><th>{T::PPhoto.get(l)}</th><th>{T::Status.get(l)}</th><th>{T::NeedsAttention.get(l)}</th><th>{T::ObaBadge.get(l)}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let profile = format!("/tenants/{}/numbers/{}/profile", r.tenant, r.phone);
                            let photo = r.photo.clone().map(|id| format!("/tenants/{}/photos/{id}", r.tenant));
                            view! {
                                <tr>
                                    <td><a href=format!("/tenants/{}", r.tenant)>{r.tenant_name.clone()}</a></td>
                                    <td><a href=profile>{r.number.clone()}</a><div class="muted small">{r.display_name.clone()}</div></td>
                                    <td>{photo.map(|src| view! { <img class="photo-mini" src=src alt="" width="32" height="32" /> })}</td>
                                    <td class="small">{if r.version == 0 { T::NeverSaved.get(l).to_owned() } else { T::VersionN.fill(l, &[&r.version.to_string()]) }} " · " {r.sync_status.replace('_', " ")}</td>
                                    <td>{r.reasons.iter().map(|a| view! { <span class="badge badge-yellow">{attention_text(*a).get(l)}</span> " " }).collect_view()}</td>
                                    <td class="small">{r.oba.map(|s| oba_text(s).get(l))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
                {(p.pages > 1).then(|| view! {
                    <p class="muted small">
                        {T::PageOf.fill(l, &[&p.page.to_string(), &p.pages.to_string()])} " "
                        {(p.page > 1).then(|| view! { <a href=format!("/profiles?filter={filter}&page={}", p.page - 1)>"←"</a> })} " "
                        {(p.page < p.pages).then(|| view! { <a href=format!("/profiles?filter={filter}&page={}", p.page + 1)>"→"</a> })}
                    </p>
                })}
            }.into_any()
        }}
        <p class="muted small">{T::ProfilesTotal.fill(l, &[&p.total.to_string()])}</p>
    }
}

//! Staff: the tenant list with search, status filter and pagination.

use crate::{
    api::tenants::list_tenants, contract::TenantPage as Page, i18n::T, ui::components::fmt_time,
    ui::components::t, ui::components::use_locale, ui::components::ErrorView,
    ui::components::Flash, ui::components::StatusBadge,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{Form, A},
    hooks::use_query_map,
};

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("q"),
            q.get("status"),
            q.get("page").and_then(|p| p.parse::<u64>().ok()),
        )
    };
    let data = Resource::new(params, |(q, s, p)| list_tenants(q, s, p));
    view! {
        <Title text=t(T::Tenants) />
        <div class="page-header">
            <h1>{t(T::Tenants)}</h1>
            <div class="actions">
                <A href="/tenants/new" attr:class="btn btn-primary">{t(T::NewTenant)}</A>
            </div>
        </div>
        <Flash />
        <Form method="GET" action="" attr:class="filters" attr:role="search">
            <label class="sr-only" for="q">{t(T::Search)}</label>
            <input id="q" type="search" name="q" placeholder=t(T::SearchTenants) value=move || params().0.unwrap_or_default() />
            <label class="sr-only" for="status">{t(T::Status)}</label>
            <select id="status" name="status">
                <option value="">{t(T::AnyStatus)}</option>
                <option value="active" selected=move || params().1.as_deref() == Some("active")>{t(T::Active)}</option>
                <option value="suspended" selected=move || params().1.as_deref() == Some("suspended")>{t(T::Suspended)}</option>
            </select>
            <button type="submit" class="btn btn-secondary">{t(T::Search)}</button>
        </Form>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <TenantTable page params=params() /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TenantTable(page: Page, params: (Option<String>, Option<String>, Option<u64>)) -> impl IntoView {
    let l = use_locale();
    if page.rows.is_empty() {
        return view! {
            <div class="empty"><h3>{T::NoTenants.get(l)}</h3><p>{T::NoTenantsHint.get(l)}</p></div>
        }
        .into_any();
    }
    let link = move |p: u64| {
        let mut s = format!("/tenants?page={p}");
        if let Some(q) = &params.0 {
            s.push_str(&format!("&q={}", urlencode(q)));
        }
        if let Some(st) = &params.1 {
            s.push_str(&format!("&status={}", urlencode(st)));
        }
        s
    };
    let (cur, pages) = (page.page, page.pages);
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th>{T::Name.get(l)}</th><th>{T::LegalName.get(l)}</th><th>{T::Country.get(l)}</th>
                    <th class="num">{T::PhoneNumbers.get(l)}</th><th>{T::Status.get(l)}</th><th>{T::Created.get(l)}</th>
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|r| view! {
                        <tr>
                            <td><A href=format!("/tenants/{}", r.id)>{r.display_name}</A></td>
                            <td>{r.legal_name}</td>
                            <td>{r.country}</td>
                            <td class="num">{r.phone_numbers}</td>
                            <td><StatusBadge status=r.status /> " " <crate::ui::components::ComplianceBadge complete=r.compliance_complete /></td>
                            <td class="nowrap">{fmt_time(r.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pagination" aria-label="Pagination">
            {(cur > 1).then(|| view! { <A href=link(cur - 1)>{T::Previous.get(l)}</A> })}
            <span>{T::PageOf.fill(l, &[&cur.to_string(), &pages.to_string()])}</span>
            {(cur < pages).then(|| view! { <A href=link(cur + 1)>{T::Next.get(l)}</A> })}
        </nav>
    }
    .into_any()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

//! The event log: what the platform told us, and what became of it (replay for staff).

use super::common::tenant_param;
use crate::ui::components::succeeded;
use crate::{
    api::health::{event_log, unmatched_events, ReplayEvent},
    contract::EventPage,
    i18n::T,
    ui::components::{action_error, fmt_time, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/tenants/:id/events` (a tenant's platform events) and `/admin/events` (unmatched ones):
/// searchable, with the raw JSON, the processing result, and replay for admins.
#[component]
pub fn EventLogPage() -> impl IntoView {
    let replay = ServerAction::<ReplayEvent>::new();
    let q = move |k: &str| use_query_map().read().get(k).unwrap_or_default();
    let replayed = succeeded(replay);
    let data = Resource::new(
        move || {
            (
                tenant_param(),
                q("field"),
                q("status"),
                q("q"),
                q("page"),
                replayed.get(),
            )
        },
        |(tenant, field, status, search, page, _)| async move {
            if tenant.is_empty() {
                unmatched_events(field, status, search, page).await
            } else {
                event_log(tenant, field, status, search, page).await
            }
        },
    );
    let error = action_error(replay);
    let unmatched = tenant_param().is_empty();
    view! {
        <Title text=t(T::EventLog) />
        <div class="page-header"><h1>{if unmatched { t(T::UnmatchedEvents) } else { t(T::EventLog) }}</h1></div>
        <form method="get" class="filters row">
            <input type="search" name="q" value=q("q") placeholder=t(T::SearchEvents) aria-label=t(T::SearchEvents) />
            <input type="text" name="field" value=q("field") placeholder="field" aria-label="field" />
            {(!unmatched).then(|| view! {
                <select name="status" aria-label=t(T::Status)>
                    {["", "pending", "applied", "ignored", "unmatched", "failed"].into_iter().map(|s| view! { <option value=s selected=q("status") == s>{if s.is_empty() { "—" } else { s }}</option> }).collect_view()}
                </select>
            })}
            <button type="submit" class="btn btn-secondary">{t(T::Search)}</button>
        </form>
        <FormError error=error />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <EventTable p replay /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventTable(p: EventPage, replay: ServerAction<ReplayEvent>) -> impl IntoView {
    let l = use_locale();
    if p.rows.is_empty() {
        return view! { <div class="empty"><h3>{T::NothingHere.get(l)}</h3></div> }.into_any();
    }
    let pages = p.total.div_ceil(p.per_page).max(1);
    view! {
        <p class="muted small">{T::EventsTotal.fill(l, &[&p.total.to_string()])}</p>
        <div class="table-wrap"><table class="table" data-testid="events">
            <thead><tr><th>{T::Received.get(l)}</th><th>"field"</th><th>{T::Status.get(l)}</th><th>{T::Result.get(l)}</th><th></th></tr></thead>
            <tbody>{p.rows.into_iter().map(|r| {
                let badge = match r.status.as_str() { "applied" => "badge badge-green", "failed" => "badge badge-red", "unmatched" | "ignored" => "badge badge-yellow", _ => "badge badge-blue" };
                let pretty = r.payload.as_ref().map(|p| serde_json::from_str::<serde_json::Value>(p).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or(p.clone()));
                view! {
                    <tr>
                        <td class="nowrap">{fmt_time(r.received_at)}<div class="muted small">{r.time.map(fmt_time)}</div></td>
                        <td class="mono small">{r.field.clone()}</td>
                        <td><span class=badge>{r.status.clone()}</span>{(r.attempts > 0).then(|| view! { <div class="muted small">{T::Attempts.get(l)} " " {r.attempts}</div> })}</td>
                        <td class="small">{r.result.clone()}{pretty.map(|p| view! { <details><summary>"JSON"</summary><pre class="mono small">{p}</pre></details> })}{r.purged.then(|| view! { <div class="muted small">{T::PayloadPurged.get(l)}</div> })}</td>
                        <td>{(r.status != "pending" && !r.purged).then(|| view! {
                            <ActionForm action=replay attr:class="inline">
                                <input type="hidden" name="tenant" value=r.tenant.clone().unwrap_or_default() />
                                <input type="hidden" name="id" value=r.id.clone() />
                                <button type="submit" class="btn btn-secondary btn-sm">{T::Replay.get(l)}</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
        {(pages > 1).then(|| view! { <p class="muted small">{T::PageOf.fill(l, &[&p.page.to_string(), &pages.to_string()])}</p> })}
    }
    .into_any()
}

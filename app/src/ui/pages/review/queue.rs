//! The review queue across tenants: filters, SLA, claims, bulk decisions, keyboard.

use crate::{
    api::review::{list_review_queue, BulkDecide, ClaimTemplate},
    i18n::T,
    ui::components::{
        queue::{QueueFilters, QueueTable, Shortcuts, ShownQueue},
        succeeded, t, ErrorView,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The shortcuts, documented on the page (the same table drives the help text).
pub(super) const QUEUE_KEYS: [(&str, T); 7] = [
    ("j / ↓", T::KeyNext),
    ("k / ↑", T::KeyPrevious),
    ("x", T::KeySelect),
    ("o / Enter", T::KeyOpen),
    ("c", T::KeyClaim),
    ("a", T::KeyApprove),
    ("r", T::KeyReject),
];

/// Staff: every submitted revision across tenants, oldest first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let q = use_query_map();
    let bulk = ServerAction::<BulkDecide>::new();
    let claim = ServerAction::<ClaimTemplate>::new();
    let (bulk_done, claim_done) = (succeeded(bulk), succeeded(claim));
    let data = Resource::new(
        move || {
            let q = q.read();
            let g = |k: &str| q.get(k).unwrap_or_default();
            (
                g("tenant"),
                g("category"),
                g("language"),
                g("severity"),
                g("q"),
                g("page"),
                bulk_done.get(),
                claim_done.get(),
            )
        },
        |(tenant, category, language, severity, search, page, _, _)| async move {
            list_review_queue(tenant, category, language, severity, search, page)
                .await
                .map(ShownQueue::from)
        },
    );
    #[cfg(feature = "hydrate")]
    super::keys::queue(claim);
    view! {
        <Title text=t(T::ReviewQueue) />
        <div class="page-header">
            <h1>{t(T::ReviewQueue)}</h1>
            <Shortcuts keys=&QUEUE_KEYS />
        </div>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(p) => {
                        // The query as the page read it (one router memo for the whole page).
                        let query = q.read_untracked().clone();
                        view! { <QueueFilters tenants=p.tenants.clone() query=query.clone() /> <QueueTable page=p bulk claim query /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

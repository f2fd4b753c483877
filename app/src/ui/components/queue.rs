//! The review queue's parts: its table with the bulk decision form, its filters and the
//! shortcut help, each over markup written in one string (`ui::markup::queue`).

use super::{
    actions::action_error,
    echo::{echoed, echoed_after_error},
    field::{FormError, SelectField},
    text::use_locale,
};
use crate::{
    api::review::{BulkDecide, ClaimTemplate},
    contract::{QueuePage, QueueRow},
    domain::template::review::REJECTION_REASONS,
    i18n::T,
    ui::markup::queue::{filters_markup, pager_markup, shortcuts_markup, table_markup},
};
use leptos::prelude::*;

#[component]
pub fn Shortcuts(keys: &'static [(&'static str, T)]) -> impl IntoView {
    view! { <details class="shortcuts" data-testid="shortcuts" inner_html=shortcuts_markup(keys, use_locale())></details> }
}

/// The queue as its page holds it. The rows and the tenant filter's options go into the
/// page as markup written on the server (`queue_rows`, `QueueFilters`), and the browser keeps
/// that markup when it hydrates (an `inner_html` is not applied again then): so the page's
/// hydration data leaves them out — they were a third of the page, serialized and escaped on
/// every render — and carries only what the rest of the view needs. A refetch in the browser
/// (after a bulk decision or a claim) gets the whole `QueuePage` from the server function, and
/// the rows are written again from it. The rows are shared, not copied, when the page takes
/// the resource's value (awaiting a resource clones its value: fifty rows of strings).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct ShownQueue {
    #[serde(skip)]
    pub rows: std::sync::Arc<Vec<QueueRow>>,
    #[serde(skip)]
    pub tenants: std::sync::Arc<Vec<(crate::domain::ids::TenantId, String)>>,
    pub empty: bool,
    pub page: u32,
    pub has_next: bool,
    pub sla: crate::domain::template::review::SlaPolicy,
}

#[component]
pub fn QueueFilters(
    tenants: std::sync::Arc<Vec<(crate::domain::ids::TenantId, String)>>,
    query: leptos_router::params::ParamsMap,
) -> impl IntoView {
    view! { <form method="get" action="/review" class="card queue-filters" data-testid="queue-filters" inner_html=filters_markup(&tenants, &query, use_locale())></form> }
}

/// The rejection reasons as the decision forms offer them ("—" first), worded once per process.
pub fn reason_options() -> Vec<(String, String)> {
    static OPTIONS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    OPTIONS
        .get_or_init(|| {
            std::iter::once((String::new(), "—".to_owned()))
                .chain(
                    REJECTION_REASONS
                        .iter()
                        .map(|r| ((*r).to_owned(), r.replace('_', " ").to_lowercase())),
                )
                .collect()
        })
        .clone()
}

#[component]
pub fn QueueTable(
    page: ShownQueue,
    bulk: ServerAction<BulkDecide>,
    claim: ServerAction<ClaimTemplate>,
    query: leptos_router::params::ParamsMap,
) -> impl IntoView {
    let l = use_locale();
    let error = action_error(bulk);
    let claim_error = action_error(claim);
    let me = use_context::<crate::contract::Me>().map(|m| m.id.0);
    // No decision is chosen for the reviewer: a stray Enter records nothing.
    let decisions: Vec<(String, String)> = [
        ("", T::ChooseDecision),
        ("approve", T::Approve),
        ("reject", T::Reject),
    ]
    .into_iter()
    .map(|(v, t)| (v.to_owned(), t.get(l).to_owned()))
    .collect();
    let checked: Vec<String> = if error.with_untracked(Option::is_some) {
        (0..page.rows.len())
            .filter_map(|i| echoed(&format!("items[{i}]")))
            .collect()
    } else {
        Vec::new()
    };
    let note = echoed_after_error("note", error).unwrap_or_default();
    let q = query;
    let page_link = move |p: u32| {
        let mut parts: Vec<String> = ["tenant", "category", "language", "severity", "q"]
            .iter()
            .filter_map(|k| {
                q.get(k).filter(|v| !v.is_empty()).map(|v| {
                    format!(
                        "{k}={}",
                        form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                    )
                })
            })
            .collect();
        parts.push(format!("page={p}"));
        format!("/review?{}", parts.join("&"))
    };
    if page.empty {
        return view! { <div class="empty"><h3>{T::QueueEmpty.get(l)}</h3><p>{T::QueueEmptyHint.get(l)}</p></div> }.into_any();
    }
    let sla = page.sla;
    let pager = pager_markup(page.page, page.has_next, page_link, l);
    view! {
        <FormError error=claim_error />
        <ActionForm action=bulk attr:class="form form-wide" attr:id="bulk-form" attr:novalidate="">
            <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none_or(|f| f.get("decision").is_none() && f.get("reason").is_none())) ) />
            {move || bulk.value().get().and_then(|r| r.ok()).map(|o| view! {
                <div class="flash flash-success" role="status" data-testid="bulk-outcome">
                    {T::BulkDecided.fill(l, &[&o.decided.to_string()])}
                    {(!o.refused.is_empty()).then(|| view! {
                        <ul>{o.refused.iter().map(|(k, why)| view! { <li><span class="mono small">{k.clone()}</span> " — " {why.clone()}</li> }).collect_view()}</ul>
                    })}
                </div>
            })}
            <div class="table-wrap" inner_html=table_markup(&page.rows, l, me, &checked)></div>
            <p class="muted small">{T::SlaLegend.fill(l, &[&(sla.amber_minutes / 60).to_string(), &(sla.red_minutes / 60).to_string()])}</p>
            <div class="bulk-bar card"><div class="card-body form-grid-3">
                <SelectField label=T::BulkDecision name="decision" error=error options=decisions />
                <SelectField label=T::Reason name="reason" error=error options=reason_options() />
                <div class="field">
                    <label for="f-bulk-note">{T::NoteToTenant.get(l)}</label>
                    <input id="f-bulk-note" name="note" value=note />
                </div>
                <div class="form-actions"><button type="submit" id="bulk-submit" class="btn btn-primary">{T::ApplyToSelected.get(l)}</button></div>
            </div></div>
        </ActionForm>
        <nav class="pager" inner_html=pager></nav>
    }
    .into_any()
}

impl From<QueuePage> for ShownQueue {
    fn from(p: QueuePage) -> Self {
        Self {
            empty: p.rows.is_empty(),
            rows: p.rows.into(),
            tenants: p.tenants.into(),
            page: p.page,
            has_next: p.has_next,
            sla: p.sla,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        contract::QueuePage,
        domain::{
            ids::{TemplateId, TenantId},
            template::review::Sla,
        },
    };

    #[test]
    fn the_shown_queue_leaves_the_rows_out_of_the_hydration_data() {
        let row = QueueRow {
            tenant: TenantId(uuid::Uuid::from_u128(1)),
            tenant_name: "Acme".into(),
            template: TemplateId(uuid::Uuid::from_u128(2)),
            name: "order_shipped".into(),
            language: "en_US".into(),
            category: "UTILITY".into(),
            revision: 2,
            submitted_at: chrono::DateTime::from_timestamp(1_783_000_000, 0).unwrap_or_default(),
            error_count: 0,
            warning_count: 1,
            age: "1 h".into(),
            sla: Sla::OnTime,
            claim: None,
        };
        let page = QueuePage {
            rows: vec![row.clone()],
            page: 3,
            has_next: true,
            tenants: vec![(row.tenant, "Acme".into())],
            sla: Default::default(),
        };
        let shown = ShownQueue::from(page);
        assert_eq!(shown.rows.len(), 1);
        let json = serde_json::to_string(&shown).unwrap_or_default();
        assert!(
            !json.contains("order_shipped") && !json.contains("Acme"),
            "{json}"
        );
        let back: ShownQueue =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
        assert!(!back.empty && back.has_next && back.page == 3, "{json}");
        let none = ShownQueue::from(QueuePage {
            rows: vec![],
            page: 0,
            has_next: false,
            tenants: vec![],
            sla: Default::default(),
        });
        assert!(none.empty);
    }
}

//! BSP review: the queue across tenants (filters, SLA, claims, bulk decisions, keyboard) and
//! the review page of one revision (claim, preview, inline findings, diff, decision).

use super::templates::{status_badge, FindingItem, Preview};
use crate::{
    api::review::{
        list_review_queue, open_review, BulkDecide, ClaimTemplate, DecideTemplate,
        MarkTemplateSubmitted, ReleaseTemplate,
    },
    contract::{FindingView, QueuePage, QueueRow, ReviewDetail},
    domain::{
        locale::Locale,
        template::{
            diff::ComponentDiff,
            draft::CATEGORIES,
            language::LANGUAGES,
            review::{Sla, REJECTION_REASONS},
        },
    },
    i18n::T,
    ui::{
        components::{
            action_error, echoed, echoed_after_error, fmt_time, succeeded, t, use_locale,
            ErrorView, FormError, SelectField,
        },
        html::{push_time, Markup},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn sla_badge(s: Sla) -> &'static str {
    match s {
        Sla::OnTime => "badge badge-green",
        Sla::Amber => "badge badge-yellow",
        Sla::Red => "badge badge-red",
    }
}

fn sla_text(s: Sla) -> T {
    match s {
        Sla::OnTime => T::SlaOnTime,
        Sla::Amber => T::SlaAmber,
        Sla::Red => T::SlaRed,
    }
}

/// A category as the review pages show it (lowercase; the platform's three without allocating).
fn category_text(c: &str) -> std::borrow::Cow<'static, str> {
    match c {
        "UTILITY" => "utility".into(),
        "MARKETING" => "marketing".into(),
        "AUTHENTICATION" => "authentication".into(),
        other => other.to_lowercase().into(),
    }
}

/// The queue's rows, written into `m` (see `ui::html`: a view per cell made the render of
/// fifty rows cost several times the query). The keyboard shortcuts find a row by `data-row`
/// and its template from the checkbox's value (`tenant/template/revision`).
pub fn queue_rows(
    m: &mut Markup,
    rows: &[QueueRow],
    l: Locale,
    me: Option<uuid::Uuid>,
    checked: &[String],
) {
    let (select, you) = (T::Select.get(l), T::You.get(l));
    let (mut tenant_buf, mut template_buf) = (
        [0u8; uuid::fmt::Hyphenated::LENGTH],
        [0u8; uuid::fmt::Hyphenated::LENGTH],
    );
    for (i, r) in rows.iter().enumerate() {
        // Each id is written three times: encoded once.
        let tenant: &str = r.tenant.0.hyphenated().encode_lower(&mut tenant_buf);
        let template: &str = r.template.0.hyphenated().encode_lower(&mut template_buf);
        // The value is `BulkItem::key` (ids and a number: nothing to escape).
        m.raw("<tr data-row tabindex=\"-1\"><td class=\"check\"><input type=\"checkbox\" name=\"items[").display(i).raw("]\" value=\"");
        m.raw(tenant)
            .raw("/")
            .raw(template)
            .raw("/")
            .display(r.revision)
            .raw("\"")
            .attr("aria-label", select);
        // Rows chosen in a refused bulk decision (without JavaScript) stay chosen.
        if !checked.is_empty()
            && checked.iter().any(|k| {
                k.strip_prefix(tenant)
                    .and_then(|k| k.strip_prefix('/'))
                    .and_then(|k| k.strip_prefix(template))
                    .is_some()
            })
        {
            m.raw(" checked");
        }
        m.raw("></td>");
        m.raw("<td class=\"nowrap\"><span")
            .attr("class", sla_badge(r.sla))
            .raw(" title=\"")
            .text(sla_text(r.sla).get(l))
            .raw(" · ");
        push_time(m, r.submitted_at);
        m.raw("\">").text(&r.age).raw("</span></td>");
        // (The column's head says what the tenant link does: once, not on every row.)
        m.raw("<td><a href=\"/review?tenant=")
            .raw(tenant)
            .raw("\">")
            .text(&r.tenant_name)
            .raw("</a></td>");
        m.raw("<td><a href=\"/review/")
            .raw(tenant)
            .raw("/")
            .raw(template)
            .raw("\">")
            .text(&r.name)
            .raw("</a> <span class=\"muted small\">#")
            .display(r.revision)
            .raw("</span></td>");
        m.raw("<td>")
            .text(&r.language)
            .raw("</td><td>")
            .text(&category_text(&r.category))
            .raw("</td><td class=\"num\">");
        if r.error_count > 0 {
            m.raw("<span class=\"badge badge-red\">")
                .display(r.error_count)
                .raw("</span> ");
        }
        if r.warning_count > 0 {
            m.raw("<span class=\"badge badge-yellow\">")
                .display(r.warning_count)
                .raw("</span>");
        }
        if r.error_count == 0 && r.warning_count == 0 {
            m.raw("<span class=\"muted\">—</span>");
        }
        m.raw("</td><td>");
        if let Some(c) = &r.claim {
            let mine = Some(c.by) == me;
            m.raw("<span")
                .attr(
                    "class",
                    if mine {
                        "badge badge-blue"
                    } else {
                        "badge badge-gray"
                    },
                )
                .raw(" title=\"");
            push_time(m, c.until);
            m.raw("\">")
                .text(if mine { you } else { &c.by_name })
                .raw("</span>");
        }
        m.raw("</td></tr>");
    }
}

/// The shortcuts, documented on the page (the same table drives the help text).
const QUEUE_KEYS: [(&str, T); 7] = [
    ("j / ↓", T::KeyNext),
    ("k / ↑", T::KeyPrevious),
    ("x", T::KeySelect),
    ("o / Enter", T::KeyOpen),
    ("c", T::KeyClaim),
    ("a", T::KeyApprove),
    ("r", T::KeyReject),
];
const REVIEW_KEYS: [(&str, T); 5] = [
    ("a", T::KeyApprove),
    ("r", T::KeyReject),
    ("e", T::KeyRequestChanges),
    ("c", T::KeyClaim),
    ("q", T::KeyBackToQueue),
];

/// The shortcuts' help, as markup (a static list: no view per key).
fn shortcuts_markup(keys: &[(&str, T)], l: Locale) -> String {
    let mut m = Markup::with_capacity(1024);
    m.raw("<summary>")
        .text(T::KeyboardShortcuts.get(l))
        .raw("</summary><dl>");
    for (k, d) in keys {
        m.raw("<dt><kbd>")
            .text(k)
            .raw("</kbd></dt><dd>")
            .text(d.get(l))
            .raw("</dd>");
    }
    m.raw("</dl>");
    m.into_string()
}

#[component]
fn Shortcuts(keys: &'static [(&'static str, T)]) -> impl IntoView {
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
    rows: std::sync::Arc<Vec<QueueRow>>,
    #[serde(skip)]
    tenants: std::sync::Arc<Vec<(crate::domain::ids::TenantId, String)>>,
    empty: bool,
    page: u32,
    has_next: bool,
    sla: crate::domain::template::review::SlaPolicy,
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
    keys::queue(claim);
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

/// The language filter's options: "any", then every language the platform has, `chosen`
/// selected. The list itself is written once per process.
fn language_options(any: &str, chosen: &str) -> String {
    static ALL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut m = Markup::with_capacity(8192);
        for (c, n) in LANGUAGES {
            m.raw("<option")
                .attr("value", c)
                .raw(">")
                .text(n)
                .raw(" — ")
                .text(c)
                .raw("</option>");
        }
        m.into_string()
    });
    let mut m = Markup::with_capacity(all.len() + 64);
    m.option("", any, chosen.is_empty());
    // Only a code of the list is looked for (codes are letters and `_`, written as they are).
    let at = LANGUAGES
        .iter()
        .find(|(c, _)| *c == chosen)
        .map(|(c, _)| format!("<option value=\"{c}\""));
    match at.and_then(|at| all.find(&at).map(|i| i + at.len())) {
        Some(end) => m.raw(&all[..end]).raw(" selected").raw(&all[end..]),
        None => m.raw(all),
    };
    m.into_string()
}

/// The filter form's fields as markup: a plain `GET` form, nothing in it reacts, so no view
/// per field and option (70 languages, up to 50 tenants, the rest).
fn filters_markup(
    tenants: &[(crate::domain::ids::TenantId, String)],
    q: &leptos_router::params::ParamsMap,
    l: Locale,
) -> String {
    let g = |k: &str| q.get_str(k).unwrap_or_default();
    let (tenant, category, language, severity) = (
        g("tenant"),
        g("category").to_ascii_uppercase(),
        g("language"),
        g("severity"),
    );
    let any = T::Any.get(l);
    let mut m = Markup::with_capacity(4096);
    let label = |m: &mut Markup, id: &str, t: T| {
        m.raw("<div class=\"field\"><label for=\"")
            .raw(id)
            .raw("\">")
            .text(t.get(l))
            .raw("</label>");
    };
    m.raw("<div class=\"card-body filter-row\">");
    label(&mut m, "q-search", T::Search);
    m.raw("<input id=\"q-search\" type=\"search\" name=\"q\"")
        .attr("value", g("q"))
        .attr("placeholder", T::SearchQueue.get(l))
        .raw("></div>");
    label(&mut m, "q-tenant", T::Tenant);
    m.raw("<select id=\"q-tenant\" name=\"tenant\">")
        .option("", any, tenant.is_empty());
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    for (id, n) in tenants {
        let id: &str = id.0.hyphenated().encode_lower(&mut buf);
        m.option(id, n, id == tenant);
    }
    m.raw("</select></div>");
    label(&mut m, "q-category", T::Category);
    m.raw("<select id=\"q-category\" name=\"category\">")
        .option("", any, category.is_empty());
    for c in CATEGORIES {
        m.option(c, &c.to_lowercase(), c == category);
    }
    m.raw("</select></div>");
    label(&mut m, "q-language", T::Language);
    m.raw("<select id=\"q-language\" name=\"language\">")
        .raw(&language_options(any, language))
        .raw("</select></div>");
    label(&mut m, "q-severity", T::Findings);
    m.raw("<select id=\"q-severity\" name=\"severity\">")
        .option("", any, severity.is_empty());
    for (v, t) in [
        ("errors", T::WithErrors),
        ("warnings", T::WarningsOnly),
        ("clean", T::NoFindingsShort),
    ] {
        m.option(v, t.get(l), v == severity);
    }
    m.raw("</select></div><div class=\"field filter-actions\"><button type=\"submit\" class=\"btn btn-secondary\">").text(T::Filter.get(l));
    m.raw("</button><a class=\"btn btn-ghost\" href=\"/review\">")
        .text(T::Clear.get(l))
        .raw("</a></div></div>");
    m.into_string()
}

#[component]
fn QueueFilters(
    tenants: std::sync::Arc<Vec<(crate::domain::ids::TenantId, String)>>,
    query: leptos_router::params::ParamsMap,
) -> impl IntoView {
    view! { <form method="get" action="/review" class="card queue-filters" data-testid="queue-filters" inner_html=filters_markup(&tenants, &query, use_locale())></form> }
}

/// The queue's table (head and rows) as markup, the table element included.
fn table_markup(
    rows: &[QueueRow],
    l: Locale,
    me: Option<uuid::Uuid>,
    checked: &[String],
) -> String {
    // A row is about 750 bytes (more with long names): one allocation for the whole table.
    let mut m = Markup::with_capacity(rows.len() * 900 + 1024);
    m.raw("<table class=\"table queue\" data-testid=\"queue\"><thead><tr><th class=\"check\"><span class=\"sr-only\">").text(T::Select.get(l)).raw("</span></th>");
    m.raw("<th>")
        .text(T::Waiting.get(l))
        .raw("</th><th")
        .attr("title", T::OnlyThisTenant.get(l))
        .raw(">")
        .text(T::Tenant.get(l))
        .raw("</th>");
    for t in [T::TemplateName, T::Language, T::Category] {
        m.raw("<th>").text(t.get(l)).raw("</th>");
    }
    m.raw("<th class=\"num\">")
        .text(T::Findings.get(l))
        .raw("</th><th>")
        .text(T::ClaimedBy.get(l))
        .raw("</th></tr></thead><tbody>");
    queue_rows(&mut m, rows, l, me, checked);
    m.raw("</tbody></table>");
    m.into_string()
}

/// The rejection reasons as the decision forms offer them ("—" first), worded once per process.
fn reason_options() -> Vec<(String, String)> {
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
fn QueueTable(
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
    let mut pager = Markup::default();
    if page.page > 0 {
        pager
            .raw("<a class=\"btn btn-ghost\"")
            .attr("href", &page_link(page.page - 1))
            .raw(">")
            .text(T::PreviousPage.get(l))
            .raw("</a>");
    }
    if page.has_next {
        pager
            .raw("<a class=\"btn btn-ghost\"")
            .attr("href", &page_link(page.page + 1))
            .raw(">")
            .text(T::NextPage.get(l))
            .raw("</a>");
    }
    let pager = pager.into_string();
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

/// One revision under review.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let decide = ServerAction::<DecideTemplate>::new();
    let claim = ServerAction::<ClaimTemplate>::new();
    let mark = ServerAction::<MarkTemplateSubmitted>::new();
    let done = (succeeded(decide), succeeded(claim), succeeded(mark));
    let data = Resource::new(
        move || {
            let p = use_params_map();
            let p = p.read();
            (
                p.get("tenant").unwrap_or_default(),
                p.get("template").unwrap_or_default(),
                done.0.get(),
                done.1.get(),
                done.2.get(),
            )
        },
        |(tenant, id, _, _, _)| open_review(tenant, id),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ReviewView d decide claim mark /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewView(
    d: ReviewDetail,
    decide: ServerAction<DecideTemplate>,
    claim: ServerAction<ClaimTemplate>,
    mark: ServerAction<MarkTemplateSubmitted>,
) -> impl IntoView {
    let l = use_locale();
    let release = ServerAction::<ReleaseTemplate>::new();
    let (class, label) = status_badge(d.detail.status);
    let (tenant, id) = (d.detail.tenant.to_string(), d.detail.id.to_string());
    let claim_error = action_error(claim);
    #[cfg(feature = "hydrate")]
    keys::review(claim, d.claimed_by_me, tenant.clone(), id.clone());
    let in_review = d.detail.status == crate::domain::template::status::TemplateStatus::InBspReview;
    let banner = match (&d.claim, d.claimed_by_me) {
        (Some(c), true) => Some(view! { <div class="flash flash-info" data-testid="claim">{T::ClaimedByYou.fill(l, &[&fmt_time(c.until)])}</div> }.into_any()),
        (Some(c), false) => Some(view! { <div class="flash flash-warning" data-testid="claim">{T::ClaimedByOther.fill(l, &[&c.by_name, &fmt_time(c.until)])}</div> }.into_any()),
        (None, _) => None,
    };
    let body = d
        .detail
        .content
        .body()
        .and_then(|b| b.text.clone())
        .unwrap_or_default();
    let body_findings: Vec<FindingView> = d
        .detail
        .findings
        .iter()
        .filter(|f| f.component == "body" && f.span.is_some())
        .cloned()
        .collect();
    view! {
        <Title text=format!("{} — {}", d.detail.content.name, T::Review.get(l)) />
        <div class="page-header">
            <div>
                <p class="muted small"><a href="/review">{T::ReviewQueue.get(l)}</a> " / " <a href=format!("/tenants/{tenant}")>{d.tenant_name.clone()}</a> " " <a href=format!("/tenants/{tenant}/compliance")><crate::ui::pages::ComplianceBadge complete=d.compliance_complete /></a></p>
                <h1>{d.detail.content.name.clone()} " " <span class=class>{label}</span></h1>
                <p class="subtitle muted">
                    {d.detail.content.language.clone()} " · " {d.detail.content.category.to_lowercase()} " · " {T::Revision.get(l)} " " {d.detail.revision}
                    {d.submitted_at.map(|at| view! { " · " <span class=sla_badge(d.sla) title=fmt_time(at)>{T::WaitingFor.fill(l, &[&d.age])}</span> })}
                </p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/tenants/{tenant}/templates/{id}/history")>{T::History.get(l)}</a>
                {(in_review && !d.claimed_by_me && d.claim.is_none()).then(|| { let (tenant, id) = (tenant.clone(), id.clone()); view! {
                    <ActionForm action=claim>
                        <input type="hidden" name="tenant" value=tenant />
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="btn btn-secondary" id="claim-button">{T::Claim.get(l)}</button>
                    </ActionForm>
                }})}
                {d.claimed_by_me.then(|| { let (tenant, id) = (tenant.clone(), id.clone()); view! {
                    <ActionForm action=release>
                        <input type="hidden" name="tenant" value=tenant />
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="btn btn-ghost">{T::Release.get(l)}</button>
                    </ActionForm>
                }})}
            </div>
        </div>
        <FormError error=claim_error />
        {banner}
        <super::templates::SubmissionPanel d=d.detail.clone() mark />
        <div class="review-grid">
            <div class="stack">
                <section class="card">
                    <div class="card-header"><h2>{T::Body.get(l)}</h2></div>
                    <div class="card-body"><p class="inline-text" data-testid="inline-body">{highlight(&body, &body_findings)}</p></div>
                </section>
                <section class="card">
                    <div class="card-header"><h2>{T::Findings.get(l)}</h2></div>
                    <div class="card-body">
                        {if d.detail.findings.is_empty() {
                            view! { <p class="muted">{T::NoFindings.get(l)}</p> }.into_any()
                        } else {
                            view! { <ul class="findings" data-testid="findings">{d.detail.findings.clone().into_iter().map(|f| view! { <FindingItem f /> }).collect_view()}</ul> }.into_any()
                        }}
                    </div>
                </section>
                {d.diff.clone().map(|(n, parts)| view! { <DiffCard against=n parts /> })}
                <Preview content=d.detail.content.clone() tenant=d.detail.tenant.to_string() />
            </div>
            <div class="stack">
                {d.detail.can_review.then(|| view! { <DecisionPanel d=d.clone() action=decide /> })}
                <section class="card" data-testid="other-templates">
                    <div class="card-header"><h2>{T::OtherTemplates.get(l)}</h2></div>
                    <div class="card-body">
                        {if d.others.is_empty() { view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any() } else { view! {
                            <ul class="plain">{d.others.iter().map(|o| {
                                let (c, lb) = status_badge(o.status);
                                let tenant = tenant.clone();
                                view! { <li><a href=format!("/tenants/{tenant}/templates/{}", o.id)>{o.name.clone()}</a> " " <span class="muted small">{o.language.clone()}</span> " " <span class=c>{lb}</span></li> }
                            }).collect_view()}</ul>
                        }.into_any() }}
                    </div>
                </section>
                <section class="card" data-testid="past-rejections">
                    <div class="card-header"><h2>{T::PastRejections.get(l)}</h2></div>
                    <div class="card-body">
                        {if d.past.is_empty() { view! { <p class="muted">{T::NothingHere.get(l)}</p> }.into_any() } else { view! {
                            <ul class="plain">{d.past.iter().map(|p| view! {
                                <li>
                                    <strong>{p.name.clone()}</strong> " #" {p.revision} " · " {p.reason.clone().unwrap_or_else(|| status_badge(p.status).1)}
                                    {p.note.clone().map(|n| view! { <div class="muted small">{n}</div> })}
                                </li>
                            }).collect_view()}</ul>
                        }.into_any() }}
                    </div>
                </section>
                <Shortcuts keys=&REVIEW_KEYS />
            </div>
        </div>
    }
}

/// The text with each finding's span marked (overlapping spans: the first wins).
fn highlight(text: &str, findings: &[FindingView]) -> impl IntoView {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, String)> = findings
        .iter()
        .filter_map(|f| {
            f.span
                .map(|(a, b)| (a.min(chars.len()), b.min(chars.len()), f.rule.clone()))
        })
        .filter(|(a, b, _)| a < b)
        .collect();
    spans.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    let mut at = 0;
    for (a, b, rule) in spans {
        if a < at {
            continue;
        }
        out.push(view! { <span>{chars[at..a].iter().collect::<String>()}</span> }.into_any());
        out.push(view! { <mark title=rule.clone() data-rule=rule>{chars[a..b].iter().collect::<String>()}</mark> }.into_any());
        at = b;
    }
    out.push(view! { <span>{chars[at..].iter().collect::<String>()}</span> }.into_any());
    out.collect_view()
}

#[component]
fn DiffCard(against: i32, parts: Vec<ComponentDiff>) -> impl IntoView {
    let l = use_locale();
    view! {
        <section class="card" data-testid="diff">
            <div class="card-header"><h2>{T::ChangesSince.fill(l, &[&against.to_string()])}</h2></div>
            <div class="card-body"><super::templates::DiffList parts /></div>
        </section>
    }
}

/// The reviewer's decision form: approve (optionally into another category, with the
/// tenant's consent), request changes (note and per-finding comments), or reject.
#[component]
fn DecisionPanel(d: ReviewDetail, action: ServerAction<DecideTemplate>) -> impl IntoView {
    let l = use_locale();
    let error = action_error(action);
    // No decision is chosen for the reviewer: a stray Enter records nothing.
    let decisions: Vec<(String, String)> = [
        ("", T::ChooseDecision),
        ("approve", T::Approve),
        ("request_changes", T::RequestChanges),
        ("reject", T::Reject),
    ]
    .into_iter()
    .map(|(v, t)| (v.to_owned(), t.get(l).to_owned()))
    .collect();
    let kept = move |name: &str| echoed_after_error(name, error);
    let (note, category) = (
        kept("note").unwrap_or_default(),
        kept("category").unwrap_or_default(),
    );
    let current = d.detail.content.category.clone();
    let categories: Vec<(String, String)> = std::iter::once((
        String::new(),
        T::KeepCategory.fill(l, &[&category_text(&current)]),
    ))
    .chain(
        CATEGORIES
            .into_iter()
            .filter(|c| *c != current)
            .map(|c| (c.to_owned(), category_text(c).into_owned())),
    )
    .collect();
    let field_err = move |f: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.fields().and_then(|x| x.get(f)))
                .map(|c| c.text().get(l))
        }
    };
    view! {
        <section class="card" data-testid="decide">
            <div class="card-header"><h2>{T::Decision.get(l)}</h2></div>
            <div class="card-body">
                <ActionForm action=action attr:class="form" attr:novalidate="" attr:id="decision-form">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <input type="hidden" name="tenant" value=d.detail.tenant.to_string() />
                    <input type="hidden" name="id" value=d.detail.id.to_string() />
                    <input type="hidden" name="revision" value=d.detail.revision.to_string() />
                    <SelectField label=T::Decision name="decision" error=error options=decisions />
                    <SelectField label=T::Reason name="reason" error=error options=reason_options() />
                    <div class="field">
                        <label for="f-note">{T::NoteToTenant.get(l)}</label>
                        <textarea id="f-note" name="note" rows="3">{note}</textarea>
                        <p class="field-error" role="alert">{field_err("note")}</p>
                    </div>
                    <div class="field">
                        <label for="f-category">{T::ChangeCategory.get(l)}</label>
                        <select id="f-category" name="category" disabled=!d.detail.category_consent>
                            {categories.into_iter().map(|(v, lb)| { let chosen = v == category; view! { <option value=v selected=chosen>{lb}</option> } }).collect_view()}
                        </select>
                        <p class="hint">{if d.detail.category_consent { T::CategoryConsentGiven.get(l) } else { T::CategoryConsentMissing.get(l) }}</p>
                        <p class="field-error" role="alert">{field_err("category")}</p>
                    </div>
                    {(!d.detail.findings.is_empty()).then(|| view! {
                        <fieldset class="finding-comments">
                            <legend>{T::FindingComments.get(l)}</legend>
                            {d.detail.findings.iter().enumerate().map(|(i, f)| view! {
                                <div class="field">
                                    <label for=format!("f-comment-{i}")><span class="mono small">{f.rule.clone()}</span> " · " {f.component.clone()}</label>
                                    <input type="hidden" name=format!("comment_keys[{i}]") value=f.key() />
                                    <input id=format!("f-comment-{i}") name=format!("comments[{i}]") value=kept(&format!("comments[{i}]")).unwrap_or_default() />
                                </div>
                            }).collect_view()}
                            <p class="field-error" role="alert">{field_err("comments")}</p>
                        </fieldset>
                    })}
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" id="decision-submit">{T::SaveDecision.get(l)}</button>
                    </div>
                </ActionForm>
            </div>
        </section>
    }
}

/// Keyboard shortcuts (only with JavaScript; the page documents them).
#[cfg(feature = "hydrate")]
mod keys {
    use super::*;
    use web_sys::wasm_bindgen::JsCast;

    fn typing(ev: &web_sys::KeyboardEvent) -> bool {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return true;
        }
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| {
                matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || e.closest("[contenteditable]").ok().flatten().is_some()
            })
    }

    fn doc() -> Option<web_sys::Document> {
        web_sys::window().and_then(|w| w.document())
    }

    fn rows() -> Vec<web_sys::HtmlElement> {
        let Some(list) = doc().and_then(|d| d.query_selector_all("[data-row]").ok()) else {
            return vec![];
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            .collect()
    }

    fn focused(rows: &[web_sys::HtmlElement]) -> Option<usize> {
        rows.iter().position(|r| r.class_list().contains("focused"))
    }

    fn focus(rows: &[web_sys::HtmlElement], i: usize) {
        for r in rows {
            let _ = r.class_list().remove_1("focused");
        }
        if let Some(r) = rows.get(i) {
            let _ = r.class_list().add_1("focused");
            let _ = r.focus();
        }
    }

    fn checkbox(row: &web_sys::HtmlElement) -> Option<web_sys::HtmlInputElement> {
        row.query_selector("input[type=checkbox]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into().ok())
    }

    /// The row's tenant and template, from its checkbox (`tenant/template/revision`).
    fn row_template(row: &web_sys::HtmlElement) -> Option<(String, String)> {
        let key = checkbox(row)?.value();
        let mut parts = key.split('/');
        Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
    }

    fn select_value(id: &str, value: &str) {
        if let Some(s) = doc()
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            s.set_value(value);
        }
    }

    fn focus_id(id: &str) {
        if let Some(e) = doc()
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = e.focus();
        }
    }

    pub fn queue(claim: ServerAction<ClaimTemplate>) {
        let navigate = leptos_router::hooks::use_navigate();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if typing(&ev) {
                return;
            }
            let rows = rows();
            let cur = focused(&rows);
            let key = ev.key();
            match key.as_str() {
                "j" | "ArrowDown" => focus(
                    &rows,
                    cur.map_or(0, |i| (i + 1).min(rows.len().saturating_sub(1))),
                ),
                "k" | "ArrowUp" => focus(&rows, cur.map_or(0, |i| i.saturating_sub(1))),
                "x" => {
                    if let Some(cb) = cur.and_then(|i| rows.get(i)).and_then(checkbox) {
                        cb.set_checked(!cb.checked());
                    }
                }
                "o" | "Enter" => {
                    if let Some((tenant, id)) = cur.and_then(|i| rows.get(i)).and_then(row_template)
                    {
                        navigate(&format!("/review/{tenant}/{id}"), Default::default());
                    }
                }
                "c" => {
                    if let Some((tenant, id)) = cur.and_then(|i| rows.get(i)).and_then(row_template)
                    {
                        claim.dispatch(ClaimTemplate { tenant, id });
                    }
                }
                "a" | "r" => {
                    // Acts on the checked rows, or on the focused row when none is checked.
                    if !rows.iter().filter_map(checkbox).any(|c| c.checked()) {
                        if let Some(cb) = cur.and_then(|i| rows.get(i)).and_then(checkbox) {
                            cb.set_checked(true);
                        }
                    }
                    if key == "a" {
                        select_value("f-decision", "approve");
                        focus_id("bulk-submit");
                    } else {
                        select_value("f-decision", "reject");
                        focus_id("f-reason");
                    }
                }
                _ => return,
            }
            ev.prevent_default();
        });
        on_cleanup(move || handle.remove());
    }

    pub fn review(claim: ServerAction<ClaimTemplate>, mine: bool, tenant: String, id: String) {
        let (t2, i2) = (tenant.clone(), id.clone());
        let navigate = leptos_router::hooks::use_navigate();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if typing(&ev) {
                return;
            }
            match ev.key().as_str() {
                "a" => {
                    select_value("f-decision", "approve");
                    focus_id("decision-submit");
                }
                "r" => {
                    select_value("f-decision", "reject");
                    focus_id("f-reason");
                }
                "e" => {
                    select_value("f-decision", "request_changes");
                    focus_id("f-note");
                }
                "c" => {
                    claim.dispatch(ClaimTemplate {
                        tenant: t2.clone(),
                        id: i2.clone(),
                    });
                }
                "q" => navigate("/review", Default::default()),
                _ => return,
            }
            ev.prevent_default();
        });
        on_cleanup(move || handle.remove());
        // While the reviewer is active, the claim is extended (every 2 minutes, if there
        // was a key press, click or scroll since the last extension).
        if mine {
            let active = StoredValue::new(false);
            let h1 = window_event_listener(leptos::ev::keydown, move |_| active.set_value(true));
            let h2 = window_event_listener(leptos::ev::click, move |_| active.set_value(true));
            let h3 = window_event_listener(leptos::ev::scroll, move |_| active.set_value(true));
            let interval = set_interval_with_handle(
                move || {
                    if active.get_value() {
                        active.set_value(false);
                        let (tenant, id) = (tenant.clone(), id.clone());
                        leptos::task::spawn_local(async move {
                            let _ = crate::api::review::claim_template(tenant, id).await;
                        });
                    }
                },
                std::time::Duration::from_secs(120),
            )
            .ok();
            on_cleanup(move || {
                h1.remove();
                h2.remove();
                h3.remove();
                if let Some(i) = interval {
                    i.clear();
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The options written the plain way, one by one: what `language_options` must equal.
    fn written_one_by_one(chosen: &str) -> String {
        let mut m = Markup::default();
        m.option("", "Any", chosen.is_empty());
        for (c, n) in LANGUAGES {
            m.raw("<option").attr("value", c);
            if *c == chosen {
                m.raw(" selected");
            }
            m.raw(">").text(n).raw(" — ").text(c).raw("</option>");
        }
        m.into_string()
    }

    #[test]
    fn language_options_select_exactly_the_chosen_language() {
        // Every code (a code that is the prefix of another, `ar` / `ar_EG`, included), none, and
        // one the platform does not have.
        for chosen in LANGUAGES
            .iter()
            .map(|(c, _)| *c)
            .chain(["", "xx_YY", "\"><script>"])
        {
            let got = language_options("Any", chosen);
            assert_eq!(got, written_one_by_one(chosen), "{chosen}");
            let known = chosen.is_empty() || LANGUAGES.iter().any(|(c, _)| *c == chosen);
            assert_eq!(
                got.matches(" selected").count(),
                usize::from(known),
                "{chosen}"
            );
        }
    }

    #[test]
    fn the_filters_keep_the_query_selected_and_escaped() {
        let q: leptos_router::params::ParamsMap = [
            ("q", "\"><b>x"),
            ("category", "utility"),
            ("language", "fr"),
            ("severity", "clean"),
            ("tenant", "00000000-0000-0000-0000-000000000001"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let tenants = vec![
            (
                crate::domain::ids::TenantId(uuid::Uuid::from_u128(1)),
                "A & B".to_owned(),
            ),
            (
                crate::domain::ids::TenantId(uuid::Uuid::from_u128(2)),
                "C".to_owned(),
            ),
        ];
        let html = filters_markup(&tenants, &q, Locale::En);
        assert!(
            html.contains("value=\"&quot;&gt;&lt;b&gt;x\""),
            "the search is escaped: {html}"
        );
        assert!(html.contains("<option value=\"00000000-0000-0000-0000-000000000001\" selected>A &amp; B</option>"), "{html}");
        assert!(
            html.contains("<option value=\"UTILITY\" selected>utility</option>"),
            "{html}"
        );
        assert!(html.contains("<option value=\"fr\" selected>"), "{html}");
        assert!(html.contains("<option value=\"clean\" selected>"), "{html}");
        assert_eq!(html.matches(" selected").count(), 4, "{html}");
        let none = filters_markup(&tenants, &Default::default(), Locale::En);
        assert_eq!(
            none.matches(" selected").count(),
            4,
            "every select on \"any\": {none}"
        );
    }

    #[test]
    fn categories_are_shown_in_lowercase() {
        for c in CATEGORIES {
            assert_eq!(category_text(c), c.to_lowercase());
        }
        assert_eq!(category_text("Ünknown"), "ünknown");
    }

    #[test]
    fn the_hydration_data_of_the_queue_leaves_the_rows_out() {
        let row = QueueRow {
            tenant: crate::domain::ids::TenantId(uuid::Uuid::from_u128(
                0x1111_2222_3333_4444_5555_6666_7777_8888,
            )),
            tenant_name: "Acme".into(),
            template: crate::domain::ids::TemplateId(uuid::Uuid::from_u128(
                0x9999_aaaa_bbbb_cccc_dddd_eeee_ffff_0000,
            )),
            name: "order_shipped".into(),
            language: "en_US".into(),
            category: "UTILITY".into(),
            revision: 2,
            submitted_at: chrono::DateTime::UNIX_EPOCH,
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
        let mut m = Markup::default();
        queue_rows(&mut m, &page.rows, Locale::En, None, &[]);
        let html = m.into_string();
        let key = crate::domain::template::review::BulkItem {
            tenant: row.tenant.0,
            template: row.template.0,
            revision: 2,
        }
        .key();
        assert!(
            html.contains(&format!("value=\"{key}\"")),
            "the checkbox carries the bulk key: {html}"
        );
        assert!(
            html.contains(&format!("href=\"/review/{}/{}\"", row.tenant, row.template)),
            "{html}"
        );
        assert!(
            html.contains(&format!("href=\"/review?tenant={}\">Acme</a>", row.tenant)),
            "{html}"
        );
        assert!(html.contains("<td>utility</td>"), "{html}");
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

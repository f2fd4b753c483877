//! The review page of one revision: claim, preview, inline findings, diff, decision.

use crate::{
    api::review::{
        open_review, ClaimTemplate, DecideTemplate, MarkTemplateSubmitted, ReleaseTemplate,
    },
    contract::{FindingView, ReviewDetail},
    domain::template::{diff::ComponentDiff, draft::CATEGORIES},
    i18n::T,
    ui::components::{
        action_error,
        badges::sla_badge,
        echoed_after_error, fmt_time,
        queue::{reason_options, Shortcuts},
        status_badge, succeeded,
        text::category_text,
        use_locale, ErrorView, FindingItem, FormError, Preview, SelectField,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const REVIEW_KEYS: [(&str, T); 5] = [
    ("a", T::KeyApprove),
    ("r", T::KeyReject),
    ("e", T::KeyRequestChanges),
    ("c", T::KeyClaim),
    ("q", T::KeyBackToQueue),
];

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
    super::keys::review(claim, d.claimed_by_me, tenant.clone(), id.clone());
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
                <p class="muted small"><a href="/review">{T::ReviewQueue.get(l)}</a> " / " <a href=format!("/tenants/{tenant}")>{d.tenant_name.clone()}</a> " " <a href=format!("/tenants/{tenant}/compliance")><crate::ui::components::ComplianceBadge complete=d.compliance_complete /></a></p>
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
        <crate::ui::components::SubmissionPanel d=d.detail.clone() mark />
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
            <div class="card-body"><crate::ui::components::DiffList parts /></div>
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

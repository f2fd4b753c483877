//! `/finance/reconciliation`: import the platform's per-country cost figures; and
//! `/finance/reconciliation/:import`: their variance against what we rated.

use crate::{
    api::pricing::{get_reconciliation, list_cost_imports, ImportCosts},
    contract::finance::Reconciliation,
    i18n::T,
    ui::components::{action_error, echoed, fmt_time, t, use_locale, ErrorView, Field, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReconciliationPage() -> impl IntoView {
    let l = use_locale();
    let import = ServerAction::<ImportCosts>::new();
    let err = action_error(import);
    let data = Resource::new(|| (), |_| list_cost_imports());
    let code = move || {
        err.get()
            .and_then(|e| e.fields().and_then(|f| f.get("csv")))
    };
    let typed = echoed("csv")
        .filter(|_| err.get_untracked().is_some())
        .unwrap_or_default();
    view! {
        <Title text=t(T::Reconciliation) />
        <div class="page-header"><h1>{T::Reconciliation.get(l)}</h1>
            <div class="actions row"><a class="btn btn-ghost" href="/finance/usage">{T::UsageAndMargin.get(l)}</a></div>
        </div>
        <div class="stack">
        <section class="card">
            <div class="card-header"><h2>{T::ImportPlatformCosts.get(l)}</h2></div>
            <div class="card-body">
                <ActionForm action=import attr:class="form" attr:data-testid="import-costs">
                    <FormError error=err />
                    <div class="field" class:has-error=move || code().is_some()>
                        <label for="f-costs">{T::PlatformCostsCsv.get(l)}</label>
                        <textarea id="f-costs" name="csv" rows="8" class="mono" required=true aria-describedby="f-costs-error">{typed}</textarea>
                        <p class="hint">{T::PlatformCostsHint.get(l)}</p>
                        <p class="field-error" id="f-costs-error" role="alert">{move || code().map(|c| c.text().get(l))}</p>
                    </div>
                    <Field label=T::Note name="note" error=err />
                    <button type="submit" class="btn btn-primary">{T::Compare.get(l)}</button>
                </ActionForm>
            </div>
        </section>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{T::NoImports.get(l)}</p> }.into_any(),
                    Ok(list) => view! {
                        <section class="card">
                            <table class="table">
                                <thead><tr><th>{T::Period.get(l)}</th><th>{T::Rows.get(l)}</th><th>{T::Errors.get(l)}</th><th>{T::Note.get(l)}</th><th>{T::Created.get(l)}</th></tr></thead>
                                <tbody>{list.into_iter().map(|i| view! {
                                    <tr>
                                        <td><a href=format!("/finance/reconciliation/{}", i.id)>{format!("{} → {}", i.period_start, i.period_end)}</a></td>
                                        <td>{i.rows}</td><td>{i.errors}</td><td>{i.note.clone()}</td><td class="nowrap">{fmt_time(i.created_at)}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
        </div>
    }
}

#[component]
pub fn ReconciliationDetailPage() -> impl IntoView {
    let id = move || use_params_map().read().get("import").unwrap_or_default();
    let data = Resource::new(id, get_reconciliation);
    view! {
        <Title text=t(T::Reconciliation) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Variance d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn problem_text(p: crate::domain::pricing::reconcile::AnalyticsProblem) -> T {
    use crate::domain::pricing::reconcile::AnalyticsProblem as P;
    match p {
        P::InvalidWaba => T::RcInvalidWaba,
        P::InvalidDate => T::RcInvalidDate,
        P::EndBeforeStart => T::RcEndBeforeStart,
        P::InvalidCountry => T::RcInvalidCountry,
        P::InvalidVolume => T::RcInvalidVolume,
        P::InvalidCost => T::RcInvalidCost,
        P::Missing => T::RcMissing,
        P::WrongCellCount => T::RpWrongCellCount,
        P::UnknownWaba => T::RcUnknownWaba,
    }
}

#[component]
fn Variance(d: Reconciliation) -> impl IntoView {
    let l = use_locale();
    let s = d.summary.clone();
    view! {
        <div class="page-header">
            <div>
                <h1>{T::Reconciliation.get(l)} " · " {format!("{} → {}", s.period_start, s.period_end)}</h1>
                <p class="subtitle muted">{s.note.clone()}</p>
            </div>
            <div class="actions row"><a class="btn btn-ghost" href="/finance/reconciliation">{T::Reconciliation.get(l)}</a></div>
        </div>
        <div class="stack">
        {if d.mismatches == 0 {
            view! { <p class="flash flash-success" role="status" data-testid="reconciled">{T::AllMatch.get(l)}</p> }.into_any()
        } else {
            view! { <p class="flash flash-warning" role="status" data-testid="mismatches">{T::Mismatches.fill(l, &[&d.mismatches.to_string()])}</p> }.into_any()
        }}
        {(!d.errors.is_empty()).then(|| view! {
            <section class="card" data-testid="import-errors">
                <div class="card-header"><h2>{T::RowsSkipped.get(l)} " (" {d.errors.len()} ")"</h2></div>
                <table class="table">
                    <thead><tr><th>{T::LineNo.get(l)}</th><th>{T::ColumnName.get(l)}</th><th>{T::Problem.get(l)}</th></tr></thead>
                    <tbody>{d.errors.iter().map(|e| view! { <tr><td>{e.line}</td><td class="mono">{e.column.clone()}</td><td>{problem_text(e.problem).get(l)}</td></tr> }).collect_view()}</tbody>
                </table>
            </section>
        })}
        <section class="card">
            <table class="table" data-testid="variance">
                <thead><tr>
                    <th>{T::Tenant.get(l)}</th><th>{T::Country.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::PricingTypeLabel.get(l)}</th>
                    <th class="num">{T::PlatformVolume.get(l)}</th><th class="num">{T::OurVolume.get(l)}</th><th class="num">"Δ"</th>
                    <th class="num">{T::PlatformCost.get(l)}</th><th class="num">{T::OurCost.get(l)}</th><th class="num">"Δ"</th>
                </tr></thead>
                <tbody>{d.rows.iter().map(|r| view! {
                    <tr class:row-warning=!r.matches>
                        <td>{r.tenant_name.clone()}</td><td>{r.country.clone()}</td><td>{r.category.clone()}</td><td>{r.pricing_type.clone()}</td>
                        <td class="num">{r.platform_volume}</td><td class="num">{r.our_volume}</td><td class="num">{r.volume_difference}</td>
                        <td class="num mono">{r.currency.clone()} " " {r.platform_cost.clone()}</td><td class="num mono">{r.our_cost.clone()}</td><td class="num mono">{r.cost_difference.clone()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </section>
        </div>
    }
}

//! `/finance/usage`: a month's usage across tenants by country × market × category with cost,
//! price and margin (sortable by links, so it works without JavaScript), totals per currency,
//! a server-drawn chart of amounts per market, and the per-country CSV export.

use crate::{
    api::pricing::finance_usage,
    contract::finance::FinanceDashboard,
    domain::pricing::{category::Category, money::format_minor},
    i18n::T,
    ui::components::{t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FinanceUsagePage() -> impl IntoView {
    let q = move || {
        let q = use_query_map().read();
        (q.get("month"), q.get("sort"))
    };
    let data = Resource::new(q, |(m, s)| finance_usage(m, s));
    view! {
        <Title text=t(T::UsageAndMargin) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Dashboard d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn bars(by_market: &[(String, String, i64)]) -> impl IntoView {
    let max = by_market.iter().map(|m| m.2).max().unwrap_or(0).max(1);
    let (row_h, width) = (22_i64, 360_i64);
    let height = i64::try_from(by_market.len()).unwrap_or(0) * row_h;
    view! {
        <svg class="chart" role="img" viewBox=format!("0 0 {} {height}", width + 260) data-testid="market-chart">
            {by_market.iter().enumerate().map(|(i, (market, currency, amount))| {
                let y = i64::try_from(i).unwrap_or(0) * row_h;
                let w = amount * width / max;
                let label = format!("{market}: {currency} {}", format_minor(*amount, currency));
                view! {
                    <g>
                        <title>{label.clone()}</title>
                        <text x="0" y=(y + 15).to_string() class="axis">{market.clone()}</text>
                        <rect x="180" y=(y + 4).to_string() width=w.max(1).to_string() height="14" class="bar" />
                        <text x=(185 + w).to_string() y=(y + 15).to_string() class="axis">{format!("{currency} {}", format_minor(*amount, currency))}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Dashboard(d: FinanceDashboard) -> impl IntoView {
    let l = use_locale();
    let month = d.month.clone();
    let sort_link = move |key: &'static str, label: T| {
        let active = d.sort == key;
        view! { <a href=format!("/finance/usage?month={month}&sort={key}") class:active=active aria-sort=if active { "descending" } else { "none" }>{label.get(l)}</a> }
    };
    view! {
        <div class="page-header">
            <div><h1>{T::UsageAndMargin.get(l)} " · " {d.month.clone()}</h1></div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/finance/usage?month={}", d.previous)>{T::PreviousMonth.get(l)}</a>
                {d.next.clone().map(|n| view! { <a class="btn btn-ghost" href=format!("/finance/usage?month={n}")>{T::NextMonth.get(l)}</a> })}
                <a class="btn btn-ghost" href="/finance/pricing">{T::Pricing.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/finance/rerate?month={}", d.month)>{T::Rerate.get(l)}</a>
            </div>
        </div>
        <div class="stack">
        <div class="grid-3">
            {d.totals.iter().map(|t| view! {
                <section class="card stat" data-testid="finance-total"><div class="card-body">
                    <div class="muted small">{t.currency.clone()} " · " {t.messages} " " {T::MessagesCount.get(l)}</div>
                    <div class="stat-value">{T::Price.get(l)} " " {t.price.clone()}</div>
                    <div class="small">{T::Cost.get(l)} " " {t.cost.clone()} " · " {T::Margin.get(l)} " " <strong>{t.margin.clone()}</strong></div>
                </div></section>
            }).collect_view()}
        </div>
        {(!d.by_market.is_empty()).then(|| view! { <section class="card"><div class="card-body">{bars(&d.by_market)}</div></section> })}
        <section class="card">
            {if d.rows.is_empty() {
                view! { <p class="card-body muted">{T::NoUsage.get(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="finance-usage">
                        <thead><tr>
                            <th>{sort_link("country", T::Country)}</th><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th>
                            <th class="num">{sort_link("messages", T::MessagesCount)}</th><th class="num">{T::BillableMessages.get(l)}</th>
                            <th class="num">{sort_link("cost", T::Cost)}</th><th class="num">{sort_link("price", T::Price)}</th><th class="num">{sort_link("margin", T::Margin)}</th>
                        </tr></thead>
                        <tbody>{d.rows.iter().map(|r| view! {
                            <tr>
                                <td>{r.country_name.clone()} " " <span class="muted">{r.country.clone()}</span></td>
                                <td>{r.market.clone()}</td><td>{r.category.clone()}</td>
                                <td class="num">{r.messages}</td><td class="num">{r.billable}</td>
                                <td class="num mono">{r.currency.clone()} " " {r.cost.clone()}</td>
                                <td class="num mono">{r.price.clone()}</td>
                                <td class="num mono">{r.margin.clone()}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::ExportUsage.get(l)}</h2></div>
            <div class="card-body">
                <form method="get" action="/finance/usage.csv" class="form" data-testid="export-form">
                    <div class="grid-3">
                        <div class="field"><label for="x-from">{T::From.get(l)}</label><input id="x-from" type="date" name="from" value=d.from.to_string() required=true /></div>
                        <div class="field"><label for="x-to">{T::To.get(l)}</label><input id="x-to" type="date" name="to" value=d.to.to_string() required=true /></div>
                        <div class="field"><label for="x-tenant">{T::Tenant.get(l)}</label>
                            <select id="x-tenant" name="tenant">
                                <option value="">{T::AllTenants.get(l)}</option>
                                {d.tenants.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field"><label for="x-country">{T::Country.get(l)}</label><input id="x-country" name="country" maxlength="2" placeholder="FR" /></div>
                        <div class="field"><label for="x-category">{T::Category.get(l)}</label>
                            <select id="x-category" name="category">
                                <option value="">{T::AllCategories.get(l)}</option>
                                {Category::ALL.iter().map(|c| view! { <option value=c.code()>{c.code()}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <p class="hint">{T::ExportHint.get(l)}</p>
                    <button type="submit" class="btn btn-primary" data-testid="export">{T::DownloadCsv.get(l)}</button>
                </form>
            </div>
        </section>
        </div>
    }
}

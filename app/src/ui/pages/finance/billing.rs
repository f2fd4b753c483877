//! A tenant's billing: the month's usage by country and category with amounts at its
//! prices, a daily chart drawn on the server as SVG (readable without JavaScript), and the
//! prices that apply today.

use crate::{
    api::pricing::get_billing,
    contract::finance::{BillingPage, DayPoint},
    domain::pricing::{category::Category, money::format_minor},
    i18n::T,
    ui::components::{t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TenantBillingPage() -> impl IntoView {
    let params = move || {
        (
            use_params_map().read().get("id").unwrap_or_default(),
            use_query_map().read().get("month"),
        )
    };
    let data = Resource::new(params, |(id, month)| get_billing(id, month));
    view! {
        <Title text=t(T::Billing) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Billing d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Bars of messages per day, scaled to the busiest day; each bar has a title (tooltip) and
/// the figures are also in the table, so the chart is never the only source.
fn chart(series: &[DayPoint], currency: &str) -> impl IntoView {
    let max = series.iter().map(|p| p.messages).max().unwrap_or(0).max(1);
    let (w, h, gap) = (20_i64, 120_i64, 4_i64);
    let width = i64::try_from(series.len()).unwrap_or(0) * (w + gap);
    let bars = series
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bh = p.messages * h / max;
            let x = i64::try_from(i).unwrap_or(0) * (w + gap);
            let label = format!("{}: {} · {currency} {}", p.day, p.messages, format_minor(p.amount_minor, currency));
            view! {
                <g>
                    <title>{label}</title>
                    <rect x=x.to_string() y=(h - bh).to_string() width=w.to_string() height=bh.max(if p.messages > 0 { 1 } else { 0 }).to_string() class="bar" />
                    <text x=(x + w / 2).to_string() y=(h + 14).to_string() class="axis" text-anchor="middle">{p.day.format("%d").to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" role="img" viewBox=format!("0 0 {width} {}", h + 20) preserveAspectRatio="xMinYMin meet" data-testid="usage-chart">
            {bars}
        </svg>
    }
}

#[component]
fn Billing(d: BillingPage) -> impl IntoView {
    let l = use_locale();
    let base = format!("/tenants/{}/billing", d.tenant);
    let cur = d.currency.clone();
    view! {
        <div class="page-header">
            <div>
                <h1>{T::Billing.get(l)} " · " {d.month.clone()}</h1>
                <p class="subtitle muted">{T::Currency.get(l)} " " {d.currency.clone()}</p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("{base}?month={}", d.previous)>{T::PreviousMonth.get(l)}</a>
                {d.next.clone().map(|n| view! { <a class="btn btn-ghost" href=format!("{base}?month={n}")>{T::NextMonth.get(l)}</a> })}
            </div>
        </div>
        <div class="stack">
        <div class="grid-3">
            <section class="card stat"><div class="card-body"><div class="muted small">{T::MessagesCount.get(l)}</div><div class="stat-value" data-testid="messages">{d.messages}</div></div></section>
            <section class="card stat"><div class="card-body"><div class="muted small">{T::BillableMessages.get(l)}</div><div class="stat-value" data-testid="billable">{d.billable}</div></div></section>
            <section class="card stat"><div class="card-body"><div class="muted small">{T::AmountSoFar.get(l)}</div><div class="stat-value" data-testid="total">{d.currency.clone()} " " {d.total.clone()}</div></div></section>
        </div>
        <section class="card">
            <div class="card-header"><h2>{T::DailyChart.get(l)}</h2></div>
            <div class="card-body">{chart(&d.series, &d.currency)}</div>
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::UsageByCountry.get(l)}</h2></div>
            {if d.lines.is_empty() {
                view! { <p class="card-body muted">{T::NoUsage.get(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="usage">
                        <thead><tr><th>{T::Country.get(l)}</th><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::PricingTypeLabel.get(l)}</th><th class="num">{T::MessagesCount.get(l)}</th><th class="num">{T::Price.get(l)}</th></tr></thead>
                        <tbody>{d.lines.iter().map(|u| view! {
                            <tr>
                                <td>{u.country_name.clone()} " " <span class="muted">{u.country.clone()}</span></td>
                                <td>{u.market.clone()}</td>
                                <td>{u.category.clone()}</td>
                                <td title=u.pricing_type.clone()>{pricing_type_label(&u.pricing_type, l)}</td>
                                <td class="num">{u.messages}</td>
                                <td class="num mono">{if u.unpriced { T::Unpriced.get(l).to_owned() } else if u.currency == cur { format_minor(u.amount_minor, &u.currency) } else { format!("{} {}", u.currency, format_minor(u.amount_minor, &u.currency)) }}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::Invoices.get(l)}</h2></div>
            <InvoiceList tenant=d.tenant.clone() invoices=d.invoices.clone() />
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::YourPrices.get(l)}</h2></div>
            {if d.prices.is_empty() {
                view! { <p class="card-body muted">{T::NoPricesYet.get(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="table small" data-testid="prices">
                        <thead><tr><th>{T::Market.get(l)}</th>{Category::CARD.iter().map(|c| view! { <th class="num">{c.code()}</th> }).collect_view()}</tr></thead>
                        <tbody>{d.prices.iter().map(|p| view! {
                            <tr><td>{p.market.clone()}</td>{p.cells.iter().map(|c| view! { <td class="num mono">{c.clone().unwrap_or_else(|| "—".into())}</td> }).collect_view()}</tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        </div>
    }
}

fn invoice_badge(status: &str) -> &'static str {
    match status {
        "paid" => "badge badge-green",
        "payment_failed" => "badge badge-red",
        "open" | "awaiting_stripe" => "badge badge-yellow",
        _ => "badge badge-gray",
    }
}

/// The invoices table of the billing page.
#[component]
pub fn InvoiceList(
    tenant: String,
    invoices: Vec<crate::contract::finance::InvoiceSummary>,
) -> impl IntoView {
    let l = use_locale();
    if invoices.is_empty() {
        return view! { <p class="card-body muted">{T::NoInvoices.get(l)}</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="invoices">
            <thead><tr><th>{T::InvoiceNumber.get(l)}</th><th>{T::Month.get(l)}</th><th>{T::Status.get(l)}</th><th class="num">{T::MessagesCount.get(l)}</th><th class="num">{T::Total.get(l)}</th><th>{T::DueOn.get(l)}</th></tr></thead>
            <tbody>{invoices.into_iter().map(|i| view! {
                <tr>
                    <td><a href=format!("/tenants/{tenant}/invoices/{}", i.id)>{i.number.clone()}</a></td>
                    <td>{i.period.clone()}</td>
                    <td><span class=invoice_badge(&i.status)>{crate::i18n::invoice_status_text(&i.status).get(l)}</span></td>
                    <td class="num">{i.messages}</td>
                    <td class="num mono">{i.currency.clone()} " " {i.total.clone()}</td>
                    <td>{i.due_on.to_string()}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

/// `/tenants/:id/invoices/:invoice`: the invoice as a document (print stylesheet: only the
/// document is printed).
#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = move || {
        let p = use_params_map().read();
        (
            p.get("id").unwrap_or_default(),
            p.get("invoice").unwrap_or_default(),
        )
    };
    let data = Resource::new(params, |(t, i)| crate::api::pricing::get_invoice(t, i));
    view! {
        <Title text=t(T::Invoice) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <InvoiceDoc d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceDoc(d: crate::contract::finance::InvoiceDetail) -> impl IntoView {
    let l = use_locale();
    let s = d.summary.clone();
    view! {
        <div class="page-header no-print">
            <div><h1>{T::Invoice.get(l)} " " {s.number.clone()}</h1></div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/tenants/{}/billing", d.tenant)>{T::Billing.get(l)}</a>
                {s.url.clone().map(|u| view! { <a class="btn btn-primary" href=u rel="noopener">{T::PayOnline.get(l)}</a> })}
            </div>
        </div>
        <article class="card invoice" data-testid="invoice">
            <div class="card-body">
                <div class="invoice-head">
                    <div>
                        <div class="muted small">{T::BillTo.get(l)}</div>
                        <strong>{d.bill_to.clone()}</strong><br />
                        <span class="muted">{d.billing_email.clone()}</span>
                    </div>
                    <dl class="kv">
                        <dt>{T::InvoiceNumber.get(l)}</dt><dd class="mono">{s.number.clone()}</dd>
                        <dt>{T::Month.get(l)}</dt><dd>{s.period.clone()}</dd>
                        <dt>{T::Issued.get(l)}</dt><dd>{s.issued_at.format("%Y-%m-%d").to_string()}</dd>
                        <dt>{T::DueOn.get(l)}</dt><dd>{s.due_on.to_string()}</dd>
                        <dt>{T::Status.get(l)}</dt><dd><span class=invoice_badge(&s.status) data-testid="invoice-status">{crate::i18n::invoice_status_text(&s.status).get(l)}</span></dd>
                    </dl>
                </div>
                <table class="table">
                    <thead><tr><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th class="num">{T::MessagesCount.get(l)}</th><th class="num">{T::Amount.get(l)}</th></tr></thead>
                    <tbody>{d.lines.iter().map(|x| view! {
                        <tr><td>{x.market.clone()}</td><td>{x.category.clone()}</td><td class="num">{x.messages}</td><td class="num mono">{x.amount.clone()}</td></tr>
                    }).collect_view()}</tbody>
                    <tfoot>
                        <tr><th colspan="3">{T::Total.get(l)}</th><th class="num mono" data-testid="invoice-total">{s.currency.clone()} " " {s.total.clone()}</th></tr>
                        {d.adjustments.iter().map(|(amount, reason, at)| view! {
                            <tr class="adjustment"><td colspan="3">{reason.clone()} " (" {at.format("%Y-%m-%d").to_string()} ")"</td><td class="num mono">{amount.clone()}</td></tr>
                        }).collect_view()}
                        {(!d.adjustments.is_empty()).then(|| view! {
                            <tr><th colspan="3">{T::Balance.get(l)}</th><th class="num mono" data-testid="invoice-balance">{s.currency.clone()} " " {d.balance.clone()}</th></tr>
                        })}
                    </tfoot>
                </table>
            </div>
        </article>
    }
}

/// A usage line's pricing type in words (the export's code in the cell's title).
fn pricing_type_label(code: &str, l: crate::domain::locale::Locale) -> String {
    match code {
        "regular" => T::PricingRegular.get(l).to_owned(),
        "free_customer_service" => T::PricingFreeService.get(l).to_owned(),
        "free_entry_point" => T::PricingFreeEntry.get(l).to_owned(),
        "in_conversation" => T::PricingInConversation.get(l).to_owned(),
        other => other.to_owned(),
    }
}

//! `/finance/rerate?month=YYYY-MM&currency=EUR`: the difference report of re-rating a month
//! with the cards and price lists in force now, and the button that applies it (issued
//! invoices get an adjustment, never a silent change).

use crate::ui::components::succeeded;
use crate::{
    api::pricing::{rerate_preview, ApplyRerate},
    i18n::T,
    ui::components::{action_error, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReratePage() -> impl IntoView {
    let l = use_locale();
    let apply = ServerAction::<ApplyRerate>::new();
    let err = action_error(apply);
    let q = move || {
        let q = use_query_map().read();
        (
            q.get("month").unwrap_or_default(),
            q.get("currency").unwrap_or_else(|| "EUR".into()),
        )
    };
    let applied = succeeded(apply);
    let data = Resource::new(
        move || (q(), applied.get()),
        |((m, c), _)| rerate_preview(m, c),
    );
    let (month, currency) = q();
    view! {
        <Title text=t(T::Rerate) />
        <div class="page-header"><h1>{T::Rerate.get(l)}</h1>
            <div class="actions row"><a class="btn btn-ghost" href="/finance/usage">{T::UsageAndMargin.get(l)}</a></div>
        </div>
        <p class="muted">{T::RerateHint.get(l)}</p>
        <form method="get" action="/finance/rerate" class="form row" data-testid="rerate-form">
            <div class="field"><label for="r-month">{T::Month.get(l)}</label><input id="r-month" name="month" placeholder="2026-10" value=month.clone() pattern="[0-9]{4}-[0-9]{2}" required=true /></div>
            <div class="field"><label for="r-currency">{T::Currency.get(l)}</label><input id="r-currency" name="currency" value=currency.clone() maxlength="3" required=true /></div>
            <button type="submit" class="btn btn-secondary">{T::PreviewPrices.get(l)}</button>
        </form>
        <FormError error=err />
        {move || apply.value().get().and_then(|r| r.ok()).map(|r| view! {
            <p class="flash flash-success" role="status" data-testid="rerated">{T::Rerated.fill(l, &[&r.changed.to_string(), &r.adjusted_invoices.to_string()])}</p>
        })}
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(r)) => {
                        let (m, c) = (r.month.clone(), r.currency.clone());
                        view! {
                            <section class="card card-spaced">
                                <div class="card-header"><h2>{T::Differences.fill(l, &[&r.changed.to_string(), &r.invoiced_tenants.to_string()])}</h2></div>
                                <table class="table" data-testid="rerate-report">
                                    <thead><tr><th>{T::Tenant.get(l)}</th><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th class="num">{T::MessagesCount.get(l)}</th><th class="num">{T::Changed.get(l)}</th>
                                        <th class="num">{T::Cost.get(l)}</th><th class="num">{T::NewCost.get(l)}</th><th class="num">{T::Price.get(l)}</th><th class="num">{T::NewPrice.get(l)}</th><th class="num">"Δ"</th></tr></thead>
                                    <tbody>{r.lines.iter().map(|x| view! {
                                        <tr class:row-warning=x.changed != 0>
                                            <td>{x.tenant_name.clone()}</td><td>{x.market.clone()}</td><td>{x.category.clone()}</td><td class="num">{x.messages}</td><td class="num">{x.changed}</td>
                                            <td class="num mono">{x.old_cost.clone()}</td><td class="num mono">{x.new_cost.clone()}</td><td class="num mono">{x.old_price.clone()}</td><td class="num mono">{x.new_price.clone()}</td><td class="num mono">{x.difference.clone()}</td>
                                        </tr>
                                    }).collect_view()}</tbody>
                                </table>
                                {(r.changed > 0).then(|| view! {
                                    <div class="card-body">
                                        <ActionForm action=apply>
                                            <input type="hidden" name="month" value=m.clone() />
                                            <input type="hidden" name="currency" value=c.clone() />
                                            <button type="submit" class="btn btn-primary" data-testid="apply-rerate">{T::ApplyRerate.get(l)}</button>
                                        </ActionForm>
                                    </div>
                                })}
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

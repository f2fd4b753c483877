//! Finance: the platform's cost rate cards (paste the CSV, see every row error next to its
//! line, fix, publish) and sell price lists (markup rules, preview of cost / price / margin
//! for every market × category, publish).

use crate::ui::components::succeeded;
use crate::{
    api::pricing::{
        get_price_list, get_pricing, get_rate_card, DiscardRateCard, PublishPriceList,
        PublishRateCard, StagePriceList, StageRateCard,
    },
    contract::finance::{CardDetail, PriceListDetail, PricingOverview},
    domain::pricing::{category::Category, market::MARKETS},
    i18n::{row_problem_text, T},
    ui::components::{
        action_error, echoed, fmt_time, t, use_locale, ErrorView, Field, FormError, SelectField,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn status_badge(status: &str) -> (&'static str, T) {
    if status == "published" {
        ("badge badge-green", T::Published)
    } else {
        ("badge badge-gray", T::Draft)
    }
}

/// `/finance/pricing`: cards and price lists, with the forms to add either.
#[component]
pub fn PricingPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_pricing());
    view! {
        <Title text=t(T::Pricing) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Overview d /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(d: PricingOverview) -> impl IntoView {
    let l = use_locale();
    let stage = ServerAction::<StageRateCard>::new();
    let stage_err = action_error(stage);
    let list = ServerAction::<StagePriceList>::new();
    let list_err = action_error(list);
    let today = d.today.to_string();
    let today_card = today.clone();
    let mut currencies: Vec<String> = d
        .tenants
        .iter()
        .map(|t| t.2.clone())
        .chain(d.cards.iter().filter_map(|c| c.currency.clone()))
        .collect();
    currencies.sort();
    currencies.dedup();
    if currencies.is_empty() {
        currencies.push("EUR".into());
    }
    let targets: Vec<(String, String)> =
        std::iter::once((String::new(), T::DefaultList.get(l).to_owned()))
            .chain(
                d.tenants
                    .iter()
                    .map(|(id, name, cur)| (id.clone(), format!("{name} ({cur})"))),
            )
            .collect();
    view! {
        <div class="page-header"><h1>{T::Pricing.get(l)}</h1></div>
        <div class="stack">
        <section class="card">
            <div class="card-header"><h2>{T::RateCards.get(l)}</h2></div>
            {if d.cards.is_empty() {
                view! { <p class="card-body muted">{T::NoCards.get(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="rate-cards">
                        <thead><tr><th>{T::EffectiveFrom.get(l)}</th><th>{T::Currency.get(l)}</th><th>{T::Status.get(l)}</th><th>{T::Rows.get(l)}</th><th>{T::Errors.get(l)}</th><th>{T::Note.get(l)}</th><th>{T::Created.get(l)}</th></tr></thead>
                        <tbody>{d.cards.iter().map(|c| {
                            let (class, label) = status_badge(&c.status);
                            view! {
                                <tr>
                                    <td><a href=format!("/finance/rates/{}", c.id)>{c.effective_from.to_string()}</a></td>
                                    <td>{c.currency.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td><span class=class>{label.get(l)}</span></td>
                                    <td>{c.rows}</td>
                                    <td>{c.errors}</td>
                                    <td>{c.note.clone()}</td>
                                    <td class="nowrap">{fmt_time(c.created_at)}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            <div class="card-body">
                <h3>{T::ImportRateCard.get(l)}</h3>
                <ActionForm action=stage attr:class="form" attr:data-testid="import-card">
                    <FormError error=stage_err />
                    <CsvArea error=stage_err value=String::new() />
                    <div class="grid-2">
                        <Field label=T::EffectiveFrom name="effective_from" kind="date" error=stage_err value=today_card required=true />
                        <Field label=T::Note name="note" error=stage_err />
                    </div>
                    <button type="submit" class="btn btn-primary">{T::CheckFile.get(l)}</button>
                </ActionForm>
            </div>
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::PriceLists.get(l)}</h2></div>
            {if d.lists.is_empty() {
                view! { <p class="card-body muted">{T::NoLists.get(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="price-lists">
                        <thead><tr><th>{T::EffectiveFrom.get(l)}</th><th>{T::AppliesTo.get(l)}</th><th>{T::Currency.get(l)}</th><th>{T::Status.get(l)}</th><th>{T::Rules.get(l)}</th><th>{T::Note.get(l)}</th></tr></thead>
                        <tbody>{d.lists.iter().map(|p| {
                            let (class, label) = status_badge(&p.status);
                            view! {
                                <tr>
                                    <td><a href=format!("/finance/prices/{}", p.id)>{p.effective_from.to_string()}</a></td>
                                    <td>{p.tenant_name.clone().unwrap_or_else(|| T::DefaultList.get(l).to_owned())}</td>
                                    <td>{p.currency.clone()}</td>
                                    <td><span class=class>{label.get(l)}</span></td>
                                    <td>{p.rules}</td>
                                    <td>{p.note.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            <div class="card-body">
                <h3>{T::NewPriceList.get(l)}</h3>
                <ActionForm action=list attr:class="form" attr:data-testid="new-price-list">
                    <FormError error=list_err />
                    <div class="grid-2">
                        <SelectField label=T::AppliesTo name="tenant" error=list_err options=targets />
                        <SelectField label=T::Currency name="currency" error=list_err options=currencies.iter().map(|c| (c.clone(), c.clone())).collect() />
                        <Field label=T::EffectiveFrom name="list_effective_from" kind="date" error=list_err value=today required=true />
                        <Field label=T::Note name="list_note" error=list_err />
                    </div>
                    <p class="hint">{T::RulesHint.get(l)}</p>
                    <RuleRows error=list_err />
                    <button type="submit" class="btn btn-primary">{T::PreviewPrices.get(l)}</button>
                </ActionForm>
            </div>
        </section>
        </div>
    }
}

/// The CSV text area with its error.
#[component]
fn CsvArea(
    #[prop(into)] error: Signal<Option<crate::contract::AppError>>,
    value: String,
) -> impl IntoView {
    let l = use_locale();
    let code = move || {
        error
            .get()
            .and_then(|e| e.fields().and_then(|f| f.get("csv")))
    };
    let value = match echoed("csv") {
        Some(v) if error.get_untracked().is_some() => v,
        _ => value,
    };
    view! {
        <div class="field" class:has-error=move || code().is_some()>
            <label for="f-csv">{T::CardCsv.get(l)}</label>
            <textarea id="f-csv" name="csv" rows="10" class="mono" required=true aria-describedby="f-csv-error">{value}</textarea>
            <p class="hint">{T::CardCsvHint.get(l)}</p>
            <p class="field-error" id="f-csv-error" role="alert">{move || code().map(|c| c.text().get(l))}</p>
        </div>
    }
}

/// Six rule rows (markets, categories, method, value, floor, cap), each error next to its cell.
#[component]
fn RuleRows(#[prop(into)] error: Signal<Option<crate::contract::AppError>>) -> impl IntoView {
    let l = use_locale();
    let err = move |i: usize, f: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.fields().and_then(|x| x.get(&format!("rule-{i}-{f}"))))
                .map(|c| c.text().get(l))
        }
    };
    view! {
        <table class="table rules" data-testid="rules">
            <thead><tr><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::Method.get(l)}</th><th>{T::Value.get(l)}</th><th>{T::Floor.get(l)}</th><th>{T::Cap.get(l)}</th></tr></thead>
            <tbody>{(0..6).map(|i| {
                let echo = |f: &str| echoed(&format!("{f}[{i}]")).unwrap_or_default();
                let (m, c, me, v, fl, ca) = (echo("rule_market"), echo("rule_category"), echo("rule_method"), echo("rule_value"), echo("rule_floor"), echo("rule_cap"));
                let me = if me.is_empty() { "percent".to_owned() } else { me };
                view! {
                    <tr>
                        <td>
                            <select name=format!("rule_market[{i}]") aria-label=T::Market.get(l)>
                                <option value="">{T::AllMarkets.get(l)}</option>
                                {MARKETS.iter().map(|(code, name)| view! { <option value=*code selected=m == *code>{*name}</option> }).collect_view()}
                            </select>
                            <p class="field-error" role="alert">{err(i, "market")}</p>
                        </td>
                        <td>
                            <select name=format!("rule_category[{i}]") aria-label=T::Category.get(l)>
                                <option value="">{T::AllCategories.get(l)}</option>
                                {Category::ALL.iter().map(|cat| view! { <option value=cat.code() selected=c == cat.code()>{cat.code()}</option> }).collect_view()}
                            </select>
                        </td>
                        <td>
                            <select name=format!("rule_method[{i}]") aria-label=T::Method.get(l)>
                                <option value="percent" selected=me == "percent">{T::MethodPercent.get(l)}</option>
                                <option value="fixed" selected=me == "fixed">{T::MethodFixed.get(l)}</option>
                                <option value="price" selected=me == "price">{T::MethodPrice.get(l)}</option>
                            </select>
                        </td>
                        <td>
                            <input name=format!("rule_value[{i}]") value=v inputmode="decimal" aria-label=T::Value.get(l) data-testid=format!("rule-value-{i}") />
                            <p class="field-error" role="alert">{err(i, "value")}</p>
                        </td>
                        <td><input name=format!("rule_floor[{i}]") value=fl inputmode="decimal" aria-label=T::Floor.get(l) /><p class="field-error" role="alert">{err(i, "floor")}</p></td>
                        <td><input name=format!("rule_cap[{i}]") value=ca inputmode="decimal" aria-label=T::Cap.get(l) /><p class="field-error" role="alert">{err(i, "cap")}</p></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}

/// `/finance/rates/:card`: a staged or published card, its row errors, its rates.
#[component]
pub fn RateCardPage() -> impl IntoView {
    let publish = ServerAction::<PublishRateCard>::new();
    let stage = ServerAction::<StageRateCard>::new();
    let card = move || use_params_map().read().get("card").unwrap_or_default();
    let done = (succeeded(publish), succeeded(stage));
    let data = Resource::new(
        move || (card(), done.0.get(), done.1.get()),
        |(c, ..)| get_rate_card(c),
    );
    view! {
        <Title text=t(T::RateCard) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Card d publish stage /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(
    d: CardDetail,
    publish: ServerAction<PublishRateCard>,
    stage: ServerAction<StageRateCard>,
) -> impl IntoView {
    let l = use_locale();
    let stage_err = action_error(stage);
    let publish_err = action_error(publish);
    let discard = ServerAction::<DiscardRateCard>::new();
    let s = d.summary.clone();
    let (class, label) = status_badge(&s.status);
    let draft = s.status == "draft";
    let clean = d.errors.is_empty();
    let (id_discard, id_publish, id_fix) = (s.id.clone(), s.id.clone(), s.id.clone());
    view! {
        <div class="page-header">
            <div>
                <h1>{T::RateCard.get(l)} " " {s.currency.clone().unwrap_or_default()} " · " {s.effective_from.to_string()} " " <span class=class data-testid="card-status">{label.get(l)}</span></h1>
                <p class="subtitle muted">{s.note.clone()}</p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href="/finance/pricing">{T::Pricing.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/finance/rates/{}/csv", s.id) download="">"CSV"</a>
                {draft.then(|| view! {
                    <ActionForm action=discard>
                        <input type="hidden" name="card" value=id_discard.clone() />
                        <button type="submit" class="btn btn-secondary">{T::Discard.get(l)}</button>
                    </ActionForm>
                })}
                {(draft && clean).then(|| view! {
                    <ActionForm action=publish>
                        <input type="hidden" name="card" value=id_publish.clone() />
                        <button type="submit" class="btn btn-primary" data-testid="publish-card">{T::Publish.get(l)}</button>
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error=publish_err />
        <div class="stack">
        {match (draft, clean) {
            (false, _) => view! { <p class="flash flash-success" role="status">{T::CardPublished.get(l)}</p> }.into_any(),
            (true, true) => view! { <p class="flash flash-success" role="status" data-testid="card-ready">{T::CardReady.get(l)}</p> }.into_any(),
            (true, false) => view! {
                <section class="card" data-testid="row-errors">
                    <div class="card-header"><h2>{T::RowErrors.get(l)} " (" {d.errors.len()} ")"</h2></div>
                    <p class="card-body">{T::RowErrorsIntro.get(l)}</p>
                    <table class="table">
                        <thead><tr><th>{T::LineNo.get(l)}</th><th>{T::ColumnName.get(l)}</th><th>{T::Problem.get(l)}</th></tr></thead>
                        <tbody>{d.errors.iter().map(|e| view! {
                            <tr><td>{e.line}</td><td class="mono">{e.column.clone()}</td><td>{row_problem_text(e.problem).get(l)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            }.into_any(),
        }}
        {draft.then(|| view! {
            <section class="card">
                <div class="card-body">
                    <ActionForm action=stage attr:class="form" attr:data-testid="fix-card">
                        <FormError error=stage_err />
                        <input type="hidden" name="card" value=id_fix.clone() />
                        <CsvArea error=stage_err value=d.source.clone() />
                        <div class="grid-2">
                            <Field label=T::EffectiveFrom name="effective_from" kind="date" error=stage_err value=s.effective_from.to_string() required=true />
                            <Field label=T::Note name="note" error=stage_err value=s.note.clone() />
                        </div>
                        <button type="submit" class="btn btn-secondary">{T::CheckAgain.get(l)}</button>
                    </ActionForm>
                </div>
            </section>
        })}
        {(!d.missing_markets.is_empty()).then(|| view! {
            <p class="muted"><strong>{T::MissingMarkets.get(l)} ": "</strong>{d.missing_markets.join(", ")}</p>
        })}
        <section class="card">
            <table class="table small" data-testid="card-rates">
                <thead><tr><th>{T::Market.get(l)}</th><th>{T::TierBand.get(l)}</th>
                    {Category::ALL.iter().map(|c| view! { <th class="num">{c.code()}</th> }).collect_view()}
                </tr></thead>
                <tbody>{d.lines.iter().map(|line| view! {
                    <tr><td>{line.market.clone()}</td><td class="mono">{line.tier.clone()}</td>
                        {line.cells.iter().map(|c| view! { <td class="num mono">{c.clone().unwrap_or_else(|| "—".into())}</td> }).collect_view()}
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </section>
        </div>
    }
}

/// `/finance/prices/:list`: the rules and the preview of every market × category.
#[component]
pub fn PriceListPage() -> impl IntoView {
    let publish = ServerAction::<PublishPriceList>::new();
    let list = move || use_params_map().read().get("list").unwrap_or_default();
    let published = succeeded(publish);
    let data = Resource::new(
        move || (list(), published.get()),
        |(c, _)| get_price_list(c),
    );
    view! {
        <Title text=t(T::PriceList) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <List d publish /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(d: PriceListDetail, publish: ServerAction<PublishPriceList>) -> impl IntoView {
    let l = use_locale();
    let publish_err = action_error(publish);
    let s = d.summary.clone();
    let (class, label) = status_badge(&s.status);
    let draft = s.status == "draft";
    let method = |m: &str| match m {
        "percent" => T::MethodPercent,
        "fixed" => T::MethodFixed,
        _ => T::MethodPrice,
    };
    view! {
        <div class="page-header">
            <div>
                <h1>{T::PriceList.get(l)} " · " {s.tenant_name.clone().unwrap_or_else(|| T::DefaultList.get(l).to_owned())} " · " {s.currency.clone()} " " <span class=class data-testid="list-status">{label.get(l)}</span></h1>
                <p class="subtitle muted">{T::EffectiveFrom.get(l)} " " {s.effective_from.to_string()} " " {s.note.clone()}</p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href="/finance/pricing">{T::Pricing.get(l)}</a>
                {draft.then(|| view! {
                    <ActionForm action=publish>
                        <input type="hidden" name="list" value=s.id.clone() />
                        <button type="submit" class="btn btn-primary" data-testid="publish-list">{T::Publish.get(l)}</button>
                    </ActionForm>
                })}
            </div>
        </div>
        <FormError error=publish_err />
        {(!draft).then(|| view! { <p class="flash flash-success" role="status">{T::ListPublished.get(l)}</p> })}
        <div class="stack">
        <section class="card">
            <div class="card-header"><h2>{T::Rules.get(l)}</h2></div>
            <table class="table">
                <thead><tr><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th>{T::Method.get(l)}</th><th>{T::Value.get(l)}</th><th>{T::Floor.get(l)}</th><th>{T::Cap.get(l)}</th></tr></thead>
                <tbody>{d.rules.iter().map(|r| view! {
                    <tr>
                        <td>{r.market.clone().unwrap_or_else(|| T::AllMarkets.get(l).to_owned())}</td>
                        <td>{r.category.clone().unwrap_or_else(|| T::AllCategories.get(l).to_owned())}</td>
                        <td>{method(&r.method).get(l)}</td>
                        <td class="mono">{r.value.clone()}</td>
                        <td class="mono">{r.floor.clone().unwrap_or_default()}</td>
                        <td class="mono">{r.cap.clone().unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </section>
        <section class="card">
            <div class="card-header"><h2>{T::Preview.get(l)}</h2></div>
            {match d.card.clone() {
                None => view! { <p class="card-body muted">{T::NoCardForPreview.get(l)}</p> }.into_any(),
                Some((_, day)) => view! {
                    <p class="card-body muted">{T::PreviewAgainst.fill(l, &[&day.to_string()])}</p>
                    <table class="table small" data-testid="price-preview">
                        <thead><tr><th>{T::Market.get(l)}</th><th>{T::Category.get(l)}</th><th class="num">{T::Cost.get(l)}</th><th class="num">{T::Price.get(l)}</th><th class="num">{T::Margin.get(l)}</th></tr></thead>
                        <tbody>{d.preview.iter().filter(|p| p.cost.is_some()).map(|p| view! {
                            <tr class:row-warning=p.below_cost>
                                <td>{p.market.clone()}</td><td>{p.category.clone()}</td>
                                <td class="num mono">{p.cost.clone()}</td><td class="num mono">{p.price.clone()}</td>
                                <td class="num mono">{p.margin.clone()} {p.below_cost.then(|| view! { " " <span class="badge badge-red">{T::BelowCost.get(l)}</span> })}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
        </div>
    }
}

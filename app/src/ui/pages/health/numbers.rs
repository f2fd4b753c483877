//! A tenant's numbers: quality, messaging limits, status.

use super::common::tenant_param;
use crate::{
    api::health::number_health,
    contract::NumbersOverview,
    domain::messaging_tier::Tier,
    i18n::T,
    ui::components::{fmt_time, quality_badge, remaining, t, use_locale, ErrorView},
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/tenants/:id/numbers`: each number's status, quality, limit and upgrade progress; the
/// accounts' limits and restrictions; open conversation windows.
#[component]
pub fn NumbersPage() -> impl IntoView {
    let data = Resource::new(tenant_param, number_health);
    view! {
        <Title text=t(T::NumbersAndLimits) />
        <div class="page-header"><h1>{t(T::NumbersAndLimits)}</h1></div>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(h) => view! { <NumbersView h /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NumbersView(h: NumbersOverview) -> impl IntoView {
    let l = use_locale();
    let tenant = tenant_param();
    view! {
        <div class="table-wrap"><table class="table" data-testid="numbers">
            <thead><tr><th>{T::PhoneNumber.get(l)}</th><th>{T::Status.get(l)}</th><th>{T::Quality.get(l)}</th><th>{T::MessagingLimit.get(l)}</th><th>{T::UpgradeProgress.get(l)}</th><th>{T::DisplayNameStatus.get(l)}</th><th></th></tr></thead>
            <tbody>{h.numbers.iter().map(|n| {
                let status = n.status.clone().unwrap_or_else(|| "CONNECTED".into());
                let class = match status.as_str() { "CONNECTED" => "badge badge-green", "FLAGGED" => "badge badge-yellow", _ => "badge badge-red" };
                let deadline = n.flag_deadline.map(|d| (fmt_time(d), remaining(h.as_of, d)));
                let progress = n.upgrade.map(|u| (u.percent(), u.unique_users_7d, u.needed, u.next));
                view! {
                    <tr>
                        <td><strong>{n.number.clone()}</strong><div class="muted small">{n.display_name.clone()}</div></td>
                        <td><span class=class>{status.to_lowercase()}</span>
                            {deadline.map(|(d, left)| view! { <div class="small" data-testid="flag-deadline">{T::FlagDeadline.fill(l, &[&d])} {left.map(|x| format!(" ({x})"))}</div> })}
                            {(n.throughput.as_deref() == Some("HIGH")).then(|| view! { <div class="muted small">{T::HighThroughput.get(l)}</div> })}
                        </td>
                        <td>{n.quality.clone().map(|q| view! { <span class=quality_badge(&q)>{q.to_lowercase()}</span> })}</td>
                        <td>{n.tier_label.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{match progress {
                            Some((pct, users, Some(needed), Some(next))) => view! {
                                <div class="progress" title=format!("{users} / {needed}")><div class="progress-bar" style=format!("width:{pct}%")></div></div>
                                <div class="muted small">{T::UsersTowards.fill(l, &[&users.to_string(), &needed.to_string(), &next.label()])}</div>
                            }.into_any(),
                            _ => view! { <span class="muted small">{T::NoAutomaticUpgrade.get(l)}</span> }.into_any(),
                        }}</td>
                        <td>{n.name_decision.clone().map(|d| view! { <span class="small">{d.to_lowercase()} {n.name_rejection.clone().map(|r| format!(" — {r}"))}</span> })}</td>
                        <td><a class="btn btn-ghost btn-sm" href=format!("/tenants/{tenant}/numbers/{}/profile", n.id)>{T::Profile.get(l)}</a></td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
        <h2>{T::Accounts.get(l)}</h2>
        <div class="table-wrap"><table class="table" data-testid="accounts">
            <thead><tr><th>"WABA"</th><th>{T::PortfolioLimit.get(l)}</th><th>{T::Restrictions.get(l)}</th><th>{T::LastEvent.get(l)}</th></tr></thead>
            <tbody>{h.accounts.iter().map(|a| view! {
                <tr>
                    <td class="mono">{a.waba_id.clone()}</td>
                    <td>{a.portfolio_limit.as_deref().and_then(Tier::parse_str).map(Tier::label).unwrap_or_else(|| "—".into())}</td>
                    <td class="small">
                        {a.ban_state.clone().map(|b| view! { <div><span class="badge badge-red">{b.replace('_', " ").to_lowercase()}</span> " " {a.ban_date.clone()}</div> })}
                        {a.violation.clone().map(|v| view! { <div>{T::Violation.get(l)} ": " {v}</div> })}
                        {a.restrictions.iter().map(|(r, until)| view! { <div>{r.clone()} {until.map(|u| format!(" — {}", fmt_time(u)))}</div> }).collect_view()}
                    </td>
                    <td class="small mono">{a.last_event.clone()}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
        <h2>{T::OpenConversations.get(l)} " (" {h.open_windows.len()} ")"</h2>
        <p class="muted small">{T::UniqueUsers7d.fill(l, &[&h.unique_users_7d.to_string()])}</p>
        {(!h.open_windows.is_empty()).then(|| view! {
            <div class="table-wrap"><table class="table small" data-testid="windows">
                <thead><tr><th>{T::PhoneNumber.get(l)}</th><th>{T::User.get(l)}</th><th>{T::ServiceWindowCloses.get(l)}</th><th>{T::FreeWindowCloses.get(l)}</th></tr></thead>
                <tbody>{h.open_windows.iter().map(|w| view! {
                    <tr><td>{w.number.clone()}</td><td class="mono">{w.user.clone()} "…"</td><td>{w.csw_closes.map(fmt_time)}</td><td>{w.fep_closes.map(fmt_time)}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        })}
    }
}

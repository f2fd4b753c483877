//! What the platform reports: a template's state at WhatsApp (with the pause countdown and
//! what happens next), the tenant's numbers and limits, alerts, and the event log for staff.

use crate::ui::components::succeeded;
use crate::{
    api::health::{
        event_log, get_alert_prefs, list_alerts, list_all_alerts, number_health, unmatched_events,
        ReplayEvent, SetAlertPrefs, SetAlertStatus,
    },
    contract::{AlertView, EventPage, NumbersOverview, TemplateAtPlatform},
    domain::{
        alert::{AlertKind, Severity},
        messaging_tier::Tier,
    },
    i18n::{alert_kind_text, severity_text, T},
    ui::components::{action_error, fmt_time, t, use_locale, ErrorView, FormError},
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "2 h 05 min" from `now` to `then` (nothing if past).
pub fn remaining(now: DateTime<Utc>, then: DateTime<Utc>) -> Option<String> {
    let secs = (then - now).num_seconds();
    if secs <= 0 {
        return None;
    }
    // Whole minutes, rounded up: "1 min" until the very end.
    let mins = (secs + 59) / 60;
    let (d, h, m) = (mins / 1_440, (mins % 1_440) / 60, mins % 60);
    Some(if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min")
    })
}

fn quality_badge(q: &str) -> &'static str {
    match q {
        "GREEN" => "badge badge-green",
        "YELLOW" => "badge badge-yellow",
        "RED" => "badge badge-red",
        _ => "badge badge-gray",
    }
}

fn severity_badge(s: &str) -> &'static str {
    match s {
        "critical" => "badge badge-red",
        "warning" => "badge badge-yellow",
        _ => "badge badge-blue",
    }
}

/// The template's state at WhatsApp, shown on its page once it was sent.
#[component]
pub fn HealthCard(h: TemplateAtPlatform) -> impl IntoView {
    let l = use_locale();
    let status = h.status.map(super::templates::status_badge);
    let next = match h.outlook.as_deref() {
        Some("first_pause") => Some(T::NextAfterFirstPause),
        Some("second_pause") => Some(T::NextAfterSecondPause),
        Some("rate_limited") => Some(T::NextRateLimited),
        Some("disabled") => Some(T::NextDisabled),
        _ => None,
    };
    let countdown = h.paused_until.map(|u| (fmt_time(u), remaining(h.as_of, u)));
    view! {
        <section class="card card-spaced" data-testid="platform-health">
            <div class="card-header"><h2>{T::AtWhatsApp.get(l)}</h2></div>
            <div class="card-body">
                <dl class="facts">
                    <dt>{T::Status.get(l)}</dt>
                    <dd>{status.map(|(class, label)| view! { <span class=class data-testid="platform-status">{label}</span> })}
                        {h.status_at.map(|a| view! { <span class="muted small">" " {fmt_time(a)}</span> })}</dd>
                    <dt>{T::Quality.get(l)}</dt>
                    <dd>{match h.quality.clone() {
                        Some(q) => view! { <span class=quality_badge(&q) data-testid="quality">{q.to_lowercase()}</span> }.into_any(),
                        None => view! { <span class="muted">{T::QualityPending.get(l)}</span> }.into_any(),
                    }}</dd>
                    {(h.pause_count > 0).then(|| view! { <dt>{T::Pauses.get(l)}</dt><dd>{h.pause_count}</dd> })}
                </dl>
                {countdown.map(|(until, left)| view! {
                    <p class="flash flash-warning" data-testid="countdown">
                        {T::PausedUntil.fill(l, &[&until])}
                        {left.map(|x| view! { " — " <strong>{T::TimeLeft.fill(l, &[&x])}</strong> })}
                    </p>
                })}
                {h.disable_date.map(|d| view! { <p class="flash flash-error" data-testid="disabled-on">{T::DisabledOn.fill(l, &[&fmt_time(d)])}</p> })}
                {next.map(|n| view! { <p data-testid="what-next"><strong>{T::WhatHappensNext.get(l)} ": "</strong>{n.get(l)}</p> })}
                {h.rejection_reason.clone().map(|r| view! { <p><strong>{T::Reason.get(l)} ": "</strong><span class="mono">{r}</span></p> })}
                {h.rejection_detail.clone().map(|r| view! { <p>{r}</p> })}
                {h.recommendation.clone().map(|r| view! { <p class="muted">{T::Recommendation.get(l)} ": " {r}</p> })}
                {h.description.clone().map(|r| view! { <p class="muted">{r}</p> })}
                {h.pending_category.clone().map(|c| view! {
                    <p class="flash flash-info" data-testid="pending-category">
                        {T::CategoryWillChange.fill(l, &[&h.category.to_lowercase(), &c.to_lowercase(), &h.category_change_at.map(fmt_time).unwrap_or_default()])}
                    </p>
                })}
                {(!h.history.is_empty()).then(|| view! {
                    <details>
                        <summary>{T::PlatformHistory.get(l)} " (" {h.history.len()} ")"</summary>
                        <table class="table small">
                            <tbody>{h.history.iter().map(|e| view! {
                                <tr><td class="nowrap">{fmt_time(e.at)}</td><td>{e.kind.clone()}</td><td class="mono">{e.value.clone()}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </details>
                })}
            </div>
        </section>
    }
}

fn tenant_param() -> String {
    use_params_map().read().get("id").unwrap_or_default()
}

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

fn alert_title(kind: &str, l: crate::domain::locale::Locale) -> String {
    AlertKind::parse(kind)
        .map(|k| alert_kind_text(k).get(l).to_owned())
        .unwrap_or_else(|| kind.to_owned())
}

fn severity_label(s: &str, l: crate::domain::locale::Locale) -> String {
    Severity::parse(s)
        .map(|v| severity_text(v).get(l).to_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// `/tenants/:id/alerts`: open, acknowledged and resolved alerts; the user's email preferences.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let act = ServerAction::<SetAlertStatus>::new();
    let prefs = ServerAction::<SetAlertPrefs>::new();
    let status = move || {
        use_query_map()
            .read()
            .get("status")
            .unwrap_or_else(|| "open".into())
    };
    let (act_done, prefs_done) = (succeeded(act), succeeded(prefs));
    let data = Resource::new(
        move || (tenant_param(), status(), act_done.get()),
        |(tenant, status, _)| list_alerts(tenant, status),
    );
    let my = Resource::new(
        move || (tenant_param(), prefs_done.get()),
        |(tenant, _)| get_alert_prefs(tenant),
    );
    let error = action_error(act);
    let prefs_error = action_error(prefs);
    view! {
        <Title text=t(T::Alerts) />
        <div class="page-header"><h1>{t(T::Alerts)}</h1></div>
        <StatusTabs base=format!("/tenants/{}/alerts", tenant_param()) current=Signal::derive(status) />
        <FormError error=error />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! { <AlertTable rows act with_tenant=false /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <div class="card-header"><h2>{t(T::MyAlertEmails)}</h2></div>
            <div class="card-body">
                <p class="muted small">{t(T::MyAlertEmailsHint)}</p>
                <FormError error=prefs_error />
                <Suspense>
                    {move || Suspend::new(async move {
                        let l = use_locale();
                        let p = match my.await {
                            Ok(p) => p,
                            Err(e) => return view! { <ErrorView error=e /> }.into_any(),
                        };
                        let choice = move |name: &'static str, current: String, allow_off: bool| {
                            let options: Vec<(&str, T)> = [("immediate", T::Immediately), ("digest", T::DailyDigest), ("off", T::Off)].into_iter().filter(|(v, _)| allow_off || *v != "off").collect();
                            view! {
                                <select name=name id=format!("pref-{name}")>
                                    {options.into_iter().map(|(v, label)| view! { <option value=v selected=current == v>{label.get(l)}</option> }).collect_view()}
                                </select>
                            }
                        };
                        view! {
                            <ActionForm action=prefs attr:class="stack" attr:data-testid="alert-prefs">
                                <input type="hidden" name="tenant" value=tenant_param() />
                                <label class="checkbox"><input type="checkbox" name="subscribed" value="1" checked=p.subscribed /> " " {T::EmailMeAlerts.get(l)}</label>
                                <div class="row">
                                    <label for="pref-critical">{T::SevCritical.get(l)}</label>{choice("critical", p.critical.clone(), false)}
                                    <label for="pref-warning">{T::SevWarning.get(l)}</label>{choice("warning", p.warning.clone(), true)}
                                    <label for="pref-info">{T::SevInfo.get(l)}</label>{choice("info", p.info.clone(), true)}
                                </div>
                                <p class="muted small">{T::CriticalCannotBeMuted.get(l)}</p>
                                <div><button type="submit" class="btn btn-primary">{T::Save.get(l)}</button></div>
                            </ActionForm>
                        }.into_any()
                    })}
                </Suspense>
            </div>
        </section>
    }
}

#[component]
fn StatusTabs(base: String, current: Signal<String>) -> impl IntoView {
    let l = use_locale();
    view! {
        <nav class="tabs">
            {[("open", T::OpenAlerts), ("acknowledged", T::Acknowledged), ("resolved", T::Resolved), ("", T::All)].into_iter().map(|(s, label)| {
                let href = if s.is_empty() { format!("{base}?status=") } else { format!("{base}?status={s}") };
                let active = move || current.get() == s;
                view! { <a href=href aria-current=move || active().then_some("page")>{label.get(l)}</a> }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn AlertTable(
    rows: Vec<AlertView>,
    act: ServerAction<SetAlertStatus>,
    with_tenant: bool,
) -> impl IntoView {
    let l = use_locale();
    if rows.is_empty() {
        return view! { <div class="empty"><h3>{T::NoAlerts.get(l)}</h3></div> }.into_any();
    }
    view! {
        <div class="table-wrap"><table class="table" data-testid="alerts">
            <thead><tr><th>{T::Opened.get(l)}</th>{with_tenant.then(|| view! { <th>{T::Tenant.get(l)}</th> })}<th>{T::Severity.get(l)}</th><th>{T::Alert.get(l)}</th><th>{T::Status.get(l)}</th><th></th></tr></thead>
            <tbody>{rows.into_iter().map(|a| {
                let open = a.status == "open";
                let active = a.status != "resolved";
                let (tenant, id) = (a.tenant.clone(), a.id.clone());
                let (tenant2, id2) = (a.tenant.clone(), a.id.clone());
                view! {
                    <tr>
                        <td class="nowrap">{fmt_time(a.opened_at)}</td>
                        {with_tenant.then(|| view! { <td><a href=format!("/tenants/{}/alerts", a.tenant)>{a.tenant_name.clone().unwrap_or_default()}</a></td> })}
                        <td><span class=severity_badge(&a.severity)>{severity_label(&a.severity, l)}</span></td>
                        <td><a href=a.link.clone()><strong>{alert_title(&a.kind, l)}</strong></a> " · " {a.subject.clone()}
                            <div class="muted small">{a.detail.clone()}</div></td>
                        <td class="small">{a.status.clone()}
                            {a.acknowledged_by.clone().map(|b| view! { <div class="muted">{T::By.get(l)} " " {b}</div> })}
                            {a.resolution.clone().map(|r| view! { <div class="muted" data-testid="resolution">{T::ResolvedBy.fill(l, &[&r])}</div> })}</td>
                        <td class="nowrap">{active.then(|| view! {
                            {open.then(|| view! {
                                <ActionForm action=act attr:class="inline">
                                    <input type="hidden" name="tenant" value=tenant2.clone() />
                                    <input type="hidden" name="id" value=id2.clone() />
                                    <button type="submit" class="btn btn-secondary btn-sm">{T::Acknowledge.get(l)}</button>
                                </ActionForm>
                            })}
                            <ActionForm action=act attr:class="inline">
                                <input type="hidden" name="tenant" value=tenant.clone() />
                                <input type="hidden" name="id" value=id.clone() />
                                <input type="hidden" name="resolve" value="1" />
                                <button type="submit" class="btn btn-ghost btn-sm">{T::Resolve.get(l)}</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
    }
    .into_any()
}

/// `/alerts`: every tenant's alerts (staff).
#[component]
pub fn StaffAlertsPage() -> impl IntoView {
    let act = ServerAction::<SetAlertStatus>::new();
    let status = move || {
        use_query_map()
            .read()
            .get("status")
            .unwrap_or_else(|| "open".into())
    };
    let act_done = succeeded(act);
    let data = Resource::new(
        move || (status(), act_done.get()),
        |(status, _)| list_all_alerts(status),
    );
    let error = action_error(act);
    view! {
        <Title text=t(T::Alerts) />
        <div class="page-header"><h1>{t(T::AlertsAllTenants)}</h1></div>
        <StatusTabs base="/alerts".into() current=Signal::derive(status) />
        <FormError error=error />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) => view! { <AlertTable rows act with_tenant=true /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/tenants/:id/events` (a tenant's platform events) and `/admin/events` (unmatched ones):
/// searchable, with the raw JSON, the processing result, and replay for admins.
#[component]
pub fn EventLogPage() -> impl IntoView {
    let replay = ServerAction::<ReplayEvent>::new();
    let q = move |k: &str| use_query_map().read().get(k).unwrap_or_default();
    let replayed = succeeded(replay);
    let data = Resource::new(
        move || {
            (
                tenant_param(),
                q("field"),
                q("status"),
                q("q"),
                q("page"),
                replayed.get(),
            )
        },
        |(tenant, field, status, search, page, _)| async move {
            if tenant.is_empty() {
                unmatched_events(field, status, search, page).await
            } else {
                event_log(tenant, field, status, search, page).await
            }
        },
    );
    let error = action_error(replay);
    let unmatched = tenant_param().is_empty();
    view! {
        <Title text=t(T::EventLog) />
        <div class="page-header"><h1>{if unmatched { t(T::UnmatchedEvents) } else { t(T::EventLog) }}</h1></div>
        <form method="get" class="filters row">
            <input type="search" name="q" value=q("q") placeholder=t(T::SearchEvents) aria-label=t(T::SearchEvents) />
            <input type="text" name="field" value=q("field") placeholder="field" aria-label="field" />
            {(!unmatched).then(|| view! {
                <select name="status" aria-label=t(T::Status)>
                    {["", "pending", "applied", "ignored", "unmatched", "failed"].into_iter().map(|s| view! { <option value=s selected=q("status") == s>{if s.is_empty() { "—" } else { s }}</option> }).collect_view()}
                </select>
            })}
            <button type="submit" class="btn btn-secondary">{t(T::Search)}</button>
        </form>
        <FormError error=error />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <EventTable p replay /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EventTable(p: EventPage, replay: ServerAction<ReplayEvent>) -> impl IntoView {
    let l = use_locale();
    if p.rows.is_empty() {
        return view! { <div class="empty"><h3>{T::NothingHere.get(l)}</h3></div> }.into_any();
    }
    let pages = p.total.div_ceil(p.per_page).max(1);
    view! {
        <p class="muted small">{T::EventsTotal.fill(l, &[&p.total.to_string()])}</p>
        <div class="table-wrap"><table class="table" data-testid="events">
            <thead><tr><th>{T::Received.get(l)}</th><th>"field"</th><th>{T::Status.get(l)}</th><th>{T::Result.get(l)}</th><th></th></tr></thead>
            <tbody>{p.rows.into_iter().map(|r| {
                let badge = match r.status.as_str() { "applied" => "badge badge-green", "failed" => "badge badge-red", "unmatched" | "ignored" => "badge badge-yellow", _ => "badge badge-blue" };
                let pretty = serde_json::from_str::<serde_json::Value>(&r.payload).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or(r.payload.clone());
                view! {
                    <tr>
                        <td class="nowrap">{fmt_time(r.received_at)}<div class="muted small">{r.time.map(fmt_time)}</div></td>
                        <td class="mono small">{r.field.clone()}</td>
                        <td><span class=badge>{r.status.clone()}</span>{(r.attempts > 0).then(|| view! { <div class="muted small">{T::Attempts.get(l)} " " {r.attempts}</div> })}</td>
                        <td class="small">{r.result.clone()}<details><summary>"JSON"</summary><pre class="mono small">{pretty}</pre></details></td>
                        <td>{(r.status != "pending").then(|| view! {
                            <ActionForm action=replay attr:class="inline">
                                <input type="hidden" name="tenant" value=r.tenant.clone().unwrap_or_default() />
                                <input type="hidden" name="id" value=r.id.clone() />
                                <button type="submit" class="btn btn-secondary btn-sm">{T::Replay.get(l)}</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table></div>
        {(pages > 1).then(|| view! { <p class="muted small">{T::PageOf.fill(l, &[&p.page.to_string(), &pages.to_string()])}</p> })}
    }
    .into_any()
}

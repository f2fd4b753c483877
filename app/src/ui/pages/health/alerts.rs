//! Alerts: a tenant's, and every tenant's for staff; who gets them.

use super::common::{alert_title, severity_badge, severity_label, tenant_param};
use crate::ui::components::succeeded;
use crate::{
    api::health::{get_alert_prefs, list_alerts, list_all_alerts, SetAlertPrefs, SetAlertStatus},
    contract::AlertView,
    i18n::T,
    ui::components::{action_error, fmt_time, t, use_locale, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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

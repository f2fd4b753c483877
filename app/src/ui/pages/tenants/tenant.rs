//! A tenant's page: details, WhatsApp assets, users and invitations, and (for staff)
//! suspension and phone-number registration. Tenant users see only their own tenant.

use crate::ui::components::succeeded;
use crate::{
    api::tenants::{
        get_tenant, AddPhoneNumber, InviteUser, RemoveMember, ResendInvitation, RevokeInvitation,
        SetMemberRole, SetTenantGraphToken, SetTenantStatus, SetWabaTimeZone,
    },
    contract::{Me, TenantDetail},
    domain::{
        roles::TenantRole,
        tenant::{country_name, TenantStatus},
    },
    i18n::{tenant_role_text, T},
    ui::components::{
        action_error, action_ok, fmt_time, reset_on_ok, use_locale, ErrorView, Field, Flash,
        FormError, SelectField, StatusBadge,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
struct Actions {
    status: ServerAction<SetTenantStatus>,
    phone: ServerAction<AddPhoneNumber>,
    invite: ServerAction<InviteUser>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    role: ServerAction<SetMemberRole>,
    remove: ServerAction<RemoveMember>,
    token: ServerAction<SetTenantGraphToken>,
    tz: ServerAction<SetWabaTimeZone>,
}

#[component]
pub fn TenantPage() -> impl IntoView {
    let a = Actions {
        status: ServerAction::new(),
        phone: ServerAction::new(),
        invite: ServerAction::new(),
        resend: ServerAction::new(),
        revoke: ServerAction::new(),
        role: ServerAction::new(),
        remove: ServerAction::new(),
        token: ServerAction::new(),
        tz: ServerAction::new(),
    };
    let id = move || use_params_map().read().get("id").unwrap_or_default();
    let done = [
        succeeded(a.status),
        succeeded(a.phone),
        succeeded(a.invite),
        succeeded(a.resend),
        succeeded(a.revoke),
        succeeded(a.role),
        succeeded(a.remove),
        succeeded(a.token),
        succeeded(a.tz),
    ];
    let data = Resource::new(
        move || (id(), done.map(|d| d.get())),
        |(id, ..)| get_tenant(id),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Detail d a /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: TenantDetail, a: Actions) -> impl IntoView {
    let l = use_locale();
    let id = d.id.to_string();
    let is_staff = use_context::<crate::contract::Me>().is_some_and(|me| me.staff_role.is_some());
    let next_status = match d.status {
        TenantStatus::Active => ("suspended", T::Suspend, "btn btn-danger"),
        TenantStatus::Suspended => ("active", T::Reactivate, "btn btn-secondary"),
    };
    view! {
        <Title text=d.display_name.clone() />
        <div class="page-header">
            <div>
                <h1>{d.display_name.clone()} " " <StatusBadge status=d.status /></h1>
                <p class="subtitle muted">{d.legal_name.clone()}</p>
            </div>
            <div class="actions row">
                <a class="btn btn-ghost" href=format!("/tenants/{}/templates", d.id)>{T::Templates.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/tenants/{}/compliance", d.id)>{T::Compliance.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/tenants/{}/numbers", d.id)>{T::NumbersAndLimits.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/tenants/{}/alerts", d.id)>{T::Alerts.get(l)}</a>
                <a class="btn btn-ghost" href=format!("/tenants/{}/billing", d.id)>{T::Billing.get(l)}</a>
                {is_staff.then(|| view! { <a class="btn btn-ghost" href=format!("/tenants/{}/events", d.id)>{T::EventLog.get(l)}</a> })}
                {d.can.manage_users.then(|| view! {
                    <a class="btn btn-ghost" href=format!("/audit?tenant={}", d.id)>{T::AuditLog.get(l)}</a>
                })}
                {d.can.manage_tenant.then(|| view! {
                    <a class="btn btn-secondary" href=format!("/tenants/{}/edit", d.id)>{T::Edit.get(l)}</a>
                    <ActionForm action=a.status>
                        <input type="hidden" name="id" value=id.clone() />
                        <input type="hidden" name="status" value=next_status.0 />
                        <button type="submit" class=next_status.2>{next_status.1.get(l)}</button>
                    </ActionForm>
                })}
            </div>
        </div>
        <Flash />
        <div class="stack">
        <div class="grid-2">
            <section class="card">
                <div class="card-header"><h2>{T::Details.get(l)}</h2></div>
                <div class="card-body">
                    <dl class="kv">
                        <dt>{T::Country.get(l)}</dt><dd>{country_name(&d.country)} " (" {d.country.clone()} ")"</dd>
                        <dt>{T::DefaultLocale.get(l)}</dt><dd>{d.locale.code()}</dd>
                        <dt>{T::Currency.get(l)}</dt><dd>{d.currency.clone()}</dd>
                        <dt>{T::BillingEmail.get(l)}</dt><dd>{d.billing_email.clone()}</dd>
                        <dt>{T::AlertEmails.get(l)}</dt><dd>{d.alert_emails.join(", ")}</dd>
                        <dt>{T::AccountManager.get(l)}</dt><dd>{d.account_manager.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>{T::Wabas.get(l)}</dt><dd class="mono" data-testid="wabas">{d.wabas.iter().map(|w| format!("{} ({})", w.waba_id, w.time_zone)).collect::<Vec<_>>().join(", ")}</dd>
                        <dt>{T::Created.get(l)}</dt><dd>{fmt_time(d.created_at)}</dd>
                    </dl>
                </div>
            </section>
            <PhoneNumbers d=d.clone() a />
        </div>
        <Users d=d.clone() a />
        {d.can.manage_tenant.then(|| view! { <div class="grid-2"><WabaTimeZone d=d.clone() a /><GraphToken d=d.clone() a /></div> })}
        </div>
    }
}

#[component]
fn PhoneNumbers(d: TenantDetail, a: Actions) -> impl IntoView {
    let l = use_locale();
    let error = action_error(a.phone);
    let form = NodeRef::new();
    reset_on_ok(a.phone, form);
    let wabas: Vec<(String, String)> = d
        .wabas
        .iter()
        .map(|w| (w.id.to_string(), w.waba_id.clone()))
        .collect();
    view! {
        <section class="card" data-testid="phone-numbers">
            <div class="card-header"><h2>{T::PhoneNumbers.get(l)}</h2></div>
            <div class="card-body">
                {if d.phone_numbers.is_empty() {
                    view! { <div class="empty"><h3>{T::NoPhoneNumbers.get(l)}</h3><p>{T::NoPhoneNumbersHint.get(l)}</p></div> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="table">
                            <thead><tr><th>{T::PhoneNumber.get(l)}</th><th>{T::DisplayName.get(l)}</th><th>{T::PhoneNumberId.get(l)}</th><th></th></tr></thead>
                            <tbody>{d.phone_numbers.iter().map(|p| view! {
                                <tr><td class="mono nowrap">{p.number.clone()} " " <span class="badge badge-gray">{p.country.clone()}</span></td><td>{p.display_name.clone()}</td><td class="mono">{p.phone_number_id.clone()}</td><td><a href=format!("/tenants/{}/numbers/{}/profile", d.id, p.id)>{T::Profile.get(use_locale())}</a></td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                {d.can.manage_tenant.then(|| view! {
                    <h3>{T::AddPhoneNumber.get(l)}</h3>
                    <ActionForm action=a.phone node_ref=form attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <input type="hidden" name="tenant" value=d.id.to_string() />
                        <WabaChoice wabas=wabas.clone() error />
                        <Field label=T::PhoneNumber name="number" kind="tel" error=error hint=T::PhoneNumberHint required=true />
                        <div class="form-grid">
                            <Field label=T::PhoneNumberId name="phone_number_id" error=error required=true />
                            <Field label=T::DisplayName name="display_name" error=error required=true />
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">{T::AddPhoneNumber.get(l)}</button></div>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

/// The `waba` field of a form: hidden with one WABA, a choice with several.
#[component]
fn WabaChoice(
    wabas: Vec<(String, String)>,
    #[prop(into)] error: Signal<Option<crate::contract::AppError>>,
) -> impl IntoView {
    if wabas.len() == 1 {
        view! { <input type="hidden" name="waba" value=wabas.first().map(|w| w.0.clone()).unwrap_or_default() /> }.into_any()
    } else {
        view! { <SelectField label=T::Wabas name="waba" error=error options=wabas /> }.into_any()
    }
}

/// Staff: the time zone a WABA's messages are dated in (days, months, invoices).
#[component]
fn WabaTimeZone(d: TenantDetail, a: Actions) -> impl IntoView {
    let l = use_locale();
    let error = action_error(a.tz);
    let wabas: Vec<(String, String)> = d
        .wabas
        .iter()
        .map(|w| (w.id.to_string(), format!("{} ({})", w.waba_id, w.time_zone)))
        .collect();
    let current = d
        .wabas
        .first()
        .map(|w| w.time_zone.clone())
        .unwrap_or_default();
    view! {
        <section class="card" data-testid="waba-time-zone">
            <div class="card-header"><h2>{T::WabaTimeZones.get(l)}</h2></div>
            <div class="card-body">
                <ActionForm action=a.tz attr:class="form" attr:novalidate="">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <input type="hidden" name="tenant" value=d.id.to_string() />
                    <WabaChoice wabas=wabas.clone() error />
                    <Field label=T::TimeZone name="time_zone" error=error hint=T::TimeZoneHint value=current required=true />
                    <div class="form-actions"><button type="submit" class="btn btn-secondary">{T::Save.get(l)}</button></div>
                </ActionForm>
            </div>
        </section>
    }
}

/// Staff admins: the tenant's own token for the platform (write-only).
#[component]
fn GraphToken(d: TenantDetail, a: Actions) -> impl IntoView {
    let l = use_locale();
    let error = action_error(a.token);
    let form = NodeRef::new();
    reset_on_ok(a.token, form);
    view! {
        <section class="card" data-testid="graph-token">
            <div class="card-header"><h2>{T::GraphToken.get(l)}</h2></div>
            <div class="card-body">
                <p class="muted small">{if d.graph_token_set { T::GraphTokenSet.get(l) } else { T::GraphTokenUnset.get(l) }}</p>
                <ActionForm action=a.token node_ref=form attr:class="form" attr:novalidate="">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <input type="hidden" name="id" value=d.id.to_string() />
                    <Field label=T::GraphToken name="token" kind="password" error=error hint=T::GraphTokenHint required=false />
                    {d.graph_token_set.then(|| view! { <label class="checkbox"><input type="checkbox" name="clear" value="1" /> " " {T::ClearToken.get(l)}</label> })}
                    <div class="form-actions"><button type="submit" class="btn btn-secondary">{T::Save.get(l)}</button></div>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn Users(d: TenantDetail, a: Actions) -> impl IntoView {
    let l = use_locale();
    let error = action_error(a.invite);
    let invited = action_ok(a.invite);
    let form = NodeRef::new();
    reset_on_ok(a.invite, form);
    let roles: Vec<(String, String)> = TenantRole::ALL
        .into_iter()
        .filter(|r| d.can.invite_owner || *r != TenantRole::Owner)
        .map(|r| (r.code().to_owned(), tenant_role_text(r).get(l).to_owned()))
        .collect();
    let tenant = d.id.to_string();
    view! {
        <section class="card" data-testid="users">
            <div class="card-header"><h2>{T::Users.get(l)}</h2></div>
            <div class="card-body">
                {if d.members.is_empty() {
                    view! { <div class="empty"><h3>{T::NoUsers.get(l)}</h3><p>{T::NoUsersHint.get(l)}</p></div> }.into_any()
                } else {
                    let me = use_context::<Me>().map(|m| m.id);
                    let manage = d.can.manage_users;
                    let staff = d.can.invite_owner;
                    let member_error = Signal::derive(move || action_error(a.role).get().or_else(|| action_error(a.remove).get()));
                    view! {
                        <FormError error=member_error />
                        <div class="table-wrap"><table class="table" data-testid="members">
                            <thead><tr><th>{T::Name.get(l)}</th><th>{T::Email.get(l)}</th><th>{T::Role.get(l)}</th><th></th></tr></thead>
                            <tbody>{d.members.iter().map(|m| {
                                // Owners manage editors and viewers; other owners only staff.
                                let editable = manage && Some(m.user_id) != me && (staff || m.role != TenantRole::Owner);
                                let uid = m.user_id.to_string();
                                let options: Vec<(String, String)> = TenantRole::ALL.into_iter()
                                    .filter(|r| staff || *r != TenantRole::Owner)
                                    .map(|r| (r.code().to_owned(), tenant_role_text(r).get(l).to_owned()))
                                    .collect();
                                let current = m.role;
                                let (t1, t2, u1, u2) = (tenant.clone(), tenant.clone(), uid.clone(), uid);
                                view! {
                                    <tr>
                                        <td>{m.name.clone()}</td>
                                        <td>{m.email.clone()}</td>
                                        <td>{if editable {
                                            view! {
                                                <ActionForm action=a.role attr:class="row">
                                                    <input type="hidden" name="tenant" value=t1 />
                                                    <input type="hidden" name="user" value=u1.clone() />
                                                    <label class="sr-only" for=format!("member-role-{u1}")>{T::Role.get(l)}</label>
                                                    <select id=format!("member-role-{u1}") name="role">
                                                        {options.into_iter().map(|(v, label)| { let sel = v == current.code(); view! { <option value=v selected=sel>{label}</option> } }).collect_view()}
                                                    </select>
                                                    <button type="submit" class="btn btn-secondary btn-small">{T::ChangeRole.get(l)}</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! { <span>{tenant_role_text(current).get(l)}</span> }.into_any()
                                        }}</td>
                                        <td class="text-right">{editable.then(|| view! {
                                            <ActionForm action=a.remove>
                                                <input type="hidden" name="tenant" value=t2 />
                                                <input type="hidden" name="user" value=u2 />
                                                <button type="submit" class="btn btn-ghost btn-small">{T::Remove.get(l)}</button>
                                            </ActionForm>
                                        })}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                {d.can.manage_users.then(|| { let tenant2 = tenant.clone(); view! {
                    {(!d.invitations.is_empty()).then(|| view! {
                        <h3>{T::Invitations.get(l)}</h3>
                        <div class="table-wrap"><table class="table" data-testid="invitations">
                            <thead><tr><th>{T::Email.get(l)}</th><th>{T::Role.get(l)}</th><th>{T::Expires.get(l)}</th><th></th></tr></thead>
                            <tbody>{d.invitations.iter().map(|i| {
                                let inv = i.id.to_string();
                                let inv2 = inv.clone();
                                let (t1, t2) = (tenant2.clone(), tenant2.clone());
                                view! {
                                    <tr>
                                        <td>{i.email.clone()}</td>
                                        <td>{tenant_role_text(i.role).get(l)}</td>
                                        <td class="nowrap">{fmt_time(i.expires_at)}</td>
                                        <td class="text-right"><div class="row">
                                            <ActionForm action=a.resend>
                                                <input type="hidden" name="tenant" value=t1 />
                                                <input type="hidden" name="invitation" value=inv2 />
                                                <button type="submit" class="btn btn-secondary btn-small">{T::Resend.get(l)}</button>
                                            </ActionForm>
                                            <ActionForm action=a.revoke>
                                                <input type="hidden" name="tenant" value=t2 />
                                                <input type="hidden" name="invitation" value=inv />
                                                <button type="submit" class="btn btn-ghost btn-small">{T::Revoke.get(l)}</button>
                                            </ActionForm>
                                        </div></td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table></div>
                    })}
                    <h3>{T::InviteUser.get(l)}</h3>
                    {move || invited.get().then(|| view! { <div class="flash flash-success" role="status">{T::FlashInvited.get(l)}</div> })}
                    <ActionForm action=a.invite node_ref=form attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <input type="hidden" name="tenant" value=tenant.clone() />
                        <div class="form-grid">
                            <Field label=T::Email name="email" kind="email" error=error required=true />
                            <SelectField label=T::Role name="role" error=error options=roles.clone() />
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">{T::Invite.get(l)}</button></div>
                    </ActionForm>
                }})}
            </div>
        </section>
    }
}

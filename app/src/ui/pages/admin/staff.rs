//! Admins: the BSP's staff — roles, disabling, invitations.

use crate::ui::components::succeeded;
use crate::{
    api::staff::{get_staff, InviteStaff, RevokeStaffInvitation, SetStaffDisabled, SetStaffRole},
    domain::roles::StaffRole,
    i18n::{staff_role_text, T},
    ui::components::{
        action_error, action_ok, fmt_time, reset_on_ok, t, use_locale, ErrorView, Field, FormError,
        SelectField,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffPage() -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let revoke = ServerAction::<RevokeStaffInvitation>::new();
    let role = ServerAction::<SetStaffRole>::new();
    let disable = ServerAction::<SetStaffDisabled>::new();
    let reset_2fa = ServerAction::<crate::api::auth::ResetTwoFactor>::new();
    let done = [
        succeeded(invite),
        succeeded(revoke),
        succeeded(role),
        succeeded(disable),
        succeeded(reset_2fa),
    ];
    let data = Resource::new(move || done.map(|d| d.get()), |_| get_staff());
    let error = action_error(invite);
    let invited = action_ok(invite);
    let change_error = Signal::derive(move || {
        action_error(role)
            .get()
            .or_else(|| action_error(disable).get())
            .or_else(|| action_error(reset_2fa).get())
    });
    let form = NodeRef::new();
    reset_on_ok(invite, form);
    view! {
        <Title text=t(T::Staff) />
        <div class="page-header">
            <div><h1>{t(T::Staff)}</h1><p class="subtitle muted">{t(T::StaffHint)}</p></div>
        </div>
        <Suspense>
            {move || Suspend::new(async move {
                let l = use_locale();
                let page = match data.await {
                    Ok(p) => p,
                    Err(e) => return view! { <ErrorView error=e /> }.into_any(),
                };
                let roles: Vec<(String, String)> = StaffRole::ALL.into_iter().map(|r| (r.code().to_owned(), staff_role_text(r).get(l).to_owned())).collect();
                let me = page.me;
                view! {
                    <div class="stack">
                    <section class="card" data-testid="staff">
                        <div class="card-body">
                            <FormError error=change_error />
                            <div class="table-wrap"><table class="table">
                                <thead><tr><th>{T::Name.get(l)}</th><th>{T::Email.get(l)}</th><th>{T::Role.get(l)}</th><th>{T::Status.get(l)}</th><th></th></tr></thead>
                                <tbody>{page.members.into_iter().map(|m| {
                                    let uid = m.id.to_string();
                                    let is_me = m.id == me;
                                    let roles = roles.clone();
                                    view! {
                                        <tr>
                                            <td>{m.name.clone()} {is_me.then(|| view! { <span class="muted">" (" {T::You.get(l)} ")"</span> })}</td>
                                            <td>{m.email.clone()}</td>
                                            <td>{if is_me {
                                                view! { <span>{staff_role_text(m.role).get(l)}</span> }.into_any()
                                            } else {
                                                let uid = uid.clone();
                                                view! {
                                                    <ActionForm action=role attr:class="row">
                                                        <input type="hidden" name="user" value=uid />
                                                        <label class="sr-only" for=format!("role-{}", m.id)>{T::Role.get(l)}</label>
                                                        <select id=format!("role-{}", m.id) name="role">
                                                            {roles.into_iter().map(|(v, label)| { let sel = v == m.role.code(); view! { <option value=v selected=sel>{label}</option> } }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="btn btn-secondary btn-small">{T::ChangeRole.get(l)}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            }}</td>
                                            <td>{if m.disabled {
                                                view! { <span class="badge badge-red">{T::Disabled.get(l)}</span> }.into_any()
                                            } else {
                                                view! { <span class="badge badge-green">{T::Active.get(l)}</span> }.into_any()
                                            }}</td>
                                            <td class="text-right">{(!is_me).then(|| { let uid2 = uid.clone(); view! {
                                                <div class="row">
                                                    <ActionForm action=reset_2fa>
                                                        <input type="hidden" name="user" value=uid2 />
                                                        <button type="submit" class="btn btn-ghost btn-small">{T::ResetTwoFactor.get(l)}</button>
                                                    </ActionForm>
                                                    <ActionForm action=disable>
                                                        <input type="hidden" name="user" value=uid.clone() />
                                                        <input type="hidden" name="disabled" value=(!m.disabled).to_string() />
                                                        <button type="submit" class="btn btn-ghost btn-small">{if m.disabled { T::Enable.get(l) } else { T::Disable.get(l) }}</button>
                                                    </ActionForm>
                                                </div>
                                            }})}</td>
                                        </tr>
                                    }
                                }).collect_view()}</tbody>
                            </table></div>
                        </div>
                    </section>
                    <section class="card" data-testid="invite-staff">
                        <div class="card-header"><h2>{T::InviteStaff.get(l)}</h2></div>
                        <div class="card-body">
                            {(!page.invitations.is_empty()).then(|| view! {
                                <h3>{T::Invitations.get(l)}</h3>
                                <div class="table-wrap"><table class="table" data-testid="staff-invitations">
                                    <thead><tr><th>{T::Email.get(l)}</th><th>{T::Role.get(l)}</th><th>{T::Expires.get(l)}</th><th></th></tr></thead>
                                    <tbody>{page.invitations.into_iter().map(|i| view! {
                                        <tr>
                                            <td>{i.email.clone()}</td>
                                            <td>{staff_role_text(i.role).get(l)}</td>
                                            <td class="nowrap">{fmt_time(i.expires_at)}</td>
                                            <td class="text-right"><ActionForm action=revoke>
                                                <input type="hidden" name="invitation" value=i.id.to_string() />
                                                <button type="submit" class="btn btn-ghost btn-small">{T::Revoke.get(l)}</button>
                                            </ActionForm></td>
                                        </tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                            })}
                            {move || invited.get().then(|| view! { <div class="flash flash-success" role="status">{T::FlashInvited.get(l)}</div> })}
                            <ActionForm action=invite node_ref=form attr:class="form" attr:novalidate="">
                                <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                                <div class="form-grid">
                                    <Field label=T::Email name="email" kind="email" error=error required=true />
                                    <SelectField label=T::Role name="role" error=error options=roles.clone() selected="reviewer" />
                                </div>
                                <div class="form-actions"><button type="submit" class="btn btn-primary">{T::Invite.get(l)}</button></div>
                            </ActionForm>
                        </div>
                    </section>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

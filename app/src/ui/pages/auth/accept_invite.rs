//! Accepting an invitation: set a name and password (or confirm with an existing one).

use crate::{
    api::auth::get_invite_preview,
    contract::InvitedAs,
    i18n::{staff_role_text, tenant_role_text, T},
    ui::{
        components::{action_error, follow, t, use_locale, ErrorView, Field, FormError},
        frame::Public,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    view! {
        <Public>
            <AcceptInvite />
        </Public>
    }
}

#[component]
fn AcceptInvite() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::AcceptInvite>::new();
    follow(action);
    let error = action_error(action);
    let token = move || use_params_map().read().get("token").unwrap_or_default();
    let preview = Resource::new(token, get_invite_preview);
    view! {
        <Title text=t(T::SetPasswordTitle) />
        <div class="auth-page">
            <div class="auth-card card">
                <div class="brand">{t(T::AppName)}</div>
                <Suspense>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(p) => {
                                let l = use_locale();
                                let existing = p.existing_account;
                                view! {
                                    <h1>{t(T::SetPasswordTitle)}</h1>
                                    <p data-testid="invite-text">{T::InviteFor.fill(l, &[&p.tenant_name, match p.role { InvitedAs::Tenant(r) => tenant_role_text(r).get(l), InvitedAs::Staff(r) => staff_role_text(r).get(l) }])}</p>
                                    <p class="muted">{p.email.clone()}</p>
                                    <ActionForm action=action attr:class="form" attr:novalidate="">
                                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                                        <input type="hidden" name="token" value=token() />
                                        {if existing {
                                            view! {
                                                <input type="hidden" name="name" value="" />
                                                <Field label=T::Password name="password" kind="password" error=error required=true autocomplete="current-password" />
                                                <input type="hidden" name="confirm" value="" />
                                            }.into_any()
                                        } else {
                                            view! {
                                                <Field label=T::YourName name="name" error=error required=true autocomplete="name" />
                                                <Field label=T::Password name="password" kind="password" error=error required=true autocomplete="new-password" />
                                                <Field label=T::ConfirmPassword name="confirm" kind="password" error=error required=true autocomplete="new-password" />
                                            }.into_any()
                                        }}
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary">{t(T::AcceptInvite)}</button>
                                        </div>
                                    </ActionForm>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </div>
    }
}

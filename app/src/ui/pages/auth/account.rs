//! One's own account: change the password, see and end the sessions it is signed in with.

use crate::{
    i18n::T,
    ui::components::{
        action_error, fmt_time, follow, t, use_locale, ErrorView, Field, Flash, FormError,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::ChangePassword>::new();
    follow(action);
    let error = action_error(action);
    let email = use_context::<crate::contract::Me>()
        .map(|me| me.email)
        .unwrap_or_default();
    view! {
        <Title text=t(T::Account) />
        <div class="page-header">
            <div>
                <h1>{t(T::Account)}</h1>
                <p class="subtitle muted">{email}</p>
            </div>
        </div>
        <section class="card">
            <div class="card-header"><h2>{t(T::ChangePassword)}</h2></div>
            <div class="card-body">
                <Flash />
                <ActionForm action=action attr:class="form" attr:novalidate="">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <Field label=T::CurrentPassword name="current" kind="password" error=error required=true autocomplete="current-password" />
                    <Field label=T::NewPassword name="password" kind="password" error=error required=true autocomplete="new-password" />
                    <Field label=T::ConfirmPassword name="confirm" kind="password" error=error required=true autocomplete="new-password" />
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{t(T::ChangePassword)}</button>
                    </div>
                </ActionForm>
            </div>
        </section>
        <TwoFactorCard />
        <SessionsCard />
    }
}

/// Two-factor sign-in: on (recovery codes left, turn off unless required) or off (set up).
#[component]
fn TwoFactorCard() -> impl IntoView {
    let disable = ServerAction::<crate::api::auth::DisableTwoFactor>::new();
    follow(disable);
    let error = action_error(disable);
    let status = Resource::new(|| (), |_| crate::api::auth::get_two_factor());
    let l = use_locale();
    view! {
        <section class="card" data-testid="two-factor">
            <div class="card-header"><h2>{t(T::TwoFactorTitle)}</h2></div>
            <div class="card-body">
                <Suspense>
                    {move || Suspend::new(async move {
                        match status.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(s) if !s.enabled => view! {
                                <p>{t(T::TwoFactorOff)}</p>
                                <a class="btn btn-secondary" href="/account/two-factor?next=/account">{t(T::SetUpTwoFactor)}</a>
                            }.into_any(),
                            Ok(s) => view! {
                                <p>{T::TwoFactorOn.fill(l, &[&s.recovery_codes_left.to_string()])}</p>
                                {if s.required {
                                    view! { <p class="muted">{t(T::TwoFactorRequired)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=disable attr:class="form" attr:novalidate="">
                                            <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                                            <Field label=T::Password name="off_password" kind="password" error=error required=true autocomplete="current-password" />
                                            <div class="form-actions">
                                                <button type="submit" class="btn btn-ghost">{t(T::TurnOffTwoFactor)}</button>
                                            </div>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// The user's sessions, each with a button that ends it.
#[component]
fn SessionsCard() -> impl IntoView {
    let end = ServerAction::<crate::api::auth::EndSession>::new();
    let end_others = ServerAction::<crate::api::auth::EndOtherSessions>::new();
    follow(end);
    follow(end_others);
    let sessions = Resource::new(|| (), |_| crate::api::auth::list_my_sessions());
    let l = use_locale();
    view! {
        <section class="card" data-testid="sessions">
            <div class="card-header"><h2>{t(T::Sessions)}</h2></div>
            <div class="card-body">
                <p class="muted">{t(T::SessionsIntro)}</p>
                <Suspense>
                    {move || Suspend::new(async move {
                        match sessions.await {
                            Err(e) => view! { <ErrorView error=e /> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-wrap"><table class="table">
                                    <thead><tr>
                                        <th>{t(T::Device)}</th><th>{t(T::Place)}</th><th>{t(T::SignedInAt)}</th><th>{t(T::LastSeen)}</th><th></th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|s| view! {
                                            <tr>
                                                <td>{s.device.clone()} {s.current.then(|| view! { " " <span class="badge badge-blue">{T::ThisSession.get(l)}</span> })}</td>
                                                <td>{s.place.clone().unwrap_or_default()}</td>
                                                <td>{s.signed_in_at.map(fmt_time).unwrap_or_default()}</td>
                                                <td>{fmt_time(s.last_seen_at)}</td>
                                                // This session ends with "Sign out", in the sidebar.
                                                <td>{(!s.current).then(|| view! {
                                                    <ActionForm action=end>
                                                        <input type="hidden" name="handle" value=s.handle.clone() />
                                                        <button type="submit" class="btn btn-ghost btn-small">{T::EndSession.get(l)}</button>
                                                    </ActionForm>
                                                })}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                <ActionForm action=end_others>
                    <button type="submit" class="btn btn-secondary">{t(T::EndOtherSessions)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

//! Sign-in: email and password, one generic error, throttling message.

use crate::{
    i18n::T,
    ui::{
        components::{action_error, follow, t, Field, Flash, FormError},
        frame::Public,
        session::PageSessionInfo,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <Public>
            <SignInForm />
        </Public>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::SignIn>::new();
    follow(action);
    let error = action_error(action);
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    let sso_error = use_query_map()
        .read_untracked()
        .get("sso")
        .map(|code| match code.as_str() {
            "state" => T::SsoState,
            "denied" => T::SsoDenied,
            "unverified" => T::SsoUnverified,
            "domain" => T::SsoDomain,
            "no_account" => T::SsoNoAccount,
            "disabled" => T::SsoDisabled,
            _ => T::SsoFailed,
        });
    let sso = Resource::new(|| (), |_| crate::api::auth::sign_in_options());
    // Already signed in (e.g. back here after a form post without JavaScript): go on.
    let session = expect_context::<PageSessionInfo>();
    if session.must_enrol() {
        return view! { <Redirect path="/account/two-factor" /> }.into_any();
    }
    if session.signed_in() {
        return view! { <Redirect path=crate::domain::safe_next(Some(&next)) /> }.into_any();
    }
    view! {
        <Title text=t(T::SignIn) />
        <div class="auth-page">
            <div class="auth-card card">
                <div class="brand">{t(T::AppName)}</div>
                <h1>{t(T::SignInTitle)}</h1>
                <Flash />
                {sso_error.map(|m| view! { <div class="flash flash-error" role="alert" data-testid="sso-error">{t(m)}</div> })}
                <ActionForm action=action attr:class="form" attr:novalidate="">
                    <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                    <input type="hidden" name="next" value=next />
                    <Field label=T::Email name="email" kind="email" error=error required=true autocomplete="username" />
                    <Field label=T::Password name="password" kind="password" error=error required=true autocomplete="current-password" />
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{t(T::SignIn)}</button>
                    </div>
                </ActionForm>
                <p class="small"><a href="/forgot-password">{t(T::ForgotPassword)}</a></p>
                <Suspense>
                    {move || Suspend::new(async move {
                        sso.await.ok().flatten().map(|label| view! {
                            <p class="muted small sso-or">{t(T::SsoOr)}</p>
                            <a class="btn btn-secondary sso-button" href="/auth/oidc/start" rel="external">{label}</a>
                        })
                    })}
                </Suspense>
            </div>
        </div>
    }
    .into_any()
}

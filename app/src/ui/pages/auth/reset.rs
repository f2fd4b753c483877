//! A forgotten password: ask for a link by email, then choose a new password from it.

use crate::{
    api::auth::reset_link,
    i18n::T,
    ui::{
        components::{action_error, follow, t, ErrorView, Field, Flash, FormError},
        frame::Public,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::RequestPasswordReset>::new();
    follow(action);
    let error = action_error(action);
    view! {
        <Public>
            <Title text=t(T::ForgotPasswordTitle) />
            <div class="auth-page">
                <div class="auth-card card">
                    <div class="brand">{t(T::AppName)}</div>
                    <h1>{t(T::ForgotPasswordTitle)}</h1>
                    <Flash />
                    <p class="muted">{t(T::ForgotPasswordIntro)}</p>
                    <ActionForm action=action attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <Field label=T::Email name="email" kind="email" error=error required=true autocomplete="username" />
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary">{t(T::SendResetLink)}</button>
                        </div>
                    </ActionForm>
                    <p class="small"><a href="/sign-in">{t(T::BackToSignIn)}</a></p>
                </div>
            </div>
        </Public>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::ResetPassword>::new();
    follow(action);
    let error = action_error(action);
    let token = move || use_params_map().read().get("token").unwrap_or_default();
    let valid = Resource::new(token, reset_link);
    view! {
        <Public>
            <Title text=t(T::ResetPasswordTitle) />
            <div class="auth-page">
                <div class="auth-card card">
                    <div class="brand">{t(T::AppName)}</div>
                    <h1>{t(T::ResetPasswordTitle)}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            match valid.await {
                                Err(e) => view! { <ErrorView error=e /> }.into_any(),
                                Ok(false) => view! {
                                    <div class="flash flash-error" role="alert" data-testid="reset-invalid">{t(T::ErrResetLink)}</div>
                                    <p><a href="/forgot-password">{t(T::ForgotPassword)}</a></p>
                                }.into_any(),
                                Ok(true) => view! {
                                    <ActionForm action=action attr:class="form" attr:novalidate="">
                                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                                        <input type="hidden" name="token" value=token() />
                                        <Field label=T::NewPassword name="password" kind="password" error=error required=true autocomplete="new-password" />
                                        <Field label=T::ConfirmPassword name="confirm" kind="password" error=error required=true autocomplete="new-password" />
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary">{t(T::SetNewPassword)}</button>
                                        </div>
                                    </ActionForm>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
            </div>
        </Public>
    }
}

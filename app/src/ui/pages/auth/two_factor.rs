//! Two-factor sign-in: the second step of a sign-in, enrolment (a QR code drawn on the
//! server, confirmed with a first code), and the recovery codes, shown once.

use crate::{
    api::auth::{begin_two_factor, take_recovery_codes},
    i18n::T,
    ui::{
        components::{action_error, follow, t, ErrorView, Field, FormError},
        frame::Public,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn next_param() -> String {
    use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default()
}

/// The second step of a sign-in.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::SignInCode>::new();
    follow(action);
    let error = action_error(action);
    view! {
        <Public>
            <Title text=t(T::TwoFactorTitle) />
            <div class="auth-page">
                <div class="auth-card card">
                    <div class="brand">{t(T::AppName)}</div>
                    <h1>{t(T::TwoFactorTitle)}</h1>
                    <p class="muted">{t(T::TwoFactorCodeIntro)}</p>
                    <ActionForm action=action attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <input type="hidden" name="next" value=next_param() />
                        <Field label=T::TwoFactorCode name="code" error=error required=true autocomplete="one-time-code" />
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary">{t(T::Verify)}</button>
                        </div>
                    </ActionForm>
                    <p class="small"><a href="/sign-in">{t(T::BackToSignIn)}</a></p>
                </div>
            </div>
        </Public>
    }
}

/// Enrolment: scan the QR code (or type the secret), confirm with a first code.
#[component]
pub fn TwoFactorSetupPage() -> impl IntoView {
    let action = ServerAction::<crate::api::auth::ConfirmTwoFactor>::new();
    follow(action);
    let error = action_error(action);
    let setup = Resource::new(|| (), |_| begin_two_factor());
    view! {
        <Public>
            <Title text=t(T::TwoFactorSetupTitle) />
            <div class="auth-page">
                <div class="auth-card card">
                    <div class="brand">{t(T::AppName)}</div>
                    <h1>{t(T::TwoFactorSetupTitle)}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            match setup.await {
                                Err(e) => view! { <ErrorView error=e /> <p><a href="/account">{t(T::Account)}</a></p> }.into_any(),
                                Ok(s) => view! {
                                    <p class="muted">{t(T::TwoFactorSetupIntro)}</p>
                                    // Drawn on the server from the otpauth URI: no external service.
                                    <div class="qr" data-testid="qr" inner_html=s.qr_svg.clone()></div>
                                    <p class="small">{t(T::TwoFactorSecretText)} " " <code data-testid="totp-secret">{s.secret.clone()}</code></p>
                                    <ActionForm action=action attr:class="form" attr:novalidate="">
                                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                                        <input type="hidden" name="next" value=next_param() />
                                        <Field label=T::TwoFactorCode name="code" error=error required=true autocomplete="one-time-code" />
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary">{t(T::TurnOnTwoFactor)}</button>
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

/// The recovery codes, once, right after enrolment.
#[component]
pub fn RecoveryCodesPage() -> impl IntoView {
    let codes = Resource::new(|| (), |_| take_recovery_codes());
    let next = crate::domain::safe_next(Some(&next_param()));
    view! {
        <Public>
            <Title text=t(T::RecoveryCodesTitle) />
            <div class="auth-page">
                <div class="auth-card card">
                    <div class="brand">{t(T::AppName)}</div>
                    <h1>{t(T::RecoveryCodesTitle)}</h1>
                    <Suspense>
                        {move || Suspend::new(async move {
                            match codes.await {
                                Err(e) => view! { <ErrorView error=e /> }.into_any(),
                                Ok(list) if list.is_empty() => view! { <p class="muted">{t(T::RecoveryCodesGone)}</p> }.into_any(),
                                Ok(list) => view! {
                                    <p>{t(T::RecoveryCodesIntro)}</p>
                                    <ul class="codes" data-testid="recovery-codes">
                                        {list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                                    </ul>
                                }.into_any(),
                            }
                        })}
                    </Suspense>
                    <p><a class="btn btn-primary" href=next>{t(T::Continue)}</a></p>
                </div>
            </div>
        </Public>
    }
}

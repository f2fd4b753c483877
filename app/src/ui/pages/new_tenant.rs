//! Staff: onboarding form for a new tenant.

use crate::{
    api::tenants::{list_staff, CreateTenant},
    i18n::T,
    ui::components::{action_error, t, ErrorView, Field, FormError, SelectField},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewTenantPage() -> impl IntoView {
    let action = ServerAction::<CreateTenant>::new();
    let error = action_error(action);
    let staff = Resource::new(|| (), |_| list_staff());
    view! {
        <Title text=t(T::NewTenant) />
        <div class="page-header"><h1>{t(T::NewTenant)}</h1></div>
        <Suspense>
            {move || Suspend::new(async move {
                let staff = match staff.await {
                    Ok(s) => s,
                    Err(e) => return view! { <ErrorView error=e /> }.into_any(),
                };
                let mut managers = vec![(String::new(), t(T::NoAccountManager).to_owned())];
                managers.extend(staff.into_iter().map(|s| (s.id.to_string(), s.name)));
                view! {
                    <div class="card"><div class="card-body">
                    <ActionForm action=action attr:class="form" attr:novalidate="">
                        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
                        <Field label=T::LegalName name="legal_name" error=error required=true />
                        <Field label=T::DisplayName name="display_name" error=error required=true />
                        <div class="form-grid">
                            <Field label=T::Country name="country" error=error hint=T::CountryHint required=true />
                            <SelectField label=T::DefaultLocale name="locale" error=error options=vec![("en".into(), "English".into()), ("fr".into(), "Français".into())] />
                        </div>
                        <Field label=T::BillingEmail name="billing_email" kind="email" error=error required=true />
                        <Field label=T::AlertEmails name="alert_emails" error=error hint=T::AlertEmailsHint required=true />
                        <div class="form-grid">
                            <Field label=T::Currency name="currency" error=error hint=T::CurrencyHint required=true />
                            <SelectField label=T::AccountManager name="account_manager" error=error options=managers />
                        </div>
                        <Field label=T::WabaId name="waba_id" error=error required=true />
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary">{t(T::CreateTenant)}</button>
                        </div>
                    </ActionForm>
                    </div></div>
                }.into_any()
            })}
        </Suspense>
    }
}

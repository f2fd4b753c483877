//! Staff: the tenant form, to onboard a new tenant or edit one's details.

use crate::{
    api::tenants::{get_tenant, list_staff, CreateTenant, UpdateTenant},
    contract::{AppError, StaffOption, TenantDetail},
    i18n::T,
    ui::components::{action_error, t, ErrorView, Field, FormError, SelectField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
                match staff.await {
                    Ok(staff) => view! {
                        <div class="card"><div class="card-body">
                        <ActionForm action=action attr:class="form" attr:novalidate="">
                            <TenantFields error staff current=None />
                            <Field label=T::WabaId name="waba_id" error=error required=true />
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary">{t(T::CreateTenant)}</button>
                            </div>
                        </ActionForm>
                        </div></div>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditTenantPage() -> impl IntoView {
    let action = ServerAction::<UpdateTenant>::new();
    let error = action_error(action);
    let id = move || use_params_map().read().get("id").unwrap_or_default();
    let data = Resource::new(id, |id| async move {
        // Staff first: a tenant user gets 403 even for their own tenant.
        let staff = list_staff().await?;
        Ok::<_, AppError>((get_tenant(id).await?, staff))
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((d, staff)) => view! {
                        <Title text=d.display_name.clone() />
                        <div class="page-header"><h1>{d.display_name.clone()}</h1></div>
                        <div class="card"><div class="card-body">
                        <ActionForm action=action attr:class="form" attr:novalidate="">
                            <input type="hidden" name="id" value=d.id.to_string() />
                            <TenantFields error staff current=Some(d.clone()) />
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary">{t(T::Save)}</button>
                                <a class="btn btn-ghost" href=format!("/tenants/{}", d.id)>{t(T::Cancel)}</a>
                            </div>
                        </ActionForm>
                        </div></div>
                    }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The details fields shared by both forms, prefilled from `current` when editing.
#[component]
fn TenantFields(
    error: Signal<Option<AppError>>,
    staff: Vec<StaffOption>,
    current: Option<TenantDetail>,
) -> impl IntoView {
    let mut managers = vec![(String::new(), t(T::NoAccountManager).to_owned())];
    managers.extend(staff.into_iter().map(|s| (s.id.to_string(), s.name)));
    let c = current.as_ref();
    let val = |f: fn(&TenantDetail) -> String| c.map(f).unwrap_or_default();
    view! {
        <FormError error=Signal::derive(move || error.get().filter(|e| e.fields().is_none())) />
        <Field label=T::LegalName name="legal_name" error=error required=true value=val(|d| d.legal_name.clone()) />
        <Field label=T::DisplayName name="display_name" error=error required=true value=val(|d| d.display_name.clone()) />
        <div class="form-grid">
            <Field label=T::Country name="country" error=error hint=T::CountryHint required=true value=val(|d| d.country.clone()) />
            <SelectField label=T::DefaultLocale name="locale" error=error options=vec![("en".into(), "English".into()), ("fr".into(), "Français".into())] selected=val(|d| d.locale.code().to_owned()) />
        </div>
        <Field label=T::BillingEmail name="billing_email" kind="email" error=error required=true value=val(|d| d.billing_email.clone()) />
        <Field label=T::AlertEmails name="alert_emails" error=error hint=T::AlertEmailsHint required=true value=val(|d| d.alert_emails.join(", ")) />
        <div class="form-grid">
            <Field label=T::Currency name="currency" error=error hint=T::CurrencyHint required=true value=val(|d| d.currency.clone()) />
            <SelectField label=T::AccountManager name="account_manager" error=error options=managers selected=val(|d| d.account_manager_id.map(|u| u.to_string()).unwrap_or_default()) />
        </div>
    }
}

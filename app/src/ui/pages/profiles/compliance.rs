//! A tenant's messaging-policy checklist (opt-in, escalation, compliance).

use super::errors::errors_of;
use crate::ui::components::succeeded;
use crate::{
    contract::AppError,
    i18n::{profile_error_text, T},
    ui::components::{action_error, t, use_locale, ComplianceBadge, ErrorView, FormError},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The tenant's messaging-policy checklist (opt-in, consent record, human escalation).
#[component]
pub fn CompliancePage() -> impl IntoView {
    let save = ServerAction::<crate::api::profiles::SaveChecklist>::new();
    let saved = succeeded(save);
    let data = Resource::new(
        move || {
            (
                use_params_map().read().get("id").unwrap_or_default(),
                saved.get(),
            )
        },
        |(tenant, _)| crate::api::profiles::get_checklist(tenant),
    );
    view! {
        <Title text=t(T::Compliance) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ChecklistView d save /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn opt_in_text(o: crate::domain::profile::OptInSource) -> T {
    use crate::domain::profile::OptInSource::*;
    match o {
        InteractiveVoiceResponse => T::OptInIvr,
        WebForm => T::OptInWebForm,
        Ads => T::OptInAds,
        Links => T::OptInLinks,
        QrCodes => T::OptInQr,
        CustomerInitiatedChat => T::OptInChat,
        Other => T::OptInOther,
    }
}

fn escalation_text(e: crate::domain::profile::Escalation) -> T {
    use crate::domain::profile::Escalation::*;
    match e {
        HumanAgent => T::EscHuman,
        PhoneNumber => T::EscPhone,
        EmailAddress => T::EscEmail,
        WebSupportForm => T::EscWebForm,
        StoreVisit => T::EscStore,
        SocialMediaPage => T::EscSocial,
        HelpCentrePage => T::EscHelp,
        AppLink => T::EscApp,
    }
}

#[component]
fn ChecklistView(
    d: crate::contract::ChecklistDetail,
    save: ServerAction<crate::api::profiles::SaveChecklist>,
) -> impl IntoView {
    use crate::domain::profile::{Escalation, OptInSource};
    let l = use_locale();
    let error = action_error(save);
    let err_for = move |field: &'static str| {
        move || {
            errors_of(error.get())
                .into_iter()
                .filter(|e| e.field == field)
                .map(|e| profile_error_text(&e, l))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let disabled = !d.can_edit;
    let tenant = d.tenant.to_string();
    view! {
        <div class="page-header">
            <div>
                <p class="muted small"><a href=format!("/tenants/{tenant}")>{T::Tenant.get(l)}</a></p>
                <h1>{T::Compliance.get(l)} " " <ComplianceBadge complete=d.complete /></h1>
            </div>
        </div>
        <FormError error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::ProfileInvalid { .. }))) />
        <div class="card"><div class="card-body">
            <ActionForm action=save attr:class="form" attr:novalidate="" attr:data-testid="checklist-form">
                <input type="hidden" name="tenant" value=tenant.clone() />
                <fieldset class="builder-section">
                    <legend>{T::COptIn.get(l)}</legend>
                    {OptInSource::ALL.iter().enumerate().map(|(i, o)| {
                        let checked = d.form.opt_in.iter().any(|c| c == o.code());
                        view! { <label class="checkbox"><input type="checkbox" name=format!("opt_in[{i}]") value=o.code() checked=checked disabled=disabled /> " " {opt_in_text(*o).get(l)}</label> }
                    }).collect_view()}
                    <p class="field-error" role="alert">{err_for("opt_in")}</p>
                    <div class="field">
                        <label for="f-other">{T::COther.get(l)}</label>
                        <input id="f-other" name="other" value=d.form.other.clone() disabled=disabled />
                        <p class="field-error" role="alert">{err_for("other")}</p>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="f-consent_record">{T::CConsentRecord.get(l)}</label>
                    <input id="f-consent_record" name="consent_record" value=d.form.consent_record.clone() disabled=disabled />
                    <p class="field-error" role="alert">{err_for("consent_record")}</p>
                </div>
                <fieldset class="builder-section">
                    <legend>{T::CEscalation.get(l)}</legend>
                    <p class="hint">{T::CEscalationHint.get(l)}</p>
                    {Escalation::ALL.iter().enumerate().map(|(i, e)| {
                        let checked = d.form.escalation.iter().any(|c| c == e.code());
                        view! { <label class="checkbox"><input type="checkbox" name=format!("escalation[{i}]") value=e.code() checked=checked disabled=disabled /> " " {escalation_text(*e).get(l)}</label> }
                    }).collect_view()}
                    <p class="field-error" role="alert" data-testid="escalation-error">{err_for("escalation")}</p>
                </fieldset>
                {d.can_edit.then(|| view! { <div class="form-actions"><button type="submit" class="btn btn-primary">{T::Save.get(l)}</button></div> })}
            </ActionForm>
        </div></div>
    }
}

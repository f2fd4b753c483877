//! A number's request for the verified badge (Official Business Account): its state, the
//! tenant's request and staff's decision.

use super::errors::errors_of;
use crate::{
    api::profiles::{AdvanceObaRequest, SaveObaRequest},
    contract::AppError,
    i18n::{profile_error_text, T},
    ui::components::{action_error, echoed, fmt_time, use_locale, FormError},
};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub(super) struct ObaActions {
    pub save: ServerAction<SaveObaRequest>,
    pub step: ServerAction<AdvanceObaRequest>,
}

/// The verified badge: the newest request (its form while it is a draft or after a
/// rejection), submit for the tenant, approve / reject for BSP admins, earlier requests.
#[component]
pub(super) fn ObaCard(
    v: crate::contract::ObaView,
    tenant: String,
    number: String,
    actions: ObaActions,
) -> impl IntoView {
    use crate::domain::profile::oba::{ObaStatus, LINKS_MAX};
    let l = use_locale();
    let save_error = action_error(actions.save);
    let step_error = action_error(actions.step);
    let err_for = move |field: String| {
        move || {
            errors_of(save_error.get())
                .into_iter()
                .filter(|e| e.field == field || (field == "link1" && e.field == "links"))
                .map(|e| profile_error_text(&e, l))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let latest = v.requests.first().cloned();
    let status = latest.as_ref().map(|r| r.status);
    let editable = v.can_edit
        && matches!(
            status,
            None | Some(ObaStatus::Draft) | Some(ObaStatus::Rejected)
        );
    // A rejected request starts the next one from its content.
    let mut form = latest.as_ref().map(|r| r.form.clone()).unwrap_or_default();
    if save_error.get_untracked().is_some() {
        if let Some(p) = echoed("parent") {
            form.parent = p;
        }
        if let Some(n) = echoed("notes") {
            form.notes = n;
        }
        form.links = (0..LINKS_MAX)
            .map(|i| echoed(&format!("links[{i}]")).unwrap_or_default())
            .collect();
    }
    form.links.resize(LINKS_MAX, String::new());
    let hidden = {
        let (tenant, number) = (tenant.clone(), number.clone());
        move || view! { <input type="hidden" name="tenant" value=tenant.clone() /><input type="hidden" name="number" value=number.clone() /> }
    };
    let summary = latest.clone().map(|r| {
        let badge = match r.status {
            ObaStatus::Approved => "badge badge-green",
            ObaStatus::Rejected => "badge badge-red",
            ObaStatus::Submitted => "badge badge-blue",
            ObaStatus::Draft => "badge badge-gray",
        };
        view! {
            <p><span class=badge data-testid="oba-status">{crate::i18n::oba_text(r.status).get(l)}</span> " " <span class="muted small">{fmt_time(r.created_at)}</span></p>
            {(r.status == ObaStatus::Submitted).then(|| view! { <p class="small muted">{T::ObaWithBsp.get(l)}</p> })}
            {r.decided_by.clone().zip(r.decided_at).map(|(by, at)| view! { <p class="small muted">{T::ObaDecided.fill(l, &[&by, &fmt_time(at)])}</p> })}
            {r.reason.clone().map(|why| view! { <p class="small" data-testid="oba-reason">{T::ObaReason.get(l)} ": " {why}</p> })}
            {(r.status == ObaStatus::Rejected && v.can_edit).then(|| view! { <p class="small">{T::ObaAfterReject.get(l)}</p> })}
            {(r.status != ObaStatus::Draft).then(|| view! { <ul class="small plain">{r.form.links.iter().map(|u| view! { <li class="wa-link">{u.clone()}</li> }).collect_view()}</ul> })}
        }
        .into_any()
    });
    let form_view = editable.then(|| {
        let hidden = hidden.clone();
        view! {
            <ActionForm action=actions.save attr:class="form" attr:novalidate="" attr:data-testid="oba-form">
                {hidden()}
                <fieldset class="builder-section">
                    <legend>{T::ObaLinks.get(l)}</legend>
                    {form.links.iter().enumerate().map(|(i, u)| {
                        let field = format!("link{}", i + 1);
                        view! {
                            <div class="field">
                                <label for=format!("f-link{i}")>{T::ObaLink.fill(l, &[&(i + 1).to_string()])}</label>
                                <input id=format!("f-link{i}") name=format!("links[{i}]") value=u.clone() inputmode="url" />
                                <p class="field-error" role="alert">{err_for(field)}</p>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="f-parent">{T::ObaParent.get(l)}</label>
                    <input id="f-parent" name="parent" value=form.parent.clone() />
                    <p class="field-error" role="alert">{err_for("parent".into())}</p>
                </div>
                <div class="field">
                    <label for="f-notes">{T::ObaNotes.get(l)}</label>
                    <textarea id="f-notes" name="notes" rows="3">{form.notes.clone()}</textarea>
                    <p class="field-error" role="alert">{err_for("notes".into())}</p>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-secondary">{T::SaveDraft.get(l)}</button></div>
            </ActionForm>
        }
    });
    let step_form = |step: &'static str, label: T, with_reason: bool, id: String| {
        let hidden = hidden.clone();
        view! {
            <ActionForm action=actions.step attr:class="inline-form">
                {hidden()}
                <input type="hidden" name="request" value=id />
                <input type="hidden" name="step" value=step />
                {with_reason.then(|| view! { <div class="field"><label for="f-oba-reason">{T::ObaReason.get(l)}</label><input id="f-oba-reason" name="reason" /></div> })}
                <button type="submit" class=if step == "reject" { "btn btn-danger btn-sm" } else { "btn btn-primary btn-sm" }>{label.get(l)}</button>
            </ActionForm>
        }
    };
    let actions_view = latest.as_ref().map(|r| match r.status {
        ObaStatus::Draft if v.can_edit => step_form("submit", T::ObaSubmit, false, r.id.clone()).into_any(),
        ObaStatus::Submitted if v.can_decide => view! { {step_form("approve", T::ObaApprove, false, r.id.clone())} {step_form("reject", T::ObaReject, true, r.id.clone())} }.into_any(),
        _ => ().into_any(),
    });
    let earlier = v.requests.iter().skip(1).cloned().collect::<Vec<_>>();
    view! {
        <section class="card" data-testid="oba-card">
            <div class="card-header"><h2>{T::ObaBadge.get(l)}</h2></div>
            <div class="card-body">
                <p class="hint">{T::ObaHint.get(l)}</p>
                {summary.unwrap_or_else(|| view! { <p class="muted">{T::ObaNone.get(l)}</p> }.into_any())}
                <FormError error=Signal::derive(move || save_error.get().filter(|e| !matches!(e, AppError::ProfileInvalid { .. }))) />
                <FormError error=step_error />
                {form_view}
                {actions_view}
                {(!earlier.is_empty()).then(|| view! {
                    <details><summary class="small">{T::ObaEarlier.get(l)}</summary>
                        <ul class="small plain">{earlier.into_iter().map(|r| view! { <li>{fmt_time(r.created_at)} " · " {crate::i18n::oba_text(r.status).get(l)} {r.reason.map(|x| format!(" — {x}"))}</li> }).collect_view()}</ul>
                    </details>
                })}
            </div>
        </section>
    }
}

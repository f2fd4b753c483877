//! Where an approved revision stands at the platform: ready, sent, failed, and the reviewer's
//! hand-over.

use super::{actions::action_error, field::FormError, text::use_locale};
use crate::{
    api::review::MarkTemplateSubmitted, contract::TemplateDetail,
    domain::template::status::TemplateStatus, i18n::T,
};
use leptos::prelude::*;

/// After BSP approval: ready to submit (marked by staff), or sent by the Graph API client
/// (with its last error and a retry); afterwards the platform's id.
#[component]
pub fn SubmissionPanel(
    d: TemplateDetail,
    mark: ServerAction<MarkTemplateSubmitted>,
) -> impl IntoView {
    let l = use_locale();
    let error = action_error(mark);
    let approved = d.status == TemplateStatus::BspApproved;
    let (tenant, id) = (d.tenant.to_string(), d.id.to_string());
    view! {
        <FormError error=error />
        {approved.then(|| view! {
            <div class="flash flash-success" data-testid="submission">
                <strong>{if d.graph_configured { T::SendingToPlatform.get(l) } else { T::ReadyToSubmit.get(l) }}</strong>
                {d.submit_error.clone().map(|e| view! { <div class="small">{T::SubmitError.get(l)} ": " {e}</div> })}
                {d.can_mark_submitted.then(|| view! {
                    <ActionForm action=mark attr:class="inline">
                        <input type="hidden" name="tenant" value=tenant.clone() />
                        <input type="hidden" name="id" value=id.clone() />
                        {d.graph_configured.then(|| view! { <input type="hidden" name="retry" value="1" /> })}
                        <button type="submit" class="btn btn-secondary btn-sm">{if d.graph_configured { T::RetryNow.get(l) } else { T::MarkSubmitted.get(l) }}</button>
                    </ActionForm>
                })}
            </div>
        })}
        {d.platform_id.clone().map(|p| view! { <p class="muted small">{T::PlatformId.get(l)} ": " <span class="mono">{p}</span></p> })}
    }
}

//! Status badges.

use super::text::{t, use_locale};
use crate::domain::template::review::Sla;
use crate::domain::template::status::TemplateStatus;
use crate::{domain::tenant::TenantStatus, i18n::T};
use leptos::prelude::*;

#[component]
pub fn StatusBadge(status: TenantStatus) -> impl IntoView {
    let (class, text) = match status {
        TenantStatus::Active => ("badge badge-green", T::Active),
        TenantStatus::Suspended => ("badge badge-red", T::Suspended),
    };
    view! { <span class=class>{t(text)}</span> }
}

pub fn status_badge(s: TemplateStatus) -> (&'static str, String) {
    use TemplateStatus::*;
    let class = match s {
        Approved | BspApproved => "badge badge-green",
        Rejected | BspRejected | Disabled | Deleted => "badge badge-red",
        Paused | Flagged | ChangesRequested | LimitExceeded => "badge badge-yellow",
        InBspReview | Pending | InAppeal => "badge badge-blue",
        _ => "badge badge-gray",
    };
    (
        class,
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(|x| x.replace('_', " ").to_lowercase()))
            .unwrap_or_default(),
    )
}

/// The compliance badge (tenant page, staff list, review page).
#[component]
pub fn ComplianceBadge(complete: bool) -> impl IntoView {
    let l = use_locale();
    view! {
        <span class=if complete { "badge badge-green" } else { "badge badge-yellow" } data-testid="compliance-badge">
            {if complete { T::ComplianceComplete.get(l) } else { T::ComplianceIncomplete.get(l) }}
        </span>
    }
}

pub fn sla_badge(s: Sla) -> &'static str {
    match s {
        Sla::OnTime => "badge badge-green",
        Sla::Amber => "badge badge-yellow",
        Sla::Red => "badge badge-red",
    }
}

pub fn sla_text(s: Sla) -> T {
    match s {
        Sla::OnTime => T::SlaOnTime,
        Sla::Amber => T::SlaAmber,
        Sla::Red => T::SlaRed,
    }
}

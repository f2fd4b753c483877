//! What the health pages share: the route's tenant, how severities and alert kinds read.

use crate::{
    domain::alert::{AlertKind, Severity},
    i18n::{alert_kind_text, severity_text},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub(super) fn severity_badge(s: &str) -> &'static str {
    match s {
        "critical" => "badge badge-red",
        "warning" => "badge badge-yellow",
        _ => "badge badge-blue",
    }
}

pub(super) fn tenant_param() -> String {
    use_params_map().read().get("id").unwrap_or_default()
}

pub(super) fn alert_title(kind: &str, l: crate::domain::locale::Locale) -> String {
    AlertKind::parse(kind)
        .map(|k| alert_kind_text(k).get(l).to_owned())
        .unwrap_or_else(|| kind.to_owned())
}

pub(super) fn severity_label(s: &str, l: crate::domain::locale::Locale) -> String {
    Severity::parse(s)
        .map(|v| severity_text(v).get(l).to_owned())
        .unwrap_or_else(|| s.to_owned())
}

//! What the template pages read from the route and the session.

use crate::domain::roles::PlatformAction;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub(super) fn tenant_param() -> String {
    use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default()
}

/// (tenant id, template id) of a `/tenants/:id/templates/:template…` route (tracked).
pub(super) fn template_route() -> (String, String) {
    let p = use_params_map();
    let p = p.read();
    (
        p.get("id").unwrap_or_default(),
        p.get("template").unwrap_or_default(),
    )
}

/// Whether the signed-in user may write templates in `tenant` (display only: the server
/// decides, through the same role table).
pub(super) fn may_edit(tenant: &str) -> bool {
    use crate::domain::roles::TenantAction;
    use_context::<crate::contract::Me>().is_some_and(|me| {
        me.staff_role
            .is_some_and(|r| r.in_tenant(TenantAction::Edit))
            || me
                .memberships
                .iter()
                .any(|m| m.tenant_id.to_string() == tenant && m.role.can(TenantAction::Edit))
    })
}

/// Whether the signed-in user reviews templates (display only).
pub(super) fn is_reviewer() -> bool {
    use_context::<crate::contract::Me>().is_some_and(|me| {
        me.staff_role
            .is_some_and(|r| r.can(PlatformAction::ReviewTemplates))
    })
}

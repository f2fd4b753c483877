//! The signed-in frame: navigation per role, tenant switcher, language, sign-out; and the
//! bare frame of public pages. No business logic here.

use super::{
    components::{t, ErrorView},
    session::PageSessionInfo,
};
use crate::ui::markup::{locale_options, nav_markup, NavItem};
use crate::{
    api::auth::{SetLocale, SignOut, SwitchTenant},
    contract::{Me, SessionInfo},
    domain::{
        locale::Locale,
        roles::{PlatformAction, TenantAction},
    },
    i18n::{staff_role_text, tenant_role_text, T},
};
use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_router::{
    components::{Outlet, Redirect},
    hooks::use_location,
};

/// Pages outside the frame (sign-in, invitation).
#[component]
pub fn Public(children: Children) -> impl IntoView {
    children()
}

/// The signed-in frame: sidebar, top bar, content. Signed-out visitors go to sign-in.
#[component]
pub fn Frame() -> impl IntoView {
    match expect_context::<PageSessionInfo>().0 {
        Ok(SessionInfo { user: Some(me), .. }) => view! { <FrameInner me /> }.into_any(),
        // Signed in, but to enrol in two-factor sign-in before anything else.
        Ok(SessionInfo {
            must_enrol: true, ..
        }) => {
            let next = use_location().pathname.get_untracked();
            view! { <Redirect path=format!("/account/two-factor?next={next}") /> }.into_any()
        }
        Ok(_) => {
            let next = use_location().pathname.get_untracked();
            view! { <Redirect path=format!("/sign-in?next={next}") /> }.into_any()
        }
        Err(e) => view! { <ErrorView error=e /> }.into_any(),
    }
}

/// The signed-in frame's content. Its forms (sign out, switch tenant, language) are plain HTML
/// forms posting to their server functions, with or without JavaScript: each ends in loading a
/// page afresh anyway (the server answers with a redirect), so an action, its signals and its
/// submit handler per form on every page would buy nothing.
#[component]
fn FrameInner(me: Me) -> impl IntoView {
    let locale = expect_context::<Locale>();
    let staff = me.staff_role;
    let membership = me.active_membership().cloned();
    let role_label = match (staff, &membership) {
        (Some(r), _) => staff_role_text(r).get(locale),
        (None, Some(m)) => tenant_role_text(m.role).get(locale),
        _ => "",
    };
    let can_outbox = staff.is_some_and(|r| r.can(PlatformAction::ManageOutbox));
    let can_staff = staff.is_some_and(|r| r.can(PlatformAction::ManageStaff));
    let can_review = staff.is_some_and(|r| r.can(PlatformAction::ReviewTemplates));
    let can_price = staff.is_some_and(|r| r.can(PlatformAction::ManagePricing));
    let can_audit = staff.is_some_and(|r| r.can(PlatformAction::ViewAudit))
        || membership
            .as_ref()
            .is_some_and(|m| m.role.can(TenantAction::ManageUsers));
    let memberships = me.memberships.clone();
    let active = me.active_tenant;
    // The navigation is markup (a view per link cost more than the rest of the frame); it is
    // written again when the path changes, so the current link stays marked.
    let mut links: Vec<NavItem> = Vec::new();
    let link = |href: String, label: T, exact: bool| NavItem::Link {
        href,
        label: label.get(locale),
        exact,
    };
    if staff.is_some() {
        links.push(NavItem::Section(T::Platform.get(locale).to_owned()));
        links.extend([
            link("/tenants".into(), T::Tenants, false),
            link("/alerts".into(), T::Alerts, false),
            link("/profiles".into(), T::Profiles, false),
        ]);
    }
    if can_review {
        links.push(link("/review".into(), T::ReviewQueue, false));
    }
    if can_price {
        links.extend([
            link("/finance/pricing".into(), T::Pricing, false),
            link("/finance/usage".into(), T::UsageAndMargin, false),
            link("/finance/reconciliation".into(), T::Reconciliation, false),
        ]);
    }
    if let Some(m) = &membership {
        let base = format!("/tenants/{}", m.tenant_id);
        links.push(NavItem::Section(m.tenant_name.clone()));
        links.push(link(base.clone(), T::Overview, true));
        for (path, label) in [
            ("templates", T::Templates),
            ("numbers", T::NumbersAndLimits),
            ("alerts", T::Alerts),
            ("billing", T::Billing),
        ] {
            links.push(link(format!("{base}/{path}"), label, false));
        }
        if m.role.can(TenantAction::ManageUsers) {
            links.push(link(format!("{base}/api-keys"), T::ApiKeys, false));
        }
    }
    if can_audit {
        links.push(link("/audit".into(), T::AuditLog, false));
    }
    if can_outbox {
        links.push(link("/admin/outbox".into(), T::Outbox, false));
    }
    if staff.is_some() {
        links.push(link("/admin/events".into(), T::UnmatchedEvents, false));
    }
    if can_staff {
        links.push(link("/admin/staff".into(), T::Staff, false));
    }
    if staff.is_some_and(|r| r.can(PlatformAction::ManageApiKeys)) {
        links.push(link("/admin/api-keys".into(), T::ApiKeys, false));
    }
    let pathname = use_location().pathname;
    view! {
        <div class="shell">
            <aside class="sidebar">
                <div class="brand">{t(T::AppName)}</div>
                <nav class="nav" aria-label="Main" inner_html=move || nav_markup(&links, &pathname.get())></nav>
                <div class="sidebar-footer">
                    <div class="small" data-testid="whoami"><a href="/account">{me.email.clone()}</a></div>
                    <div class="small muted">{role_label}</div>
                    <form method="post" action=SignOut::url()>
                        <button type="submit" class="link">{t(T::SignOut)}</button>
                    </form>
                </div>
            </aside>
            <div class="main">
                <header class="topbar">
                    <div class="muted small">{membership.map(|m| m.tenant_name)}</div>
                    <div class="row">
                        {(memberships.len() > 1).then(|| view! {
                            <form method="post" action=SwitchTenant::url() class="tenant-switcher">
                                <label class="sr-only" for="switch-tenant">{t(T::Tenant)}</label>
                                <select id="switch-tenant" name="tenant_id">
                                    {memberships.iter().map(|m| {
                                        let sel = Some(m.tenant_id) == active;
                                        view! { <option value=m.tenant_id.to_string() selected=sel>{m.tenant_name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="btn btn-secondary btn-small">{t(T::Switch)}</button>
                            </form>
                        })}
                        <form method="post" action=SetLocale::url() class="tenant-switcher">
                            <label class="sr-only" for="set-locale">{t(T::Language)}</label>
                            <select id="set-locale" name="locale" inner_html=locale_options(locale)></select>
                            <button type="submit" class="btn btn-secondary btn-small">{t(T::Save)}</button>
                        </form>
                    </div>
                </header>
                <main class="content">
                    <Outlet />
                </main>
            </div>
        </div>
    }
}

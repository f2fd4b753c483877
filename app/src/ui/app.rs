//! The HTML shell, the router and the signed-in frame (navigation per role, tenant
//! switcher, language, sign-out). No business logic here.

use super::{
    components::{t, ErrorView, NotFound},
    pages::*,
};
use crate::{
    api::auth::{SetLocale, SignOut, SwitchTenant},
    contract::{AppError, Me, SessionInfo},
    domain::{
        locale::Locale,
        roles::{PlatformAction, TenantAction},
    },
    i18n::{staff_role_text, tenant_role_text, T},
};
use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Outlet, ParentRoute, Redirect, Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The session as the server read it before rendering this page (`PageSession`), shared
/// with the browser inside the page: every part of the page has it at once, so no
/// `<Suspense>` wraps the whole page. (Pages under such a `<Suspense>` were built twice on
/// the server, each time loading their data, and the HTML and the hydration data could come
/// from different loads.) Actions that change the session end in a full page load
/// (`follow`, or a plain form's redirect), so one read per page is right.
#[derive(Clone)]
pub struct PageSessionInfo(pub Result<SessionInfo, AppError>);

impl PageSessionInfo {
    pub fn signed_in(&self) -> bool {
        self.0.as_ref().is_ok_and(|s| s.user.is_some())
    }
}

/// On the server: what the page layer put in the request. In the browser this runs only
/// outside hydration, which the app never does (the session comes with the page).
fn server_session() -> Result<SessionInfo, AppError> {
    #[cfg(feature = "ssr")]
    {
        let read = with_context::<http::request::Parts, _>(|p| {
            p.extensions
                .get::<crate::backend::context::PageSession>()
                .map(|s| s.0.clone())
        })
        .flatten();
        read.unwrap_or_else(|| {
            Ok(SessionInfo {
                user: None,
                locale: Locale::default(),
            })
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Ok(SessionInfo {
            user: None,
            locale: Locale::default(),
        })
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let session = PageSessionInfo(SharedValue::new(server_session).into_inner());
    if let Ok(s) = &session.0 {
        provide_context(s.locale);
        if let Some(me) = &s.user {
            provide_context(me.clone());
        }
    }
    provide_context(session);
    // Marks the page as hydrated (browser tests wait for it before typing).
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/bsp-console.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=|t: String| if t.is_empty() { "BSP Console".to_owned() } else { format!("{t} · BSP Console") } />
        <Router>
            <Routes fallback=|| view! { <Public><NotFound /></Public> }>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=AcceptInvitePage ssr=SsrMode::Async />
                <ParentRoute path=path!("") view=Frame ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("tenants") view=TenantsPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/new") view=NewTenantPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id") view=TenantPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/edit") view=EditTenantPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/templates") view=TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/numbers/:number/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/compliance") view=CompliancePage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/numbers") view=NumbersPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/alerts") view=AlertsPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/events") view=EventLogPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/billing") view=TenantBillingPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/invoices/:invoice") view=InvoicePage ssr=SsrMode::Async />
                    <Route path=path!("finance/pricing") view=PricingPage ssr=SsrMode::Async />
                    <Route path=path!("finance/usage") view=FinanceUsagePage ssr=SsrMode::Async />
                    <Route path=path!("finance/reconciliation") view=ReconciliationPage ssr=SsrMode::Async />
                    <Route path=path!("finance/rerate") view=ReratePage ssr=SsrMode::Async />
                    <Route path=path!("finance/reconciliation/:import") view=ReconciliationDetailPage ssr=SsrMode::Async />
                    <Route path=path!("finance/rates/:card") view=RateCardPage ssr=SsrMode::Async />
                    <Route path=path!("finance/prices/:list") view=PriceListPage ssr=SsrMode::Async />
                    <Route path=path!("alerts") view=StaffAlertsPage ssr=SsrMode::Async />
                    <Route path=path!("profiles") view=ProfilesPage ssr=SsrMode::Async />
                    <Route path=path!("admin/events") view=EventLogPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/templates/new") view=NewTemplatePage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/templates/:template") view=TemplatePage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/templates/:template/edit") view=EditTemplatePage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/templates/:template/history") view=TemplateHistoryPage ssr=SsrMode::Async />
                    <Route path=path!("audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("admin/staff") view=StaffPage ssr=SsrMode::Async />
                    <Route path=path!("review") view=ReviewQueuePage ssr=SsrMode::Async />
                    <Route path=path!("review/:tenant/:template") view=ReviewPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

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
        Ok(_) => {
            let next = use_location().pathname.get_untracked();
            view! { <Redirect path=format!("/sign-in?next={next}") /> }.into_any()
        }
        Err(e) => view! { <ErrorView error=e /> }.into_any(),
    }
}

enum NavItem {
    Section(String),
    Link {
        href: String,
        label: &'static str,
        exact: bool,
    },
}

/// Whether the link to `href` is the current page's, as the router's links decide: the same
/// path or, unless `exact`, a path below it.
fn is_current(href: &str, path: &str, exact: bool) -> bool {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    path == href
        || !exact
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/'))
}

/// The navigation's sections and links, the current one marked `aria-current="page"`.
fn nav_markup(items: &[NavItem], path: &str) -> String {
    let mut m = crate::ui::html::Markup::with_capacity(1024);
    for item in items {
        match item {
            NavItem::Section(name) => m
                .raw("<div class=\"nav-section\">")
                .text(name)
                .raw("</div>"),
            NavItem::Link { href, label, exact } => {
                m.raw("<a").attr("href", href);
                if is_current(href, path, *exact) {
                    m.raw(" aria-current=\"page\"");
                }
                m.raw(">").text(label).raw("</a>")
            }
        };
    }
    m.into_string()
}

/// The language form's options, the current one selected.
fn locale_options(current: Locale) -> String {
    let mut m = crate::ui::html::Markup::with_capacity(128);
    m.option("en", "English", current == Locale::En).option(
        "fr",
        "Français",
        current == Locale::Fr,
    );
    m.into_string()
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
    let pathname = use_location().pathname;
    view! {
        <div class="shell">
            <aside class="sidebar">
                <div class="brand">{t(T::AppName)}</div>
                <nav class="nav" aria-label="Main" inner_html=move || nav_markup(&links, &pathname.get())></nav>
                <div class="sidebar-footer">
                    <div class="small" data-testid="whoami">{me.email.clone()}</div>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_link_is_the_path_or_its_parent_unless_exact() {
        assert!(is_current("/review", "/review", false));
        assert!(is_current("/review", "/review/", false));
        assert!(is_current("/review", "/review/a/b", false));
        assert!(
            !is_current("/review", "/reviews", false),
            "a longer name is another page"
        );
        assert!(is_current("/tenants/1", "/tenants/1", true));
        assert!(
            !is_current("/tenants/1", "/tenants/1/templates", true),
            "the overview is exact"
        );
        assert!(!is_current("/tenants", "/", false));
    }

    #[test]
    fn the_navigation_marks_only_the_current_link_and_escapes_names() {
        let items = vec![
            NavItem::Section("<Acme & Co>".into()),
            NavItem::Link {
                href: "/tenants/1".into(),
                label: "Overview",
                exact: true,
            },
            NavItem::Link {
                href: "/tenants/1/templates".into(),
                label: "Templates",
                exact: false,
            },
        ];
        let html = nav_markup(&items, "/tenants/1/templates/2");
        assert!(html.contains("&lt;Acme &amp; Co&gt;"), "{html}");
        assert_eq!(html.matches("aria-current").count(), 1, "{html}");
        assert!(
            html.contains("<a href=\"/tenants/1/templates\" aria-current=\"page\">Templates</a>"),
            "{html}"
        );
        assert_eq!(
            nav_markup(&items, "/tenants/1")
                .matches("aria-current")
                .count(),
            1
        );
    }
}

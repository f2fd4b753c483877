//! The HTML shell and the router. No business logic here.

use super::{
    components::NotFound,
    frame::{Frame, Public},
    pages::*,
    session::{server_session, PageSessionInfo},
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
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

/// The Content-Security-Policy of every page (MDN,
/// <https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy>):
/// scripts only from this origin or inline with this answer's nonce (leptos puts it on each
/// script it writes: hydration, resources), WebAssembly compiled from this origin, styles from
/// this origin (and `style` attributes: a progress bar's width), nothing framing the console.
pub fn csp_for(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
fn content_security_policy() {
    let (Some(nonce), Some(opts)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(v) = http::HeaderValue::from_str(&csp_for(&nonce.to_string())) {
        opts.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
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
                <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/sign-in/code") view=SignInCodePage ssr=SsrMode::Async />
                <Route path=path!("/account/two-factor") view=TwoFactorSetupPage ssr=SsrMode::Async />
                <Route path=path!("/account/recovery-codes") view=RecoveryCodesPage ssr=SsrMode::Async />
                <Route path=path!("/reset-password/:token") view=ResetPasswordPage ssr=SsrMode::Async />
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
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("admin/outbox") view=OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("admin/staff") view=StaffPage ssr=SsrMode::Async />
                    <Route path=path!("admin/api-keys") view=BspApiKeysPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/api-keys") view=TenantApiKeysPage ssr=SsrMode::Async />
                    <Route path=path!("review") view=ReviewQueuePage ssr=SsrMode::Async />
                    <Route path=path!("review/:tenant/:template") view=ReviewPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

//! The pages, grouped by area (one folder each); what more than one page uses is in
//! `ui::components`.

mod admin;
mod auth;
mod finance;
mod health;
mod home;
mod profiles;
mod review;
mod templates;
mod tenants;

pub use admin::{AuditPage, BspApiKeysPage, OutboxPage, StaffPage, TenantApiKeysPage};
pub use auth::{
    AcceptInvitePage, AccountPage, ForgotPasswordPage, RecoveryCodesPage, ResetPasswordPage,
    SignInCodePage, SignInPage, TwoFactorSetupPage,
};
pub use finance::{
    FinanceUsagePage, InvoicePage, PriceListPage, PricingPage, RateCardPage,
    ReconciliationDetailPage, ReconciliationPage, ReratePage, TenantBillingPage,
};
pub use health::{AlertsPage, EventLogPage, NumbersPage, StaffAlertsPage};
pub use home::HomePage;
pub use profiles::{CompliancePage, ProfilePage, ProfilesPage};
pub use review::{ReviewPage, ReviewQueuePage};
pub use templates::{
    EditTemplatePage, NewTemplatePage, TemplateHistoryPage, TemplatePage, TemplatesPage,
};
pub use tenants::{EditTenantPage, NewTenantPage, TenantPage, TenantsPage};

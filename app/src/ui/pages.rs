//! One page per file.

mod accept_invite;
mod audit;
mod billing;
mod finance_usage;
mod health;
mod home;
mod new_tenant;
mod outbox;
mod pricing;
mod profile;
mod profiles;
mod reconciliation;
mod rerate;
mod review;
mod sign_in;
mod staff;
mod templates;
mod tenant;
mod tenants;

pub use accept_invite::AcceptInvitePage;
pub use audit::AuditPage;
pub use billing::{InvoicePage, TenantBillingPage};
pub use finance_usage::FinanceUsagePage;
pub use health::{AlertsPage, EventLogPage, NumbersPage, StaffAlertsPage};
pub use home::HomePage;
pub use new_tenant::{EditTenantPage, NewTenantPage};
pub use outbox::OutboxPage;
pub use pricing::{PriceListPage, PricingPage, RateCardPage};
pub use profile::{ComplianceBadge, CompliancePage, ProfilePage};
pub use profiles::ProfilesPage;
pub use reconciliation::{ReconciliationDetailPage, ReconciliationPage};
pub use rerate::ReratePage;
pub use review::{ReviewPage, ReviewQueuePage};
pub use sign_in::SignInPage;
pub use staff::StaffPage;
pub use templates::{
    EditTemplatePage, NewTemplatePage, TemplateHistoryPage, TemplatePage, TemplatesPage,
};
pub use tenant::TenantPage;
pub use tenants::TenantsPage;

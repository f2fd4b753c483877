//! Finance: pricing (rate cards, price lists), usage and margin, reconciliation, re-rating,
//! and a tenant's billing and invoices.

mod billing;
mod pricing;
mod reconciliation;
mod rerate;
mod usage;

pub use billing::{InvoicePage, TenantBillingPage};
pub use pricing::{PriceListPage, PricingPage, RateCardPage};
pub use reconciliation::{ReconciliationDetailPage, ReconciliationPage};
pub use rerate::ReratePage;
pub use usage::FinanceUsagePage;

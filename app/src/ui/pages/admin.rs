//! Administration: the audit log, the email outbox, BSP staff, API keys.

mod api_keys;
mod audit;
mod outbox;
mod staff;

pub use api_keys::{BspApiKeysPage, TenantApiKeysPage};
pub use audit::AuditPage;
pub use outbox::OutboxPage;
pub use staff::StaffPage;

//! Administration: the audit log, the email outbox, BSP staff.

mod audit;
mod outbox;
mod staff;

pub use audit::AuditPage;
pub use outbox::OutboxPage;
pub use staff::StaffPage;

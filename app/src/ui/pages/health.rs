//! Health at the platform: numbers and limits, alerts, the event log.

mod alerts;
mod common;
mod events;
mod numbers;

pub use alerts::{AlertsPage, StaffAlertsPage};
pub use events::EventLogPage;
pub use numbers::NumbersPage;

//! Business profiles: a number's profile and badge, every profile for staff, a tenant's
//! compliance checklist.

mod compliance;
mod errors;
mod oba;
mod overview;
mod profile;

pub use compliance::CompliancePage;
pub use overview::ProfilesPage;
pub use profile::ProfilePage;

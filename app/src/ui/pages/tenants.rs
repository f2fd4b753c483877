//! Tenants: the list, one tenant, creating and editing one.

mod list;
mod new_tenant;
mod tenant;

pub use list::TenantsPage;
pub use new_tenant::{EditTenantPage, NewTenantPage};
pub use tenant::TenantPage;

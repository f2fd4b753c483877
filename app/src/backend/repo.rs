//! Repositories: the only code that names tables. Functions on tenant-owned rows take a
//! `&TenantScope` first and filter by (or insert) the scope's tenant id; update or delete of
//! zero rows is `NotFound`.

pub mod alerts;
pub mod api_keys;
pub mod audit;
mod columnar;
pub mod domains;
mod entities;
pub mod idempotency;
pub mod identities;
pub mod invitations;
pub mod invoices;
pub mod oba;
pub mod outbox;
pub mod platform;
pub mod pricing;
pub mod profiles;
pub mod reconcile;
pub mod resets;
pub mod review;
mod revisions;
mod scoped;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod stripe;
pub mod submissions;
pub mod template_pages;
pub mod templates;
pub mod tenants;
pub mod throttle;
pub mod two_factor;
pub mod users;

use crate::contract::AppError;
use sea_orm::UpdateResult;

/// An update that touched no row means the row is not there (or not the caller's).
pub(crate) fn one_row(r: UpdateResult) -> Result<(), AppError> {
    if r.rows_affected == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

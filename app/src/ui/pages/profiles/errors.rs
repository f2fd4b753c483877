//! A refused profile's errors, as the profile pages show them next to their fields.

use crate::{contract::AppError, domain::profile::ProfileError};

/// The server's errors of the last save, else the live ones (as the user types).
pub(super) fn errors_of(e: Option<AppError>) -> Vec<ProfileError> {
    match e {
        Some(AppError::ProfileInvalid { errors }) => errors,
        _ => vec![],
    }
}

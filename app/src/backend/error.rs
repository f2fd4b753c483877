//! Mapping of backend failures to `AppError`, once: database errors are logged with a
//! reference id and never shown; unique-constraint violations become `Conflict`.

use crate::contract::{AppError, ConflictReason};
use sea_orm::{DbErr, SqlErr};

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(_)) = e.sql_err() {
            return AppError::conflict(ConflictReason::Duplicate);
        }
        internal(&e)
    }
}

/// Logs an unexpected failure and returns the error the user sees, with a reference.
pub fn internal(e: &dyn std::fmt::Display) -> AppError {
    let reference = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
    tracing::error!(reference = %reference, error = %e, "internal error");
    AppError::Internal { reference }
}

/// A stored value read back strictly: one this version cannot read (written by hand, or by a
/// later version) is an error logged with its table and row, never silently a default.
pub fn stored<T>(
    parsed: Option<T>,
    table: &str,
    row: uuid::Uuid,
    value: &str,
) -> Result<T, AppError> {
    parsed.ok_or_else(|| {
        internal(&format!(
            "unreadable stored value {value:?} in {table} row {row}"
        ))
    })
}

/// A stored JSON document read back strictly (see `stored`).
pub fn stored_json<T: serde::de::DeserializeOwned>(
    raw: &str,
    table: &str,
    row: uuid::Uuid,
) -> Result<T, AppError> {
    serde_json::from_str(raw).map_err(|e| {
        internal(&format!(
            "unreadable stored document in {table} row {row}: {e}"
        ))
    })
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        internal(&e)
    }
}

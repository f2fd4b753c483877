//! `AppError`: the only error a browser sees, with stable snake_case codes that the UI
//! turns into text. Internal failures carry only a reference id (the details are logged).
//! Wasm-safe; its messages come from the interface's catalogue (`i18n`).

use crate::{
    domain::{locale::Locale, validation::FieldErrors},
    i18n::T,
};
use serde::{Deserialize, Serialize};
use server_fn_error::*;

mod server_fn_error {
    pub use leptos::server_fn::{
        codec::JsonEncoding,
        error::{FromServerFnError, ServerFnErrorErr},
    };
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Validation { errors: FieldErrors },
    /// The request is well formed but cannot be done now; `reason` says why (stable code).
    #[error("conflict: {reason:?}")]
    Conflict { reason: ConflictReason },
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("throttled")]
    Throttled { retry_after_secs: u64 },
    /// Too much of an expensive kind of work (password hashing) is running: try again soon.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    #[error("suspended")]
    Suspended,
    #[error("invitation invalid")]
    InvitationInvalid,
    /// A password reset link that was used, expired or never existed.
    #[error("reset link invalid")]
    ResetLinkInvalid,
    #[error("blocking lint findings")]
    LintBlocked { errors: u32 },
    /// A business profile broke the platform's rules (each error names field and rule).
    #[error("invalid profile")]
    ProfileInvalid {
        errors: Vec<crate::domain::profile::ProfileError>,
    },
    /// Another reviewer holds the revision.
    #[error("claimed by another reviewer")]
    ClaimedByOther {
        by: String,
        until: chrono::DateTime<chrono::Utc>,
    },
    /// The tenant changed the template (a newer revision) since the reviewer opened it.
    #[error("revision changed")]
    RevisionChanged { current: i32 },
    #[error("internal error (ref {reference})")]
    Internal { reference: String },
    #[error("bad request: {message}")]
    Request { message: String },
    /// A media header's sample file was refused.
    #[error("invalid sample")]
    MediaInvalid {
        error: crate::domain::template::media::MediaError,
    },
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden | AppError::Suspended => 403,
            AppError::NotFound => 404,
            AppError::Validation { .. }
            | AppError::LintBlocked { .. }
            | AppError::ProfileInvalid { .. }
            | AppError::MediaInvalid { .. } => 422,
            AppError::Request { .. } => 400,
            AppError::Conflict { .. }
            | AppError::ClaimedByOther { .. }
            | AppError::RevisionChanged { .. } => 409,
            AppError::InvitationInvalid | AppError::ResetLinkInvalid => 410,
            AppError::Throttled { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// How long the client should wait before trying again (`Retry-After`), if it should.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::Throttled { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// Field errors, if this is a validation error.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation { errors } => Some(errors),
            _ => None,
        }
    }

    /// A sentence for the user.
    pub fn message(&self, l: Locale) -> String {
        match self {
            AppError::Unauthorized => T::ErrUnauthorized.get(l).into(),
            AppError::Forbidden => T::ErrForbidden.get(l).into(),
            AppError::NotFound => T::ErrNotFound.get(l).into(),
            AppError::Validation { .. } | AppError::ProfileInvalid { .. } => {
                T::ErrValidation.get(l).into()
            }
            AppError::Conflict { reason } => match reason {
                ConflictReason::Duplicate => T::ErrDuplicate,
                ConflictReason::ChangedMeanwhile => T::ErrConflict,
                ConflictReason::NotAllowedNow => T::ErrNotAllowedNow,
                ConflictReason::OwnAccount => T::ErrOwnAccount,
                ConflictReason::LastOwner => T::ErrLastOwner,
            }
            .get(l)
            .into(),
            AppError::InvalidCredentials => T::ErrInvalidCredentials.get(l).into(),
            AppError::Throttled { retry_after_secs } => {
                T::ErrThrottled.fill(l, &[&retry_after_secs.to_string()])
            }
            AppError::Busy { retry_after_secs } => {
                T::ErrBusy.fill(l, &[&retry_after_secs.to_string()])
            }
            AppError::Suspended => T::ErrSuspended.get(l).into(),
            AppError::InvitationInvalid => T::ErrInvitation.get(l).into(),
            AppError::ResetLinkInvalid => T::ErrResetLink.get(l).into(),
            AppError::LintBlocked { errors } => T::ErrLintBlocked.fill(l, &[&errors.to_string()]),
            AppError::ClaimedByOther { by, until } => {
                T::ErrClaimedByOther.fill(l, &[by, &until.format("%H:%M UTC").to_string()])
            }
            AppError::RevisionChanged { current } => {
                T::ErrRevisionChanged.fill(l, &[&current.to_string()])
            }
            AppError::Internal { reference } => T::ErrInternal.fill(l, &[reference]),
            AppError::Request { .. } => T::ErrRequest.get(l).into(),
            AppError::MediaInvalid { error } => crate::i18n::media_error_text(error, l),
        }
    }
}

/// Why a request conflicts with the state of things: each reads differently to the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReason {
    /// Something with the same unique name or key exists already.
    Duplicate,
    /// Someone or something changed it since it was read (a race lost, a stale version).
    ChangedMeanwhile,
    /// Its current state does not allow this (a status, a period not over, a feature off).
    NotAllowedNow,
    /// Nobody changes their own role or access.
    OwnAccount,
    /// A tenant never loses its last owner.
    LastOwner,
}

impl AppError {
    /// A conflict, saying why.
    pub fn conflict(reason: ConflictReason) -> Self {
        AppError::Conflict { reason }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Validation { errors }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request {
            message: value.to_string(),
        }
    }
}

//! Field-level validation errors: every problem of an input is reported at once, each
//! attached to the form field it concerns, with a stable code the UI turns into text.

use serde::{Deserialize, Serialize};

/// Stable codes for validation problems; the i18n catalogue has a text for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    TooLong,
    TooShort,
    InvalidEmail,
    InvalidPhone,
    InvalidCountry,
    InvalidCurrency,
    InvalidLocale,
    InvalidRole,
    InvalidDigits,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
    /// Among the most common passwords, or made of the user's own details.
    PasswordCommon,
    /// The current password given to confirm a change is not the right one.
    WrongPassword,
    /// A two-factor code that is wrong, expired or already used.
    WrongCode,
    AlreadyTaken,
    UnknownStaffUser,
    UnknownWaba,
    InvalidTemplateName,
    InvalidLanguage,
    InvalidCategory,
    InvalidReason,
    InvalidDomain,
    NoCategoryConsent,
    InvalidChoice,
    CriticalCannotBeMuted,
    InvalidDate,
    DateInPast,
    CsvEmpty,
    CsvUnreadable,
    CsvMissingColumn,
    CsvUnknownColumn,
    CsvTooManyRows,
    InvalidAmount,
    InvalidToken,
    UnknownTimeZone,
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

/// All problems found in one input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, code: FieldCode) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first problem of `field`, if any.
    pub fn get(&self, field: &str) -> Option<FieldCode> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// Records the error of a parse and returns its value, so a validator can go on and
    /// collect every problem instead of stopping at the first.
    pub fn take<T>(&mut self, field: &str, r: Result<T, FieldCode>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// A trimmed, non-empty text of at most `max` characters (Unicode scalar values).
pub fn bounded_text(raw: &str, max: usize) -> Result<String, FieldCode> {
    let t = raw.trim();
    if t.is_empty() {
        Err(FieldCode::Required)
    } else if t.chars().count() > max {
        Err(FieldCode::TooLong)
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_trims_and_counts_characters_not_bytes() {
        assert_eq!(bounded_text("  Café  ", 4), Ok("Café".to_owned()));
        assert_eq!(bounded_text("Cafés", 4), Err(FieldCode::TooLong));
        assert_eq!(bounded_text("   ", 4), Err(FieldCode::Required));
    }

    #[test]
    fn take_collects_every_error() {
        let mut errs = FieldErrors::new();
        let a = errs.take("a", bounded_text("", 3));
        let b = errs.take("b", bounded_text("toolong", 3));
        let c = errs.take("c", bounded_text("ok", 3));
        assert_eq!((a, b, c), (None, None, Some("ok".to_owned())));
        assert_eq!(errs.get("a"), Some(FieldCode::Required));
        assert_eq!(errs.get("b"), Some(FieldCode::TooLong));
        assert_eq!(errs.get("c"), None);
    }
}

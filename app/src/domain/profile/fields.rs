//! What the profile's and the checklist's forms share: an optional text field, trimmed and
//! bounded.

use super::error::{ProfileError, ProfileRule};

pub(super) fn optional(
    raw: &str,
    field: &str,
    max: usize,
    errors: &mut Vec<ProfileError>,
) -> Option<String> {
    let t = raw.trim();
    let n = t.chars().count();
    if n > max {
        errors.push(ProfileError {
            field: field.into(),
            rule: ProfileRule::TooLong { max, actual: n },
        });
    }
    (!t.is_empty()).then(|| t.to_owned())
}

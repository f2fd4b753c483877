//! The password policy (NIST 800-63B style: length, not composition rules).

use super::validation::FieldCode;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// Checks a new password and its confirmation.
pub fn check_new(password: &str, confirm: &str) -> Result<(), FieldCode> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Err(FieldCode::PasswordTooShort)
    } else if n > MAX_LEN {
        Err(FieldCode::PasswordTooLong)
    } else if password != confirm {
        Err(FieldCode::PasswordsDiffer)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_mismatched_passwords_are_refused() {
        assert_eq!(
            check_new("short", "short"),
            Err(FieldCode::PasswordTooShort)
        );
        let long = "x".repeat(MAX_LEN + 1);
        assert_eq!(check_new(&long, &long), Err(FieldCode::PasswordTooLong));
        assert_eq!(
            check_new("correct horse battery", "correct horse batterz"),
            Err(FieldCode::PasswordsDiffer)
        );
        assert_eq!(
            check_new("correct horse battery", "correct horse battery"),
            Ok(())
        );
    }
}

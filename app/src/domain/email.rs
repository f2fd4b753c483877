//! Email addresses: parsed once, stored lower-cased so that sign-in and uniqueness do not
//! depend on how a person typed their address.

use super::validation::FieldCode;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(FieldCode::Required);
        }
        if t.chars().count() > 254 {
            return Err(FieldCode::TooLong);
        }
        // The crate accepts RFC 5322 forms people never type (quoted locals, IP
        // literals); a console for businesses needs a plain `local@domain.tld`.
        let ok = email_address::EmailAddress::is_valid(t)
            && t.split_once('@').is_some_and(|(l, d)| {
                !l.is_empty() && d.contains('.') && !d.starts_with('[') && !l.starts_with('"')
            });
        if ok {
            Ok(Self(t.to_lowercase()))
        } else {
            Err(FieldCode::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@` (lower-cased, as the whole address).
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }

    /// Parses a list separated by commas, semicolons or line breaks; at least one address.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, FieldCode> {
        let mut out: Vec<Self> = Vec::new();
        for part in raw
            .split([',', ';', '\n', '\r'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let e = Self::parse(part)?;
            if !out.contains(&e) {
                out.push(e);
            }
        }
        if out.is_empty() {
            Err(FieldCode::Required)
        } else if out.len() > 20 {
            Err(FieldCode::TooLong)
        } else {
            Ok(out)
        }
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|_| "invalid email".to_owned())
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").map(|e| e.0),
            Ok("ana@example.com".into())
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "\"x\"@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_list_splits_on_commas_and_lines_and_drops_duplicates() {
        let l = Email::parse_list("a@x.io, b@x.io\nA@x.io;").unwrap_or_default();
        assert_eq!(l.len(), 2);
        assert_eq!(Email::parse_list(" , "), Err(FieldCode::Required));
        assert_eq!(
            Email::parse_list("a@x.io, nope"),
            Err(FieldCode::InvalidEmail)
        );
    }
}

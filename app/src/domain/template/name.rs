//! Template names: `^[a-z0-9_]{1,512}$` (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates).

use crate::domain::validation::FieldCode;
use serde::{Deserialize, Serialize};

pub const MAX_LEN: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TemplateName(String);

impl TemplateName {
    pub fn parse(raw: &str) -> Result<Self, FieldCode> {
        if raw.is_empty() {
            Err(FieldCode::Required)
        } else if raw.chars().count() > MAX_LEN {
            Err(FieldCode::TooLong)
        } else if raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldCode::InvalidTemplateName)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TemplateName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).map_err(|_| "invalid template name".to_owned())
    }
}

impl From<TemplateName> for String {
    fn from(n: TemplateName) -> Self {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_digits_and_underscores_up_to_512() {
        assert!(TemplateName::parse("order_shipped_2").is_ok());
        assert!(TemplateName::parse(&"a".repeat(512)).is_ok());
        assert_eq!(
            TemplateName::parse(&"a".repeat(513)),
            Err(FieldCode::TooLong)
        );
        assert_eq!(TemplateName::parse(""), Err(FieldCode::Required));
        for bad in ["Order", "order-shipped", "order shipped", "commandé", "x!"] {
            assert_eq!(
                TemplateName::parse(bad),
                Err(FieldCode::InvalidTemplateName),
                "{bad}"
            );
        }
    }
}

//! Opaque identifiers (UUIDv7) as newtypes, so a tenant id can never be passed as a user id.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id (server only: needs a random source).
            #[allow(clippy::new_without_default)]
            #[cfg(feature = "ssr")]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

id_type!(
    /// A business tenant of the BSP.
    TenantId
);
id_type!(
    /// A person who signs in (BSP staff or a tenant user).
    UserId
);
id_type!(
    /// A WhatsApp Business Account registered for a tenant.
    WabaRowId
);
id_type!(
    /// A business phone number registered for a tenant.
    PhoneNumberRowId
);
id_type!(
    /// An invitation to join a tenant (or the staff).
    InvitationId
);
id_type!(
    /// A queued outgoing email.
    EmailId
);
id_type!(
    /// A message template (one name and language of one WhatsApp Business Account).
    TemplateId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_from_their_display_form() {
        let id = TenantId(Uuid::nil());
        assert_eq!(id.to_string().parse::<TenantId>().ok(), Some(id));
    }

    #[test]
    fn a_malformed_id_is_an_error_not_a_panic() {
        assert!("not-a-uuid".parse::<UserId>().is_err());
        assert!("".parse::<UserId>().is_err());
    }
}

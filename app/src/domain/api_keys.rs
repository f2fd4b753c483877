//! What an API key may do. A tenant's key holds scopes (read; write of templates, profiles
//! and endpoints; billing read); a BSP key holds a staff role's rights. Neither can manage
//! users, keys or the BSP's own decisions on a tenant's requests.

use super::roles::{PlatformAction, StaffRole, TenantAction};
use serde::{Deserialize, Serialize};

/// A tenant key's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyScope {
    /// Read the tenant's numbers, profiles, templates, alerts and events.
    Read,
    /// Read, and change templates, profiles and relay endpoints.
    Write,
    /// Read usage, prices and invoices.
    Billing,
}

impl KeyScope {
    pub const ALL: [KeyScope; 3] = [KeyScope::Read, KeyScope::Write, KeyScope::Billing];

    pub fn code(self) -> &'static str {
        match self {
            KeyScope::Read => "read",
            KeyScope::Write => "write",
            KeyScope::Billing => "billing",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// A tenant key's scopes (at least one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyScopes {
    pub read: bool,
    pub write: bool,
    pub billing: bool,
}

impl KeyScopes {
    pub fn has(self, s: KeyScope) -> bool {
        match s {
            KeyScope::Read => self.read,
            KeyScope::Write => self.write,
            KeyScope::Billing => self.billing,
        }
    }

    /// The scopes held, in order.
    pub fn list(self) -> Vec<KeyScope> {
        KeyScope::ALL.into_iter().filter(|s| self.has(*s)).collect()
    }
}

/// What a key acts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyGrant {
    /// A tenant's key.
    Tenant(KeyScopes),
    /// A BSP key with the rights of a staff role.
    Staff(StaffRole),
}

impl KeyGrant {
    /// A tenant grant from scope codes (`read`, `write`, `billing`); `None` when empty or when
    /// a code is unknown.
    pub fn tenant<'a>(codes: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let mut s = KeyScopes {
            read: false,
            write: false,
            billing: false,
        };
        for code in codes {
            match KeyScope::parse(code)? {
                KeyScope::Read => s.read = true,
                KeyScope::Write => s.write = true,
                KeyScope::Billing => s.billing = true,
            }
        }
        (s.read || s.write || s.billing).then_some(KeyGrant::Tenant(s))
    }

    /// Whether a tenant key may do `action` in its tenant. `Write` includes reading.
    pub fn allows(&self, action: TenantAction) -> bool {
        match self {
            KeyGrant::Tenant(s) => {
                match action {
                    TenantAction::View => s.read || s.write,
                    TenantAction::Edit => s.write,
                    TenantAction::ViewBilling => s.billing,
                    // Users, keys and the BSP's decisions stay with people.
                    TenantAction::ManageUsers | TenantAction::DecideRequests => false,
                }
            }
            KeyGrant::Staff(role) => role.in_tenant(action) && action != TenantAction::ManageUsers,
        }
    }

    /// Whether a BSP key may do `action` across tenants: its role's rights, except managing
    /// staff and keys and reading end customers' raw payloads, which stay with people.
    pub fn allows_platform(&self, action: PlatformAction) -> bool {
        match self {
            KeyGrant::Tenant(_) => false,
            KeyGrant::Staff(role) => {
                role.can(action)
                    && !matches!(
                        action,
                        PlatformAction::ManageStaff
                            | PlatformAction::ManageApiKeys
                            | PlatformAction::ViewRawEvents
                    )
            }
        }
    }

    /// How the grant is stored: scope codes joined by spaces, or `staff:<role>`.
    pub fn code(&self) -> String {
        match self {
            KeyGrant::Tenant(s) => s
                .list()
                .into_iter()
                .map(KeyScope::code)
                .collect::<Vec<_>>()
                .join(" "),
            KeyGrant::Staff(role) => format!("staff:{}", role.code()),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.strip_prefix("staff:") {
            Some(role) => StaffRole::parse(role).map(KeyGrant::Staff),
            None => Self::tenant(s.split_whitespace()),
        }
    }
}

/// The longest key name.
pub const MAX_NAME: usize = 100;
/// The furthest a key's expiry may be set (days from today).
pub const MAX_EXPIRY_DAYS: i64 = 3 * 366;

/// A new key as typed: a name, the scopes ticked (a tenant's key) or a staff role (a BSP
/// key), an optional last day (`YYYY-MM-DD`, UTC; empty: no expiry).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct KeyForm {
    pub name: String,
    #[serde(default)]
    pub read: Option<String>,
    #[serde(default)]
    pub write: Option<String>,
    #[serde(default)]
    pub billing: Option<String>,
    /// A BSP key's role (`admin`, `reviewer`, `finance`); ignored for a tenant's key.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub expires_on: String,
}

/// A valid new key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRequest {
    pub name: String,
    pub grant: KeyGrant,
    /// The key works until the end of this day (UTC).
    pub expires_on: Option<chrono::NaiveDate>,
}

impl KeyForm {
    /// Checks the form for a tenant's key (`staff: false`) or a BSP key, on `today` (UTC).
    pub fn validate(
        &self,
        staff: bool,
        today: chrono::NaiveDate,
    ) -> Result<KeyRequest, super::validation::FieldErrors> {
        use super::validation::{FieldCode, FieldErrors};
        let mut e = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            e.add("name", FieldCode::Required);
        } else if name.chars().count() > MAX_NAME {
            e.add("name", FieldCode::TooLong);
        }
        let ticked = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        let grant = if staff {
            match self.role.as_deref().and_then(StaffRole::parse) {
                Some(role) => Some(KeyGrant::Staff(role)),
                None => {
                    e.add("role", FieldCode::InvalidRole);
                    None
                }
            }
        } else {
            let codes = [
                ticked(&self.read).then_some("read"),
                ticked(&self.write).then_some("write"),
                ticked(&self.billing).then_some("billing"),
            ];
            let grant = KeyGrant::tenant(codes.into_iter().flatten());
            if grant.is_none() {
                e.add("scopes", FieldCode::Required);
            }
            grant
        };
        let expires_on = match self.expires_on.trim() {
            "" => None,
            raw => match chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d < today => {
                    e.add("expires_on", FieldCode::DateInPast);
                    None
                }
                Ok(d) if (d - today).num_days() > MAX_EXPIRY_DAYS => {
                    e.add("expires_on", FieldCode::InvalidDate);
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("expires_on", FieldCode::InvalidDate);
                    None
                }
            },
        };
        match grant {
            Some(grant) if e.is_empty() => Ok(KeyRequest {
                name: name.to_owned(),
                grant,
                expires_on,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_allow_what_they_say_and_nothing_of_users_or_decisions() {
        let read = KeyGrant::tenant(["read"]).expect("read");
        assert!(read.allows(TenantAction::View));
        assert!(!read.allows(TenantAction::Edit));
        assert!(!read.allows(TenantAction::ViewBilling));
        let write = KeyGrant::tenant(["write"]).expect("write");
        assert!(write.allows(TenantAction::View) && write.allows(TenantAction::Edit));
        assert!(!write.allows(TenantAction::ViewBilling));
        let billing = KeyGrant::tenant(["billing"]).expect("billing");
        assert!(billing.allows(TenantAction::ViewBilling));
        assert!(!billing.allows(TenantAction::View));
        let all = KeyGrant::tenant(["billing", "write", "read", "write"]).expect("all");
        assert_eq!(all.code(), "read write billing");
        for g in [&read, &write, &billing, &all] {
            assert!(!g.allows(TenantAction::ManageUsers));
            assert!(!g.allows(TenantAction::DecideRequests));
        }
        let admin = KeyGrant::Staff(StaffRole::Admin);
        assert!(admin.allows(TenantAction::Edit) && !admin.allows(TenantAction::ManageUsers));
        let reviewer = KeyGrant::Staff(StaffRole::Reviewer);
        assert!(reviewer.allows(TenantAction::View) && !reviewer.allows(TenantAction::Edit));
        assert!(reviewer.allows_platform(PlatformAction::ReviewTemplates));
        assert!(!reviewer.allows_platform(PlatformAction::ManagePricing));
        assert!(admin.allows_platform(PlatformAction::ManageTenants));
        assert!(!admin.allows_platform(PlatformAction::ManageStaff));
        assert!(!admin.allows_platform(PlatformAction::ViewRawEvents));
        assert!(!all.allows_platform(PlatformAction::ViewTenants));
    }

    #[test]
    fn a_key_form_needs_a_name_a_scope_or_role_and_a_sensible_expiry() {
        use crate::domain::validation::FieldCode;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).expect("date");
        let form = KeyForm {
            name: "  CRM sync ".into(),
            read: Some("on".into()),
            billing: Some("on".into()),
            expires_on: "2027-06-30".into(),
            ..Default::default()
        };
        let ok = form.validate(false, today).expect("valid");
        assert_eq!(ok.name, "CRM sync");
        assert_eq!(ok.grant.code(), "read billing");
        assert_eq!(ok.expires_on, chrono::NaiveDate::from_ymd_opt(2027, 6, 30));
        let bad = KeyForm {
            name: "x".repeat(MAX_NAME + 1),
            expires_on: "2026-12-07".into(),
            ..Default::default()
        };
        let e = bad.validate(false, today).expect_err("invalid");
        assert_eq!(e.get("name"), Some(FieldCode::TooLong));
        assert_eq!(e.get("scopes"), Some(FieldCode::Required));
        assert_eq!(e.get("expires_on"), Some(FieldCode::DateInPast));
        let far = KeyForm {
            name: "n".into(),
            role: Some("owner".into()),
            expires_on: "2031-01-01".into(),
            ..Default::default()
        };
        let e = far.validate(true, today).expect_err("invalid");
        assert_eq!(e.get("role"), Some(FieldCode::InvalidRole));
        assert_eq!(e.get("expires_on"), Some(FieldCode::InvalidDate));
        let staff = KeyForm {
            name: "ERP".into(),
            role: Some("finance".into()),
            ..Default::default()
        };
        assert_eq!(
            staff.validate(true, today).map(|r| r.grant),
            Ok(KeyGrant::Staff(StaffRole::Finance))
        );
    }

    #[test]
    fn grants_round_trip_and_refuse_unknown_or_empty_scopes() {
        for g in [
            KeyGrant::tenant(["read", "billing"]).expect("grant"),
            KeyGrant::Staff(StaffRole::Finance),
        ] {
            assert_eq!(KeyGrant::parse(&g.code()), Some(g));
        }
        assert_eq!(KeyGrant::tenant([]), None);
        assert_eq!(KeyGrant::tenant(["read", "admin"]), None);
        assert_eq!(KeyGrant::parse("staff:owner"), None);
        assert_eq!(KeyGrant::parse(""), None);
    }
}

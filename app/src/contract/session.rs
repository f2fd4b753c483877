//! Who is signed in and where: what every page needs first.

use super::error::AppError;
use crate::domain::ids::{TenantId, UserId};
use crate::domain::locale::Locale;
use crate::domain::roles::{StaffRole, TenantRole};
use serde::{Deserialize, Serialize};

/// Who is signed in, and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub staff_role: Option<StaffRole>,
    pub memberships: Vec<MembershipInfo>,
    pub active_tenant: Option<TenantId>,
}

impl Me {
    pub fn is_staff(&self) -> bool {
        self.staff_role.is_some()
    }
    pub fn active_membership(&self) -> Option<&MembershipInfo> {
        self.active_tenant
            .and_then(|t| self.memberships.iter().find(|m| m.tenant_id == t))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipInfo {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub role: TenantRole,
}

/// The session of a page request as the server read it before rendering (put in the request
/// by the server's page layer, read by `ui::session`).
#[derive(Clone, Debug)]
pub struct PageSession(pub Result<SessionInfo, AppError>);

/// What every page needs first: the user (if any) and the interface language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<Me>,
    pub locale: Locale,
    /// Signed in, but to enrol in two-factor sign-in before anything else.
    #[serde(default)]
    pub must_enrol: bool,
}

/// One of the signed-in user's sessions, as their sessions list shows it. `handle` names it
/// for ending it; it is not the session's id (which is the cookie's secret).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub handle: String,
    /// Browser and system, read from the user agent at sign-in ("Firefox on Linux").
    pub device: String,
    /// The client address at sign-in (IPv6: its /64).
    pub place: Option<String>,
    pub signed_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session this page is shown in.
    pub current: bool,
}

/// A user's two-factor sign-in, for their account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    /// The policy requires it of this user (it cannot be turned off).
    pub required: bool,
    pub recovery_codes_left: u64,
}

/// An enrolment in progress: the secret as a QR code (SVG drawn on the server), as an
/// `otpauth://` URI and as base32 text to type in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

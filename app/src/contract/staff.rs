//! BSP staff: members, their invitations and the staff page.

use crate::domain::ids::{InvitationId, UserId};
use crate::domain::roles::StaffRole;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffInvitationInfo {
    pub id: InvitationId,
    pub email: String,
    pub role: StaffRole,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffPage {
    pub members: Vec<StaffMember>,
    pub invitations: Vec<StaffInvitationInfo>,
    /// The viewer, who may not demote or disable themselves.
    pub me: UserId,
}

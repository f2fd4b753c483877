//! BSP staff management (admins): list, invite, change role, disable; nobody can demote or
//! disable themselves, so the console always keeps an admin who can act.

use super::audit::{record, Entry};
use crate::{
    backend::{
        identity::Actor,
        outbox::{EmailMessage, NewEmail},
        repo,
        scope::PlatformScope,
        tx::Tx,
    },
    contract::{AppError, ConflictReason, StaffPage},
    domain::{
        email::Email,
        ids::{InvitationId, UserId},
        locale::Locale,
        roles::StaffRole,
        validation::{FieldCode, FieldErrors},
    },
};
use serde_json::json;

fn field(name: &str, code: FieldCode) -> AppError {
    let mut e = FieldErrors::new();
    e.add(name, code);
    e.into()
}

pub async fn page(scope: &PlatformScope) -> Result<StaffPage, AppError> {
    let me = scope.actor().user_id().ok_or(AppError::Forbidden)?;
    Ok(StaffPage {
        members: repo::staff::list_members(scope.db()).await?,
        invitations: repo::staff::list_pending(scope.db()).await?,
        me,
    })
}

pub async fn invite(
    scope: &PlatformScope,
    raw_email: &str,
    raw_role: &str,
) -> Result<InvitationId, AppError> {
    let mut errs = FieldErrors::new();
    let email = errs.take("email", Email::parse(raw_email));
    let role = errs.take(
        "role",
        StaffRole::parse(raw_role).ok_or(FieldCode::InvalidRole),
    );
    let (Some(email), Some(role)) = (email, role) else {
        return Err(errs.into());
    };
    let st = scope.state();
    let now = st.now();
    let tx = Tx::begin(&st.db).await?;
    if repo::users::find_by_email(&tx, email.as_str())
        .await?
        .is_some()
    {
        return Err(field("email", FieldCode::AlreadyTaken));
    }
    repo::staff::revoke_pending_for_email(&tx, email.as_str(), now).await?;
    let (token, hash) = super::invitations::new_token();
    let expires_at = now + st.settings.invite_ttl;
    let id = repo::staff::insert_invitation(
        &tx,
        email.as_str(),
        role,
        &hash,
        expires_at,
        scope.actor().user_id(),
        now,
    )
    .await?;
    let inviter = match scope.actor() {
        Actor::User { email, .. } => email.clone(),
        _ => "BSP Console".into(),
    };
    let accept_url = format!(
        "{}/invite/{token}",
        st.settings.public_url.trim_end_matches('/')
    );
    let message = EmailMessage::StaffInvitation {
        inviter,
        role,
        accept_url,
        expires_at,
    };
    repo::outbox::insert(
        &tx,
        &NewEmail {
            tenant: None,
            recipient: email.as_str().to_owned(),
            locale: Locale::En,
            message,
        },
        now,
    )
    .await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: None,
            action: "staff.invite",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn revoke(scope: &PlatformScope, id: InvitationId) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    repo::staff::revoke_invitation(&tx, id, now).await?;
    record(
        &tx,
        now,
        Entry::<(), ()> {
            actor: scope.actor(),
            tenant: None,
            action: "staff.invitation_revoke",
            subject: &id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn not_self(scope: &PlatformScope, user: UserId) -> Result<(), AppError> {
    if scope.actor().user_id() == Some(user) {
        // Demoting or disabling oneself could leave the console without an admin.
        return Err(AppError::conflict(ConflictReason::OwnAccount));
    }
    Ok(())
}

pub async fn set_role(scope: &PlatformScope, user: UserId, raw_role: &str) -> Result<(), AppError> {
    let role = StaffRole::parse(raw_role).ok_or_else(|| field("role", FieldCode::InvalidRole))?;
    not_self(scope, user)?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let before = repo::staff::find_member(&tx, user).await?;
    repo::staff::update_role(&tx, user, role).await?;
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: None,
            action: "staff.role",
            subject: &user.to_string(),
            before: Some(json!({"role": before.role})),
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_disabled(
    scope: &PlatformScope,
    user: UserId,
    disabled: bool,
) -> Result<(), AppError> {
    not_self(scope, user)?;
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let before = repo::staff::find_member(&tx, user).await?;
    repo::staff::update_disabled(&tx, user, disabled).await?;
    let action = if disabled {
        "staff.disable"
    } else {
        "staff.enable"
    };
    record(
        &tx,
        now,
        Entry {
            actor: scope.actor(),
            tenant: None,
            action,
            subject: &user.to_string(),
            before: Some(json!({"disabled": before.disabled})),
            after: Some(json!({"disabled": disabled})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

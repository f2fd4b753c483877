//! Invitations: staff invite owners, owners invite editors and viewers; links are
//! single-use, expire (72 h by default), can be resent (new token) and revoked.

use super::audit::{record, Entry};
use crate::{
    backend::{
        auth,
        context::{RequestCtx, SESSION_TENANT, SESSION_USER},
        identity::{Access, Actor},
        outbox::{EmailMessage, NewEmail},
        password::{check_new, hash_password},
        repo,
        scope::TenantScope,
        state::AppState,
        tx::Tx,
    },
    contract::{AppError, InvitePreview, InvitedAs},
    domain::{
        email::Email,
        ids::InvitationId,
        roles::{StaffRole, TenantRole},
        validation::{bounded_text, FieldCode, FieldErrors},
    },
};
use rand::RngCore;
use sea_orm::ConnectionTrait;
use serde_json::json;
use sha2::{Digest, Sha256};

/// A fresh secret token and the hash that is stored.
pub(super) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a secret link token (invitations, password resets).
pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// Whether the scope may grant `role`: staff admins and operators any, owners editor/viewer.
pub(super) fn may_grant(scope: &TenantScope, role: TenantRole) -> bool {
    match scope.access() {
        Access::Operator => true,
        Access::Staff(s) => s.in_tenant(crate::domain::roles::TenantAction::ManageUsers),
        Access::Member(r) => r.may_invite(role),
        // Users stay with people: a key invites nobody.
        Access::Key(_) => false,
    }
}

async fn queue_email(
    scope: &TenantScope,
    db: &impl ConnectionTrait,
    email: &str,
    role: TenantRole,
    token: &str,
) -> Result<(), AppError> {
    let st = scope.state();
    let now = st.now();
    let tenant = repo::tenants::load(scope, db).await?;
    let accept_url = format!(
        "{}/invite/{token}",
        st.settings.public_url.trim_end_matches('/')
    );
    let inviter = match scope.actor() {
        Actor::User { email, .. } => email.clone(),
        _ => "BSP Console".into(),
    };
    let message = EmailMessage::Invitation {
        tenant_name: tenant.display_name,
        inviter,
        role,
        accept_url,
        expires_at: now + st.settings.invite_ttl,
    };
    repo::outbox::insert(
        db,
        &NewEmail {
            tenant: Some(scope.tenant_id()),
            recipient: email.to_owned(),
            locale: tenant.locale,
            message,
        },
        now,
    )
    .await?;
    Ok(())
}

pub async fn invite(
    scope: &TenantScope,
    raw_email: &str,
    raw_role: &str,
) -> Result<InvitationId, AppError> {
    let mut errs = FieldErrors::new();
    let email = errs.take("email", Email::parse(raw_email));
    let role = errs.take(
        "role",
        TenantRole::parse(raw_role)
            .filter(|r| may_grant(scope, *r))
            .ok_or(FieldCode::InvalidRole),
    );
    let (Some(email), Some(role)) = (email, role) else {
        return Err(errs.into());
    };
    let st = scope.state();
    let now = st.now();
    let tx = Tx::begin(scope.db()).await?;
    if let Some(u) = repo::users::find_by_email(&tx, email.as_str()).await? {
        if repo::users::is_member(scope, &tx, u.id).await? {
            errs.add("email", FieldCode::AlreadyTaken);
            return Err(errs.into());
        }
    }
    let (token, hash) = new_token();
    let expires = now + st.settings.invite_ttl;
    let id = match repo::invitations::find_pending_for_email(scope, &tx, email.as_str()).await? {
        // Inviting again renews the pending invitation instead of stacking links.
        Some((id, _)) => {
            repo::invitations::rotate(scope, &tx, id, &hash, expires, Some(role)).await?;
            id
        }
        None => {
            repo::invitations::insert(
                scope,
                &tx,
                email.as_str(),
                role,
                &hash,
                expires,
                scope.actor().user_id(),
                now,
            )
            .await?
        }
    };
    queue_email(scope, &tx, email.as_str(), role, &token).await?;
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "invitation.create",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn resend(scope: &TenantScope, id: InvitationId) -> Result<(), AppError> {
    let st = scope.state();
    let now = st.now();
    let tx = Tx::begin(scope.db()).await?;
    let (email, role) = repo::invitations::find_pending(scope, &tx, id).await?;
    if !may_grant(scope, role) {
        return Err(AppError::Forbidden);
    }
    let (token, hash) = new_token();
    repo::invitations::rotate(scope, &tx, id, &hash, now + st.settings.invite_ttl, None).await?;
    queue_email(scope, &tx, &email, role, &token).await?;
    record(
        &tx,
        now,
        Entry::<(), ()> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "invitation.resend",
            subject: &id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke(scope: &TenantScope, id: InvitationId) -> Result<(), AppError> {
    let now = scope.state().now();
    let tx = Tx::begin(scope.db()).await?;
    let (_, role) = repo::invitations::find_pending(scope, &tx, id).await?;
    if !may_grant(scope, role) {
        return Err(AppError::Forbidden);
    }
    repo::invitations::revoke(scope, &tx, id, now).await?;
    record(
        &tx,
        now,
        Entry::<(), ()> {
            actor: scope.actor(),
            tenant: Some(scope.tenant_id()),
            action: "invitation.revoke",
            subject: &id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn preview(state: &AppState, token: &str) -> Result<InvitePreview, AppError> {
    let hash = token_hash(token);
    if let Some((_, email, role)) =
        repo::staff::find_by_token_hash(&state.db, &hash, state.now()).await?
    {
        return Ok(InvitePreview {
            tenant_name: "BSP Console".into(),
            email,
            role: InvitedAs::Staff(role),
            existing_account: false,
        });
    }
    let inv = repo::invitations::find_by_token_hash(&state.db, &hash, state.now())
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let existing = repo::users::find_by_email(&state.db, &inv.email)
        .await?
        .is_some_and(|u| u.password_hash.is_some());
    Ok(InvitePreview {
        tenant_name: inv.tenant_name,
        email: inv.email,
        role: InvitedAs::Tenant(inv.role),
        existing_account: existing,
    })
}

/// Accepts a staff invitation: a new staff account with the chosen password.
async fn accept_staff(
    ctx: &RequestCtx,
    id: InvitationId,
    email: &str,
    role: StaffRole,
    name: &str,
    pw: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let mut errs = FieldErrors::new();
    errs.take("name", bounded_text(name, 200));
    errs.take("password", check_new(pw, confirm, &[email, name]));
    errs.into_result()?;
    let st = ctx.state();
    let now = st.now();
    let hash = hash_password(pw.to_owned()).await?;
    let email = Email::parse(email).map_err(|_| AppError::InvitationInvalid)?;
    let tx = Tx::begin(&st.db).await?;
    if !repo::staff::mark_accepted(&tx, id, now).await?
        || repo::users::find_by_email(&tx, email.as_str())
            .await?
            .is_some()
    {
        return Err(AppError::InvitationInvalid);
    }
    let user = repo::users::insert(
        &tx,
        &email,
        name.trim(),
        Some(hash),
        Some(role),
        Some(ctx.locale()),
        now,
    )
    .await?;
    let actor = Actor::User {
        id: user,
        email: email.as_str().to_owned(),
    };
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: &actor,
            tenant: None,
            action: "staff.accept",
            subject: &id.to_string(),
            before: None,
            after: Some(json!({"role": role})),
        },
    )
    .await?;
    tx.commit().await?;
    let session = ctx.session();
    session.cycle_id().await?;
    session.insert(SESSION_USER, user).await?;
    super::auth::mark_signed_in(ctx).await?;
    Ok("/".into())
}

/// What accepting an invitation takes: an existing user proves it is them with their password
/// (a guess like a sign-in's, under the same limits: `None`); a new one chooses a name and a
/// password (its hash).
async fn credentials(
    ctx: &RequestCtx,
    email: &str,
    existing: Option<&repo::users::UserRecord>,
    name: &str,
    pw: &str,
    confirm: &str,
) -> Result<Option<String>, AppError> {
    if existing.is_some_and(|u| u.password_hash.is_some()) {
        let account = email.trim().to_lowercase();
        let verdict = super::sign_in_guard::check_password(ctx, &account, existing, pw).await?;
        if !matches!(verdict, super::sign_in_guard::Verdict::Right { .. }) {
            return Err(AppError::InvalidCredentials);
        }
        return Ok(None);
    }
    let mut errs = FieldErrors::new();
    errs.take("name", bounded_text(name, 200));
    errs.take("password", check_new(pw, confirm, &[email, name]));
    errs.into_result()?;
    Ok(Some(hash_password(pw.to_owned()).await?))
}

/// Accepts an invitation: a new user sets name and password; an existing user proves it is
/// them with their password. Then the user is signed in. Returns where to go next.
pub async fn accept(
    ctx: &RequestCtx,
    token: &str,
    name: &str,
    pw: &str,
    confirm: &str,
) -> Result<String, AppError> {
    let st = ctx.state();
    let now = st.now();
    let hash = token_hash(token);
    if let Some((id, email, role)) = repo::staff::find_by_token_hash(&st.db, &hash, now).await? {
        return accept_staff(ctx, id, &email, role, name, pw, confirm).await;
    }
    let inv = repo::invitations::find_by_token_hash(&st.db, &hash, now)
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let existing = repo::users::find_by_email(&st.db, &inv.email).await?;
    let new_hash = credentials(ctx, &inv.email, existing.as_ref(), name, pw, confirm).await?;
    let tx = Tx::begin(&st.db).await?;
    let actor_email = inv.email.clone();
    let user_id = match (&existing, &new_hash) {
        (Some(u), Some(h)) => {
            repo::users::update_password(&tx, u.id, Some(name.trim()), h).await?;
            u.id
        }
        (Some(u), None) => u.id,
        (None, h) => {
            let email = Email::parse(&inv.email).map_err(|_| AppError::InvitationInvalid)?;
            repo::users::insert(
                &tx,
                &email,
                name.trim(),
                h.clone(),
                None,
                Some(ctx.locale()),
                now,
            )
            .await?
        }
    };
    let actor = Actor::User {
        id: user_id,
        email: actor_email,
    };
    let scope = auth::invitation_scope(st, inv.tenant_id, actor.clone(), inv.role);
    if !repo::invitations::mark_accepted(&scope, &tx, inv.id, now).await? {
        return Err(AppError::InvitationInvalid);
    }
    if !repo::users::is_member(&scope, &tx, user_id).await? {
        repo::users::insert_membership(&scope, &tx, user_id, inv.role, now).await?;
    }
    record(
        &tx,
        now,
        Entry::<(), _> {
            actor: &actor,
            tenant: Some(inv.tenant_id),
            action: "invitation.accept",
            subject: &inv.id.to_string(),
            before: None,
            after: Some(json!({"role": inv.role})),
        },
    )
    .await?;
    tx.commit().await?;
    let session = ctx.session();
    session.cycle_id().await?;
    session.insert(SESSION_USER, user_id).await?;
    super::auth::mark_signed_in(ctx).await?;
    session.insert(SESSION_TENANT, inv.tenant_id).await?;
    Ok(format!("/tenants/{}?flash=welcome", inv.tenant_id))
}

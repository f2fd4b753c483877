//! Signing in and out, tenant switching, language choice.

use super::{
    audit::{record, Entry},
    sign_in_guard::{self, Verdict},
    two_factor,
};
use crate::{
    backend::{
        context::{
            RequestCtx, SESSION_MUST_ENROL, SESSION_PENDING, SESSION_SIGNED_IN, SESSION_TENANT,
            SESSION_USER,
        },
        device,
        identity::Actor,
        repo,
        tx::Tx,
    },
    contract::AppError,
    domain::{ids::TenantId, locale::Locale},
};

/// What a sign-in leaves in the browser besides the session, and where it goes next.
pub struct SignedIn {
    /// A `Set-Cookie` value for a browser this user had not signed in from before.
    pub device_cookie: Option<String>,
    /// Not done yet: the second step (`/sign-in/code`), or enrolment in two-factor sign-in
    /// that the policy requires (`/account/two-factor`).
    pub next: Option<&'static str>,
}

/// The longest email looked at: a longer one is no account's.
const MAX_EMAIL: usize = 320;

pub async fn sign_in(ctx: &RequestCtx, email: &str, password: &str) -> Result<SignedIn, AppError> {
    let st = ctx.state();
    if email.len() > MAX_EMAIL || sign_in_guard::too_long(password) {
        return Err(AppError::InvalidCredentials);
    }
    // The turn before the lookup: under a flood, the requests told to come back later (503)
    // cost no query at all (benchmark B5).
    let turn = sign_in_guard::sign_in_turn().await?;
    let account = email.trim().to_lowercase();
    let user = repo::users::find_by_email(&st.db, &account).await?;
    let verdict =
        sign_in_guard::check_password_on(ctx, turn, &account, user.as_ref(), password).await?;
    let (Some(user), Verdict::Right { known_device }) = (user, verdict) else {
        tracing::info!("sign-in refused");
        return Err(AppError::InvalidCredentials);
    };
    // Checked after the password, so it says nothing about accounts one cannot open.
    if user.staff_role.is_none() && !repo::users::has_active_membership(&st.db, user.id).await? {
        return Err(AppError::Suspended);
    }
    after_first_factor(ctx, &user, known_device, FirstFactor::Password).await
}

/// How the user proved who they are before any second factor.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor {
    Password,
    /// The organisation's OpenID provider.
    Provider,
    /// The provider, trusted to ask for a second factor of its own (`OIDC_TRUST_MFA`): the
    /// policy (`REQUIRE_2FA_FOR`) does not send such a sign-in to enrol here.
    ProviderWithMfa,
}

/// After the password (or the provider): the second step when the user has two-factor
/// sign-in, else the session starts.
pub(super) async fn after_first_factor(
    ctx: &RequestCtx,
    user: &repo::users::UserRecord,
    known_device: Option<uuid::Uuid>,
    first: FirstFactor,
) -> Result<SignedIn, AppError> {
    let st = ctx.state();
    if repo::two_factor::is_enabled(&st.db, user.id).await? {
        // The password was right: the session waits for the second step, signed in as nobody.
        let session = ctx.session();
        session.cycle_id().await?;
        session
            .insert(
                SESSION_PENDING,
                two_factor::Pending {
                    user: user.id,
                    at: st.now(),
                    known_device,
                },
            )
            .await?;
        return Ok(SignedIn {
            device_cookie: None,
            next: Some("/sign-in/code"),
        });
    }
    finish_sign_in(ctx, user, known_device, first).await
}

/// The second step of a sign-in: a code of the user's authenticator app, or a recovery code.
/// The password step must be recent (5 minutes).
pub async fn sign_in_code(ctx: &RequestCtx, code: &str) -> Result<SignedIn, AppError> {
    let st = ctx.state();
    let pending: two_factor::Pending = ctx
        .session()
        .get(SESSION_PENDING)
        .await?
        .filter(|p: &two_factor::Pending| st.now() - p.at < two_factor::pending_lifetime())
        .ok_or(AppError::Unauthorized)?;
    let user = repo::users::find(&st.db, pending.user)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(AppError::Unauthorized)?;
    if !two_factor::check_code(st, &user, code).await? {
        return Err(two_factor::wrong_code());
    }
    ctx.session()
        .remove::<two_factor::Pending>(SESSION_PENDING)
        .await?;
    finish_sign_in(ctx, &user, pending.known_device, FirstFactor::Password).await
}

/// The end of a sign-in (after the password, or after the second step): the browser becomes a
/// known device, the session starts; a user the policy requires to have a second factor, and
/// who has none, is sent to enrol before anything else.
async fn finish_sign_in(
    ctx: &RequestCtx,
    user: &repo::users::UserRecord,
    known_device: Option<uuid::Uuid>,
    first: FirstFactor,
) -> Result<SignedIn, AppError> {
    let st = ctx.state();
    let device_cookie = match known_device {
        Some(d) => {
            repo::throttle::touch_device(&st.db, d, st.now()).await?;
            None
        }
        None => {
            let (token, hash) = device::new_token();
            repo::throttle::add_device(&st.db, user.id.0, &hash, st.now()).await?;
            Some(device::set_cookie(
                &token,
                st.settings.public_url.starts_with("https://"),
            ))
        }
    };
    start_session(ctx, user).await?;
    let must_enrol = first != FirstFactor::ProviderWithMfa
        && two_factor::required_for(st, user.staff_role.is_some())
        && !repo::two_factor::is_enabled(&st.db, user.id).await?;
    if must_enrol {
        ctx.session().insert(SESSION_MUST_ENROL, true).await?;
    }
    Ok(SignedIn {
        device_cookie,
        next: must_enrol.then_some("/account/two-factor"),
    })
}

/// A new session for `user` (a new id defeats session fixation), in the audit log.
async fn start_session(ctx: &RequestCtx, user: &repo::users::UserRecord) -> Result<(), AppError> {
    let st = ctx.state();
    let session = ctx.session();
    session.cycle_id().await?;
    session.insert(SESSION_USER, user.id).await?;
    session.remove::<TenantId>(SESSION_TENANT).await?;
    mark_signed_in(ctx).await?;
    record(
        &st.db,
        st.now(),
        Entry::<(), ()> {
            actor: &Actor::User {
                id: user.id,
                email: user.email.clone(),
            },
            tenant: None,
            action: "user.sign_in",
            subject: &user.id.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(())
}

/// Keeps when, where and with what the session signed in (its absolute lifetime counts from
/// then; the sessions list shows the rest).
pub(super) async fn mark_signed_in(ctx: &RequestCtx) -> Result<(), AppError> {
    ctx.session()
        .insert(SESSION_SIGNED_IN, ctx.signed_in_meta())
        .await?;
    Ok(())
}

pub async fn sign_out(ctx: &RequestCtx) -> Result<(), AppError> {
    // Deletes the row in the store, so a copied cookie is useless afterwards.
    ctx.session().flush().await?;
    Ok(())
}

pub async fn switch_tenant(ctx: &RequestCtx, tenant: TenantId) -> Result<(), AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    if !user.memberships.iter().any(|m| m.tenant_id == tenant) {
        return Err(AppError::NotFound);
    }
    ctx.session().insert(SESSION_TENANT, tenant).await?;
    Ok(())
}

pub async fn set_locale(ctx: &RequestCtx, raw: &str) -> Result<(), AppError> {
    let user = ctx.user().ok_or(AppError::Unauthorized)?;
    let locale = Locale::parse(raw).ok_or_else(|| {
        let mut e = crate::domain::validation::FieldErrors::new();
        e.add(
            "locale",
            crate::domain::validation::FieldCode::InvalidLocale,
        );
        AppError::from(e)
    })?;
    let tx = Tx::begin(&ctx.state().db).await?;
    repo::users::update_locale(&tx, user.id, locale).await?;
    Ok(tx.commit().await?)
}

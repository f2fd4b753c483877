//! Two-factor sign-in with time-based codes (TOTP, RFC 6238:
//! <https://www.rfc-editor.org/rfc/rfc6238>): 30-second steps, six digits, SHA-1 (what
//! authenticator apps use), one step of clock drift either way, and a code never accepted
//! twice (§5.2). Enrolment shows a QR code drawn on the server; confirming it with a first
//! code turns two-factor on and gives ten single-use recovery codes, stored hashed. An admin
//! can reset a user's second factor (audited). `REQUIRE_2FA_FOR` sends the users it names to
//! enrolment before anything else.

use super::{
    audit::{record, Entry},
    sign_in_guard::{self, Verdict},
};
use crate::{
    backend::{
        context::{RequestCtx, SESSION_MUST_ENROL},
        error::internal,
        identity::{Actor, CurrentUser},
        repo,
        scope::PlatformScope,
        sealed,
        state::AppState,
        tx::Tx,
    },
    contract::{AppError, ConflictReason, TwoFactorSetup, TwoFactorStatus},
    domain::{
        ids::UserId,
        validation::{FieldCode, FieldErrors},
    },
};
use sha2::{Digest, Sha256};

const ISSUER: &str = "BSP Console";
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Codes one account may try per throttle window (15 minutes) at the second step.
const CODES_PER_WINDOW: i32 = 5;
/// How long the second step may wait after the password.
const PENDING_MINUTES: i64 = 5;
/// Where the session keeps fresh recovery codes until the page showing them takes them.
const SESSION_FRESH_CODES: &str = "fresh_recovery_codes";

/// A sign-in waiting for its second step (kept in the session after the password).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub user: UserId,
    pub at: chrono::DateTime<chrono::Utc>,
    pub known_device: Option<uuid::Uuid>,
}

fn totp(secret: Vec<u8>, account: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', "_"))
        .build()
        .map_err(|e| internal(&e))
}

fn secret_of(st: &AppState, user: UserId, sealed_secret: &str) -> Result<Vec<u8>, AppError> {
    sealed::open(&st.settings.secrets_key, sealed_secret, user.0.as_bytes())
}

fn unix(st: &AppState) -> u64 {
    u64::try_from(st.now().timestamp()).unwrap_or(0)
}

/// Recovery codes are compared without case, spaces or dashes.
fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

fn new_recovery_code() -> String {
    // 50 random bits from an alphabet without look-alikes, as xxxxx-xxxxx.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let pick = |_| ALPHABET[usize::from(rand::random::<u8>()) % ALPHABET.len()] as char;
    let a: String = (0..5).map(pick).collect();
    let b: String = (0..5).map(pick).collect();
    format!("{a}-{b}")
}

/// Whether the policy (`REQUIRE_2FA_FOR`) requires a second factor of this user.
pub fn required_for(st: &AppState, staff: bool) -> bool {
    st.settings.require_2fa.applies(staff)
}

/// The user's two-factor state, for their account page.
pub async fn status(ctx: &RequestCtx) -> Result<TwoFactorStatus, AppError> {
    let me = ctx.user_or_enrolling().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    let enabled = repo::two_factor::is_enabled(&st.db, me.id).await?;
    Ok(TwoFactorStatus {
        enabled,
        required: required_for(st, me.staff_role.is_some()),
        recovery_codes_left: if enabled {
            repo::two_factor::recovery_codes_left(&st.db, me.id).await?
        } else {
            0
        },
    })
}

/// Starts enrolment: a secret (sealed in the database), shown as a QR code and as text. An
/// enrolment already started keeps its secret (the page shown again after a wrong code must
/// not change what the app was given).
pub async fn begin(ctx: &RequestCtx) -> Result<TwoFactorSetup, AppError> {
    let me = ctx.user_or_enrolling().ok_or(AppError::Unauthorized)?;
    let st = ctx.state();
    let secret = match repo::two_factor::find(&st.db, me.id).await? {
        Some(t) if t.enabled => return Err(AppError::conflict(ConflictReason::NotAllowedNow)),
        Some(pending) => secret_of(st, me.id, &pending.secret_sealed)?,
        None => {
            let secret = rand::random::<[u8; 20]>().to_vec();
            let sealed_secret =
                sealed::seal(&st.settings.secrets_key, &secret, me.id.0.as_bytes())?;
            let tx = Tx::begin(&st.db).await?;
            if !repo::two_factor::set_pending(&tx, me.id, &sealed_secret, st.now()).await? {
                return Err(AppError::conflict(ConflictReason::NotAllowedNow));
            }
            tx.commit().await?;
            secret
        }
    };
    let t = totp(secret, &me.email)?;
    let uri = t.to_url().map_err(|e| internal(&e))?;
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| internal(&e))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(TwoFactorSetup {
        secret: t.secret().to_base32(),
        uri,
        qr_svg,
    })
}

/// Confirms enrolment with a first code: two-factor is on, and ten recovery codes wait in the
/// session for the page that shows them once (`take_recovery_codes`).
pub async fn confirm(ctx: &RequestCtx, code: &str) -> Result<(), AppError> {
    let me = ctx
        .user_or_enrolling()
        .ok_or(AppError::Unauthorized)?
        .clone();
    let st = ctx.state();
    let key = format!("code:{}", me.id);
    sign_in_guard::limit(st, &key, CODES_PER_WINDOW).await?;
    let pending = repo::two_factor::find(&st.db, me.id)
        .await?
        .filter(|t| !t.enabled)
        .ok_or(AppError::conflict(ConflictReason::NotAllowedNow))?;
    let secret = secret_of(st, me.id, &pending.secret_sealed)?;
    let Some(step) = totp(secret, &me.email)?.check(code.trim(), unix(st)) else {
        return Err(wrong_code());
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    let tx = Tx::begin(&st.db).await?;
    if !repo::two_factor::enable(
        &tx,
        me.id,
        i64::try_from(step).unwrap_or(i64::MAX),
        st.now(),
    )
    .await?
    {
        return Err(AppError::conflict(ConflictReason::ChangedMeanwhile));
    }
    repo::two_factor::replace_recovery_codes(&tx, me.id, &hashes).await?;
    audit(&tx, st, &me, "user.two_factor_on", me.id).await?;
    tx.commit().await?;
    sign_in_guard::give_back(st, &key).await?;
    let session = ctx.session();
    session.remove::<bool>(SESSION_MUST_ENROL).await?;
    // Sealed: the session row never holds the codes in clear.
    let sealed = sealed::seal(
        &st.settings.secrets_key,
        codes.join("\n").as_bytes(),
        &fresh_codes_context(&me),
    )?;
    session.insert(SESSION_FRESH_CODES, sealed).await?;
    Ok(())
}

/// What the session's sealed fresh codes are bound to (another user's cannot be opened).
fn fresh_codes_context(me: &crate::backend::identity::CurrentUser) -> Vec<u8> {
    [b"recovery:".as_slice(), me.id.0.as_bytes()].concat()
}

/// The recovery codes just made, once.
pub async fn take_recovery_codes(ctx: &RequestCtx) -> Result<Vec<String>, AppError> {
    let me = ctx.user_or_enrolling().ok_or(AppError::Unauthorized)?;
    let Some(sealed) = ctx.session().remove::<String>(SESSION_FRESH_CODES).await? else {
        return Ok(Vec::new());
    };
    let plain = sealed::open(
        &ctx.state().settings.secrets_key,
        &sealed,
        &fresh_codes_context(me),
    )?;
    Ok(String::from_utf8_lossy(&plain)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The error of a wrong second factor, next to the code field.
pub fn wrong_code() -> AppError {
    let mut e = FieldErrors::new();
    e.add("code", FieldCode::WrongCode);
    e.into()
}

/// Turns the user's own second factor off (their password required), unless the policy
/// requires it of them.
pub async fn disable(ctx: &RequestCtx, password: &str) -> Result<(), AppError> {
    let me = ctx.user().ok_or(AppError::Unauthorized)?.clone();
    let st = ctx.state();
    if required_for(st, me.staff_role.is_some()) {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    let user = repo::users::find(&st.db, me.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let verdict = sign_in_guard::check_password(ctx, &user.email, Some(&user), password).await?;
    if !matches!(verdict, Verdict::Right { .. }) {
        let mut e = FieldErrors::new();
        e.add("off_password", FieldCode::WrongPassword);
        return Err(e.into());
    }
    let tx = Tx::begin(&st.db).await?;
    repo::two_factor::remove(&tx, me.id).await?;
    audit(&tx, st, &me, "user.two_factor_off", me.id).await?;
    tx.commit().await?;
    Ok(())
}

/// An admin resets a user's second factor (a lost phone): it is off, the user's sessions end,
/// and where the policy requires one, they enrol again at their next sign-in.
pub async fn reset(scope: &PlatformScope, user: UserId) -> Result<(), AppError> {
    let st = scope.state();
    repo::users::find(&st.db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let tx = Tx::begin(&st.db).await?;
    if !repo::two_factor::remove(&tx, user).await? {
        return Err(AppError::conflict(ConflictReason::NotAllowedNow));
    }
    repo::sessions::delete_for_user(&tx, user).await?;
    record(
        &tx,
        st.now(),
        Entry::<(), ()> {
            actor: scope.actor(),
            tenant: None,
            action: "user.two_factor_reset",
            subject: &user.to_string(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn audit(
    tx: &Tx,
    st: &AppState,
    me: &CurrentUser,
    action: &str,
    subject: UserId,
) -> Result<(), AppError> {
    record(
        tx,
        st.now(),
        Entry::<(), ()> {
            actor: &Actor::User {
                id: me.id,
                email: me.email.clone(),
            },
            tenant: None,
            action,
            subject: &subject.to_string(),
            before: None,
            after: None,
        },
    )
    .await
}

/// Checks the second factor of `user`: a current code (never one accepted before) or an
/// unused recovery code (used up by this). Throttled per account.
pub async fn check_code(
    st: &AppState,
    user: &repo::users::UserRecord,
    code: &str,
) -> Result<bool, AppError> {
    let key = format!("code:{}", user.id);
    sign_in_guard::limit(st, &key, CODES_PER_WINDOW).await?;
    let totp_row = repo::two_factor::find(&st.db, user.id)
        .await?
        .filter(|t| t.enabled)
        .ok_or(AppError::Unauthorized)?;
    let code = code.trim();
    let right = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        let secret = secret_of(st, user.id, &totp_row.secret_sealed)?;
        match totp(secret, &user.email)?.check(code, unix(st)) {
            Some(step) => {
                let step = i64::try_from(step).unwrap_or(0);
                repo::two_factor::accept_step(&st.db, user.id, step).await?
            }
            None => false,
        }
    } else {
        let hash = recovery_hash(code);
        let used = repo::two_factor::use_recovery_code(&st.db, user.id, &hash, st.now()).await?;
        if used {
            tracing::info!(user = %user.id, "signed in with a recovery code");
        }
        used
    };
    if right {
        // Only failures use up the allowance.
        sign_in_guard::give_back(st, &key).await?;
    }
    Ok(right)
}

/// How long the second step may wait after the password.
pub fn pending_lifetime() -> chrono::TimeDelta {
    chrono::TimeDelta::minutes(PENDING_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_random_readable_and_compared_loosely() {
        let a = new_recovery_code();
        assert_eq!(a.len(), 11);
        assert_ne!(a, new_recovery_code());
        assert_eq!(
            recovery_hash(&a),
            recovery_hash(&a.to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&a), recovery_hash(&new_recovery_code()));
    }
}

//! Who may try a password now. Each attempt is counted before the password is checked
//! (`repo::throttle::reserve`, one atomic statement), under keys chosen so that a guesser
//! cannot lock the rightful user out (OWASP, "Slow down online guessing attacks with device
//! cookies"):
//! - from a browser that signed in as this user before: that device's own allowance;
//! - from anywhere else: the client address (IPv6: its /64) and the account as seen from
//!   unknown browsers. When the account's allowance runs out, its owner is emailed once.
//!
//! A refused attempt never reaches argon2; a verified wrong password keeps its count; a right
//! one (or one the server was too busy to check) is given back.

use crate::{
    backend::{
        client_addr::throttle_key,
        context::RequestCtx,
        device,
        outbox::{EmailMessage, NewEmail},
        password::{take_turn, verify_with, Turn, SIGN_IN_WAIT},
        repo::{self, users::UserRecord},
        state::AppState,
    },
    contract::AppError,
};
use std::net::IpAddr;

/// The longest password looked at (every password path goes through `check_password`).
const MAX_PASSWORD: usize = 1024;

/// What a password check found.
pub enum Verdict {
    Wrong,
    /// The password is right; `known_device` is the browser's device if it signed in as this
    /// user before.
    Right {
        known_device: Option<uuid::Uuid>,
    },
}

/// Checks `password` for the account typed (`account`, lower-cased; `user`, if it exists),
/// under the guard: a turn at the hashing threads first (none within 2 s: 503, nothing
/// read or written), then the attempt counted (over a limit: refused without hashing), then hashed.
pub async fn check_password(
    ctx: &RequestCtx,
    account: &str,
    user: Option<&UserRecord>,
    password: &str,
) -> Result<Verdict, AppError> {
    if too_long(password) {
        return Ok(Verdict::Wrong);
    }
    check_password_on(ctx, take_turn(SIGN_IN_WAIT).await?, account, user, password).await
}

/// No password is that long: wrong, without counting or hashing it.
pub fn too_long(password: &str) -> bool {
    password.len() > MAX_PASSWORD
}

/// A turn at the hashing threads for a sign-in, taken before the account is even looked up:
/// a request refused as busy (503) has cost no query and no write.
pub async fn sign_in_turn() -> Result<Turn, AppError> {
    take_turn(SIGN_IN_WAIT).await
}

/// `check_password` on a turn already taken (`sign_in_turn`).
pub async fn check_password_on(
    ctx: &RequestCtx,
    turn: Turn,
    account: &str,
    user: Option<&UserRecord>,
    password: &str,
) -> Result<Verdict, AppError> {
    let st = ctx.state();
    if too_long(password) {
        return Ok(Verdict::Wrong);
    }
    let device = match user {
        Some(u) => known_device(ctx, u).await?,
        None => None,
    };
    let attempt = Attempt {
        account,
        user,
        client: ctx.client_ip(),
        device,
    };
    let reservation = reserve(st, &attempt).await?;
    let hash = user
        .filter(|u| !u.disabled)
        .and_then(|u| u.password_hash.clone());
    match verify_with(turn, password.to_owned(), hash).await {
        Ok(true) => {
            reservation.give_back(st).await?;
            Ok(Verdict::Right {
                known_device: device,
            })
        }
        Ok(false) => Ok(Verdict::Wrong),
        Err(e) => {
            // Not a guess: the password was never checked.
            reservation.give_back(st).await?;
            Err(e)
        }
    }
}

/// One sign-in attempt, as the guard sees it.
struct Attempt<'a> {
    /// The email typed, lower-cased and trimmed (accounts that do not exist count too).
    account: &'a str,
    user: Option<&'a UserRecord>,
    client: Option<IpAddr>,
    /// The known device the browser presented, if it belongs to `user`.
    device: Option<uuid::Uuid>,
}

/// The keys an attempt was counted under, to give back if it was not a failed guess.
#[must_use]
struct Reservation {
    keys: Vec<String>,
}

impl Reservation {
    async fn give_back(self, st: &AppState) -> Result<(), AppError> {
        for key in &self.keys {
            repo::throttle::release(&st.db, key).await?;
        }
        Ok(())
    }
}

/// Counts the attempt, or refuses it with the time to wait.
async fn reserve(st: &AppState, a: &Attempt<'_>) -> Result<Reservation, AppError> {
    let policy = st.settings.throttle;
    let mut keys: Vec<(String, i32)> = Vec::with_capacity(2);
    match a.device {
        Some(device) => keys.push((format!("device:{device}"), policy.per_device)),
        None => {
            // The client's own key first: a client refused there spends nothing of the
            // account's allowance.
            if let Some(ip) = a.client {
                keys.push((format!("ip:{}", throttle_key(ip)), policy.per_ip));
            }
            keys.push((format!("account:{}", a.account), policy.per_account));
        }
    }
    let mut counted = Vec::with_capacity(keys.len());
    for (key, limit) in keys {
        if let Err(over) = count(st, &key, limit).await? {
            if over.first && key.starts_with("account:") {
                warn_owner(st, a.user, limit).await?;
            }
            return Err(over.error);
        }
        counted.push(key);
    }
    Ok(Reservation { keys: counted })
}

/// A key over its limit: the error to answer, and whether this attempt was the first one over.
struct Over {
    error: AppError,
    first: bool,
}

async fn count(st: &AppState, key: &str, limit: i32) -> Result<Result<(), Over>, AppError> {
    let window = st.settings.throttle.window;
    let now = st.now();
    let r = repo::throttle::reserve(&st.db, key, now, window).await?;
    if r.count <= limit {
        return Ok(Ok(()));
    }
    let wait = (r.window_start + window - now).num_seconds().max(1);
    Ok(Err(Over {
        error: AppError::Throttled {
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
        },
        first: r.count == limit + 1,
    }))
}

/// Counts one attempt under `key` (a password reset asked for, a reset link tried), refused
/// with the time to wait beyond `limit` per window. Nothing is given back.
pub async fn limit(st: &AppState, key: &str, limit: i32) -> Result<(), AppError> {
    count(st, key, limit).await?.map_err(|over| over.error)
}

/// Gives back an attempt counted by `limit` that turned out right (a correct code): only
/// failures use up the allowance.
pub async fn give_back(st: &AppState, key: &str) -> Result<(), AppError> {
    repo::throttle::release(&st.db, key).await
}

/// The throttle key of the request's client address, if known.
pub fn client_key(ctx: &RequestCtx, kind: &str) -> Option<String> {
    ctx.client_ip()
        .map(|ip| format!("{kind}:{}", throttle_key(ip)))
}

/// Tells the owner (once per window: only one attempt sees `limit + 1`) that their account is
/// being guessed at. Says nothing to the guesser, and nothing for accounts that do not exist.
async fn warn_owner(st: &AppState, user: Option<&UserRecord>, limit: i32) -> Result<(), AppError> {
    let Some(user) = user.filter(|u| !u.disabled) else {
        return Ok(());
    };
    tracing::warn!(user = %user.id, "sign-in guesses from unknown browsers: owner warned");
    let message = EmailMessage::SignInGuessing {
        failures: u32::try_from(limit).unwrap_or(0),
        wait_minutes: u32::try_from(st.settings.throttle.window.num_minutes()).unwrap_or(0),
        url: format!("{}/sign-in", st.settings.public_url.trim_end_matches('/')),
    };
    repo::outbox::insert(
        &st.db,
        &NewEmail {
            tenant: None,
            recipient: user.email.clone(),
            locale: user.locale.unwrap_or_default(),
            message,
        },
        st.now(),
    )
    .await?;
    Ok(())
}

/// The browser's device, if it signed in as `user` before.
pub async fn known_device(
    ctx: &RequestCtx,
    user: &UserRecord,
) -> Result<Option<uuid::Uuid>, AppError> {
    Ok(match ctx.device_token() {
        Some(token) => repo::throttle::known_device(&ctx.state().db, &device::token_hash(token))
            .await?
            .filter(|d| d.user_id == user.id.0)
            .map(|d| d.id),
        None => None,
    })
}

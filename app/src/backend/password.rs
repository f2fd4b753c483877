//! Password hashing: argon2id with OWASP's parameters, on the blocking pool, and bounded.
//!
//! Each hash or verification holds 19 MiB for tens of milliseconds. Without a bound a burst of
//! anonymous sign-ins would start one per request (tokio allows 512 blocking threads): 500 of
//! them, 9.5 GiB. Here at most one per core runs; a request that cannot get a turn within a
//! short wait is answered 503 with `Retry-After` instead of queueing without end. The permit
//! travels into the job, so a client that hangs up does not free it early.
//!
//! The hashing runs on threads of its own at the lowest scheduling priority (nice 19): under a
//! flood of sign-ins they take whatever CPU the rest of the app leaves, so pages stay fast
//! while the hashing still uses every idle cycle (benchmark B5, `docs/performance.md`).

use super::error::internal;
use crate::{contract::AppError, domain::validation::FieldCode};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::{
    sync::{Arc, LazyLock, OnceLock},
    time::Duration,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a sign-in waits for a turn before it is told to come back.
pub const SIGN_IN_WAIT: Duration = Duration::from_secs(2);
/// How long setting a password (an invitation accepted, a password changed) waits.
const SET_WAIT: Duration = Duration::from_secs(20);
/// What a refused request is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 2;

/// Two turns per core, one hashing thread per core: peak memory is `cores × 19 MiB` (a hash
/// holds its memory only while it runs), and while one turn's holder counts its attempt in the
/// database the next job is already queued, so the cores stay busy.
static TURNS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(turns())));

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn turns() -> usize {
    2 * cores()
}

/// A job for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads: one per core, at nice 19, fed through a channel.
static POOL: LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(std::sync::Mutex::new(rx));
    for i in 0..cores() {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{i}"))
            .spawn(move || {
                lower_priority();
                loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    match job {
                        // A panicking job must not take a hashing thread with it.
                        Ok(job) => {
                            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).is_err()
                            {
                                tracing::error!("a password hashing job panicked");
                            }
                        }
                        Err(_) => return,
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a password hashing thread");
        }
    }
    std::sync::Mutex::new(tx)
});

/// Lowers this thread's priority (Linux: `setpriority` on a thread id applies to that thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread; a failure only leaves the priority.
    unsafe {
        let tid = libc::gettid();
        if libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19) != 0 {
            tracing::warn!("could not lower the password hashing threads' priority");
        }
    }
}

/// Runs `f` on a hashing thread, holding `permit` until it is done.
async fn on_pool<T: Send + 'static>(
    permit: OwnedSemaphorePermit,
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _permit = permit;
        let _ = tx.send(f());
    });
    POOL.lock()
        .map_err(|_| internal(&"hashing pool poisoned"))?
        .send(job)
        .map_err(|e| internal(&e))?;
    rx.await.map_err(|e| internal(&e))?
}

async fn turn(wait: Duration) -> Result<OwnedSemaphorePermit, AppError> {
    match tokio::time::timeout(wait, TURNS.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(closed)) => Err(internal(&closed)),
        Err(_) => {
            tracing::warn!("password hashing busy: request refused");
            Err(AppError::Busy {
                retry_after_secs: RETRY_AFTER_SECS,
            })
        }
    }
}

/// OWASP's argon2id parameters: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| internal(&e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| internal(&e))
}

/// Hashes a new password.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let permit = turn(SET_WAIT).await?;
    on_pool(permit, move || hash_now(&password)).await
}

/// A turn at the hashing threads, taken before anything else of a sign-in: a request that
/// gets none within `wait` is refused (503) having cost nothing, not even a write.
pub struct Turn(OwnedSemaphorePermit);

/// Waits at most `wait` for a turn.
pub async fn take_turn(wait: Duration) -> Result<Turn, AppError> {
    Ok(Turn(turn(wait).await?))
}

/// Verifies a password against a stored hash, waiting at most `wait` for a turn. Without a
/// hash, a dummy hash is checked so that unknown accounts take as long as known ones (and
/// take a turn like them: the unknown-account path must not be the unbounded one).
pub async fn verify_password_within(
    password: String,
    hash: Option<String>,
    wait: Duration,
) -> Result<bool, AppError> {
    verify_with(take_turn(wait).await?, password, hash).await
}

/// Verifies a password on a turn already taken.
pub async fn verify_with(
    turn: Turn,
    password: String,
    hash: Option<String>,
) -> Result<bool, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = hash.is_some();
    let ok = on_pool(turn.0, move || {
        let hash = match hash {
            Some(h) => h,
            None => match DUMMY.get() {
                Some(h) => h.clone(),
                None => {
                    let h = hash_now("dummy password for timing")?;
                    DUMMY.get_or_init(|| h).clone()
                }
            },
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| internal(&e))?;
        Ok::<_, AppError>(
            argon2()?
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await?;
    Ok(ok && known)
}

/// Checks a new password: the policy (length, confirmation, `domain::password`) and that it is
/// neither among the most common passwords nor made of the user's own details (`user_inputs`:
/// email, name). zxcvbn's dictionaries are bundled in the crate: no network call.
pub fn check_new(password: &str, confirm: &str, user_inputs: &[&str]) -> Result<(), FieldCode> {
    crate::domain::password::check_new(password, confirm)?;
    if zxcvbn::zxcvbn(password, user_inputs).score() < zxcvbn::Score::Two {
        return Err(FieldCode::PasswordCommon);
    }
    Ok(())
}

/// Verifies a password of a signed-in user (re-authentication before a change).
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    verify_password_within(password, hash, SET_WAIT).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_check_that_gets_no_turn_in_time_is_refused_as_busy_and_a_free_one_runs() {
        let all = u32::try_from(turns()).unwrap_or(u32::MAX);
        let held = TURNS
            .clone()
            .acquire_many_owned(all)
            .await
            .expect("every turn");
        let r = verify_password_within("pw".into(), None, Duration::from_millis(50)).await;
        assert_eq!(
            r,
            Err(AppError::Busy {
                retry_after_secs: RETRY_AFTER_SECS
            })
        );
        drop(held);
        let hash = hash_password("right".into()).await.expect("hash");
        assert_eq!(
            verify_password_within("right".into(), Some(hash.clone()), SIGN_IN_WAIT).await,
            Ok(true)
        );
        assert_eq!(
            verify_password_within("wrong".into(), Some(hash), SIGN_IN_WAIT).await,
            Ok(false)
        );
        // An unknown account is checked against the dummy hash, and never matches.
        assert_eq!(
            verify_password_within("dummy password for timing".into(), None, SIGN_IN_WAIT).await,
            Ok(false)
        );
    }

    #[test]
    fn common_passwords_and_ones_made_of_the_users_details_are_refused() {
        for weak in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "aaaaaaaaaaaa",
        ] {
            assert_eq!(
                check_new(weak, weak, &[]),
                Err(FieldCode::PasswordCommon),
                "{weak}"
            );
        }
        let mine = "nora.lindqvist@acme.test";
        assert_eq!(
            check_new(mine, mine, &["nora.lindqvist@acme.test", "Nora Lindqvist"]),
            Err(FieldCode::PasswordCommon)
        );
        for fine in [
            "correct horse battery staple",
            "demo-password-2026",
            "violet tram under 7 bridges",
        ] {
            assert_eq!(
                check_new(fine, fine, &["someone@acme.test"]),
                Ok(()),
                "{fine}"
            );
        }
        assert_eq!(
            check_new("short", "short", &[]),
            Err(FieldCode::PasswordTooShort)
        );
    }
}

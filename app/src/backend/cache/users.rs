//! The users generation: a process-wide counter that moves whenever a user, a membership or a
//! tenant's status or name changes. Caches holding user data (sessions with their users,
//! reviewers' names) compare it with the value they were filled at. It moves in
//! `backend::tx::Tx::commit` for a transaction that wrote any of those rows, never by
//! remembering a call.

use std::sync::atomic::{AtomicU64, Ordering};

static GENERATION: AtomicU64 = AtomicU64::new(0);

/// A user, a membership, or a tenant's status or name changed and was committed: every cache
/// filled before reads the database again. Called by `Tx::commit` only.
pub(crate) fn changed() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Where the generation stands: caches of user data compare it with what they were filled at.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

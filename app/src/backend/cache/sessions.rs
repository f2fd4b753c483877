//! Sessions read lately and the users read with them (see `session_store`): one statement
//! per request instead of two, and a reviewer's burst of requests reads its session once.

use super::users::generation;
use crate::{backend::identity::CurrentUser, domain::ids::UserId};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};
use tower_sessions::{cookie::time::OffsetDateTime, session::Record};

/// The users read with their sessions (`repo::sessions::load` joins them), by session id,
/// until the request that read the session takes its user (`RequestCtx`): one statement per
/// request instead of two. An entry is only taken while fresh, so a user is never older than
/// the session read the request got (from the database, or from `SessionCache`).
#[derive(Default)]
pub struct SessionUsers(std::sync::Mutex<std::collections::HashMap<String, ReadUser>>);

/// A user read with its session: when it was read, its id, and the user when it may sign in.
type ReadUser = (std::time::Instant, UserId, Option<CurrentUser>);

/// A session's user as read with it: its id, and the user when it may sign in.
pub(crate) type SessionUser = (UserId, Option<CurrentUser>);

impl SessionUsers {
    /// Entries kept at most (each request takes its own; the rest are dropped when full).
    const CAPACITY: usize = 10_000;
    /// An entry older than this is not used (its request went without it).
    const FRESH: std::time::Duration = std::time::Duration::from_secs(2);

    pub(crate) fn put(&self, session: String, user: UserId, current: Option<CurrentUser>) {
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(session, (std::time::Instant::now(), user, current));
        }
    }

    /// The user read with session `session` just now, if it is `user` (`Some(None)`: disabled,
    /// suspended or gone); `None` when there is no fresh entry: read the user then.
    pub fn take(&self, session: &str, user: UserId) -> Option<Option<CurrentUser>> {
        let (at, id, current) = self.0.lock().ok()?.remove(session)?;
        (id == user && at.elapsed() < Self::FRESH).then_some(current)
    }
}

/// Sessions this process read lately, with their users, for `ttl` (`SESSION_CACHE_SECONDS`,
/// default 2; 0 turns it off): a reviewer working through the queue, or a page and the server
/// functions it calls, read the session row once instead of once per request. In this
/// process nothing is ever stale: a sign-out or a save forgets its session, and a change to a
/// user, a membership or a tenant (the users generation) all of them. Another server process (a
/// second instance, the CLI) is seen within `ttl`.
pub struct SessionCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Cached>>,
    /// Bumped by every write of a session through this store: a read that overlapped one is
    /// not cached (it may hold what the write replaced or deleted).
    writes: AtomicU64,
}

struct Cached {
    at: Instant,
    users: u64,
    record: Record,
    user: Option<(UserId, Option<CurrentUser>)>,
}

/// Where the reads stood when a load began (see `SessionCache::put`).
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    users: u64,
    writes: u64,
}

impl SessionCache {
    /// Sessions kept at most (a few megabytes; emptied when full).
    const CAPACITY: usize = 10_000;

    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            entries: Mutex::default(),
            writes: AtomicU64::new(0),
        }
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark {
            users: generation(),
            writes: self.writes.load(Ordering::SeqCst),
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<(Record, Option<SessionUser>)> {
        if self.ttl.is_zero() {
            return None;
        }
        let m = self.entries.lock().ok()?;
        let c = m.get(id)?;
        let fresh = c.at.elapsed() < self.ttl
            && c.users == generation()
            && c.record.expiry_date > OffsetDateTime::now_utc();
        fresh.then(|| (c.record.clone(), c.user.clone()))
    }

    /// Keeps what a load read, unless a write of a session or a user happened since the load
    /// began (`mark`): then what it read may be older than the database already is.
    pub(crate) fn put(
        &self,
        mark: Mark,
        record: &Record,
        user: Option<(UserId, Option<CurrentUser>)>,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut m) = self.entries.lock() else {
            return;
        };
        // Checked under the lock that `forget` takes after bumping `writes`.
        if mark.writes != self.writes.load(Ordering::SeqCst) || mark.users != generation() {
            return;
        }
        if m.len() >= Self::CAPACITY {
            m.clear();
        }
        m.insert(
            record.id.to_string(),
            Cached {
                at: Instant::now(),
                users: mark.users,
                record: record.clone(),
                user,
            },
        );
    }

    /// A session was written or deleted: its entry goes, and reads in flight are not kept.
    pub(crate) fn forget(&self, id: &str) {
        self.writes.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut m) = self.entries.lock() {
            m.remove(id);
        }
    }
}

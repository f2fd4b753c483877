//! A tower-sessions store over the app's own database (SQLite or PostgreSQL), so sessions
//! survive restarts and are shared by several server processes.

use super::{
    context::{CurrentUser, SESSION_USER},
    repo,
};
use crate::domain::ids::UserId;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, SessionStore},
};

/// What this process last read or wrote of a session: its data and expiry.
type Seen = std::collections::HashMap<
    String,
    (
        std::collections::HashMap<String, serde_json::Value>,
        tower_sessions::cookie::time::OffsetDateTime,
    ),
>;

/// The users read with their sessions (`repo::sessions::load` joins them), by session id,
/// until the request that read the session takes its user (`RequestCtx`): one statement per
/// request instead of two. An entry is only taken while fresh, so a user is never older than
/// the session read the request got (from the database, or from `SessionCache`).
#[derive(Default)]
pub struct SessionUsers(std::sync::Mutex<std::collections::HashMap<String, ReadUser>>);

/// A user read with its session: when it was read, its id, and the user when it may sign in.
type ReadUser = (std::time::Instant, UserId, Option<CurrentUser>);

/// A session's user as read with it: its id, and the user when it may sign in.
type SessionUser = (UserId, Option<CurrentUser>);

impl SessionUsers {
    /// Entries kept at most (each request takes its own; the rest are dropped when full).
    const CAPACITY: usize = 10_000;
    /// An entry older than this is not used (its request went without it).
    const FRESH: std::time::Duration = std::time::Duration::from_secs(2);

    fn put(&self, session: String, user: UserId, current: Option<CurrentUser>) {
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

/// Bumped whenever a user, a membership or a tenant's status or name changes in this
/// process (`users_changed`): sessions cached with a user read before are not used again.
static USERS_GENERATION: AtomicU64 = AtomicU64::new(0);

/// A user, a membership, or a tenant's status or name changed: every session cached with its
/// user (`SessionCache`) is read from the database again.
pub fn users_changed() {
    USERS_GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// Where `users_changed` stands: caches of user data compare it with what they were filled at.
pub fn users_generation() -> u64 {
    USERS_GENERATION.load(Ordering::SeqCst)
}

/// Held by the repository functions that write users, memberships or tenants: calls
/// `users_changed` when the function returns, after its statement (a session read while the
/// statement ran is not kept). Services that run it inside a transaction call
/// `users_changed` again after the commit: a read between the statement and the commit still
/// sees the old state, and would otherwise be kept.
pub struct UsersChange;

impl Drop for UsersChange {
    fn drop(&mut self) {
        users_changed();
    }
}

/// Sessions this process read lately, with their users, for `ttl` (`SESSION_CACHE_SECONDS`,
/// default 2; 0 turns it off): a reviewer working through the queue, or a page and the server
/// functions it calls, read the session row once instead of once per request. In this
/// process nothing is ever stale: a sign-out or a save forgets its session, and a change to a
/// user, a membership or a tenant (`users_changed`) all of them. Another server process (a
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
struct Mark {
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

    fn mark(&self) -> Mark {
        Mark {
            users: USERS_GENERATION.load(Ordering::SeqCst),
            writes: self.writes.load(Ordering::SeqCst),
        }
    }

    fn get(&self, id: &str) -> Option<(Record, Option<SessionUser>)> {
        if self.ttl.is_zero() {
            return None;
        }
        let m = self.entries.lock().ok()?;
        let c = m.get(id)?;
        let fresh = c.at.elapsed() < self.ttl
            && c.users == USERS_GENERATION.load(Ordering::SeqCst)
            && c.record.expiry_date > OffsetDateTime::now_utc();
        fresh.then(|| (c.record.clone(), c.user.clone()))
    }

    /// Keeps what a load read, unless a write of a session or a user happened since the load
    /// began (`mark`): then what it read may be older than the database already is.
    fn put(&self, mark: Mark, record: &Record, user: Option<(UserId, Option<CurrentUser>)>) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut m) = self.entries.lock() else {
            return;
        };
        // Checked under the lock that `forget` takes after bumping `writes`.
        if mark.writes != self.writes.load(Ordering::SeqCst)
            || mark.users != USERS_GENERATION.load(Ordering::SeqCst)
        {
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
    fn forget(&self, id: &str) {
        self.writes.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut m) = self.entries.lock() {
            m.remove(id);
        }
    }
}

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    users: std::sync::Arc<SessionUsers>,
    cache: std::sync::Arc<SessionCache>,
    /// Sessions on inactivity expiry are saved on every request only to move the expiry
    /// forward; a save that changes nothing but moves it by less than a twentieth of the idle
    /// time (at most a minute) is skipped, so reading a page costs no database write.
    seen: std::sync::Arc<std::sync::Mutex<Seen>>,
}

/// Sessions remembered at most (the memory is only an optimisation; it is cleared when full).
const SEEN_MAX: usize = 50_000;

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    /// Expiry is computed by tower-sessions from the system clock, so the store compares
    /// with the system clock too (not the app's injectable one).
    pub fn new(db: DatabaseConnection, users: std::sync::Arc<SessionUsers>) -> Self {
        Self {
            db,
            users,
            cache: std::sync::Arc::new(SessionCache::new(Duration::ZERO)),
            seen: Default::default(),
        }
    }

    /// Keeps sessions read for `ttl` (see `SessionCache`).
    pub fn with_cache(mut self, ttl: Duration) -> Self {
        self.cache = std::sync::Arc::new(SessionCache::new(ttl));
        self
    }

    fn remember(&self, r: &Record) {
        if let Ok(mut m) = self.seen.lock() {
            if m.len() >= SEEN_MAX {
                m.clear();
            }
            m.insert(r.id.to_string(), (r.data.clone(), r.expiry_date));
        }
    }

    /// Whether saving `r` would only move its expiry forward by a little.
    fn unchanged(&self, r: &Record) -> bool {
        let Ok(m) = self.seen.lock() else {
            return false;
        };
        let Some((data, stored)) = m.get(&r.id.to_string()) else {
            return false;
        };
        let idle: tower_sessions::cookie::time::Duration =
            r.expiry_date - tower_sessions::cookie::time::OffsetDateTime::now_utc();
        let slack = std::cmp::min(
            idle / 20_i32,
            tower_sessions::cookie::time::Duration::minutes(1),
        );
        *data == r.data && r.expiry_date >= *stored && r.expiry_date - *stored < slack
    }

    /// Deletes expired sessions (run periodically by the server).
    pub async fn delete_expired(&self) -> Result<u64, crate::contract::AppError> {
        repo::sessions::delete_expired(&self.db, Utc::now()).await
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(r: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(r.expiry_date.unix_timestamp(), r.expiry_date.nanosecond())
        .unwrap_or_default()
}

/// The signed-in user a session's data names.
fn user_of(r: &Record) -> Option<UserId> {
    r.data
        .get(SESSION_USER)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn encode(r: &Record) -> session_store::Result<String> {
    serde_json::to_string(r).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // On an id collision, draw another id rather than overwrite someone's session.
        for _ in 0..8 {
            let data = encode(record)?;
            if repo::sessions::create(
                &self.db,
                &record.id.to_string(),
                &data,
                expiry(record),
                user_of(record),
            )
            .await
            .map_err(backend)?
            {
                self.remember(record);
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(backend("could not allocate a session id"))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        if self.unchanged(record) {
            return Ok(());
        }
        let id = record.id.to_string();
        let written = repo::sessions::update(
            &self.db,
            &id,
            &encode(record)?,
            expiry(record),
            user_of(record),
        )
        .await
        .map_err(backend);
        self.cache.forget(&id);
        written?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = id.to_string();
        if let Some((r, user)) = self.cache.get(&key) {
            if let Some((user, current)) = user {
                self.users.put(key, user, current);
            }
            return Ok(Some(r));
        }
        let mark = self.cache.mark();
        match repo::sessions::load(&self.db, &key, Utc::now())
            .await
            .map_err(backend)?
        {
            Some(loaded) => {
                let r: Record = serde_json::from_str(&loaded.data)
                    .map_err(|e| session_store::Error::Decode(e.to_string()))?;
                // The row's user is the data's (both written together); kept for the request.
                let user = loaded.user.filter(|(u, _)| Some(*u) == user_of(&r));
                self.cache.put(mark, &r, user.clone());
                if let Some((user, current)) = user {
                    self.users.put(r.id.to_string(), user, current);
                }
                self.remember(&r);
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let key = id.to_string();
        if let Ok(mut m) = self.seen.lock() {
            m.remove(&key);
        }
        let deleted = repo::sessions::delete(&self.db, &key)
            .await
            .map_err(backend);
        self.cache.forget(&key);
        deleted
    }
}

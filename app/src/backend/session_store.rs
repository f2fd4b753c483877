//! A tower-sessions store over the app's own database (SQLite or PostgreSQL), so sessions
//! survive restarts and are shared by several server processes.

use super::{
    context::{CurrentUser, SESSION_USER},
    repo,
};
use crate::domain::ids::UserId;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, SessionStore},
};

/// What this process last read or wrote of a session: its data and expiry.
type Seen = std::collections::HashMap<String, (std::collections::HashMap<String, serde_json::Value>, tower_sessions::cookie::time::OffsetDateTime)>;

/// The users read with their sessions (`repo::sessions::load` joins them), by session id,
/// until the request that read the session takes its user (`RequestCtx`): one statement per
/// request instead of two. An entry is only taken while fresh, so a user is never older than
/// the session read of the request, as when it is read on its own.
#[derive(Default)]
pub struct SessionUsers(std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, UserId, Option<CurrentUser>)>>);

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

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    users: std::sync::Arc<SessionUsers>,
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
        Self { db, users, seen: Default::default() }
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
        let Ok(m) = self.seen.lock() else { return false };
        let Some((data, stored)) = m.get(&r.id.to_string()) else { return false };
        let idle: tower_sessions::cookie::time::Duration = r.expiry_date - tower_sessions::cookie::time::OffsetDateTime::now_utc();
        let slack = std::cmp::min(idle / 20_i32, tower_sessions::cookie::time::Duration::minutes(1));
        *data == r.data && r.expiry_date >= *stored && r.expiry_date - *stored < slack
    }

    /// Deletes expired sessions (run periodically by the server).
    pub async fn delete_expired(&self) -> Result<u64, crate::api::AppError> {
        repo::sessions::delete_expired(&self.db, Utc::now()).await
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn expiry(r: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(r.expiry_date.unix_timestamp(), r.expiry_date.nanosecond()).unwrap_or_default()
}

/// The signed-in user a session's data names.
fn user_of(r: &Record) -> Option<UserId> {
    r.data.get(SESSION_USER).and_then(|v| serde_json::from_value(v.clone()).ok())
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
            if repo::sessions::create(&self.db, &record.id.to_string(), &data, expiry(record), user_of(record)).await.map_err(backend)? {
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
        repo::sessions::update(&self.db, &record.id.to_string(), &encode(record)?, expiry(record), user_of(record)).await.map_err(backend)?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match repo::sessions::load(&self.db, &id.to_string(), Utc::now()).await.map_err(backend)? {
            Some(loaded) => {
                let r: Record = serde_json::from_str(&loaded.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
                // The row's user is the data's (both written together); kept for the request.
                if let Some((user, current)) = loaded.user.filter(|(u, _)| Some(*u) == user_of(&r)) {
                    self.users.put(r.id.to_string(), user, current);
                }
                self.remember(&r);
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        if let Ok(mut m) = self.seen.lock() {
            m.remove(&id.to_string());
        }
        repo::sessions::delete(&self.db, &id.to_string()).await.map_err(backend)
    }
}

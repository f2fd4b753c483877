//! A tower-sessions store over the app's own database (SQLite or PostgreSQL), so sessions
//! survive restarts and are shared by several server processes.

use super::{
    cache::{SessionCache, SessionUsers},
    context::SESSION_USER,
    repo,
};
use crate::domain::ids::UserId;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use std::time::Duration;
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

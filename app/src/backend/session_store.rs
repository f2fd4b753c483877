//! A tower-sessions store over the app's own database (SQLite or PostgreSQL), so sessions
//! survive restarts and are shared by several server processes.

use super::repo;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, SessionStore},
};

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    /// Expiry is computed by tower-sessions from the system clock, so the store compares
    /// with the system clock too (not the app's injectable one).
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
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

fn encode(r: &Record) -> session_store::Result<String> {
    serde_json::to_string(r).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // On an id collision, draw another id rather than overwrite someone's session.
        for _ in 0..8 {
            let data = encode(record)?;
            if repo::sessions::create(&self.db, &record.id.to_string(), &data, expiry(record)).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(backend("could not allocate a session id"))
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        repo::sessions::upsert(&self.db, &record.id.to_string(), &encode(record)?, expiry(record)).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match repo::sessions::load(&self.db, &id.to_string(), Utc::now()).await.map_err(backend)? {
            Some(data) => serde_json::from_str(&data).map(Some).map_err(|e| session_store::Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        repo::sessions::delete(&self.db, &id.to_string()).await.map_err(backend)
    }
}

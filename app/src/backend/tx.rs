//! The transaction wrapper of the services: a sea-orm transaction that remembers which cached
//! data it wrote, and whose `commit()` invalidates those caches after the commit. The
//! repository functions that write users, memberships or tenants take a `&Tx` (not any
//! connection), so a write the caches depend on cannot be made without it: invalidation is
//! structural, never a call to remember.

use super::cache;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait,
};
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Tx {
    inner: DatabaseTransaction,
    /// A user, a membership or a tenant's status or name was written.
    users: AtomicBool,
}

impl Tx {
    /// Begins a transaction on `db`.
    pub async fn begin(db: &DatabaseConnection) -> Result<Self, DbErr> {
        Ok(Self {
            inner: db.begin().await?,
            users: AtomicBool::new(false),
        })
    }

    /// Called by the repository functions that write users, memberships or tenants.
    pub(crate) fn wrote_users(&self) {
        self.users.store(true, Ordering::SeqCst);
    }

    /// Commits, then invalidates what the transaction wrote (also when the commit failed:
    /// its outcome is then unknown, and a cache read again costs one query).
    pub async fn commit(self) -> Result<(), DbErr> {
        let users = self.users.load(Ordering::SeqCst);
        let done = self.inner.commit().await;
        if users {
            cache::users::changed();
        }
        done
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        self.inner.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.inner.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.inner.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.inner.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.inner.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.inner.support_returning()
    }
}

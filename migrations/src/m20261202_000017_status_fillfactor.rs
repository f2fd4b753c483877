//! Room on each page for the next version of a row: a message's status row is updated two or
//! three times (sent, delivered, read) without touching an indexed column, so with free space
//! on its page PostgreSQL updates it in place (a HOT update: no new index entries). SQLite has
//! no such setting.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE message_statuses SET (fillfactor = 70)")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE message_statuses RESET (fillfactor)")
                .await?;
        }
        Ok(())
    }
}

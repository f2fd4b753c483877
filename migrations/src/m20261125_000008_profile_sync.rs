//! Sending business profiles to the platform: the last error and when to try again.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BusinessProfiles {
    Table,
    SyncError,
    SyncAttempts,
    SyncNextAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let cols = [
            ColumnDef::new(BusinessProfiles::SyncError)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(BusinessProfiles::SyncAttempts)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(BusinessProfiles::SyncNextAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ];
        for c in cols {
            m.alter_table(
                Table::alter()
                    .table(BusinessProfiles::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            BusinessProfiles::SyncNextAt,
            BusinessProfiles::SyncAttempts,
            BusinessProfiles::SyncError,
        ] {
            m.alter_table(
                Table::alter()
                    .table(BusinessProfiles::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

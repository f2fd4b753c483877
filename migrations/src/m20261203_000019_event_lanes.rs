//! Changes that carry only message statuses merge in any order, so on PostgreSQL several
//! workers may apply them at once; the flag is set when the change is stored. Every other
//! change keeps being applied in event order by one worker.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlatformEvents {
    Table,
    StatusesOnly,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(PlatformEvents::Table)
                .add_column(
                    ColumnDef::new(PlatformEvents::StatusesOnly)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(PlatformEvents::Table)
                .drop_column(PlatformEvents::StatusesOnly)
                .to_owned(),
        )
        .await
    }
}

//! A reviewer's decision on a template revision: who, when, the platform's rejection reason,
//! and a note to the tenant.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TemplateRevisions {
    Table,
    DecidedBy,
    DecidedAt,
    Reason,
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let cols = [
            ColumnDef::new(TemplateRevisions::DecidedBy)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::DecidedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::Reason)
                .string_len(32)
                .null()
                .to_owned(),
            ColumnDef::new(TemplateRevisions::Note)
                .text()
                .null()
                .to_owned(),
        ];
        for c in cols {
            m.alter_table(
                Table::alter()
                    .table(TemplateRevisions::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            TemplateRevisions::Note,
            TemplateRevisions::Reason,
            TemplateRevisions::DecidedAt,
            TemplateRevisions::DecidedBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(TemplateRevisions::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

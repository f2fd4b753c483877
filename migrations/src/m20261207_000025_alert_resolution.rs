//! `alerts.resolution`: what resolved an alert when the platform did (the later event that
//! ended the incident, e.g. `UNFLAGGED at 2026-12-01 10:00 UTC`). An incident the platform had
//! already ended when its event was applied is still recorded and announced, resolved, with
//! this text; NULL for alerts still open or resolved by a person.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Resolution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .add_column(ColumnDef::new(Alerts::Resolution).string_len(200).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alerts::Table)
                .drop_column(Alerts::Resolution)
                .to_owned(),
        )
        .await
    }
}

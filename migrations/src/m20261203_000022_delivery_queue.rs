//! A delivery is stored as received and split into its changes when it is processed: the
//! receiver writes one row per delivery (the raw body) instead of one per change, and a change
//! row is written once, by the processor, in its final state (a status-only change straight as
//! applied) instead of pending at receipt and rewritten when applied. `processed_at` marks a
//! delivery split (a partial index keeps the unsplit ones in arrival order); `lease_until` is
//! SQLite's claim (one writer; PostgreSQL locks the rows instead). Deliveries stored before
//! this migration were split at receipt: they are marked processed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookDeliveries { Table, ProcessedAt, LeaseUntil }

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [ColumnDef::new(WebhookDeliveries::ProcessedAt).timestamp_with_time_zone().null().to_owned(), ColumnDef::new(WebhookDeliveries::LeaseUntil).timestamp_with_time_zone().null().to_owned()] {
            m.alter_table(Table::alter().table(WebhookDeliveries::Table).add_column(c).to_owned()).await?;
        }
        let c = m.get_connection();
        c.execute_unprepared("UPDATE webhook_deliveries SET processed_at = received_at").await?;
        c.execute_unprepared("CREATE INDEX ix_webhook_deliveries_unsplit ON webhook_deliveries (received_at) WHERE processed_at IS NULL").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX ix_webhook_deliveries_unsplit").await?;
        for c in [WebhookDeliveries::ProcessedAt, WebhookDeliveries::LeaseUntil] {
            m.alter_table(Table::alter().table(WebhookDeliveries::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}

//! A delivery is stored as received and split into its changes when it is processed: the
//! receiver writes one row per delivery (the raw body) instead of one per change, and a change
//! row is written once, by the processor, in its final state (a status-only change straight as
//! applied) instead of pending at receipt and rewritten when applied. `processed_at` marks a
//! delivery split (a partial index keeps the unsplit ones in arrival order); `lease_until` is
//! SQLite's claim (one writer; PostgreSQL locks the rows instead). Deliveries stored before
//! this migration were split at receipt: they are marked processed. The index on
//! `platform_events.delivery_id` goes: nothing reads changes by delivery and deliveries are
//! never deleted, so it was one more index entry per change for nothing (the foreign key stays).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    ProcessedAt,
    LeaseUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            ColumnDef::new(WebhookDeliveries::ProcessedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(WebhookDeliveries::LeaseUntil)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(WebhookDeliveries::Table)
                    .add_column(c)
                    .to_owned(),
            )
            .await?;
        }
        let c = m.get_connection();
        c.execute_unprepared("UPDATE webhook_deliveries SET processed_at = received_at")
            .await?;
        c.execute_unprepared("CREATE INDEX ix_webhook_deliveries_unsplit ON webhook_deliveries (received_at) WHERE processed_at IS NULL").await?;
        c.execute_unprepared("DROP INDEX ix_platform_events_delivery")
            .await?;
        // PostgreSQL compresses large bodies: lz4 where the server has it (several times
        // faster than the default pglz, on receipt and when the processor reads them back).
        if c.get_database_backend() == sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
            c.execute_unprepared("DO $$ BEGIN ALTER TABLE webhook_deliveries ALTER COLUMN body SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$").await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        c.execute_unprepared(
            "CREATE INDEX ix_platform_events_delivery ON platform_events (delivery_id)",
        )
        .await?;
        c.execute_unprepared("DROP INDEX ix_webhook_deliveries_unsplit")
            .await?;
        for c in [
            WebhookDeliveries::ProcessedAt,
            WebhookDeliveries::LeaseUntil,
        ] {
            m.alter_table(
                Table::alter()
                    .table(WebhookDeliveries::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

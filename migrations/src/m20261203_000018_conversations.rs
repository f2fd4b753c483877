//! Conversation-based pricing (before 2025-07) charges a conversation once, however many
//! messages it holds: a message's status keeps its `conversation.id`, a usage record keeps it
//! for conversation-priced messages, and the database refuses a second charged record of one
//! conversation of a number.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MessageStatuses {
    Table,
    ConversationId,
}

#[derive(DeriveIden)]
enum UsageRecords {
    Table,
    ConversationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(MessageStatuses::Table)
                .add_column(
                    ColumnDef::new(MessageStatuses::ConversationId)
                        .string_len(128)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(UsageRecords::Table)
                .add_column(
                    ColumnDef::new(UsageRecords::ConversationId)
                        .string_len(128)
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // Partial: only conversation-priced records that carry the charge (both databases).
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_usage_records_conversation ON usage_records (phone_row_id, conversation_id) WHERE conversation_id IS NOT NULL AND state = 'confirmed' AND pricing_type = 'regular'")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX ux_usage_records_conversation")
            .await?;
        m.alter_table(
            Table::alter()
                .table(UsageRecords::Table)
                .drop_column(UsageRecords::ConversationId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(MessageStatuses::Table)
                .drop_column(MessageStatuses::ConversationId)
                .to_owned(),
        )
        .await
    }
}

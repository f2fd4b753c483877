//! The answers of API requests sent with an `Idempotency-Key`, per key, for 24 hours
//! (<https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/>): a retry of
//! the same request gets the first answer again; the same key with another request is refused.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum ApiIdempotency {
    Table,
    ApiKeyId,
    IdemKey,
    Fingerprint,
    State,
    Status,
    ContentType,
    Location,
    Body,
    CreatedAt,
    StartedAt,
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApiIdempotency::Table)
                .col(uuid(ApiIdempotency::ApiKeyId))
                .col(string_len(ApiIdempotency::IdemKey, 255))
                .col(string_len(ApiIdempotency::Fingerprint, 64))
                .col(string_len(ApiIdempotency::State, 8))
                .col(integer_null(ApiIdempotency::Status))
                .col(string_len_null(ApiIdempotency::ContentType, 100))
                .col(string_len_null(ApiIdempotency::Location, 512))
                .col(text_null(ApiIdempotency::Body))
                .col(timestamp_with_time_zone(ApiIdempotency::CreatedAt))
                .col(timestamp_with_time_zone(ApiIdempotency::StartedAt))
                .primary_key(
                    Index::create()
                        .col(ApiIdempotency::ApiKeyId)
                        .col(ApiIdempotency::IdemKey),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_idempotency_key")
                        .from(ApiIdempotency::Table, ApiIdempotency::ApiKeyId)
                        .to(ApiKeys::Table, ApiKeys::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_idempotency_created")
                .table(ApiIdempotency::Table)
                .col(ApiIdempotency::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApiIdempotency::Table).to_owned())
            .await
    }
}

//! API keys: a tenant's (scopes) or the BSP's (a staff role's rights). Only the SHA-256 digest
//! of a key is kept; `shown` is the non-secret start that lists display.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    TenantId,
    Name,
    Rights,
    Shown,
    Digest,
    CreatedBy,
    CreatedByLabel,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
    LastUsedAddr,
}

#[derive(DeriveIden)]
enum Tenants {
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
                .table(ApiKeys::Table)
                .col(uuid(ApiKeys::Id).primary_key())
                .col(uuid_null(ApiKeys::TenantId))
                .col(string_len(ApiKeys::Name, 100))
                .col(string_len(ApiKeys::Rights, 64))
                .col(string_len(ApiKeys::Shown, 16))
                .col(string_len(ApiKeys::Digest, 64))
                .col(uuid_null(ApiKeys::CreatedBy))
                .col(string_len(ApiKeys::CreatedByLabel, 400))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .col(string_len_null(ApiKeys::LastUsedAddr, 64))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_keys_tenant")
                        .from(ApiKeys::Table, ApiKeys::TenantId)
                        .to(Tenants::Table, Tenants::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_api_keys_digest")
                .table(ApiKeys::Table)
                .col(ApiKeys::Digest)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_keys_tenant")
                .table(ApiKeys::Table)
                .col(ApiKeys::TenantId)
                .col(ApiKeys::CreatedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApiKeys::Table).to_owned())
            .await
    }
}

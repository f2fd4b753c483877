//! Profile photos (processed, content-addressed per tenant) and requests for the official
//! business account badge per phone number.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProfilePhotos {
    Table,
    TenantId,
    Id,
    Content,
    Side,
    Bytes,
    UploadedBy,
    UploadedAt,
}
#[derive(DeriveIden)]
enum ObaRequests {
    Table,
    Id,
    TenantId,
    PhoneRowId,
    Status,
    Content,
    Reason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    DecidedAt,
    DecidedBy,
}
#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum PhoneNumbers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProfilePhotos::Table)
                .col(uuid(ProfilePhotos::TenantId))
                // SHA-256 (hex) of the processed JPEG: the same picture uploaded twice is kept once.
                .col(string_len(ProfilePhotos::Id, 64))
                .col(blob(ProfilePhotos::Content))
                .col(integer(ProfilePhotos::Side))
                .col(integer(ProfilePhotos::Bytes))
                .col(uuid_null(ProfilePhotos::UploadedBy))
                .col(timestamp_with_time_zone(ProfilePhotos::UploadedAt))
                .primary_key(
                    Index::create()
                        .col(ProfilePhotos::TenantId)
                        .col(ProfilePhotos::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_profile_photos_tenant")
                        .from(ProfilePhotos::Table, ProfilePhotos::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ObaRequests::Table)
                .col(pk_uuid(ObaRequests::Id))
                .col(uuid(ObaRequests::TenantId))
                .col(uuid(ObaRequests::PhoneRowId))
                .col(string_len(ObaRequests::Status, 16))
                .col(text(ObaRequests::Content))
                .col(text_null(ObaRequests::Reason))
                .col(uuid_null(ObaRequests::CreatedBy))
                .col(timestamp_with_time_zone(ObaRequests::CreatedAt))
                .col(timestamp_with_time_zone(ObaRequests::UpdatedAt))
                .col(timestamp_with_time_zone_null(ObaRequests::DecidedAt))
                .col(string_len_null(ObaRequests::DecidedBy, 200))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_oba_requests_tenant")
                        .from(ObaRequests::Table, ObaRequests::TenantId)
                        .to(Tenants::Table, Tenants::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_oba_requests_phone")
                        .from(ObaRequests::Table, ObaRequests::PhoneRowId)
                        .to(PhoneNumbers::Table, PhoneNumbers::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_oba_requests_tenant_phone")
                .table(ObaRequests::Table)
                .col(ObaRequests::TenantId)
                .col(ObaRequests::PhoneRowId)
                .col(ObaRequests::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_oba_requests_status")
                .table(ObaRequests::Table)
                .col(ObaRequests::Status)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ObaRequests::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ProfilePhotos::Table).to_owned())
            .await
    }
}
